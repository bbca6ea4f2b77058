"""The sign-in throttle: claim an attempt atomically in the database before checking a password.

Each attempt at an account name from an address first claims a slot in ``sign_in_throttle`` with
one ``UPDATE … WHERE blocked_until <= now RETURNING``: the row is locked while it is updated, so
parallel requests (threads or gunicorn workers) are counted one by one and at most the allowed
number get to the expensive password check. A refused claim answers at once with the wait left;
nothing sleeps. The rule (free attempts, growing waits, the one-minute cap) is in
``tracker/domain/throttle.py``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime

from tracker.domain.throttle import MAX_DELAY, RESET_AFTER, delay_schedule
from tracker.models import SignInThrottle


class LoginThrottled(PermissionError):
    """Too many recent attempts at this account from this address; ``retry_after`` seconds to wait."""

    def __init__(self, username: str, retry_after: int):
        super().__init__(username)
        self.retry_after = retry_after


NEVER_BLOCKED = datetime(2000, 1, 1, tzinfo=UTC)


def _at(moment: datetime):
    return literal(moment, DateTime(timezone=True))


def claim_attempt(session: Session, username: str, address: str, now: datetime) -> int:
    """Count one attempt at ``username`` from ``address``; return how many since the last success.

    Raises ``LoginThrottled`` (counting nothing) while the pair must still wait. The caller commits
    at once, before checking the password, so every other worker sees the claim.
    """
    table = SignInThrottle.__table__
    session.execute(delete(SignInThrottle).where(SignInThrottle.last_attempt_at < now - RESET_AFTER,
                                                 SignInThrottle.blocked_until <= now))
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    # A new pair, and each free attempt, leave ``blocked_until`` in the past: two requests that read
    # the clock in one order may claim in the other, and a free attempt must never wait.
    session.execute(insert(table).values(username=username, address=address, attempts=0,
                                         blocked_until=NEVER_BLOCKED, last_attempt_at=now)
                    .on_conflict_do_nothing(index_elements=["username", "address"]))
    attempts = SignInThrottle.attempts + 1
    wait_until = case(*((attempts == n, _at(now + wait)) for n, wait in delay_schedule().items()),
                      (attempts < min(delay_schedule(), default=1), SignInThrottle.blocked_until),
                      else_=_at(now + MAX_DELAY))
    claimed = session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.username == username, SignInThrottle.address == address,
               SignInThrottle.blocked_until <= now)
        .values(attempts=attempts, blocked_until=wait_until, last_attempt_at=now)
        .returning(SignInThrottle.attempts)
        .execution_options(synchronize_session=False)).scalar()
    if claimed is None:
        blocked_until = session.scalar(select(SignInThrottle.blocked_until).where(
            SignInThrottle.username == username, SignInThrottle.address == address))
        if blocked_until is not None and blocked_until.tzinfo is None:  # SQLite keeps no zone
            blocked_until = blocked_until.replace(tzinfo=now.tzinfo)
        wait = (blocked_until - now).total_seconds() if blocked_until else 1
        raise LoginThrottled(username, max(1, math.ceil(wait)))
    return claimed


def forget_attempts(session: Session, username: str, address: str | None = None) -> None:
    """Clear the count of ``username`` (from ``address`` only, or from everywhere)."""
    query = delete(SignInThrottle).where(SignInThrottle.username == username)
    if address is not None:
        query = query.where(SignInThrottle.address == address)
    session.execute(query.execution_options(synchronize_session=False))
