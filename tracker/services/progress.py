"""Logging progress on targets and tasks: checked, permission-bound, append-only."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import ColumnElement, Date, Select, bindparam, exists, func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from tracker.domain.activity import FIGURE_FIELDS
from tracker.domain.entries import EntryInput, check_entry, normalise
from tracker.domain.formatting import format_datetime
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_log_progress
from tracker.models import PlanItem, ProgressEntry, User
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import (
    AlreadySuperseded,
    BatchRefused,
    DerivedEntryRefused,
    EntryRefused,
    NotAllowed,
)
from tracker.services.status import is_progress_based

MAX_ID = 2**31 - 1  # the largest value of an integer primary key on PostgreSQL



def find_entry(session: Session, entry_id: int) -> ProgressEntry | None:
    """Return the entry with ``entry_id``, or None (also for ids no integer column can hold)."""
    if not 0 < entry_id <= MAX_ID:
        return None  # PostgreSQL and SQLite would raise an error rather than find nothing
    return session.get(ProgressEntry, entry_id)


def find_entry_to_correct(session: Session, entry_id: int | None) -> ProgressEntry | None:
    """Return the entry a correction names (None when it names none); refuse an unknown id."""
    if entry_id is None:
        return None
    old = find_entry(session, entry_id)
    if old is None:
        raise EntryRefused({"supersedes": _("The figures to correct were not found.")})
    return old


def is_derived(item: PlanItem) -> bool:
    """Whether the item's value is computed from the reporting periods' figures (never typed by hand)."""
    return bool(getattr(item, "derived_from", None))


def refuse_if_derived(item: PlanItem) -> None:
    """Refuse an entry by hand on a target whose value the periods' figures compute.

    One source per figure: the secretary's period figures write this target (``_record_derived``,
    which does not come through here); an entry typed by hand would silently replace theirs, or be
    replaced by the next period's save.
    """
    if is_derived(item):
        raise DerivedEntryRefused({"item": _(
            "%(code)s is computed automatically from the reporting periods' figures (entered by the "
            "office); it cannot be entered by hand.", code=item.code)})


def entry_shape(item: PlanItem) -> str:
    """Return which figures an item's entries carry (see ``check_entry``)."""
    if is_progress_based(item):
        return "progress"
    if item.measure == "ratio":
        return "ratio"
    return "percent_value" if item.measure == "percent" else "value"


def log_progress(session: Session, actor: User, item: PlanItem, entry: EntryInput, *,
                 today: date, supersedes: ProgressEntry | None = None,
                 remote_addr: str | None = None) -> ProgressEntry:
    """Store a checked entry on ``item`` for ``actor``; refuse with field messages otherwise.

    A correction of an entry that is already corrected raises ``AlreadySuperseded``.
    """
    if not can_log_progress(actor_of(actor), item.plan.commune_id, item.lead_unit_id):
        raise NotAllowed(f"{actor.username} may not log on {item.code}")
    refuse_if_derived(item)
    entry = normalise(entry)
    shape = entry_shape(item)

    errors = check_entry(entry, shape=shape, tracking_start=item.plan.tracking_start, today=today,
                         correcting=supersedes is not None)
    if supersedes is not None:
        errors.update(_check_supersedes(session, item, supersedes))
    if errors:
        raise EntryRefused(errors)
    row = ProgressEntry(
        item_id=item.id,
        as_of=entry.as_of,
        value=entry.value if shape in ("value", "percent_value") else None,
        numerator=entry.numerator if shape == "ratio" else None,
        denominator=entry.denominator if shape == "ratio" else None,
        state=entry.state if shape == "progress" else None,
        percent=entry.percent if shape == "progress" else None,
        note=entry.note, doc_number=entry.doc_number, doc_date=entry.doc_date,
        doc_issuer=entry.doc_issuer, doc_summary=entry.doc_summary,
        author_id=actor.id, supersedes_id=supersedes.id if supersedes else None,
        reason=entry.reason,
    )
    old_id = supersedes.id if supersedes else None
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Only ``supersedes_id`` is unique: a concurrent correction of the same entry won the race
        # (both passed ``_check_supersedes`` before either saved).
        if old_id is None:
            raise
        raise _lost_race(session, old_id) from None
    record_event(session, "progress.log", actor=actor, object_type=item.kind,
                 object_id=item.code, before=_corrected(supersedes) if supersedes else None,
                 after=_entry_snapshot(row), remote_addr=remote_addr)
    return row


