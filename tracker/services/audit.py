"""Writing the audit log, and reading it as the activity log: filtered, paged, in sentences."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from tracker.domain.activity import PER_PAGE, Event, ItemInfo, Names, describe
from tracker.domain.collation import person_key
from tracker.domain.dates import period_title
from tracker.domain.permissions import ADMIN
from tracker.models import (
    AuditEvent,
    Commune,
    Directive,
    Plan,
    PlanItem,
    ProgressEntry,
    ReportingPeriod,
    User,
)
from tracker.models.evidence import Attachment
from tracker.services.status import spec_of


def record_event(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    commune_id: int | None = None,
    province_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    """Add one audit event to the session (the caller commits).

    ``commune_id`` defaults to the actor's commune and ``province_id`` to the actor's province (a
    province user's), so a province user's actions land in the province's log, and those about a
    commune in the commune's log too.
    """
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else None,
        commune_id=commune_id if commune_id is not None else (actor.commune_id if actor else None),
        province_id=province_id if province_id is not None else (actor.province_id if actor else None),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        remote_addr=remote_addr,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What the activity log narrows to; every field is optional.

    ``kind`` is one kind of event (its action), ``action`` a prefix of actions (older links, the
    CSV), ``actor`` a username, ``item`` a target's or task's code (its entries, directives and
    evidence).
    """

    action: str | None = None
    actor: str | None = None
    start: date | None = None
    end: date | None = None
    kind: str | None = None
    item: str | None = None


# Whose actions the province's log shows: the province's own and its communes' admins' (the
# default), the province's own only, or everyone's in its communes.
ADMINS, PROVINCE_ONLY, EVERYONE = "admins", "province", "everyone"
PROVINCE_LOG_PEOPLE = (ADMINS, PROVINCE_ONLY, EVERYONE)


@dataclass(frozen=True)
class ProvinceLog:
    """The activity log of a province, in place of a commune's id.

    Its own events (``province_id``: what its users did) and what was done in its communes: by
    default only what their admins did (``people``), in one commune when ``commune_id`` is set.
    A commune admin is one who holds the role now: the log does not keep the role an event was
    done with.
    """

    province_id: int
    commune_id: int | None = None
    people: str = ADMINS


# The scope of a log: one commune (its id) or a province.
Scope = int | ProvinceLog


def _in_scope(column: Any, scope: Scope) -> Any:
    """``column`` (a commune id) within the scope."""
    if isinstance(scope, ProvinceLog):
        return column.in_(select(Commune.id).where(Commune.province_id == scope.province_id))
    return column == scope


def _province_condition(log: ProvinceLog) -> Any:
    """The province's events: its own, and its communes' as ``log`` narrows them (one statement)."""
    own = AuditEvent.province_id == log.province_id
    communes = select(Commune.id).where(Commune.province_id == log.province_id)
    in_communes = (AuditEvent.commune_id == log.commune_id if log.commune_id is not None
                   else AuditEvent.commune_id.in_(communes))
    if log.people == PROVINCE_ONLY:
        shown = own
    elif log.people == EVERYONE:
        shown = or_(own, in_communes)
    else:
        admins = select(User.id).where(User.role == ADMIN, User.commune_id.in_(communes))
        shown = or_(own, in_communes & AuditEvent.actor_id.in_(admins))
    return shown & in_communes if log.commune_id is not None else shown


def _item_condition(session: Session, commune_id: int, code: str) -> Any:
    """The events about one item: its entries (by code), its directives and its evidence (by id)."""
    item_ids = select(PlanItem.id).join(Plan, Plan.id == PlanItem.plan_id).where(
        Plan.commune_id == commune_id, PlanItem.code == code)
    directives = [str(i) for i in session.scalars(
        select(Directive.id).where(Directive.item_id.in_(item_ids)))]
    files = [str(i) for i in session.scalars(select(Attachment.id).join(
        ProgressEntry, ProgressEntry.id == Attachment.entry_id).where(ProgressEntry.item_id.in_(item_ids)))]
    return or_(
        (AuditEvent.object_type.in_(("target", "task"))) & (AuditEvent.object_id == code),
        (AuditEvent.object_type == "directive") & (AuditEvent.object_id.in_(directives)),
        (AuditEvent.object_type == "attachment") & (AuditEvent.object_id.in_(files)),
    )


def _filtered(session: Session, scope: Scope, wanted: AuditFilter) -> Select:
    if isinstance(scope, ProvinceLog):
        query = select(AuditEvent).where(_province_condition(scope))
    else:
        query = select(AuditEvent).where(AuditEvent.commune_id == scope)
    if wanted.action:
        query = query.where(AuditEvent.action.startswith(wanted.action))
    if wanted.kind:
        query = query.where(AuditEvent.action == wanted.kind)
    if wanted.actor:
        query = query.where(AuditEvent.actor_name == wanted.actor)
    if wanted.item and not isinstance(scope, ProvinceLog):  # the province's log has no item filter
        query = query.where(_item_condition(session, scope, wanted.item))
    if wanted.start:
        query = query.where(AuditEvent.at >= datetime.combine(wanted.start, time.min, UTC))
    if wanted.end:
        query = query.where(AuditEvent.at < datetime.combine(wanted.end + timedelta(days=1), time.min, UTC))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def audit_events(session: Session, scope: Scope, wanted: AuditFilter,
                 limit: int = 500, offset: int = 0) -> list[AuditEvent]:
    """Return the audit events of a commune (its id) or a province (``ProvinceLog``), newest first,
    at most ``limit`` after skipping ``offset``."""
    return list(session.scalars(_filtered(session, scope, wanted).offset(offset).limit(limit)))


@dataclass(frozen=True)
class ActivityPage:
    """One page of the activity log: each event with its sentence, and whether pages lie around it."""

    rows: list[tuple[AuditEvent, str]]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        """True after the first page."""
        return self.page > 1


def activity_page(session: Session, scope: Scope, wanted: AuditFilter, page: int = 1,
                  per_page: int = PER_PAGE) -> ActivityPage:
    """Return page ``page`` (from 1) of a commune's or a province's activity, newest first, in
    sentences; the same few statements whatever the number of communes."""
    page = max(page, 1)
    events = audit_events(session, scope, wanted, limit=per_page + 1, offset=(page - 1) * per_page)
    shown = events[:per_page]
    return ActivityPage(list(zip(shown, describe_events(session, scope, shown), strict=True)), page,
                        has_next=len(events) > per_page)


def _ints(values: set[Any]) -> set[int]:
    return {int(v) for v in values if v is not None and str(v).isdigit()}


def names_for(session: Session, scope: Scope, events: list[AuditEvent]) -> Names:
    """Look up, in a few queries, every person, item, period, entry and directive the events name."""
    user_ids = _ints({e.actor_id for e in events} | {e.object_id for e in events if e.object_type == "user"})
    usernames = {(e.after or {}).get("user") for e in events if e.object_type == "api_token"} - {None}
    people = session.execute(select(User.id, User.username, User.full_name).where(
        or_(User.id.in_(user_ids), User.username.in_(usernames)))).all() if user_ids or usernames else []
    period_ids = _ints({e.object_id for e in events if e.object_type == "period"}
                       | {(e.after or {}).get("period") for e in events if e.action == "progress.derive"})
    periods = session.execute(select(ReportingPeriod.id, ReportingPeriod.kind, ReportingPeriod.start_date,
                                     ReportingPeriod.end_date).where(
        ReportingPeriod.id.in_(period_ids), _in_scope(ReportingPeriod.commune_id, scope))).all() \
        if period_ids else []
    entry_ids = _ints({(e.after or {}).get("entry") for e in events if e.action == "evidence.upload"})
    entries = session.execute(select(ProgressEntry.id, PlanItem.code).join(
        PlanItem, PlanItem.id == ProgressEntry.item_id).where(ProgressEntry.id.in_(entry_ids))).all() \
        if entry_ids else []
    directive_ids = _ints({e.object_id for e in events if e.object_type == "directive"})
    directives = session.execute(select(Directive.id, PlanItem.code).join(
        PlanItem, PlanItem.id == Directive.item_id).where(Directive.id.in_(directive_ids))).all() \
        if directive_ids else []
    codes = {e.object_id for e in events if e.object_type in ("target", "task")}
    # In a province's log the same code names an item of each commune: their wording is the
    # province template's, so any one of them words the sentence.
    items = session.scalars(select(PlanItem).join(Plan, Plan.id == PlanItem.plan_id).where(
        _in_scope(Plan.commune_id, scope), PlanItem.code.in_(codes))).all() if codes else []
    return Names(
        users={p.id: p.full_name or p.username for p in people},
        usernames={p.username: p.full_name or p.username for p in people},
        items={i.code: _item_info(i) for i in items},
        periods={p.id: period_title(p.kind, p.start_date, p.end_date) for p in periods},
        entry_items=dict(entries), directive_items=dict(directives),
    )


def _item_info(item: PlanItem) -> ItemInfo:
    spec = spec_of(item)
    return ItemInfo(item.code, spec.unit_label, spec.progress_based)


def describe_events(session: Session, scope: Scope, events: list[AuditEvent]) -> list[str]:
    """Each event as a sentence in the reader's language, the actor named by full name."""
    names = names_for(session, scope, events)
    return [describe(Event(e.action, names.users.get(e.actor_id) or e.actor_name, e.object_type,
                           e.object_id, e.before, e.after), names) for e in events]


@dataclass(frozen=True)
class FilterChoices:
    """What the activity log's filters offer: the commune's people and items."""

    people: list[tuple[str, str]]  # (username, full name), by name
    items: list[tuple[str, str]]  # (code, title), in plan order


def filter_choices(session: Session, commune_id: int) -> FilterChoices:
    """The commune's people (sorted as Vietnamese readers sort names) and plan items."""
    people = sorted(((u.username, u.full_name or u.username) for u in session.scalars(
        select(User).where(User.commune_id == commune_id))), key=lambda p: person_key(p[1]))
    items = session.execute(
        select(PlanItem.code, PlanItem.title).join(Plan, Plan.id == PlanItem.plan_id)
        .where(Plan.commune_id == commune_id)
        .order_by(Plan.id, PlanItem.kind.desc(), PlanItem.sort_order, PlanItem.code)).all()
    return FilterChoices(people, [(code, title) for code, title in items])


# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection, OWASP).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """Return ``value`` for a CSV cell; text a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def audit_csv(events: list[AuditEvent], sentences: list[str] | None = None) -> str:
    """The events as CSV (UTF-8 with a BOM so Excel shows Vietnamese), one row per event, with the
    activity log's sentence of each in the last column when ``sentences`` are given.

    Every text cell goes through ``csv_cell``: names, ids and notes come from users.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "at_utc", "actor", "action", "object_type", "object_id", "before", "after",
                     "remote_addr", "description"])
    for e, sentence in zip(events, sentences or [""] * len(events), strict=True):
        writer.writerow([csv_cell(cell) for cell in (
            e.id, e.at.isoformat(), e.actor_name or "", e.action, e.object_type or "", e.object_id or "",
            json.dumps(e.before, ensure_ascii=False) if e.before else "",
            json.dumps(e.after, ensure_ascii=False) if e.after else "", e.remote_addr or "", sentence)])
    return "\ufeff" + buffer.getvalue()


def record_denial(session: Session, actor: User | None, method: str, path: str,
                  remote_addr: str | None) -> None:
    """Record a refused request (403); the face's error handler commits it after rolling back the
    request's own work."""
    record_event(session, "auth.denied", actor=actor, object_type="request",
                 object_id=f"{method} {path}"[:80], remote_addr=remote_addr)
    session.flush()
