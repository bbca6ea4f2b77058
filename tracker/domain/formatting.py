"""Vietnamese display formats: numbers ``1.234,5``, dates ``dd/mm/yyyy``, shares ``2,10%``, counts
``02 hồ sơ``, ratios ``558/1.234``, money ``410 triệu đồng`` / ``28,5 tỷ đồng``.

The one rounding rule of the whole application lives here: every figure shown (pages, documents,
spreadsheets, the API's texts) is rounded **half up to two decimals**, as a spreadsheet's ROUND does
(``round_half_up``): 3/143 = 2,0979…% is written 2,10%, 16/65 = 24,615…% is written 24,62%, 0,005
is written 0,01. A share is computed exactly from its parts (``percent_of``), never from a float
that was already rounded or cut. Nothing here truncates, and nothing uses ``round()`` on a float
(banker's rounding on a binary value).
"""

import math
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from numbers import Real
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

LOCALE = "vi_VN"
# Written instead of a number that cannot be written: not finite (an old database may hold inf or
# NaN) or too large for the two-decimal format (about 10^26 and beyond). "—" stays "no figure".
UNREADABLE = "?"
# "No figure" in a table cell or a field; prose says "không" instead (the outline's rule, see
# ``tracker.render.document.NONE_TEXT``).
NO_FIGURE = "—"
PLACES = 2
MILLION = 10**6
BILLION = 10**9


def _decimal(value: Real | Decimal) -> Decimal:
    """A number as a Decimal; a float to 15 significant digits, as a spreadsheet holds it.

    A share computed in binary floating point carries noise in its last digits: 23/160 × 100 is
    14.374999999999998, which rounds to 14,37 although the share is exactly 14,375 (14,38). Fifteen
    digits drop the noise and keep every figure a commune can enter.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):  # bool included: True is 1
        return Decimal(int(value))
    return Decimal(f"{float(value):.15g}")


def round_half_up(value: Real | Decimal | None, places: int = PLACES) -> Decimal | None:
    """Round as a spreadsheet's ROUND does: halves away from zero (2,0979 → 2,10; 0,005 → 0,01).

    Raises ``ValueError`` for a value that is not finite, ``ArithmeticError`` for one too large.
    """
    if value is None:
        return None
    number = _decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0"


def percent_of(part: Real | Decimal | None, whole: Real | Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, computed exactly and rounded by the one rule; None
    without a part or a whole (or with a zero whole)."""
    if part is None or whole is None or not whole:
        return None
    try:
        return round_half_up(_decimal(part) * 100 / _decimal(whole))
    except (InvalidOperation, ValueError):
        return None


def _written(value: Real | Decimal | None, empty: str, pattern: str) -> str:
    """``value`` rounded by the one rule and written with Babel's ``pattern``; total (see below)."""
    if value is None:
        return empty
    try:
        if not isinstance(value, Decimal) and not math.isfinite(value):
            return UNREADABLE
        return _format_decimal(round_half_up(value), pattern)
    except (ArithmeticError, ValueError, TypeError):
        return UNREADABLE


def format_number(value: Real | Decimal | None, empty: str = NO_FIGURE) -> str:
    """Format a number the Vietnamese way, rounded half up to at most two decimals (``1.234,5``).

    Total: a value that cannot be written (not finite, or too large for the format) gives
    ``UNREADABLE``, never an error.
    """
    return _written(value, empty, "#,##0.##")


@lru_cache(maxsize=8192)
def _format_decimal(value: Decimal, pattern: str) -> str:
    # Babel parses the pattern on every call (about 70 µs); a roll-up words thousands of values.
    # The value is already rounded to two places, so Babel's own rounding never applies.
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_percent(value: Real | Decimal | None, empty: str = NO_FIGURE) -> str:
    """Format a value given in percent points: ``2,10%`` (two decimals, rounded half up), or
    ``5%`` and ``100%`` when the rounded value is whole (as the reports write them)."""
    if value is None:
        return empty
    number = _written(value, empty, "#,##0" if _is_whole(value) else "#,##0.00")
    return number if number == UNREADABLE else f"{number}%"


