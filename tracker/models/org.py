"""Organisation: communes (tenants), their units, and the people who sign in."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.plan import Plan

ROLES = ("admin", "leader", "unit_head", "secretary")
UNIT_KINDS = ("party", "steering", "government", "office", "front", "police", "military", "health")


class Province(Base):
    """A province (tỉnh): the level above communes, whose users see every commune in it."""

    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    communes: Mapped[list[Commune]] = relationship(back_populates="province", order_by="Commune.name")


class Commune(Base):
    """A commune (xã): the tenant every other row belongs to."""

    __tablename__ = "commune"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)

    province: Mapped[Province] = relationship(back_populates="communes")

    units: Mapped[list[Unit]] = relationship(
        back_populates="commune", order_by="Unit.sort_order"
    )
    plans: Mapped[list[Plan]] = relationship(back_populates="commune")


class Unit(Base):
    """A body of the commune's political system (Party body, office, Front, police...)."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    duty: Mapped[str | None] = mapped_column(String(2000))
    sort_order: Mapped[int] = mapped_column(default=0)

    commune: Mapped[Commune] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(
        back_populates="parent", order_by="Unit.sort_order"
    )


class User(UserMixin, Base):
    """A person who signs in, with one role; a unit head is bound to one unit.

    A commune user has ``commune_id``; a province user (leader, secretary or admin of the
    province) has ``province_id`` instead, no unit, and reads every commune of the province.
    """

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("(commune_id IS NULL) <> (province_id IS NULL)", name="one_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"), index=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))  # optional: notifications by e-mail
    # The interface language the person chose ("vi" or "en"); none means Vietnamese.
    language: Mapped[str | None] = mapped_column(String(5))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session cookie (``get_id``): bumped on sign-out, password change or reset, lock,
    # and any change of role, unit or scope, so every earlier session of the account ends.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    commune: Mapped[Commune | None] = relationship()
    province: Mapped[Province | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    @property
    def is_province_user(self) -> bool:
        """True for a user of the province level (no commune of their own)."""
        return self.commune_id is None

    @property
    def is_active(self) -> bool:
        """Tell Flask-Login whether this account may sign in."""
        return self.active

    def get_id(self) -> str:
        """Return the session token: the id and the session version."""
        return f"{self.id}:{self.session_version}"


# A change to these ends the account's sessions, whatever code path makes it.
SESSION_ENDING_FIELDS = ("password_hash", "role", "unit_id", "commune_id", "province_id", "active",
                         "username")


@event.listens_for(User, "before_update")
def _end_sessions_on_account_change(mapper, connection, target: User) -> None:  # noqa: ARG001
    """Bump ``session_version`` when a password, role, unit, scope or lock changes.

    The services bump it themselves where they mean to (and may sign the current session in again);
    this catches every other writer (a future role editor, a script), so no session outlives the
    rights it was opened with.
    """
    state = inspect(target)
    if state.attrs.session_version.history.has_changes():
        return
    if any(state.attrs[name].history.has_changes() for name in SESSION_ENDING_FIELDS):
        target.session_version = (target.session_version or 0) + 1
