"""Directives (ý kiến chỉ đạo): leaders write them, the lead unit answers them."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.domain.dates import in_range
from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_date, format_number
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_answer_for, can_direct
from tracker.domain.reminders import DirectiveFacts
from tracker.models import Directive, Plan, PlanItem, User
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import EntryRefused, NotAllowed

MAX_TEXT = 5000


def _checked_text(text: str | None, field: str, empty: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise EntryRefused({field: empty})
    if len(cleaned) > MAX_TEXT:
        raise EntryRefused({field: _("The text is longer than %(max)s characters.",
                                     max=format_number(MAX_TEXT))})
    if problem := text_problem(cleaned):
        raise EntryRefused({field: problem})
    return cleaned


def _checked_due(due_date: date | None, today: date, current: date | None = None) -> date | None:
    """A due date from today on (an unchanged one may stay in the past); None gives no due date."""
    if due_date is None:
        return None
    if not in_range(due_date):
        raise EntryRefused({"due_date": _("The due date is out of range.")})
    if due_date < today and due_date != current:
        raise EntryRefused({"due_date": _("The due date cannot be before today (%(today)s).",
                                          today=format_date(today))})
    return due_date


def write_directive(session: Session, actor: User, item: PlanItem, text: str | None,
                    due_date: date | None = None, *, today: date | None = None) -> Directive:
    """Record a leader's directive on ``item``, with the date by which the lead unit must answer."""
    if not can_direct(actor_of(actor), item.plan.commune_id):
        raise NotAllowed(f"{actor.username} may not write directives")
    directive = Directive(
        item_id=item.id,
        text=_checked_text(text, "text", _("Enter the directive.")),
        due_date=_checked_due(due_date, today or utcnow().date()),
        author_id=actor.id,
    )
    session.add(directive)
    session.flush()
    after = {"item": item.code, "text": directive.text}
    if directive.due_date is not None:
        after["due_date"] = directive.due_date.isoformat()
    record_event(session, "directive.write", actor=actor, object_type="directive",
                 object_id=directive.id, after=after)
    return directive


def set_due_date(session: Session, actor: User, directive: Directive, due_date: date | None, *,
                 today: date) -> Directive:
    """Change (or remove) an open directive's due date (leaders); a new date is reminded anew."""
    item = directive.item
    if not can_direct(actor_of(actor), item.plan.commune_id):
        raise NotAllowed(f"{actor.username} may not change directives")
    if not directive.is_open:
        raise EntryRefused({"due_date": _("This directive has already been answered.")})
    checked = _checked_due(due_date, today, directive.due_date)
    if checked == directive.due_date:
        return directive
    before = {"item": item.code, "due_date": directive.due_date.isoformat() if directive.due_date else None}
    directive.due_date = checked
    after = {"item": item.code, "due_date": checked.isoformat() if checked else None}
    record_event(session, "directive.due", actor=actor, object_type="directive", object_id=directive.id,
                 before=before, after=after)
    session.flush()
    return directive


def answer_directive(session: Session, actor: User, directive: Directive, reply: str | None,
                     *, now: datetime | None = None) -> Directive:
    """Mark a directive addressed with the lead unit's reply; a reply is given once."""
    item = directive.item
    if not can_answer_for(actor_of(actor), item.plan.commune_id, item.lead_unit_id):
        raise NotAllowed(f"{actor.username} may not answer for {item.code}")
    if not directive.is_open:
        raise EntryRefused({"reply": _("This directive has already been answered.")})
    directive.reply = _checked_text(reply, "reply", _("Enter the reply."))
    directive.replied_by_id = actor.id
    directive.replied_at = now or utcnow()
    record_event(session, "directive.answer", actor=actor, object_type="directive",
                 object_id=directive.id, after={"item": item.code, "reply": directive.reply})
    return directive


def item_directives(session: Session, item: PlanItem) -> list[Directive]:
    """Return an item's directives, newest first."""
    return list(session.scalars(
        select(Directive).where(Directive.item_id == item.id)
        .order_by(Directive.created_at.desc(), Directive.id.desc())
        .options(joinedload(Directive.author), joinedload(Directive.replied_by))
    ))


def open_directives(session: Session, plan: Plan, lead_unit_id: int | None = None, *,
                    items_loaded: bool = False) -> list[Directive]:
    """Return the plan's unanswered directives, oldest first, optionally for one lead unit.

    ``items_loaded``: the caller holds the plan's targets and tasks, so each directive finds its
    item in the session without a query (otherwise they are loaded in one batched query).
    """
    query = _open_directives_query(lead_unit_id is not None, items_loaded)
    return list(session.scalars(query, {"plan_id": plan.id, "lead_unit_id": lead_unit_id}))


@cache
def _open_directives_query(of_one_unit: bool, items_loaded: bool) -> Select:
    """Select the unanswered directives of ``:plan_id`` (and ``:lead_unit_id``); built once."""
    item_ids = select(PlanItem.id).where(PlanItem.plan_id == bindparam("plan_id"))
    if of_one_unit:
        item_ids = item_ids.where(PlanItem.lead_unit_id == bindparam("lead_unit_id"))
    return (
        select(Directive)
        .where(Directive.replied_at.is_(None), Directive.item_id.in_(item_ids))
        .order_by(Directive.created_at, Directive.id)
        .options(joinedload(Directive.author),
                 *([] if items_loaded else [selectinload(Directive.item)]))
    )


def find_directive(session: Session, plan: Plan, directive_id: int) -> Directive | None:
    """Return the directive if it belongs to ``plan`` (other tenants' ids look absent)."""
    directive = session.get(Directive, directive_id)
    if directive is None or directive.item.plan_id != plan.id:
        return None
    return directive


def dated_open_directives(session: Session, plan: Plan) -> list[Directive]:
    """The plan's unanswered directives that have a due date, with their items and authors."""
    return list(session.scalars(
        select(Directive).join(PlanItem, PlanItem.id == Directive.item_id)
        .where(PlanItem.plan_id == plan.id, Directive.replied_at.is_(None), Directive.due_date.is_not(None))
        .order_by(Directive.due_date, Directive.id)
        .options(joinedload(Directive.author), joinedload(Directive.item))
    ))


def directive_facts(directive: Directive) -> DirectiveFacts:
    """What the reminder rule needs to know about a directive."""
    return DirectiveFacts(id=directive.id, code=directive.item.code, title=directive.item.title,
                          text=directive.text, author=directive.author.full_name or directive.author.username,
                          due=directive.due_date, answered=not directive.is_open)
