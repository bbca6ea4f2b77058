"""The traffic-light rule: every item's colour as of a date, and why.

The rule is documented for users in ``docs/status-rules.md``; this module is its only
implementation. It works on small value objects so it can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from tracker.domain.bounds import usable
from tracker.domain.figure_text import amount_text
from tracker.domain.formatting import format_date, format_percent
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l

GREY, GREEN, AMBER, RED = "grey", "green", "amber", "red"
# Display order on dashboards: what needs attention first.
COLOUR_ORDER = (RED, AMBER, GREY, GREEN)
COLOUR_LABELS = {
    GREEN: _l("Met / on schedule"),
    AMBER: _l("At risk of delay"),
    RED: _l("Behind / overdue"),
    GREY: _l("No data yet"),
}
COLOUR_ICONS = {GREEN: "✔", AMBER: "▲", RED: "✖", GREY: "○"}
# One word per light, for dense grids (the province roll-up); the full label is in the title.
COLOUR_SHORT = {GREEN: _l("Met"), AMBER: _l("At risk"), RED: _l("Late"), GREY: _l("None yet")}
# A pace is reported within ±this (only a tiny expected progress makes it larger).
MAX_PACE = 1e6


@dataclass(frozen=True)
class StatusRules:
    """A plan's settings for the rule."""

    green_pace: float = 0.9
    amber_pace: float = 0.8
    stale_days: int = 30


@dataclass(frozen=True)
class ItemSpec:
    """What the rule needs to know about a target or a task.

    ``progress_based`` items (tasks and milestone targets) are measured by percent done;
    the others by a value against ``target`` from ``baseline``.
    """

    progress_based: bool
    start: date
    deadline: date
    target: float | None = None
    baseline: float | None = None
    higher_is_better: bool = True
    unit_label: str = ""
    money_parts: bool = False  # a ratio of amounts (đồng), e.g. MT16: its parts are written as money


@dataclass(frozen=True)
class Reading:
    """The current entry's figures: a value, or a task state and percent done."""

    as_of: date
    value: float | None = None
    state: str | None = None
    percent: float | None = None


@dataclass(frozen=True)
class Status:
    """An item's light as of a date, with the numbers behind it and a reason in the reader's language."""

    colour: str
    actual: float | None
    expected: float | None
    pace: float | None
    stale: bool
    last_update: date | None
    reason: str

    @property
    def met(self) -> bool:
        """True when the target is met or the task done (green without a pace)."""
        return self.colour == GREEN and self.pace is None


class EntryLike(Protocol):
    """The attributes of a progress entry that choosing the current one needs."""

    id: int
    as_of: date
    created_at: datetime
    supersedes_id: int | None


E = TypeVar("E", bound=EntryLike)


def current_entry(entries: Iterable[E], as_of: date) -> E | None:
    """Return the latest non-superseded entry dated on or before ``as_of``."""
    entries = list(entries)
    superseded = {e.supersedes_id for e in entries if e.supersedes_id is not None}
    candidates = [e for e in entries if e.as_of <= as_of and e.id not in superseded]
    return max(candidates, key=lambda e: (e.as_of, e.created_at, e.id), default=None)


def expected_value(start: date, deadline: date, begin: float, end: float, as_of: date) -> float:
    """Return the value expected on ``as_of`` on a straight line, clamped to [begin, end]."""
    span = (deadline - start).days
    if span <= 0:
        share = 1.0 if as_of >= deadline else 0.0
    else:
        share = min(max((as_of - start).days / span, 0.0), 1.0)
    return begin + (end - begin) * share


def compute_status(item: ItemSpec, reading: Reading | None, as_of: date, rules: StatusRules) -> Status:
    """Compute the light of ``item`` as of ``as_of`` from its current reading."""
    if reading is None:
        return Status(GREY, None, None, None, False, None,
                      _("No figures up to %(date)s.", date=format_date(as_of)))
    stale = (as_of - reading.as_of).days > rules.stale_days
    figures = ((reading.percent,) if item.progress_based
               else (reading.value, item.baseline, item.target))
    if not all(f is None or usable(f) for f in figures):
        # Only an old database or a hand edit holds such a figure: no light is computed from it.
        return Status(GREY, None, None, None, stale, reading.as_of,
                      _("The figures or the target cannot be read (not a finite number, or far beyond any "
                        "real figure); enter a correction."))
    if item.progress_based:
        actual, begin, end = reading.percent or 0.0, 0.0, 100.0
        met = reading.state == "done"
        unit = "%"
    else:
        actual = reading.value if reading.value is not None else 0.0
        begin = item.baseline or 0.0
        end = item.target if item.target is not None else 0.0
        met = actual >= end if item.higher_is_better else actual <= end
        unit = item.unit_label
    shown = amount_text(actual, unit)
    goal = _("done") if item.progress_based else amount_text(end, unit)
    expected = expected_value(item.start, item.deadline, begin, end, as_of)

    if met:
        # A completed task is final: no newer figure is owed, so it is never stale.
        stale = stale and not item.progress_based
        return Status(GREEN, actual, expected, None, stale, reading.as_of,
                      _("Completed.") if item.progress_based
                      else _("Target met: %(actual)s against the required %(goal)s.",
                             actual=shown, goal=goal))
    if as_of > item.deadline:
        return Status(RED, actual, expected, None, stale, reading.as_of,
                      _("Past the deadline %(deadline)s without being met: now %(actual)s, "
                        "required %(goal)s.", deadline=format_date(item.deadline), actual=shown, goal=goal))
    pace = 1.0 if expected == begin else (actual - begin) / (expected - begin)
    pace = max(min(pace, MAX_PACE), -MAX_PACE)
    if pace >= rules.green_pace:
        colour, verdict = GREEN, _("on schedule")
    elif pace >= rules.amber_pace:
        colour, verdict = AMBER, _("at risk of delay")
    else:
        colour, verdict = RED, _("behind schedule")
    reason = _(
        "Now %(actual)s; on schedule it should be about %(expected)s by %(date)s (deadline %(deadline)s). "
        "Pace reached: %(pace)s of schedule: %(verdict)s (green from %(green)s, amber from %(amber)s).",
        actual=shown, expected=amount_text(expected, unit), date=format_date(as_of),
        deadline=format_date(item.deadline), pace=format_percent(pace * 100), verdict=verdict,
        green=format_percent(rules.green_pace * 100), amber=format_percent(rules.amber_pace * 100),
    )
    return Status(colour, actual, expected, pace, stale, reading.as_of, reason)
