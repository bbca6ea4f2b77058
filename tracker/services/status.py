"""Every item's light as of a date, computed from its progress entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

from sqlalchemy import Date, Row, Select, bindparam, case, exists, literal_column, select
from sqlalchemy.orm import Bundle, Session, aliased, contains_eager, selectinload

from tracker.domain import figure_text
from tracker.domain.stats import MONEY_DERIVED
from tracker.domain.status import (
    COLOUR_ORDER,
    ItemSpec,
    Reading,
    Status,
    StatusRules,
    compute_status,
    current_entry,
)
from tracker.models import LatestEntry, Plan, PlanItem, ProgressEntry, Unit, User


@dataclass(frozen=True)
class ItemStatus:
    """A target or task with its light as of a date."""

    item: PlanItem
    status: Status
    entry: Row | None = None  # the current entry as of the date (the rule's choice): CURRENT_ENTRY_COLUMNS

    @property
    def kind(self) -> Literal["target", "task"]:
        return self.item.kind  # type: ignore[return-value]

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

    @property
    def progress_based(self) -> bool:
        return is_progress_based(self.item)

    @property
    def required_text(self) -> str:
        """What the item must reach, as shown: ``Hoàn thành``, ``≥ 90%``, ``1.200 hồ sơ``."""
        return figure_text.required_text(spec_of(self.item))

    @property
    def current_text(self) -> str:
        """The item's current figure as shown (percent done for progress-based items); — if none."""
        return figure_text.value_text(spec_of(self.item), self.status.actual)

    def entry_text(self, entry: ProgressEntry | Row) -> str:
        """One of the item's logged figures as shown in its history (a ratio with its parts)."""
        return figure_text.entry_text(spec_of(self.item), entry.value, entry.numerator, entry.denominator)

    def entry_exact(self, entry: ProgressEntry | Row) -> str | None:
        """The exact đồng behind an entry's amounts (a page's tooltip), None when it has none."""
        money = spec_of(self.item).money_parts
        return figure_text.ratio_exact(entry.numerator, entry.denominator, money=money)


def rules_of(plan: Plan) -> StatusRules:
    """Return the plan's status-rule settings."""
    return StatusRules(plan.green_threshold, plan.amber_threshold, plan.stale_days)


def is_progress_based(item: PlanItem | Row) -> bool:
    """Tasks and milestone targets are measured by state and percent done (an item, or a row with
    its ``kind`` and ``measure``): the one place where the two kinds are measured differently."""
    return item.kind == "task" or item.measure == "milestone"


def spec_of(item: PlanItem | Row) -> ItemSpec:
    """Return what the status rule needs to know about an item."""
    if is_progress_based(item):
        return ItemSpec(progress_based=True, start=item.start_date, deadline=item.deadline)
    return ItemSpec(
        progress_based=False, start=item.start_date, deadline=item.deadline,
        target=item.target_value, baseline=item.baseline,
        higher_is_better=item.direction == "higher",
        unit_label="%" if item.measure in ("percent", "ratio") else (item.unit_label or ""),
        money_parts=getattr(item, "derived_from", None) in MONEY_DERIVED,
    )


def reading_of(entry: ProgressEntry | Row) -> Reading:
    """Return an entry's figures (an entry, or a row with its columns); a ratio's as a percentage."""
    value = entry.value
    if entry.numerator is not None and entry.denominator:
        value = entry.numerator / entry.denominator * 100
    return Reading(as_of=entry.as_of, value=value, state=entry.state, percent=entry.percent)


def status_of(item: PlanItem, entries: list[ProgressEntry], as_of: date, rules: StatusRules) -> Status:
    """Compute one item's light from its entries."""
    return status_from(item, current_entry(entries, as_of), as_of, rules)


def status_from(item: PlanItem, entry: ProgressEntry | Row | None, as_of: date,
                rules: StatusRules) -> Status:
    """Compute one item's light from its current entry (None: no entry yet)."""
    return compute_status(spec_of(item), reading_of(entry) if entry else None, as_of, rules)


def _chosen_entry_id(at_deadline: bool) -> Any:
    """The id of the item's current entry as of ``:as_of`` (or its deadline, if earlier): a scalar
    subquery correlated to a row of ``plan_item`` (NULL for an item without entries).

    Items whose last entry is dated on or before that day take the maintained pointer (one index
    lookup); the others run the rule in SQL: the newest entry on or before the day that no entry
    dated on or before the day supersedes, found by a short backward scan of the (item, as_of,
    created_at, id) index. Nothing of the history is loaded.
    """
    as_of = bindparam("as_of", type_=Date)
    day = case((PlanItem.deadline < as_of, PlanItem.deadline), else_=as_of) if at_deadline else as_of
    e, s = aliased(ProgressEntry, name="e"), aliased(ProgressEntry, name="s")
    computed = (
        select(e.id)
        .where(e.item_id == PlanItem.id, e.as_of <= day,
               ~exists().where(s.supersedes_id == e.id, s.as_of <= day))
        # LIMIT written as a constant, not a parameter: with an unknown limit PostgreSQL rates the
        # prepared (generic) plan ten times too dear and plans the statement again on every run.
        .order_by(e.as_of.desc(), e.created_at.desc(), e.id.desc()).limit(literal_column("1"))
        .correlate(PlanItem).scalar_subquery()
    )
    return (select(case((LatestEntry.last_as_of <= day, LatestEntry.entry_id), else_=computed))
            .where(LatestEntry.item_id == PlanItem.id)
            .correlate(PlanItem).scalar_subquery())


