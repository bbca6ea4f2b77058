"""Loading a plan seed file into the database, idempotently and all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from tracker.domain.seed_file import (
    DocumentSpec,
    DoneSpec,
    PlanSeed,
    SeedError,
    TargetSpec,
    TaskSpec,
    code_from_name,
    parse_plan_seed,
)
from tracker.models import Commune, Plan, ProgressEntry, Province, Target, Task, Unit
from tracker.services.audit import record_event
from tracker.services.calendar import seed_calendar

PLAN_ORIGIN = "plan"  # an entry the plan's document declares (see ``_declare_done``)


@dataclass
class SeedResult:
    """What a load changed, by kind of row."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the load created or updated anything."""
        return bool(self.created or self.updated)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors and bad dates into a ``SeedError``."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise SeedError([f"{path}: không tìm thấy tệp"]) from None
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
        raise SeedError([f"{path}: tệp không đọc được: {exc}"]) from None


def read_plan_seed(path: Path) -> PlanSeed:
    """Read and check a plan seed file."""
    return parse_plan_seed(read_yaml(path), str(path))


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; return whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert(session: Session, result: SeedResult, kind: str, existing: Any, model: type,
            keys: dict[str, Any], values: dict[str, Any]) -> Any:
    if existing is None:
        obj = model(**keys, **values)
        session.add(obj)
        result.count(result.created, kind)
        return obj
    if _apply(existing, values):
        result.count(result.updated, kind)
    return existing


def load_plan_seed(session: Session, seed: PlanSeed) -> SeedResult:
    """Create or update the commune, units, plan, targets and tasks of ``seed``.

    Rows are matched by code, so running twice changes nothing and editing the file updates
    the plan in place; progress entries are never touched. Items missing from the file are
    kept (they may hold entries) and reported in ``not_in_file``.
    """
    result = SeedResult()
    province = find_or_create_province(session, seed.commune.province, result)
    commune = session.scalar(select(Commune).where(Commune.code == seed.commune.code))
    commune = _upsert(session, result, "commune", commune, Commune, {"code": seed.commune.code},
                      {"name": seed.commune.name, "province_id": province.id})
    session.flush()

    units = {u.code: u for u in session.scalars(select(Unit).where(Unit.commune_id == commune.id))}
    existing_unit_ids = {u.id for u in units.values()}
    for order, spec in enumerate(seed.units):
        units[spec.code] = _upsert(
            session, result, "unit", units.get(spec.code), Unit,
            {"commune_id": commune.id, "code": spec.code},
            {"name": spec.name, "kind": spec.kind, "duty": spec.duty, "sort_order": order},
        )
    session.flush()
    for spec in seed.units:
        unit = units[spec.code]
        parent_id = units[spec.parent].id if spec.parent else None
        if unit.parent_id != parent_id:
            is_new = unit.parent_id is None and unit.id not in existing_unit_ids
            unit.parent_id = parent_id
            if not is_new:
                result.count(result.updated, "unit")

    p = seed.plan
    plan = session.scalar(select(Plan).where(Plan.commune_id == commune.id, Plan.code == p.code))
    plan = _upsert(session, result, "plan", plan, Plan, {"commune_id": commune.id, "code": p.code}, {
        "number": p.number, "title": p.title, "issuing_body": p.issuing_body,
        "implements": p.implements, "issued_date": p.issued_date,
        "tracking_start": p.tracking_start, "end_date": p.end_date,
    })
    session.flush()

    targets = {t.code: t for t in session.scalars(select(Target).where(Target.plan_id == plan.id))}
    for order, spec in enumerate(seed.targets):
        target = _upsert(session, result, "target", targets.get(spec.code), Target,
                         {"plan_id": plan.id, "code": spec.code}, {
            "title": spec.title, "section": spec.section, "measure": spec.measure,
            "target_value": spec.target, "baseline": spec.baseline, "direction": spec.direction,
            "unit_label": spec.unit_label, "numerator_label": spec.numerator_label,
            "denominator_label": spec.denominator_label, "start_date": spec.start_date,
            "deadline": spec.deadline, "lead_unit_id": units[spec.lead].id, "source": spec.source,
            "derived_from": spec.derived_from, "sort_order": order, **assignment_columns(spec),
        })
        targets[spec.code] = target
        _set_links(result, "target", target, "support_units", [units[c] for c in spec.support])

    tasks = {t.code: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    for order, spec in enumerate(seed.tasks):
        task = _upsert(session, result, "task", tasks.get(spec.code), Task,
                       {"plan_id": plan.id, "code": spec.code}, {
            "title": spec.title, "deadline_group": spec.group, "start_date": spec.start_date,
            "deadline": spec.deadline, "lead_unit_id": units[spec.lead].id, "source": spec.source,
            "sort_order": order, "deliverable": spec.deliverable, **assignment_columns(spec),
        })
        tasks[spec.code] = task
        _set_links(result, "task", task, "support_units", [units[c] for c in spec.support])
        _set_links(result, "task", task, "targets", [targets[c] for c in spec.targets])

    in_file = {s.code for s in seed.targets} | {s.code for s in seed.tasks}
    result.not_in_file = sorted((set(targets) | set(tasks)) - in_file)
    session.flush()
    for spec in seed.tasks:
        if spec.done is not None and seed.plan.document is not None:
            _declare_done(session, result, tasks[spec.code], spec.done, seed.plan.document)
    session.flush()
    if result.changed:
        record_event(session, "seed.load", commune_id=commune.id, object_type="plan",
                     object_id=plan.code, after={"created": result.created, "updated": result.updated})
    return result


def assignment_columns(spec: TargetSpec | TaskSpec) -> dict[str, Any]:
    """Who assigned the item's units (the document or the commune) and the document's words."""
    return {"lead_assigned_by": spec.lead_by, "support_assigned_by": spec.support_by,
            "assignment_source": spec.assignment_source, "assignment_section": spec.assignment_section}


def _declare_done(session: Session, result: SeedResult, task: Task, done: DoneSpec,
                  document: DocumentSpec) -> None:
    """Record a task the plan's document says was completed, once: an entry of the plan itself (no
    author, origin 'plan'), as of the declared date, with the document as evidence and its words as
    the note. Entries are append-only, so a declaration already recorded is left as it is."""
    if session.scalar(select(ProgressEntry.id).where(ProgressEntry.item_id == task.id,
                                                     ProgressEntry.origin == PLAN_ORIGIN).limit(1)):
        return
    session.add(ProgressEntry(
        item_id=task.id, as_of=done.as_of, state="done", percent=100.0, origin=PLAN_ORIGIN, author_id=None,
        note=f"Theo văn bản của kế hoạch: “{done.quote}”", doc_number=document.number,
        doc_date=document.date, doc_issuer=document.issuer, doc_summary=document.summary))
    result.count(result.created, "entry")


def find_or_create_province(session: Session, name: str, result: SeedResult | None = None) -> Province:
    """Return the province named ``name``, creating it (code derived from the name) if new."""
    province = session.scalar(select(Province).where(Province.name == name))
    if province is None:
        province = Province(code=code_from_name(name), name=name)
        session.add(province)
        session.flush()
        seed_calendar(session, province)  # when its reports are due: the defaults, for its admin to change
        if result is not None:
            result.count(result.created, "province")
    return province


def _set_links(result: SeedResult, kind: str, obj: Any, attr: str, wanted: list[Any]) -> None:
    current = getattr(obj, attr)
    if {id(o) for o in current} != {id(o) for o in wanted}:
        setattr(obj, attr, wanted)
        if not inspect(obj).pending:
            result.count(result.updated, kind)
