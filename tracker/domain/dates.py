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

from tracker.domain.formatting import format_date
from tracker.domain.i18n import LazyText, in_language
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What a person types: day/month/year (one or two digits for the day and the month), or the eight
# digits ddmmyyyy (a phone's numeric keypad may have no "/"), or ISO.
TYPED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{2})(\d{2})(\d{4})", re.ASCII)
# The same for the browser (an <input pattern>), so a mistyped date is flagged before sending.
TYPED_DATE_PATTERN = r"\s*(\d{1,2}/\d{1,2}/\d{4}|\d{8}|\d{4}-\d{2}-\d{2})\s*"
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


WEEK_DAYS = 7


def week_length_warning(kind: str, start: date | None, end: date | None) -> str | None:
    """Say when a "week" period is not 7 days long (None otherwise).

    A warning, not a refusal: real weekly reports do cover other spans (seed 001's week runs from
    27/10 to 03/11/2025, 8 days) and must be entered as printed; but an 8-day week is most often a
    slip of the end date, so the secretary is told when creating it and on the period's page.
    """
    if kind != "week" or start is None or end is None or end < start:
        return None
    days = (end - start).days + 1
    if days == WEEK_DAYS:
        return None
    return _("A week period has 7 days, but this one has %(days)s (%(start)s–%(end)s). If the report "
             "really covers these days, keep it; otherwise correct the end date.", days=days,
             start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))


PERIOD_KIND_LABELS = {"week": _l("Week"), "month": _l("Month"), "quarter": _l("Quarter"),
                      "custom": _l("Custom")}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PERIOD_NAMES = {
    "month": _l("month %(month)s"),
    "quarter": _l("quarter %(quarter)s/%(year)s"),
    "span": _l("%(kind)s %(start)s–%(end)s"),
}


def period_name(kind: str, start: date, end: date, *, language: str | None = None) -> str:
    """A period as officials name it inside a sentence: "tháng 10/2025", "quý IV/2025",
    "tuần 27/10–02/11/2025", "tuần 29/12/2025–04/01/2026".

    In the reader's language, or in ``language`` (a note stored on an entry is Vietnamese whoever reads).
    """
    def say(label: LazyText, **params: object) -> str:
        text = str(label) if language is None else in_language(language, label)
        return text % params if params else text

    next_day = end + timedelta(days=1)
    whole_months = start.day == 1 and next_day.day == 1
    if kind == "month" and whole_months and (start.year, start.month) == (end.year, end.month):
        return say(PERIOD_NAMES["month"], month=f"{start.month:02d}/{start.year}")
    three_months = start.year == end.year and end.month == start.month + 2
    if kind == "quarter" and whole_months and start.month % 3 == 1 and three_months:
        return say(PERIOD_NAMES["quarter"], quarter=ROMAN[(start.month - 1) // 3 + 1], year=start.year)
    first = f"{start:%d/%m}" if start.year == end.year else f"{start:%d/%m/%Y}"
    kind_label = PERIOD_KIND_LABELS.get(kind, PERIOD_KIND_LABELS["custom"])
    return say(PERIOD_NAMES["span"], kind=say(kind_label).lower(), start=first, end=f"{end:%d/%m/%Y}")


def period_title(kind: str, start: date, end: date) -> str:
    """A period's name standing alone (a link, a heading): "Tháng 10/2025", "Tuần 27/10–02/11/2025"."""
    name = period_name(kind, start, end)
    return name[:1].upper() + name[1:]

def parse_day(text: str | None, field: str = "as_of") -> date | None:
    """The one parser of a date a person types: ``dd/mm/yyyy`` or ``d/m/yyyy`` (day first, as
    Vietnamese is written, whatever the browser's language), or ISO ``yyyy-mm-dd``. Empty gives
    None; anything else raises ValueError with a message in the reader's language,
    ``DateOutOfRange`` for a real date outside the accepted range."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    typed = TYPED_DATE.fullmatch(cleaned)
    if typed is None and ISO_DATE.fullmatch(cleaned) and cleaned.isascii():
        return parse_iso_date(cleaned, field)
    if typed is None:
        raise ValueError(_("The date '%(text)s' is not valid: write it as day/month/year, e.g. 03/11/2025.",
                           text=text.strip()[:40]))
    day_, month, year = (typed[1], typed[2], typed[3]) if typed[1] else (typed[4], typed[5], typed[6])
    if not 1 <= int(month) <= 12:
        # A month past 12 is most often a month-first date: the format is what to fix.
        raise ValueError(_("The date '%(text)s' is not valid: write it as day/month/year, e.g. 03/11/2025.",
                           text=text.strip()[:40]))
    try:
        day = date(int(year), int(month), int(day_))
    except ValueError:
        # Written the right way, but no such day (31/02, 29/02 of a common year, day 0).
        raise ValueError(_("The day %(day)s is not in the calendar.",
                           day=f"{int(day_):02d}/{int(month):02d}/{int(year):04d}")) from None
    if not in_range(day):
        raise DateOutOfRange(_("The date '%(text)s' in '%(field)s' is out of range. %(range)s",
                               text=format_day_input(day), field=field, range=date_range_message()))
    return day


def format_day_input(day: date | None) -> str:
    """A date as a date field shows it: ``dd/mm/yyyy`` (empty for none)."""
    return format_date(day, empty="")