def _is_whole(value: Real | Decimal) -> bool:
    try:
        rounded = round_half_up(value)
    except (ArithmeticError, ValueError, TypeError):
        return True
    return rounded == rounded.to_integral_value()


def format_count(value: Real | Decimal | None, empty: str = NO_FIGURE) -> str:
    """A count as the province's reports write it: 1 to 9 padded to two digits (``02``), zero as
    ``0``, from 10 on with Vietnamese thousands (``1.234``). A count that is not whole is written
    as any number."""
    if value is None:
        return empty
    whole = _whole(value)
    if whole is not None and 0 < whole < 10:
        return f"0{whole}"
    return format_number(value, empty)


def _whole(value: Real | Decimal) -> int | None:
    try:
        number = _decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def format_ratio(part: Real | Decimal | None, whole: Real | Decimal | None, empty: str = NO_FIGURE) -> str:
    """Two counts as a ratio: ``03/143``, ``558/1.234``, ``0/65``."""
    if part is None or whole is None:
        return empty
    return f"{format_count(part)}/{format_count(whole)}"


def format_share(part: Real | Decimal | None, whole: Real | Decimal | None, unit: str | None = None,
                 empty: str = NO_FIGURE, *, money: bool = False) -> str:
    """A share with its parts, as the reports print it: ``2,10% (03/143 TTHC)``, or with amounts
    ``1,44% (410 triệu đồng/28,5 tỷ đồng)``; ``empty`` without a part or a whole (or a zero whole)."""
    share = percent_of(part, whole)
    if share is None:
        return empty
    parts = f"{format_money(part)}/{format_money(whole)}" if money else format_ratio(part, whole)
    suffix = f" {unit}" if unit else ""
    return f"{format_percent(share)} ({parts}{suffix})"


def format_money(value: Real | Decimal | None, empty: str = NO_FIGURE) -> str:
    """An amount in the units officials write: ``28,5 tỷ đồng`` from one tỷ (10^9) on, ``410 triệu
    đồng`` from one triệu (10^6) on, else ``500.000 đồng``; rounded half up to two decimals of its
    unit (an amount that rounds to 1.000 triệu is written ``1 tỷ đồng``). ``format_money_exact``
    gives the exact đồng for a tooltip or a spreadsheet."""
    if value is None:
        return empty
    try:
        amount = _decimal(value)
        if not amount.is_finite():
            return UNREADABLE
        millions = round_half_up(amount / MILLION)
    except (ArithmeticError, ValueError, TypeError):
        return UNREADABLE
    if abs(millions) >= 1000:
        return f"{format_number(amount / BILLION)} tỷ đồng"
    if abs(millions) >= 1:
        return f"{format_number(millions)} triệu đồng"
    return f"{format_number(amount)} đồng"


def format_money_exact(value: Real | Decimal | None, empty: str = NO_FIGURE) -> str:
    """An amount in exact đồng: ``410.000.000 đồng``."""
    if value is None:
        return empty
    number = format_number(value)
    return number if number == UNREADABLE else f"{number} đồng"


def format_date(value: date | None, empty: str = "—") -> str:
    """Format a date as dd/mm/yyyy."""
    if value is None:
        return empty
    return value.strftime("%d/%m/%Y")


def local_moment(value: datetime, timezone: str = "Asia/Ho_Chi_Minh") -> datetime:
    """A stored UTC timestamp in the commune's time zone."""
    if value.tzinfo is None:  # SQLite returns naive values; they were stored in UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(timezone))


def format_datetime(value: datetime | None, timezone: str = "Asia/Ho_Chi_Minh", empty: str = "—") -> str:
    """Format a UTC timestamp in the commune's time zone as HH:MM dd/mm/yyyy."""
    if value is None:
        return empty
    return local_moment(value, timezone).strftime("%H:%M %d/%m/%Y")


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
