"""A figure as text: the one wording of values, goals and ratios for pages, documents and the province.

Every place that shows what an item has reached or must reach (the item page and its rows, the
outline report and the one-page summary, the province's roll-up and its summary, the status
rule's reason) writes it with these functions, so the page and the printed report cannot say
different things about the same item. The item is described by the status rule's ``ItemSpec``
(``unit_label`` is ``%`` for percent and ratio targets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.formatting import (
    NO_FIGURE,
    UNREADABLE,
    format_count,
    format_money_exact,
    format_number,
    format_percent,
    format_share,
)
from tracker.domain.i18n import gettext as _

if TYPE_CHECKING:  # the status rule imports this module for its reasons
    from tracker.domain.status import ItemSpec

EMPTY = NO_FIGURE
# What a goal's comparator is for each direction: "≥ 90%" must be reached, "≤ 5%" must not be passed.
COMPARATORS = {True: "≥ ", False: "≤ "}


def unit_suffix(unit_label: str | None) -> str:
    """Return what follows a number: ``%`` glued, a word after a space, or nothing."""
    if unit_label == "%":
        return "%"
    return f" {unit_label}" if unit_label else ""


def amount_text(value: float | None, unit_label: str | None = None, empty: str = EMPTY) -> str:
    """A number with its unit: ``1.200 hồ sơ``, ``02 hồ sơ``, ``90%``, ``85,50%``, ``25``; ``empty``
    when there is none.

    A percentage is written as every share is (``format_percent``), a count followed by its word
    is padded as the reports pad counts (``format_count``).
    """
    if value is None:
        return empty
    if unit_label == "%":
        return format_percent(value)
    number = format_count(value) if unit_label else format_number(value)
    return number if number == UNREADABLE else f"{number}{unit_suffix(unit_label)}"


def value_text(spec: ItemSpec, actual: float | None, empty: str = EMPTY) -> str:
    """What an item has reached: percent done for tasks and milestones, else its value and unit."""
    if actual is None:
        return empty
    return format_percent(actual) if spec.progress_based else amount_text(actual, spec.unit_label)


def target_text(target: float | None, unit_label: str | None, higher_is_better: bool = True) -> str:
    """A measured target as a goal: ``≥ 90%``, ``≤ 5%``, ``1.200 hồ sơ``, ``≤ 3 hồ sơ``; — if none.

    A percentage always carries its direction's comparator; a count only when lower is better
    (a count to reach reads as the number itself).
    """
    if target is None:
        return EMPTY
    shown = amount_text(target, unit_label)
    if unit_label == "%" or not higher_is_better:
        return COMPARATORS[higher_is_better] + shown
    return shown


def required_text(spec: ItemSpec) -> str:
    """What an item must reach: ``Hoàn thành`` for tasks and milestones, else its target as a goal."""
    if spec.progress_based:
        return _("Done")
    return target_text(spec.target, spec.unit_label, spec.higher_is_better)


def ratio_text(numerator: float | None, denominator: float | None, empty: str = EMPTY, *,
               money: bool = False) -> str:
    """A ratio as its share and its parts: ``63,50% (12.034/18.950)``, or of amounts ``1,44% (410 triệu
    đồng/28,5 tỷ đồng)``; ``empty`` without a denominator. The share is computed from the parts and
    rounded half up (``formatting.percent_of``)."""
    return format_share(numerator, denominator, empty=empty, money=money)


def ratio_exact(numerator: float | None, denominator: float | None, *, money: bool = False) -> str | None:
    """The exact parts of a ratio of amounts, for a tooltip: ``410.000.000 đồng / 28.500.000.000 đồng``;
    None when the parts are not amounts or missing (the text already says them exactly)."""
    if not money or numerator is None or not denominator:
        return None
    return f"{format_money_exact(numerator)} / {format_money_exact(denominator)}"


def milestone_text(done: float | None, total: int) -> str:
    """How many communes finished a milestone: ``12/96 xã``."""
    return f"{format_count(done)}/{format_count(total)} xã"


def entry_text(spec: ItemSpec, value: float | None, numerator: float | None = None,
               denominator: float | None = None) -> str:
    """One logged figure of a measured item (the history's value): a ratio with its parts, or a value."""
    if numerator is not None:
        return ratio_text(numerator, denominator, money=spec.money_parts)
    return amount_text(value, spec.unit_label)


def change_text(before: str, after: str) -> str:
    """A figure's change as a sentence shows it: ``88 → 95 dịch vụ`` when both share their unit,
    else ``Đang thực hiện, 50% → Hoàn thành, 100%``; a first figure, or the same figure twice, is
    written once."""
    if before == after or before == EMPTY:
        return after
    b_value, _, b_unit = before.partition(" ")
    a_value, _, a_unit = after.partition(" ")
    if b_unit and b_unit == a_unit:
        return f"{b_value} → {a_value} {a_unit}"
    return f"{before} → {after}"
