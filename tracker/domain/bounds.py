"""The range of every number the tracker accepts, in one place, and when a stored number is usable.

Every channel that takes numbers (the web forms, the API, the XLSX import, the plan seed file and
the provincial template) checks them against these constants before anything is stored. The
numbers are a commune's: 10–30 thousand people, a few hundred procedures (TTHC), at most some
tens of thousands of dossiers a period, a budget of some tens of billions of đồng a year.

- ``MAX_COUNT``: a count of the period statistics (TTHC, dossiers). Ten million is hundreds of
  times any commune's figure and fits the statistics' INTEGER columns.
- ``MAX_AMOUNT``: money in đồng (finance figures, a budget). 10^15 (a million billion) is far above
  any commune's budget, far below a BIGINT, and exact in a float (below 2^53).
- ``MAX_FIGURE``: an item's value, numerator and denominator, and a count target's target and
  baseline. The same 10^15, because a ratio target can be money (the 3% budget share is đồng
  over đồng) and a count target's unit is free (people, households, accounts, đồng).
- ``MAX_PERCENT``: a percentage (a percent target's value, a task's percent done, a percent or
  ratio target's target and baseline) is 0–100.

No number is negative, none may be NaN or infinite. What an older database may still hold beyond
these is handled where numbers are used: ``usable`` says whether the status rule and the charts may
compute with it, and ``tracker.domain.formatting`` writes a marker for what it cannot write.
"""

from __future__ import annotations

import math
from numbers import Real

MAX_COUNT = 10_000_000
MAX_AMOUNT = 10**15
MAX_FIGURE = MAX_AMOUNT
MAX_PERCENT = 100
# A stored figure beyond this (an old database, a hand edit) is not computed with: the status rule
# calls it unreadable and the charts leave it out. A thousand times MAX_FIGURE, far from overflow.
MAX_USABLE = 10.0**18


def is_number(value: object) -> bool:
    """True for an int or float (not a bool) that is finite; huge ints count as finite."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    if isinstance(value, int):
        return True
    try:
        return math.isfinite(value)
    except (OverflowError, ValueError, TypeError):
        return False


def within(value: object, high: float, low: float = 0) -> bool:
    """True when ``value`` is a finite number from ``low`` to ``high`` (both included)."""
    return is_number(value) and low <= value <= high


def usable(value: float | None) -> bool:
    """True when a stored figure may be computed with: a finite number no larger than ``MAX_USABLE``."""
    return is_number(value) and abs(value) <= MAX_USABLE