def _lost_race(session: Session, old_id: int) -> AlreadySuperseded:
    """The refusal of a correction that lost the race to another correction of entry ``old_id``.

    The failed flush has already rolled the transaction back (nothing of this request is left to
    keep); the session is rolled back here too so that the message, the caller's page and the
    reader's language can be read from it, as after any other refusal. The message is the one a
    correction of an already corrected entry gets.
    """
    session.rollback()
    winner = session.scalar(select(ProgressEntry).where(ProgressEntry.supersedes_id == old_id))
    if winner is None:
        return AlreadySuperseded({"supersedes": _("These figures were just corrected by another entry.")})
    return AlreadySuperseded({"supersedes": _already_corrected(winner)})


def _already_corrected(correction: ProgressEntry) -> str:
    """Say who corrected the figures and when (users never see an entry's internal number)."""
    return _("These figures were already corrected by %(name)s at %(when)s.",
             name=correction.author.full_name or correction.author.username,
             when=format_datetime(correction.created_at))


def _check_supersedes(session: Session, item: PlanItem, old: ProgressEntry) -> dict[str, str]:
    """Return a field message for a correction of another item's entry; raise on a double correction."""
    if old.item_id != item.id:
        return {"supersedes": _("The figures to correct do not belong to this item.")}
    already = session.scalar(select(ProgressEntry).where(ProgressEntry.supersedes_id == old.id))
    if already is not None:
        raise AlreadySuperseded({"supersedes": _already_corrected(already)})
    return {}


def _corrected(old: ProgressEntry) -> dict[str, object]:
    """What a correction's audit event keeps of the entry it corrects: its id and its figures."""
    snapshot = _entry_snapshot(old)
    return {"supersedes": old.id, **{f: snapshot[f] for f in ("as_of", *FIGURE_FIELDS) if f in snapshot}}


def _entry_snapshot(row: ProgressEntry) -> dict[str, object]:
    fields = ("id", "as_of", "value", "numerator", "denominator", "state", "percent", "note",
              "doc_number", "doc_date", "doc_issuer", "doc_summary", "supersedes_id", "reason")
    return {f: (v.isoformat() if isinstance(v, date) else v)
            for f in fields if (v := getattr(row, f)) is not None}


def item_entries(session: Session, item: PlanItem, limit: int | None = None) -> list[ProgressEntry]:
    """Return an item's entries (the ``limit`` newest, or all), newest first, with their authors."""
    return list(session.scalars(
        select(ProgressEntry).where(ProgressEntry.item_id == item.id)
        .options(joinedload(ProgressEntry.author), selectinload(ProgressEntry.attachments))
        .order_by(ProgressEntry.as_of.desc(), ProgressEntry.created_at.desc(), ProgressEntry.id.desc())
        .limit(limit)
    ))


def in_plan(plan_id: int) -> ColumnElement[bool]:
    """The condition that an entry belongs to an item of the plan (entries carry no plan id)."""
    return ProgressEntry.item_id.in_(select(PlanItem.id).where(PlanItem.plan_id == plan_id))


def count_entries(session: Session, item: PlanItem) -> int:
    """Return how many entries an item has, superseded ones included."""
    return session.scalar(select(func.count()).where(ProgressEntry.item_id == item.id)) or 0


def superseding_ids(session: Session, entries: list[ProgressEntry]) -> dict[int, int]:
    """Map each of ``entries`` that a correction supersedes to that correction's id."""
    ids = [e.id for e in entries]
    return dict(session.execute(select(ProgressEntry.supersedes_id, ProgressEntry.id)
                                .where(ProgressEntry.supersedes_id.in_(ids))).all()) if ids else {}


