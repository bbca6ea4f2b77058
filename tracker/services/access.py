"""Finding the rows a user may see: communes, plans and items within their tenant."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.collation import vietnamese_key
from tracker.domain.permissions import Actor, can_view
from tracker.domain.seed_file import CODE_PATTERN
from tracker.models import Commune, Plan, PlanItem, Province, Unit, User
from tracker.services.errors import NotFound


def actor_of(user: User) -> Actor:
    """Return the permission-relevant view of a user."""
    return Actor(role=user.role, commune_id=user.commune_id, unit_id=user.unit_id,
                 province_id=user.province_id)


def viewable_commune(session: Session, actor: Actor, code: str | None) -> Commune:
    """Return the commune a page is about: a commune user's own (``code`` may only name it);
    for a province user the commune of their province named by ``code``.

    Raises ``NotFound`` for a commune out of reach, never telling whether it exists elsewhere.
    """
    if actor.commune_id is not None:
        commune = session.get(Commune, actor.commune_id)
        if commune is None or (code and code != commune.code):
            raise NotFound("Không có xã này.")
        return commune
    if not code or not CODE_PATTERN.fullmatch(code):
        raise NotFound("Chọn một xã của tỉnh.")
    commune = session.scalar(select(Commune).where(Commune.code == code))
    if commune is None or not can_view(actor, commune.id, commune.province_id):
        raise NotFound(f"Không có xã mã '{code}' trong tỉnh.")
    return commune


def province_communes(session: Session, province_id: int) -> list[Commune]:
    """The communes of a province, by name as Vietnamese readers sort them (one statement)."""
    return sorted(session.scalars(select(Commune).where(Commune.province_id == province_id)),
                  key=lambda c: (vietnamese_key(c.name), c.code))


def find_commune(session: Session, code: str | None) -> Commune:
    """Return the commune with ``code``, or the only commune when ``code`` is None."""
    if code:
        commune = session.scalar(select(Commune).where(Commune.code == code))
        if commune is None:
            raise NotFound(f"Không có xã mã '{code}'.")
        return commune
    communes = session.scalars(select(Commune).limit(2)).all()
    if len(communes) != 1:
        raise NotFound("Chưa có xã nào: chạy lệnh seed trước." if not communes
                       else "Có nhiều xã: chỉ rõ mã xã (--commune).")
    return communes[0]


def find_province(session: Session, code: str) -> Province:
    """Return the province with ``code``."""
    province = session.scalar(select(Province).where(Province.code == code))
    if province is None:
        raise NotFound(f"Không có tỉnh mã '{code}'.")
    return province


def current_plan(session: Session, commune_id: int, code: str | None = None) -> Plan:
    """Return the commune's plan with ``code``, or its most recently started plan."""
    if code:
        plan = session.scalar(_plan_query(), {"commune_id": commune_id, "code": code})
    else:
        commune = session.get(Commune, commune_id)
        plan = commune.current_plan if commune else None
    if plan is None:
        raise NotFound(f"Không có kế hoạch '{code}'." if code else "Xã chưa có kế hoạch nào.")
    return plan


@cache
def _plan_query() -> Select:
    """Select the plan ``:code`` of the commune ``:commune_id`` (built once)."""
    return select(Plan).where(Plan.commune_id == bindparam("commune_id"), Plan.code == bindparam("code"))


def find_item(session: Session, plan: Plan, code: str) -> PlanItem:
    """Return the target or task of ``plan`` with ``code`` (one statement)."""
    if not CODE_PATTERN.fullmatch(code):
        # No stored code looks like this; PostgreSQL would even refuse a NUL in the query.
        raise NotFound(f"Không có chỉ tiêu hay nhiệm vụ mã '{code[:40]}'.")
    item = session.scalar(_item_query(), {"plan_id": plan.id, "code": code})
    if item is not None:
        return item
    raise NotFound(f"Không có chỉ tiêu hay nhiệm vụ mã '{code}'.")


@cache
def _item_query() -> Select:
    """Select the item ``:code`` of the plan ``:plan_id`` with its lead unit (built once)."""
    return (select(PlanItem).where(PlanItem.plan_id == bindparam("plan_id"),
                                   PlanItem.code == bindparam("code"))
            .options(joinedload(PlanItem.lead_unit)))


def find_unit(session: Session, commune_id: int, code: str) -> Unit:
    """Return the commune's unit with ``code``."""
    if not CODE_PATTERN.fullmatch(code):
        raise NotFound(f"Không có đơn vị mã '{code[:40]}'.")
    unit = session.scalar(select(Unit).where(Unit.commune_id == commune_id, Unit.code == code))
    if unit is None:
        raise NotFound(f"Không có đơn vị mã '{code}'.")
    return unit
