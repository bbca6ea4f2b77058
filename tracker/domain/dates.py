"""Dates as the commune sees them, and the one range of dates the tracker accepts.

Every date a person or a program gives (``?as_of=``, the audit filters, a period's dates, an entry's
and a document's dates, the API's and the CLI's dates, a seed file's dates) lies between
``EARLIEST_DATE`` and ``LATEST_DATE``; ``parse_iso_date`` refuses any other. The range is wide for
any real plan or legal document, and narrow enough that every computation on a date (a trend's
weeks, a chart's margins, "the day after", a reminder's week) stays far from the limits of
``datetime.date`` (years 1 and 9999).
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.i18n import gettext as _

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class DateOutOfRange(ValueError):
    """A well-formed date outside ``EARLIEST_DATE`` .. ``LATEST_DATE`` (the message says so)."""


def local_today(timezone: str) -> date:
    """Return today's date in ``timezone`` (the server may run in UTC)."""
    return datetime.now(ZoneInfo(timezone)).date()


def in_range(day: date) -> bool:
    """True when ``day`` lies in the accepted range."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def date_range_message() -> str:
    """Say which dates are accepted (a form field's message)."""
    return _("The date must be between %(earliest)s and %(latest)s.",
             earliest=EARLIEST_DATE.strftime("%d/%m/%Y"), latest=LATEST_DATE.strftime("%d/%m/%Y"))


def parse_iso_date(text: str | None, field: str = "as_of") -> date | None:
    """Parse ``YYYY-MM-DD``; empty gives None; anything else raises ValueError in Vietnamese,
    ``DateOutOfRange`` for a real date outside the accepted range."""
    if text is None or not text.strip():
        return None
    try:
        if not ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("The date '%(text)s' in '%(field)s' is not valid: write it as YYYY-MM-DD.",
                           text=text[:40], field=field)) from None
    if not in_range(day):
        raise DateOutOfRange(_("The date '%(text)s' in '%(field)s' is out of range. %(range)s",
                               text=f"{day.day:02d}/{day.month:02d}/{day.year:04d}", field=field,
                               range=date_range_message()))
    return day


def period_name(kind: str, start: date, end: date) -> str:
    """Name a reporting period as the reports do: "Tháng 10/2025", "Quý 4/2025",
    "Tuần 27/10–02/11/2025", or its two dates ("01/10/2025–15/10/2025")."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1  # calendar months touched
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if kind == "month" and whole_months and months == 1:
        return _("Month %(month)s", month=f"{start.month:02d}/{start.year}")
    if kind == "quarter" and whole_months and months == 3 and start.month % 3 == 1:
        return _("Quarter %(quarter)s", quarter=f"{(start.month + 2) // 3}/{start.year}")
    span = (f"{start:%d/%m}–{end:%d/%m/%Y}" if start.year == end.year
            else f"{start:%d/%m/%Y}–{end:%d/%m/%Y}")
    if kind == "week":
        return _("Week %(dates)s", dates=span)
    return span