# The most days a trend reads the current entry on (weekly for five years).
MAX_TREND_DAYS = 262

# What the trend and the status rule read of an entry, without the rest of the row.
TREND_COLUMNS = (ProgressEntry.id, ProgressEntry.as_of, ProgressEntry.created_at, ProgressEntry.supersedes_id,
                 ProgressEntry.value, ProgressEntry.numerator, ProgressEntry.denominator,
                 ProgressEntry.state, ProgressEntry.percent)


def trend_summary(session: Session, item: PlanItem, as_of: date) -> tuple[date | None, int, int | None]:
    """Return, of an item's entries dated on or before ``as_of`` that none of those supersedes, the
    first date, how many there are and the largest id (one row, whatever the history's length)."""
    s = aliased(ProgressEntry, name="s")
    first, count, last_id = session.execute(
        select(func.min(ProgressEntry.as_of), func.count(), func.max(ProgressEntry.id))
        .where(ProgressEntry.item_id == item.id, ProgressEntry.as_of <= as_of,
               ~exists().where(s.supersedes_id == ProgressEntry.id, s.as_of <= as_of))
    ).one()
    return first, count or 0, last_id


def current_on_days(session: Session, item: PlanItem, days: list[date]) -> list:
    """Return ``(day, entry figures)`` light rows, oldest day first, for each of ``days`` on which the
    item had a current entry: the status rule's choice (the newest entry dated on or before the day
    that no entry dated on or before the day supersedes), one short index scan per day, so the
    rows are as many as the days, not as the entries."""
    if not days:
        return []
    params = {f"day_{i}": day for i, day in enumerate(days)}
    return list(session.execute(_current_on_days_query(len(days)),
                                {"item_id": item.id, **params}))


@cache
def _current_on_days_query(count: int) -> Select:
    """Select ``current_on_days`` for ``:item_id`` and ``count`` days ``:day_0``… (built once per
    count: the days are bound parameters, so the compiled statement is cached too; at most
    ``MAX_TREND_DAYS``, below SQLite's 500 terms of a compound SELECT)."""
    # A UNION ALL of bound days, not VALUES: SQLAlchemy caches the compiled form of this one.
    wanted = union_all(*(select(bindparam(f"day_{i}", type_=Date).label("day"))
                         for i in range(count))).cte("days") if count > 1 else (
        select(bindparam("day_0", type_=Date).label("day")).cte("days"))
    e, s = aliased(ProgressEntry, name="e"), aliased(ProgressEntry, name="s")
    current = (
        select(e.id)
        .where(e.item_id == bindparam("item_id"), e.as_of <= wanted.c.day,
               ~exists().where(s.supersedes_id == e.id, s.as_of <= wanted.c.day).correlate_except(s))
        .order_by(e.as_of.desc(), e.created_at.desc(), e.id.desc()).limit(1)
        .correlate(wanted).scalar_subquery()
    )
    picked = select(wanted.c.day, current.label("entry_id")).subquery("picked")
    return (select(picked.c.day, *TREND_COLUMNS)
            .join_from(picked, ProgressEntry, ProgressEntry.id == picked.c.entry_id)
            .order_by(picked.c.day))


def log_batch(session: Session, actor: User, rows: list[tuple[PlanItem, EntryInput]], *,
              today: date, remote_addr: str | None = None) -> list[ProgressEntry]:
    """Log one entry per item, all or nothing: any refusal refuses the batch (caller rolls back)."""
    if not rows:
        raise BatchRefused({"": {"rows": _("No figures were entered for any item.")}})
    errors: dict[str, dict[str, str]] = {}
    logged = []
    for item, entry in rows:
        try:
            logged.append(log_progress(session, actor, item, entry, today=today, remote_addr=remote_addr))
        except EntryRefused as refused:
            errors[item.code] = refused.errors
    if errors:
        raise BatchRefused(errors)
    return logged
