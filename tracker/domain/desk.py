"""The unit head's desk rules: when an item's update counts as recent."""

from __future__ import annotations

from datetime import date, datetime

from tracker.domain.formatting import local_moment

# An item updated within this many days (the day viewed included) leaves "needs an update" and is
# listed under "updated recently" instead, its light unchanged: overdue or behind is about the plan,
# not about the unit's update, and the unit has done its part for the week.
RECENT_DAYS = 7


def recorded_day(at: datetime | None, timezone: str) -> date | None:
    """The commune's calendar day on which an entry was recorded (``created_at`` is UTC)."""
    return None if at is None else local_moment(at, timezone).date()


def updated_recently(recorded_on: date | None, as_of: date, days: int = RECENT_DAYS) -> bool:
    """Whether an update recorded on ``recorded_on`` is within the ``days`` days up to ``as_of``."""
    return recorded_on is not None and 0 <= (as_of - recorded_on).days < days
