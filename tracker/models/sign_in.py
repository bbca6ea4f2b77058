"""The sign-in throttle's counters, one row per account name and address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow


class SignInThrottle(Base):
    """Attempts at one account name from one address since the last success there.

    Claimed atomically before a password is checked (``tracker/services/throttle.py``); shared by
    every gunicorn worker because it lives in the database. Deleted on success, on a password
    reset or change, and once stale.
    """

    __tablename__ = "sign_in_throttle"
    __table_args__ = (UniqueConstraint("username", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed (normalised, escaped to be storable), so made-up names are counted too.
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))  # "" when the address is unknown
    attempts: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
