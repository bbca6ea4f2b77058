"""The sign-in throttle's rule: how long one place waits after its failed guesses at one account.

The throttle counts per account *and* address, so a guesser elsewhere never delays the account's
owner at their usual place, and made-up names cost nobody else anything. The wait grows with
each attempt beyond the first few and never exceeds a minute: slow enough for an online guesser
(at most one guess a minute per account and address once warmed up), short enough that a real
user who mistyped is never locked out.
"""

from __future__ import annotations

from datetime import timedelta

# Attempts with no wait at all (people mistype; a shared office keyboard layout changes).
FREE_ATTEMPTS = 5
# The longest wait ever imposed on one account at one address.
MAX_DELAY = timedelta(seconds=60)
# A place that made no attempt at an account for this long starts again with free attempts.
RESET_AFTER = timedelta(minutes=15)


def delay_after(attempts: int) -> timedelta:
    """The wait before the next attempt, after ``attempts`` claimed ones since the last success.

    No wait for the first ``FREE_ATTEMPTS - 1``; then 1, 2, 4, 8, 16, 32 seconds; then a minute.
    """
    if attempts < FREE_ATTEMPTS:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(attempts - FREE_ATTEMPTS, 10)), MAX_DELAY)


def delay_schedule() -> dict[int, timedelta]:
    """Every attempt count whose wait differs from the longest one (the table SQL needs)."""
    schedule = {}
    attempts = FREE_ATTEMPTS
    while (wait := delay_after(attempts)) < MAX_DELAY:
        schedule[attempts] = wait
        attempts += 1
    return schedule
