"""What a report is asked for: a date range in the shop's time zone and optional channel, storefront, warehouse.

``ReportFilter.from_params(request.GET)`` parses and validates query parameters; a bad value raises
``ReportFilterError`` naming the parameter (the API answers 400 with it, pages show it beside the field).
Dates are calendar days in the shop's time zone (``OMS_REPORT_TIME_ZONE``, default ``TIME_ZONE``); both ends
are included.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

MAX_RANGE_DAYS = 3 * 366  # "over 3 years" is refused
DEFAULT_DAYS = 30
MIN_YEAR, MAX_YEAR = 1970, 2999  # keeps every range and its previous period computable


class ReportFilterError(ValueError):
    """A query parameter that cannot be used; ``param`` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


def shop_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(getattr(settings, "OMS_REPORT_TIME_ZONE", "") or settings.TIME_ZONE)


def shop_today() -> date:
    return timezone.now().astimezone(shop_tz()).date()


def local_day(moment: datetime | None) -> date | None:
    """The shop-time-zone calendar day of an aware datetime."""
    return moment.astimezone(shop_tz()).date() if moment is not None else None


def day_start(day: date) -> datetime:
    """The aware moment the shop's day ``day`` begins."""
    return datetime.combine(day, time.min, tzinfo=shop_tz())


def _parse_date(params, name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ReportFilterError(name, f"'{name}' must be a date as YYYY-MM-DD.") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ReportFilterError(name, f"'{name}' must be a year from {MIN_YEAR} to {MAX_YEAR}.")
    return day


@dataclass(frozen=True)
class ReportFilter:
    date_from: date
    date_to: date
    channel: str = ""
    storefront: int | None = None  # Storefront id
    warehouse: int | None = None  # Warehouse id

    # -- the range --------------------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def start(self) -> datetime:
        """First moment of the range (aware, shop time zone)."""
        return day_start(self.date_from)

    @property
    def end(self) -> datetime:
        """First moment after the range (exclusive)."""
        return day_start(self.date_to + timedelta(days=1))

    def previous(self) -> ReportFilter:
        """The period of the same length right before this one, same channel/storefront/warehouse."""
        return replace(
            self, date_from=self.date_from - timedelta(days=self.days), date_to=self.date_from - timedelta(days=1)
        )

    def as_params(self) -> dict[str, str]:
        """Query parameters that parse back to this filter (for links and CSV downloads)."""
        params = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.channel:
            params["channel"] = self.channel
        if self.storefront is not None:
            params["storefront"] = str(self.storefront)
        if self.warehouse is not None:
            params["warehouse"] = str(self.warehouse)
        return params

    # -- parsing ----------------------------------------------------------------------------------------
    @classmethod
    def from_params(cls, params, *, default_days: int = DEFAULT_DAYS) -> ReportFilter:
        """Parse ``from``, ``to``, ``channel``, ``storefront`` (id or name), ``warehouse`` (id or code).

        Missing dates default to the last ``default_days`` days up to today. Raises ``ReportFilterError``.
        """
        date_to = _parse_date(params, "to")
        date_from = _parse_date(params, "from")
        if date_to is None:
            date_to = max(shop_today(), date_from) if date_from else shop_today()
        if date_from is None:
            date_from = date_to - timedelta(days=default_days - 1)
        if date_from > date_to:
            raise ReportFilterError("from", "'from' must be on or before 'to'.")
        if (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
            raise ReportFilterError("to", "The range from 'from' to 'to' must not be over 3 years.")
        return cls(
            date_from=date_from,
            date_to=date_to,
            channel=_parse_channel(params),
            storefront=_parse_storefront(params),
            warehouse=_parse_warehouse(params),
        )


def _parse_channel(params) -> str:
    from orders.models import Channel

    raw = (params.get("channel") or "").strip()
    if raw and raw not in Channel.values:
        raise ReportFilterError("channel", f"'channel' must be one of: {', '.join(Channel.values)}.")
    return raw


def _parse_storefront(params) -> int | None:
    from oms.models import Storefront

    raw = (params.get("storefront") or "").strip()
    if not raw:
        return None
    if "\x00" in raw:
        raise ReportFilterError("storefront", "'storefront' is not a known storefront id or name.")
    lookup = {"pk": int(raw)} if raw.isdigit() and len(raw) < 18 else {"name": raw[:100]}
    pk = Storefront.objects.filter(**lookup).values_list("pk", flat=True).first()
    if pk is None:
        raise ReportFilterError("storefront", "'storefront' is not a known storefront id or name.")
    return pk


def _parse_warehouse(params) -> int | None:
    from inventory.models import Warehouse

    raw = (params.get("warehouse") or "").strip()
    if not raw:
        return None
    if "\x00" in raw:
        raise ReportFilterError("warehouse", "'warehouse' is not a known warehouse id or code.")
    lookup = {"pk": int(raw)} if raw.isdigit() and len(raw) < 18 else {"code": raw[:20]}
    pk = Warehouse.objects.filter(**lookup).values_list("pk", flat=True).first()
    if pk is None:
        raise ReportFilterError("warehouse", "'warehouse' is not a known warehouse id or code.")
    return pk
