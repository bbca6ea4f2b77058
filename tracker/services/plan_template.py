"""Creating a commune's plan from the provincial template (the Ngọk Bay plan seed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.plan_template import adapt_template, default_plan_code
from tracker.domain.seed_file import CODE_PATTERN, CommuneSpec, PlanSeed, SeedError, UnitSpec, nfc
from tracker.models import Commune, Plan, Unit, User
from tracker.services.audit import record_event
from tracker.services.seeding import find_or_create_province, load_plan_seed


def commune_units(session: Session, commune: Commune) -> dict[str, UnitSpec]:
    """Return the commune's units as seed specs, by code."""
    units = session.scalars(select(Unit).where(Unit.commune_id == commune.id)).all()
    codes = {u.id: u.code for u in units}
    return {u.code: UnitSpec(u.code, u.name, u.kind, codes.get(u.parent_id), u.duty) for u in units}


def find_or_create_commune(session: Session, code: str, name: str | None, province_name: str) -> Commune:
    """Return the commune with ``code``; create it in ``province_name`` when ``name`` is given."""
    commune = session.scalar(select(Commune).where(Commune.code == code))
    if commune is not None:
        return commune
    if not CODE_PATTERN.fullmatch(code):
        raise SeedError([f"Mã xã '{code[:60]}' chỉ được gồm chữ không dấu, số, '_', '.', '-' "
                         "(tối đa 40 ký tự)."])
    if not name or not nfc(name):
        raise SeedError([f"Không có xã mã '{code}': cho biết tên xã (--name) để tạo mới."])
    province = find_or_create_province(session, nfc(province_name))
    commune = Commune(code=code, name=nfc(name)[:200], province_id=province.id)
    session.add(commune)
    session.flush()
    return commune


def plan_from_template(session: Session, template: PlanSeed, commune: Commune,
                       plan_code: str | None = None, actor: User | None = None) -> tuple[Plan, PlanSeed]:
    """Create ``commune``'s plan from the template; return it and the seed it was made from.

    Units are matched by code (the commune's own units are kept; missing ones are created from
    the template). Refused when the commune already has a plan with that code: adjust it by
    editing its seed file and loading it with ``seed`` instead.
    """
    code = plan_code or default_plan_code(commune.code)
    if session.scalar(select(Plan.id).where(Plan.commune_id == commune.id, Plan.code == code)):
        raise SeedError([f"{commune.name} đã có kế hoạch mã '{code}'. Để điều chỉnh, sửa tệp kế hoạch "
                         "của xã rồi nạp lại bằng lệnh seed."])
    spec = CommuneSpec(commune.code, commune.name, commune.province.name)
    adapted = adapt_template(template, spec, commune_units(session, commune), code)
    load_plan_seed(session, adapted)
    plan = session.scalar(select(Plan).where(Plan.commune_id == commune.id, Plan.code == code))
    record_event(session, "plan.from_template", actor=actor, commune_id=commune.id, object_type="plan",
                 object_id=code, after={"template": template.plan.code, "targets": len(adapted.targets),
                                        "tasks": len(adapted.tasks)})
    return plan, adapted


@dataclass(frozen=True)
class TemplatePreview:
    """What creating the commune's plan from the template would do."""

    template: PlanSeed
    plan_code: str
    exists: bool
    matched_units: tuple[str, ...]  # unit codes the commune already has (kept as they are)
    new_units: tuple[UnitSpec, ...]  # units the template brings (renamed for the commune)


def preview_template(session: Session, template: PlanSeed, commune: Commune) -> TemplatePreview:
    """Return what ``plan_from_template`` would create for ``commune`` with the default code."""
    code = default_plan_code(commune.code)
    own = commune_units(session, commune)
    spec = CommuneSpec(commune.code, commune.name, commune.province.name)
    adapted = adapt_template(template, spec, own, code)
    exists = session.scalar(select(Plan.id).where(Plan.commune_id == commune.id, Plan.code == code))
    return TemplatePreview(template, code, exists is not None,
                           tuple(u.code for u in template.units if u.code in own),
                           tuple(u for u in adapted.units if u.code not in own))