@cache
def current_ids_query(at_deadline: bool, one_item: bool = False, kind: str | None = None) -> Select:
    """Select the id of each item's current entry as of ``:as_of`` (or its deadline, if earlier),
    for the items (of ``kind``, if given) of the plans ``:plan_ids`` (or the one item ``:item_id``);
    NULL for an item without entries.

    Built once: constructing it costs more than running it.
    """
    query = (select(_chosen_entry_id(at_deadline).label("entry_id"))
             .where(PlanItem.id == bindparam("item_id") if one_item
                    else PlanItem.plan_id.in_(bindparam("plan_ids", expanding=True))))
    return query.where(PlanItem.kind == kind) if kind else query


# What pages read of an item's current entry: the status rule's figures and who logged them, when,
# with what evidence. Plain rows, not model objects: a plan's page reads one per item, a province's
# thousands, and building a mapped object each cost more than the query.
CURRENT_ENTRY_COLUMNS = (
    ProgressEntry.id, ProgressEntry.item_id, ProgressEntry.as_of,
    ProgressEntry.value, ProgressEntry.numerator, ProgressEntry.denominator, ProgressEntry.state,
    ProgressEntry.percent, ProgressEntry.doc_number, ProgressEntry.author_id, ProgressEntry.created_at,
    User.full_name.label("author_name"),
)


def _entries_by_id(ids: Select) -> Select:
    # Outer: an entry the plan itself declared has no author (``author_name`` None).
    return (select(*CURRENT_ENTRY_COLUMNS).outerjoin(User, User.id == ProgressEntry.author_id)
            .where(ProgressEntry.id.in_(ids)))


@cache
def _current_entries_query(at_deadline: bool) -> Select:
    """Select the current entries of the items of ``:plan_ids`` (built once)."""
    return _entries_by_id(current_ids_query(at_deadline=at_deadline))


def current_entries(session: Session, plan_ids: list[int], as_of: date, *, at_deadline: bool = False
                    ) -> dict[int, Row]:
    """Return the current entry of every item of the plans, by item id, in one query.

    With ``at_deadline`` each item is taken as of its deadline when that comes before ``as_of``.
    """
    return {entry.item_id: entry for entry in session.execute(
        _current_entries_query(at_deadline), {"as_of": as_of, "plan_ids": plan_ids})}


@cache
def _items_query(support_units: bool) -> Select:
    """Select the items of the plans ``:plan_ids``, every target then every task in plan order,
    each with its lead unit and its current entry as of ``:as_of`` (all None when it has none
    yet), in one statement (built once).
    """
    return (select(PlanItem, Bundle("entry", *CURRENT_ENTRY_COLUMNS))
            .join(PlanItem.lead_unit)
            .outerjoin(ProgressEntry, ProgressEntry.id == _chosen_entry_id(at_deadline=False))
            .outerjoin(User, User.id == ProgressEntry.author_id)
            .where(PlanItem.plan_id.in_(bindparam("plan_ids", expanding=True)))
            # 'target' sorts before 'task'.
            .order_by(PlanItem.plan_id, PlanItem.kind, PlanItem.sort_order)
            .options(contains_eager(PlanItem.lead_unit),
                     *([selectinload(PlanItem.support_units)] if support_units else [])))


def plans_status(session: Session, plans: list[Plan], as_of: date, *,
                 support_units: bool = False) -> dict[int, list[ItemStatus]]:
    """Return, by plan id, every target then every task with its light as of ``as_of``.

    One statement whatever the number of plans, items and entries (two with ``support_units``
    loaded, for the pages that show them).
    """
    parameters = {"plan_ids": [p.id for p in plans], "as_of": as_of}
    rules = {p.id: rules_of(p) for p in plans}
    result: dict[int, list[ItemStatus]] = {p.id: [] for p in plans}
    for item, entry in session.execute(_items_query(support_units), parameters):
        current = entry if entry.id is not None else None
        status = status_from(item, current, as_of, rules[item.plan_id])
        result[item.plan_id].append(ItemStatus(item, status, current))
    return result


def plan_status(session: Session, plan: Plan, as_of: date, *,
                support_units: bool = False) -> list[ItemStatus]:
    """Return every target then every task of ``plan`` with its light as of ``as_of``."""
    return plans_status(session, [plan], as_of, support_units=support_units)[plan.id]


@cache
def _item_entry_query() -> Select:
    """Select the current entry of the one item ``:item_id`` (built once)."""
    return _entries_by_id(current_ids_query(at_deadline=False, one_item=True))


def item_status(session: Session, item: PlanItem, as_of: date) -> ItemStatus:
    """Return one item with its light as of ``as_of`` (one query for its current entry)."""
    entry = session.execute(_item_entry_query(), {"as_of": as_of, "item_id": item.id}).first()
    return ItemStatus(item, status_from(item, entry, as_of, rules_of(item.plan)), entry)


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
        "unit_assigned_by": row.item.lead_assigned_by,
        "deadline": row.item.deadline.isoformat(),
        "target": row.target_value,
        "current": row.status.actual,
        # The figures as the pages and documents write them (one rounding rule: tracker.domain.formatting).
        "required_text": row.required_text,
        "current_text": row.current_text,
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
