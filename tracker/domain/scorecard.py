"""The unit scorecard, counted the way Vietnamese task-tracking offices count it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Outcome:
    """One item's facts for the scorecard."""

    deadline: date
    met_at_deadline: bool  # met or done on the deadline day (or by as-of when not yet due)
    met_now: bool
    has_entry: bool
    stale: bool


@dataclass
class Scorecard:
    """Counts for one unit: due, done on time, done late, overdue not done, updates on time."""

    total: int = 0
    due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    not_due: int = 0
    updated: int = 0
    codes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def on_time_share(self) -> float | None:
        """Done on time as a percentage of the items due, or None when nothing is due."""
        return self.done_on_time / self.due * 100 if self.due else None


def tally(outcomes: dict[str, Outcome], as_of: date) -> Scorecard:
    """Count a unit's items by outcome as of ``as_of``; ``codes`` lists which item went where."""
    card = Scorecard()
    for code, o in outcomes.items():
        card.total += 1
        if o.has_entry and not o.stale:
            card.updated += 1
        if o.deadline >= as_of:
            card.not_due += 1
            bucket = "not_due"
        else:
            card.due += 1
            if o.met_at_deadline:
                card.done_on_time += 1
                bucket = "done_on_time"
            elif o.met_now:
                card.done_late += 1
                bucket = "done_late"
            else:
                card.overdue += 1
                bucket = "overdue"
        card.codes.setdefault(bucket, []).append(code)
    return card
