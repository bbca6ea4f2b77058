"""Dates as the commune sees them."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tracker.domain.i18n import gettext as _

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def local_today(timezone: str) -> date:
    """Return today's date in ``timezone`` (the server may run in UTC)."""
    return datetime.now(ZoneInfo(timezone)).date()


def parse_iso_date(text: str | None, field: str = "as_of") -> date | None:
    """Parse ``YYYY-MM-DD``; empty gives None; anything else raises ValueError in Vietnamese."""
    if text is None or not text.strip():
        return None
    try:
        if not ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("The date '%(text)s' in '%(field)s' is not valid: write it as YYYY-MM-DD.",
                           text=text[:40], field=field)) from None
