"""The province roll-up: every commune × every target as lights, counts, and the province's figures.

Five queries whatever the number of communes: the communes, their plans, their targets, and
each target's current entry as of the date in two, its id then its figures (the id from the
maintained latest entry, or for a past date from one correlated sub-select per target row,
served by the ``(item_id, as_of, created_at, id)`` index). The lights come from the same
status rule as every page.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from tracker.domain.collation import vietnamese_key
from tracker.domain.permissions import Actor, can_view_province
from tracker.domain.province import CommuneFigure, ProvinceFigure, aggregate_target
from tracker.domain.rollup_view import RollupView, select_rows
from tracker.domain.status import AMBER, COLOUR_ORDER, GREY, RED, Status, compute_status
from tracker.models import Commune, Plan, ProgressEntry, Province, Target
from tracker.services.errors import NotAllowed, NotFound
from tracker.services.status import current_ids_query, reading_of, rules_of, spec_of


@dataclass(frozen=True)
class TargetColumn:
    """A target code of the province's plans, with its wording and the province's figure."""

    code: str
    title: str
    measure: str
    unit_label: str | None
    figure: ProvinceFigure


@dataclass(frozen=True)
class CommuneRow:
    """One commune: its plan and the light of each of its targets (by code)."""

    commune: Commune
    plan: Plan | None
    cells: dict[str, Status]
    counts: dict[str, int]

    @property
    def reds(self) -> int:
        """How many of its targets are red."""
        return self.counts[RED]


@dataclass(frozen=True)
class ProvinceRollup:
    """The roll-up of a province as of a date."""

    province: Province
    as_of: date
    columns: tuple[TargetColumn, ...]
    rows: tuple[CommuneRow, ...]
    totals: dict[str, int] = field(default_factory=dict)
    view: RollupView = RollupView()
    shown: tuple[CommuneRow, ...] | None = None  # the rows ``view`` keeps, in its order (None: all)

    @property
    def codes(self) -> tuple[str, ...]:
        """The target codes of the province's plans, in the plans' order."""
        return tuple(column.code for column in self.columns)

    @property
    def shown_rows(self) -> tuple[CommuneRow, ...]:
        """The communes the page lists: those the view keeps, or all of them."""
        return self.rows if self.shown is None else self.shown


def apply_view(rollup: ProvinceRollup, view: RollupView) -> ProvinceRollup:
    """Return ``rollup`` with the communes ``view`` keeps, in its order (totals stay the province's)."""
    lower = {c.code for c in rollup.columns if not c.figure.higher_is_better}
    return replace(rollup, view=view, shown=tuple(select_rows(rollup.rows, view, lower)))


def province_for(session: Session, actor: Actor) -> Province:
    """Return the province whose roll-up ``actor`` reads, or raise ``NotAllowed``."""
    if actor.province_id is None or not can_view_province(actor, actor.province_id):
        raise NotAllowed("Chỉ lãnh đạo, văn phòng và quản trị cấp tỉnh xem được trang tổng hợp của tỉnh.")
    province = session.get(Province, actor.province_id)
    if province is None:
        raise NotFound("Không có tỉnh này.")
    return province


def latest_target_entries(session: Session, plan_ids: list[int], as_of: date) -> dict[int, object]:
    """Return each target's current entry as of ``as_of`` (the status rule's choice), by target id.

    Two queries: for every target of the plans, the latest entry dated on or before ``as_of`` that
    no entry dated on or before ``as_of`` supersedes (latest by date, then record time, then id).
    """
    # Two steps: the chosen ids (the maintained latest entry, or the rule in SQL for past dates),
    # then the entries by primary key. Joining the entries to the sub-select, PostgreSQL hashes
    # the whole entry table (140 ms at 183,000 entries, ten times that at ten times the history);
    # a list of ids is an index lookup each.
    ids = session.scalars(current_ids_query(at_deadline=False, kind="target"),
                          {"as_of": as_of, "plan_ids": plan_ids}).all()
    rows = session.execute(
        select(ProgressEntry.item_id, ProgressEntry.as_of, ProgressEntry.value, ProgressEntry.numerator,
               ProgressEntry.denominator, ProgressEntry.state, ProgressEntry.percent)
        .where(ProgressEntry.id.in_([i for i in ids if i is not None])))
    return {row.item_id: row for row in rows}


# What the roll-up and the status rule read of a target.
TARGET_COLUMNS = (Target.id, Target.kind, Target.plan_id, Target.code, Target.title, Target.measure,
                  Target.target_value, Target.baseline, Target.direction, Target.unit_label,
                  Target.start_date, Target.deadline)


def build_rollup(session: Session, province: Province, as_of: date) -> ProvinceRollup:
    """Return every commune of ``province`` with its targets' lights as of ``as_of``, reds first."""
    communes = session.scalars(select(Commune).where(Commune.province_id == province.id)
                               .order_by(Commune.name, Commune.code)).all()
    plans: dict[int, Plan] = {}
    for plan in session.scalars(select(Plan).where(Plan.commune_id.in_([c.id for c in communes]))
                                .order_by(Plan.tracking_start.desc(), Plan.id.desc())):
        plans.setdefault(plan.commune_id, plan)  # the commune's current plan, as on its dashboard
    by_plan = {p.id: p for p in plans.values()}
    # Plain rows, not model objects: the status rule reads only these columns, and building
    # a mapped object per commune × target cost most of the page's time.
    targets = session.execute(select(*TARGET_COLUMNS).where(Target.plan_id.in_(list(by_plan)))
                              .order_by(Target.sort_order, Target.code)).all()
    rules = {plan_id: rules_of(plan) for plan_id, plan in by_plan.items()}
    latest = latest_target_entries(session, list(by_plan), as_of)

    cells: dict[int, dict[str, Status]] = defaultdict(dict)
    figures: dict[str, list[CommuneFigure]] = defaultdict(list)
    first: dict[str, Row] = {}
    for target in targets:
        plan = by_plan[target.plan_id]
        entry = latest.get(target.id)
        status = compute_status(spec_of(target), reading_of(entry) if entry else None, as_of, rules[plan.id])
        cells[plan.commune_id][target.code] = status
        first.setdefault(target.code, target)
        figures[target.code].append(CommuneFigure(
            value=status.actual if entry is not None else None,
            numerator=entry.numerator if entry is not None else None,
            denominator=entry.denominator if entry is not None else None,
            target=target.target_value, done=entry is not None and entry.state == "done",
            met=status.met))

    columns = tuple(TargetColumn(code, t.title, t.measure, t.unit_label,
                                 aggregate_target(t.measure, figures[code],
                                                  higher_is_better=t.direction == "higher"))
                    for code, t in first.items())
    rows = []
    for commune in communes:
        counts = dict.fromkeys(COLOUR_ORDER, 0)
        for status in cells[commune.id].values():
            counts[status.colour] += 1
        rows.append(CommuneRow(commune, plans.get(commune.id), cells[commune.id], counts))
    rows.sort(key=lambda r: (-r.counts[RED], -r.counts[AMBER], -r.counts[GREY],
                             vietnamese_key(r.commune.name), r.commune.code))
    totals = {c: sum(r.counts[c] for r in rows) for c in COLOUR_ORDER}
    return ProvinceRollup(province, as_of, columns, tuple(rows), totals)


def rollup_fingerprint(session: Session, province: Province, as_of: date) -> str:
    """A fingerprint of everything the roll-up of ``province`` as of ``as_of`` is computed from, in
    four queries and without the status rule: the communes (names), their plans (the rule's
    settings), the plans' targets (every column the rule and the figures read) and the id of each
    target's current entry as of ``as_of``. Entries are never edited (a correction is a new entry),
    so a new figure anywhere, or one that no longer counts, changes an id; any other change of an
    input changes a row. Equal fingerprints, equal roll-ups (``services.province_files``)."""
    communes = session.execute(select(Commune.id, Commune.code, Commune.name)
                               .where(Commune.province_id == province.id).order_by(Commune.id)).all()
    plans = session.execute(select(Plan.id, Plan.commune_id, Plan.tracking_start, Plan.green_threshold,
                                   Plan.amber_threshold, Plan.stale_days)
                            .where(Plan.commune_id.in_([c.id for c in communes])).order_by(Plan.id)).all()
    plan_ids = [p.id for p in plans]
    targets = session.execute(select(*TARGET_COLUMNS).where(Target.plan_id.in_(plan_ids))
                              .order_by(Target.id)).all()
    ids = session.scalars(current_ids_query(at_deadline=False, kind="target"),
                          {"as_of": as_of, "plan_ids": plan_ids}).all()
    current = tuple(sorted(i for i in ids if i is not None))
    inputs = (province.id, province.code, province.name, as_of, tuple(map(tuple, communes)),
              tuple(map(tuple, plans)), tuple(map(tuple, targets)), current)
    return hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]
