"""A commune's plan, its measurable targets and its tasks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Float, ForeignKey, String, Table, Text, UniqueConstraint, and_, select
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from tracker.models.base import Base
from tracker.models.org import Commune, Unit

MEASURES = ("count", "percent", "ratio", "milestone")
DIRECTIONS = ("higher", "lower")

target_support = Table(
    "target_support",
    Base.metadata,
    Column("target_id", ForeignKey("target.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)
task_support = Table(
    "task_support",
    Base.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)
task_target = Table(
    "task_target",
    Base.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("target_id", ForeignKey("target.id", ondelete="CASCADE"), primary_key=True),
)


class Plan(Base):
    """An action plan with its status-rule settings."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    number: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(500))
    issuing_body: Mapped[str] = mapped_column(String(300))
    implements: Mapped[str | None] = mapped_column(String(1000))
    issued_date: Mapped[date | None]
    tracking_start: Mapped[date]
    end_date: Mapped[date]
    green_threshold: Mapped[float] = mapped_column(Float, default=0.9)
    amber_threshold: Mapped[float] = mapped_column(Float, default=0.8)
    stale_days: Mapped[int] = mapped_column(default=30)

    commune: Mapped[Commune] = relationship(back_populates="plans")
    targets: Mapped[list[Target]] = relationship(
        back_populates="plan", order_by="Target.sort_order"
    )
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.sort_order")


def _newest_plan_of_commune():
    newest = aliased(Plan, name="newest_plan")
    return and_(Plan.commune_id == Commune.id, Plan.id == (
        select(newest.id).where(newest.commune_id == Commune.id)
        .order_by(newest.tracking_start.desc(), newest.id.desc()).limit(1).scalar_subquery()))


# A commune's current plan: the one it started tracking last. Every page of a commune starts from
# it, so a commune user's plan is loaded with the user (see ``services.users``). View-only, and
# like any relationship loaded once per session: a plan created later in the same session is not
# seen through it until the commune is refreshed.
Commune.current_plan = relationship(Plan, primaryjoin=_newest_plan_of_commune, viewonly=True, uselist=False)


class Target(Base):
    """A measurable target (chỉ tiêu) of a plan."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(1000))
    section: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(20))
    target_value: Mapped[float | None] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    unit_label: Mapped[str | None] = mapped_column(String(60))
    numerator_label: Mapped[str | None] = mapped_column(String(200))
    denominator_label: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date]
    deadline: Mapped[date]
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    source: Mapped[str] = mapped_column(Text)
    # Set when the value comes from period figures, not from a unit: see tracker.domain.stats.
    derived_from: Mapped[str | None] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="targets")
    lead_unit: Mapped[Unit] = relationship()
    support_units: Mapped[list[Unit]] = relationship(secondary=target_support)
    tasks: Mapped[list[Task]] = relationship(secondary=task_target, back_populates="targets")


class Task(Base):
    """A task (nhiệm vụ) of a plan, in a deadline group."""

    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(1000))
    deadline_group: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    deadline: Mapped[date]
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    source: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    lead_unit: Mapped[Unit] = relationship()
    support_units: Mapped[list[Unit]] = relationship(secondary=task_support)
    targets: Mapped[list[Target]] = relationship(secondary=task_target, back_populates="tasks")
