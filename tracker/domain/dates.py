"""Dates as the commune sees them."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

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
        raise ValueError(f"Ngày '{text[:40]}' ở '{field}' không hợp lệ: viết theo dạng YYYY-MM-DD.") from None
