"""What a report page is made of: headline figures compared with the previous period, and tables, each drawn
as a chart (Chart.js) beside its numbers and downloadable as CSV (``?format=csv&table=<name>``)."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import StreamingHttpResponse

from oms.templatetags.money import money


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, int, money, rate (0–1), hours, rating, date

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    name: str
    caption: str
    columns: list[Column]
    rows: list[dict]
    # A chart of the table: its type (bar, line, pie) and the keys of the columns it plots; None: table only.
    chart: str | None = None
    plots: list[str] = field(default_factory=list)
    stacked: bool = False  # bars of the plotted columns stacked (parts of one whole) rather than side by side
    empty: str = "Nothing in this range."
    note: str = ""

    @property
    def wide(self) -> bool:
        """Too many columns to stand beside its chart: the table goes under it."""
        return len(self.columns) > 5

    @property
    def chart_id(self) -> str:
        return f"chart-{self.name}"

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """The rows as the page shows them: (text, numeric) per cell."""
        return [[(display(row.get(c.key), c.kind), c.numeric) for c in self.columns] for row in self.rows]

    def cells(self) -> list[list]:
        return [[row.get(column.key) for column in self.columns] for row in self.rows]

    def chart_data(self) -> dict | None:
        """The chart's labels (first column) and one dataset per plotted column, as plain numbers."""
        if not self.chart or not self.rows:
            return None
        first = self.columns[0]
        by_key = {column.key: column for column in self.columns}
        return {
            "type": self.chart,
            "labels": [_text(row.get(first.key)) for row in self.rows],
            "datasets": [
                {"label": by_key[key].label, "data": [_number(row.get(key), by_key[key].kind) for row in self.rows]}
                for key in self.plots
            ],
            "percent": all(by_key[key].kind == "rate" for key in self.plots),
            "integer": all(by_key[key].kind == "int" for key in self.plots),
            "stacked": self.stacked,
        }


@dataclass(frozen=True)
class Figure:
    """A headline number with the same figure for the previous period of equal length."""

    label: str
    value: object
    previous: object = None
    kind: str = "int"
    # Whether a rise is good news (sales) or bad news (holds): colours the change.
    higher_is_better: bool = True

    @property
    def change(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return round(float((Decimal(str(self.value)) - Decimal(str(self.previous))) / Decimal(str(self.previous))), 4)

    @property
    def text(self) -> str:
        text = display(self.value, self.kind)
        return f"{text} h" if self.kind == "hours" and self.value is not None else text

    @property
    def previous_text(self) -> str:
        return display(self.previous, self.kind)

    @property
    def change_text(self) -> str:
        change = self.change
        return "" if change is None else f"{change * 100:+.1f}%"

    @property
    def trend(self) -> str:
        change = self.change
        if not change:
            return ""
        return "good" if (change > 0) == self.higher_is_better else "bad"


def figures(current: dict, previous: dict, spec: Iterable[tuple]) -> list[Figure]:
    """Figures from two dicts of the same shape; ``spec`` rows are (key, label, kind[, higher_is_better])."""
    return [
        Figure(
            label=label,
            value=_get(current, key),
            previous=_get(previous, key),
            kind=kind,
            higher_is_better=(rest or [True])[0],
        )
        for key, label, kind, *rest in spec
    ]


def display(value, kind: str) -> str:
    """A value as a page shows it: counts with separators, money to cents, rates as percentages."""
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "money":
        return money(value)
    if kind == "int":
        return f"{value:,}"
    if kind == "rate":
        return f"{float(value) * 100:.1f}%"
    if kind in ("hours", "number"):
        return f"{float(value):,.1f}"
    if kind == "rating":
        return f"{float(value):.2f}"
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def _get(data: dict, key: str):
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _number(value, kind: str):
    if value is None:
        return None
    if kind == "rate":
        return round(float(value) * 100, 2)
    return float(value) if isinstance(value, Decimal) else value


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection); rates as fractions, dates ISO."""
    text = _text(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV download written as it is read: ``rows`` may be a generator over any number of rows."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_csv(table: Table, *, stem: str) -> StreamingHttpResponse:
    return csv_response(f"{stem}-{table.name}.csv", [column.label for column in table.columns], table.cells())
