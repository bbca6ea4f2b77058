"""Vietnamese display formats: numbers ``1.234,5``, dates ``dd/mm/yyyy``, percentages ``2,09%``."""

import math
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

LOCALE = "vi_VN"
# Written instead of a number that cannot be written: not finite (an old database may hold inf or
# NaN) or too large for the two-decimal format (about 10^26 and beyond). "—" stays "no figure".
UNREADABLE = "?"


def format_number(value: float | None, empty: str = "—") -> str:
    """Format a number the Vietnamese way, with at most two decimals.

    Total: a value that cannot be written (not finite, or too large for the format) gives
    ``UNREADABLE``, never an error.
    """
    if value is None:
        return empty
    try:
        if not math.isfinite(value):
            return UNREADABLE
        return _format_decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return UNREADABLE


@lru_cache(maxsize=8192)
def _format_decimal(value: float) -> str:
    # Babel parses the pattern on every call (about 70 µs); a roll-up words thousands of values.
    return format_decimal(value, format="#,##0.##", locale=LOCALE)


def format_percent(value: float | None, empty: str = "—") -> str:
    """Format a value given in percent points, e.g. 2.0933 → ``2,09%``."""
    if value is None:
        return empty
    number = format_number(value)
    return number if number == UNREADABLE else f"{number}%"


def format_date(value: date | None, empty: str = "—") -> str:
    """Format a date as dd/mm/yyyy."""
    if value is None:
        return empty
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None, timezone: str = "Asia/Ho_Chi_Minh", empty: str = "—") -> str:
    """Format a UTC timestamp in the commune's time zone as HH:MM dd/mm/yyyy."""
    if value is None:
        return empty
    if value.tzinfo is None:  # SQLite returns naive values; they were stored in UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(timezone)).strftime("%H:%M %d/%m/%Y")


_ABBREVIATIONS = (
    ("Trung tâm Phục vụ hành chính công", "TT Phục vụ HCC"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQ"),
    ("Ủy ban nhân dân", "UBND"),
    ("Văn phòng", "VP"),
    ("Văn hóa - Xã hội", "VH-XH"),
    ("Thường trực Đảng ủy", "TT Đảng ủy"),
)


def short_unit_name(name: str) -> str:
    """Shorten a unit's name the way officials abbreviate it in tables (``VP HĐND và UBND``)."""
    for long, short in _ABBREVIATIONS:
        name = name.replace(long, short)
    return name.removesuffix(" xã").strip()
