"""A commune's plan and its items: measurable targets and tasks, in one table."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from tracker.models.base import Base
from tracker.models.org import Commune, Unit

item_support = Table(
    "item_support",
    Base.metadata,
    Column("item_id", ForeignKey("plan_item.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)
# Which targets a task serves: both columns point at plan_item (a task's row, a target's row).
task_target = Table(
    "task_target",
    Base.metadata,
    Column("task_id", ForeignKey("plan_item.id", ondelete="CASCADE"), primary_key=True),
    Column("target_id", ForeignKey("plan_item.id", ondelete="CASCADE"), primary_key=True),
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
    # Every target then every task, each in plan order ('target' sorts before 'task').
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="[PlanItem.kind, PlanItem.sort_order]")
    targets: Mapped[list[Target]] = relationship(
        order_by="Target.sort_order", viewonly=True)
    tasks: Mapped[list[Task]] = relationship(order_by="Task.sort_order", viewonly=True)


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


class PlanItem(Base):
    """An item of a plan: a measurable target (chỉ tiêu) or a task (nhiệm vụ).

    One table for both kinds (single-table inheritance on ``kind``), so every table that points at
    an item has one ``item_id``. What only one kind has lives on its subclass; those columns are
    nullable in the table and NULL for the other kind. Codes are unique per plan across both kinds
    (the seed file already requires it, and pages and the API find an item by its code alone).
    """

    __tablename__ = "plan_item"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("kind IN ('target', 'task')", name="kind"),
        CheckConstraint("kind <> 'target' OR (section IS NOT NULL AND measure IS NOT NULL "
                        "AND direction IS NOT NULL)", name="target_columns"),
        CheckConstraint("kind <> 'task' OR deadline_group IS NOT NULL", name="task_columns"),
        CheckConstraint("lead_assigned_by IN ('document', 'commune') "
                        "AND support_assigned_by IN ('document', 'commune')", name="assigned_by"),
        CheckConstraint("deliverable IS NULL OR deliverable IN ('legal_document', 'other')",
                        name="deliverable"),
    )
    # Querying PlanItem loads every subclass's columns in the same statement.
    __mapper_args__ = {"polymorphic_on": "kind", "with_polymorphic": "*"}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(1000))
    start_date: Mapped[date]
    deadline: Mapped[date]
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    source: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(default=0)
    # Who assigned the units: the plan's document ('document', quoted in ``assignment_source``, from
    # its part ``assignment_section``) or the commune itself ('commune'): seed 004 names no unit for
    # most items, and a page must not present the commune's own choice as the plan's.
    lead_assigned_by: Mapped[str] = mapped_column(String(10), default="commune", server_default="commune")
    support_assigned_by: Mapped[str] = mapped_column(String(10), default="commune",
                                                     server_default="commune")
    assignment_source: Mapped[str | None] = mapped_column(Text)
    assignment_section: Mapped[str | None] = mapped_column(String(20))

    plan: Mapped[Plan] = relationship(back_populates="items")
    lead_unit: Mapped[Unit] = relationship()
    support_units: Mapped[list[Unit]] = relationship(secondary=item_support)


class Target(PlanItem):
    """A measurable target (chỉ tiêu) of a plan."""

    __mapper_args__ = {"polymorphic_identity": "target"}

    section: Mapped[str] = mapped_column(String(20), nullable=True)
    measure: Mapped[str] = mapped_column(String(20), nullable=True)
    target_value: Mapped[float | None] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(10), nullable=True, default="higher")
    unit_label: Mapped[str | None] = mapped_column(String(60))
    numerator_label: Mapped[str | None] = mapped_column(String(200))
    denominator_label: Mapped[str | None] = mapped_column(String(200))
    # Set when the value comes from period figures, not from a unit: see tracker.domain.stats.
    derived_from: Mapped[str | None] = mapped_column(String(40))

    tasks: Mapped[list[Task]] = relationship(
        secondary=task_target, primaryjoin=lambda: Target.id == task_target.c.target_id,
        secondaryjoin=lambda: Task.id == task_target.c.task_id, back_populates="targets",
        order_by=lambda: Task.sort_order)


class Task(PlanItem):
    """A task (nhiệm vụ) of a plan, in a deadline group."""

    __mapper_args__ = {"polymorphic_identity": "task"}

    deadline_group: Mapped[str] = mapped_column(String(200), nullable=True)
    # What the task produces: a legal document (listed in section 1 of the report when late) or
    # other work (equipment reviewed, services checked).
    deliverable: Mapped[str | None] = mapped_column(String(20), default="other")

    targets: Mapped[list[Target]] = relationship(
        secondary=task_target, primaryjoin=lambda: Task.id == task_target.c.task_id,
        secondaryjoin=lambda: Target.id == task_target.c.target_id, back_populates="tasks",
        order_by=lambda: Target.sort_order)
