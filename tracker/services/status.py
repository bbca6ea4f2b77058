"""Every item's light as of a date, computed from its progress entries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.domain.status import (
    COLOUR_ORDER,
    ItemSpec,
    Reading,
    Status,
    StatusRules,
    compute_status,
    current_entry,
)
from tracker.models import Plan, ProgressEntry, Target, Task, Unit


@dataclass(frozen=True)
class ItemStatus:
    """A target or task with its light as of a date."""

    kind: Literal["target", "task"]
    item: Target | Task
    status: Status
    entries: tuple[ProgressEntry, ...] = ()  # the item's entries dated on or before the as-of date

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def lead_unit(self) -> Unit:
        return self.item.lead_unit

    @property
    def group(self) -> str:
        """``targets`` for targets; a task's deadline group."""
        return "targets" if self.kind == "target" else self.item.deadline_group

    @property
    def target_value(self) -> float | None:
        return self.item.target_value if self.kind == "target" else None


def rules_of(plan: Plan) -> StatusRules:
    """Return the plan's status-rule settings."""
    return StatusRules(plan.green_threshold, plan.amber_threshold, plan.stale_days)


def is_progress_based(item: Target | Task) -> bool:
    """Tasks and milestone targets are measured by state and percent done."""
    return isinstance(item, Task) or item.measure == "milestone"


def spec_of(item: Target | Task) -> ItemSpec:
    """Return what the status rule needs to know about an item."""
    if is_progress_based(item):
        return ItemSpec(progress_based=True, start=item.start_date, deadline=item.deadline)
    return ItemSpec(
        progress_based=False, start=item.start_date, deadline=item.deadline,
        target=item.target_value, baseline=item.baseline,
        higher_is_better=item.direction == "higher",
        unit_label="%" if item.measure in ("percent", "ratio") else (item.unit_label or ""),
    )


def reading_of(entry: ProgressEntry) -> Reading:
    """Return an entry's figures; a ratio's value is derived as a percentage."""
    value = entry.value
    if entry.numerator is not None and entry.denominator:
        value = entry.numerator / entry.denominator * 100
    return Reading(as_of=entry.as_of, value=value, state=entry.state, percent=entry.percent)


def status_of(item: Target | Task, entries: list[ProgressEntry], as_of: date, rules: StatusRules) -> Status:
    """Compute one item's light from its entries."""
    entry = current_entry(entries, as_of)
    return compute_status(spec_of(item), reading_of(entry) if entry else None, as_of, rules)


def plan_status(session: Session, plan: Plan, as_of: date) -> list[ItemStatus]:
    """Return every target then every task of ``plan`` with its light as of ``as_of``."""
    targets = session.scalars(
        select(Target).where(Target.plan_id == plan.id).order_by(Target.sort_order)
        .options(selectinload(Target.lead_unit), selectinload(Target.support_units))
    ).all()
    tasks = session.scalars(
        select(Task).where(Task.plan_id == plan.id).order_by(Task.sort_order)
        .options(selectinload(Task.lead_unit), selectinload(Task.support_units))
    ).all()
    by_target: dict[int, list[ProgressEntry]] = defaultdict(list)
    by_task: dict[int, list[ProgressEntry]] = defaultdict(list)
    entries = session.scalars(
        select(ProgressEntry).where(
            ProgressEntry.as_of <= as_of,
            (ProgressEntry.target_id.in_([t.id for t in targets]))
            | (ProgressEntry.task_id.in_([t.id for t in tasks])),
        ).options(selectinload(ProgressEntry.author))
    )
    for entry in entries:
        if entry.target_id is not None:
            by_target[entry.target_id].append(entry)
        else:
            by_task[entry.task_id].append(entry)
    rules = rules_of(plan)
    return [ItemStatus("target", t, status_of(t, by_target[t.id], as_of, rules), tuple(by_target[t.id]))
            for t in targets] + [
        ItemStatus("task", t, status_of(t, by_task[t.id], as_of, rules), tuple(by_task[t.id]))
        for t in tasks
    ]


def count_by_colour(rows: list[ItemStatus]) -> dict[str, int]:
    """Count items per colour, in dashboard order."""
    counts = dict.fromkeys(COLOUR_ORDER, 0)
    for row in rows:
        counts[row.status.colour] += 1
    return counts


def item_document(row: ItemStatus) -> dict[str, Any]:
    """Return one item of the status document (shared by the CLI and the API)."""
    return {
        "code": row.code,
        "kind": row.kind,
        "title": row.item.title,
        "unit": row.lead_unit.name,
        "deadline": row.item.deadline.isoformat(),
        "target": row.target_value,
        "current": row.status.actual,
        "status": row.status.colour,
        "expected": row.status.expected,
        "pace": row.status.pace,
        "stale": row.status.stale,
        "last_update": row.status.last_update.isoformat() if row.status.last_update else None,
    }


def status_document(plan: Plan, rows: list[ItemStatus], as_of: date) -> dict[str, Any]:
    """Return the stable machine-readable status (the ``status`` command's JSON)."""
    return {
        "as_of": as_of.isoformat(),
        "plan": {"code": plan.code, "number": plan.number, "title": plan.title,
                 "commune": plan.commune.name},
        "items": [item_document(row) for row in rows],
    }
