"""Reading an order import file (CSV or XLSX) into numbered rows of the import's columns.

A problem with the file as a whole (too big, too many rows, not CSV or XLSX, a header that is not the
format's) is an ``InvalidImportFile`` naming ``file``: the API answers 400, the dashboard shows it by the
upload, and nothing is stored.
"""

import csv
import io
import zipfile

from django.conf import settings

from oms.exceptions import InvalidInput

COLUMNS = (
    "external_ref",
    "customer_email",
    "customer_name",
    "customer_phone",
    "ship_name",
    "ship_line1",
    "ship_line2",
    "ship_city",
    "ship_region",
    "ship_postal_code",
    "ship_country",
    "shipping_method",
    "payment_method",
    "sku",
    "quantity",
    "notes",
)
# Columns a file may leave out altogether (their cells are empty then).
OPTIONAL_COLUMNS = ("customer_phone", "ship_line2", "ship_region", "notes")
XLSX_MAGIC = b"PK\x03\x04"


class InvalidImportFile(InvalidInput):
    code = "invalid_import_file"

    def __init__(self, message: str):
        super().__init__(message, fields={"file": [message]})


Row = tuple[int, dict[str, str]]  # (row number as a spreadsheet shows it, the header being row 1; cells)


def import_file_read(*, name: str, content: bytes) -> list[Row]:
    """The data rows of the file, each with its row number; blank rows are left out."""
    limit = settings.OMS_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise InvalidImportFile(f"The file is {len(content):,} bytes; an import takes at most {limit:,}.")
    if not content.strip():
        raise InvalidImportFile("The file is empty.")
    is_xlsx = content.startswith(XLSX_MAGIC)
    if name.lower().endswith(".xlsx") and not is_xlsx:
        raise InvalidImportFile("The file is named .xlsx but is not an XLSX workbook.")
    records = _xlsx_records(content) if is_xlsx else _csv_records(content)
    return _rows(records)


def _csv_records(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidImportFile("A CSV file must be UTF-8 text (save it as “CSV UTF-8”).") from exc
    if "\x00" in text:
        raise InvalidImportFile("The file holds NUL characters: it is not a CSV text file.")
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in some locales save CSV with semicolons (or tabs): the header line tells which.
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise InvalidImportFile(f"The CSV cannot be read at line {reader.line_num}: {exc}.") from exc


def _xlsx_records(content: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=len(COLUMNS) + 10):
            yield [_cell(value) for value in values]
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise InvalidImportFile("The file is not a readable XLSX workbook.") from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "")


def _rows(records) -> list[Row]:
    records = iter(records)
    header = next((r for r in records if any(str(c).strip() for c in r)), None)
    if header is None:
        raise InvalidImportFile("The file has no header row.")
    names = [str(c).strip().lower() for c in header]
    while names and not names[-1]:
        names.pop()
    unknown = [n for n in names if n not in COLUMNS]
    missing = [c for c in COLUMNS if c not in names and c not in OPTIONAL_COLUMNS]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {', '.join(n or '(blank)' for n in unknown)}")
        raise InvalidImportFile(f"The header is not the import format ({'; '.join(parts)}). Download the template.")
    if len(set(names)) != len(names):
        raise InvalidImportFile("The header names a column twice.")
    limit = settings.OMS_IMPORT_MAX_ROWS
    rows: list[Row] = []
    for number, record in enumerate(records, start=2):
        cells = [str(c).strip() for c in record]
        if not any(cells):
            continue
        if len(rows) == limit:
            raise InvalidImportFile(f"The file has more than {limit:,} rows; split it into several imports.")
        values = dict.fromkeys(COLUMNS, "")
        values.update(zip(names, cells, strict=False))
        rows.append((number, values))
    if not rows:
        raise InvalidImportFile("The file has a header but no rows.")
    return rows


def import_template_csv() -> str:
    """The template to download: the header and two example orders (the second of two lines)."""
    example = [
        COLUMNS,
        ("WEB-1001", "ann@example.com", "Ann Example", "+49 30 1234", "Ann Example", "1 Main St", "", "Berlin", "",
         "10115", "DE", "standard", "bank_transfer", "MUG-1", "2", "Leave at the door"),
        ("WEB-1002", "bob@example.com", "Bob Example", "", "Bob Example", "5 High St", "Flat 2", "Denver", "CO",
         "80202", "US", "express", "on_account", "MUG-1", "1", ""),
        ("WEB-1002", "bob@example.com", "Bob Example", "", "Bob Example", "5 High St", "Flat 2", "Denver", "CO",
         "80202", "US", "express", "on_account", "TEA-1", "3", ""),
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(example)
    return out.getvalue()
