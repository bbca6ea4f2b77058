"""Reporting periods: open, find, submit (freeze), reopen with a reason, and the version every save claims."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tracker.domain.dates import PERIOD_KIND_LABELS
from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_date, format_datetime
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import can_report
from tracker.domain.review import SUBMITTED, edit_problem, is_late, reopen_problem, submit_problem
from tracker.models import (
    PERIOD_KINDS,
    Commune,
    ReportingPeriod,
    User,
)
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.calendar import DEFAULT_TIMEZONE, due_at_for
from tracker.services.errors import EntryRefused, NotAllowed


@dataclass(frozen=True)
class PeriodInput:
    """A new period as typed: kind, dates and the report's administrative details."""

    kind: str
    start_date: date | None
    end_date: date | None
    report_number: str | None = None
    report_date: date | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    recipients: str | None = None


def require_reporter(actor: User, commune_id: int) -> None:
    if not can_report(actor_of(actor), commune_id):
        raise NotAllowed(f"{actor.username} may not keep reports")


class StaleEdit(EntryRefused):
    """The period changed since the form was opened (or the file exported, or the API read it).

    ``since`` says who saved what and when; ``errors["version"]`` adds, for a form, that the input is
    kept. The caller shows what changed and keeps the input.
    """

    def __init__(self, since: str, keep: str | None = None):
        super().__init__({"version": f"{since} {keep}" if keep else since})
        self.since = since


# What the last change of a period was, for the message that tells a stale save who changed what.
CHANGE_LABELS = {
    "stats.record": _l("TTHC figures"),
    "finance.record": _l("funding figures"),
    "section.save": _l("remarks and assessment"),
    "period.submit": _l("report submitted"),
    "period.reopen": _l("period reopened"),
    "period.accept": _l("report accepted by the province"),
    "period.return": _l("report returned by the province"),
}


CHANNEL_LABELS = {"api": _l("%(what)s, through the API"),
                  "import": _l("%(what)s, imported from a spreadsheet")}


CHANNELS = ("form", "api", "import")


def last_change(session: Session, period: ReportingPeriod) -> str:
    """Say who changed the period last, what and when (recorded on the period), for a refused stale save."""
    last = session.execute(
        select(User.username, ReportingPeriod.last_changed_at, ReportingPeriod.last_change,
               ReportingPeriod.last_channel)
        .join(User, User.id == ReportingPeriod.last_changed_by_id)
        .where(ReportingPeriod.id == period.id)).first()
    if last is None or last.last_change is None:
        return _("The reporting period was just saved while you were editing.")
    what = str(CHANGE_LABELS.get(last.last_change, last.last_change))
    if last.last_channel in CHANNEL_LABELS:
        what = str(CHANNEL_LABELS[last.last_channel]) % {"what": what}
    return _("The reporting period was just saved by %(name)s at %(at)s (%(what)s) while you were editing.",
             name=last.username, at=format_datetime(last.last_changed_at), what=what)


def claim_version(session: Session, period: ReportingPeriod, expected_version: int | None, *,
                  actor: User, change: str, channel: str = "form") -> None:
    """Bump the period's version atomically; refuse (``StaleEdit``) if it is no longer ``expected_version``.

    Every write of a period's figures, texts or state comes through here, so each one makes every
    form, exported file and ETag taken before it stale. ``None`` knowingly replaces whatever is
    there (a form without its version, an import of a file without one, the API's ``If-Match: *``)
    but still bumps the version. The same statement records the change on the period: ``actor``,
    now, ``change`` (the audit action, a key of ``CHANGE_LABELS``) and ``channel`` (``CHANNELS``),
    which a later stale save is told.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    now = utcnow()
    recorded = {"last_changed_by_id": actor.id, "last_changed_at": now, "last_change": change,
                "last_channel": channel}
    if expected_version is None:
        session.execute(update(ReportingPeriod).where(ReportingPeriod.id == period.id)
                        .values(version=ReportingPeriod.version + 1, **recorded)
                        .execution_options(synchronize_session=False))
        set_committed_value(period, "version", session.scalar(
            select(ReportingPeriod.version).where(ReportingPeriod.id == period.id)))
    else:
        bumped = session.execute(
            update(ReportingPeriod)
            .where(ReportingPeriod.id == period.id, ReportingPeriod.version == expected_version)
            .values(version=expected_version + 1, **recorded)
            .execution_options(synchronize_session=False))
        if bumped.rowcount != 1:
            # What the period is now, for the refusal (the ETag or the version it names).
            set_committed_value(period, "version", session.scalar(
                select(ReportingPeriod.version).where(ReportingPeriod.id == period.id)))
            raise StaleEdit(last_change(session, period),
                            _("What you typed is still on the screen: check what changed, then save again."))
        set_committed_value(period, "version", expected_version + 1)
    for name, value in recorded.items():
        set_committed_value(period, name, value)


def require_draft(period: ReportingPeriod) -> None:
    """Refuse a change to a frozen period (submitted, or accepted by the province)."""
    if problem := edit_problem(period.status):
        raise EntryRefused({"period": problem})


def periods_of(session: Session, commune_id: int) -> list[ReportingPeriod]:
    """Return a commune's periods, newest first."""
    return list(session.scalars(select(ReportingPeriod).where(ReportingPeriod.commune_id == commune_id)
                                .order_by(ReportingPeriod.end_date.desc(), ReportingPeriod.id.desc())))


def find_period(session: Session, commune_id: int, period_id: int) -> ReportingPeriod | None:
    """Return the period if it belongs to the commune."""
    period = session.get(ReportingPeriod, period_id)
    return period if period is not None and period.commune_id == commune_id else None


def create_period(session: Session, actor: User, commune: Commune, data: PeriodInput, *,
                  timezone: str = DEFAULT_TIMEZONE) -> ReportingPeriod:
    """Open a draft period, due when the province's calendar says; refuse bad dates and overlaps
    with a period of the same kind."""
    require_reporter(actor, commune.id)
    errors: dict[str, str] = {}
    if data.kind not in PERIOD_KINDS:
        errors["kind"] = _("Choose the kind of period: week, month, quarter or custom.")
    if data.start_date is None:
        errors["start_date"] = _("Choose the start date.")
    if data.end_date is None:
        errors["end_date"] = _("Choose the end date.")
    if not errors and data.end_date < data.start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    for name in ("report_number", "signer_name", "signer_title", "recipients"):
        value = clean_text(getattr(data, name))
        if value and (problem := text_problem(value, multiline=name == "recipients")):
            errors[name] = problem
    if not errors:
        clash = session.scalar(select(ReportingPeriod).where(
            ReportingPeriod.commune_id == commune.id, ReportingPeriod.kind == data.kind,
            ReportingPeriod.start_date <= data.end_date, ReportingPeriod.end_date >= data.start_date))
        if clash is not None:
            errors["start_date"] = _("Overlaps the %(kind)s period %(start)s–%(end)s.",
                                     kind=PERIOD_KIND_LABELS[clash.kind].lower(),
                                     start=format_date(clash.start_date), end=format_date(clash.end_date))
    if errors:
        raise EntryRefused(errors)
    period = ReportingPeriod(
        commune_id=commune.id, kind=data.kind, start_date=data.start_date, end_date=data.end_date,
        report_number=clean_text(data.report_number), report_date=data.report_date,
        signer_name=clean_text(data.signer_name), signer_title=clean_text(data.signer_title),
        recipients=clean_text(data.recipients),
        due_at=due_at_for(session, commune, data.kind, data.end_date, timezone),
    )
    session.add(period)
    session.flush()
    record_event(session, "period.create", actor=actor, object_type="period", object_id=period.id,
                 after={"kind": data.kind, "start": data.start_date.isoformat(),
                        "end": data.end_date.isoformat(),
                        "due_at": period.due_at.isoformat() if period.due_at else None})
    return period


def submit_period(session: Session, actor: User, period: ReportingPeriod, *,
                  expected_version: int | None = None) -> None:
    """Mark a draft or returned period submitted: its figures are frozen from now on, and whether it
    came on time is recorded (refused if changed since read)."""
    require_reporter(actor, period.commune_id)
    if problem := submit_problem(period.status):
        raise EntryRefused({"period": problem})
    claim_version(session, period, expected_version, actor=actor, change="period.submit")
    before = period.status
    period.status = SUBMITTED
    period.submitted_at = utcnow()
    period.submitted_by_id = actor.id
    record_event(session, "period.submit", actor=actor, object_type="period", object_id=period.id,
                 before={"status": before},
                 after={"status": SUBMITTED, "late": is_late(period.due_at, period.submitted_at),
                        "due_at": period.due_at.isoformat() if period.due_at else None})


def reopen_period(session: Session, actor: User, period: ReportingPeriod, reason: str | None, *,
                  expected_version: int | None = None) -> None:
    """Reopen a submitted period for a correction; the reason goes to the audit log."""
    require_reporter(actor, period.commune_id)
    reason = clean_text(reason)
    if problem := reopen_problem(period.status):
        raise EntryRefused({"period": problem})
    if not reason:
        raise EntryRefused({"reason": _("Give the reason for reopening the submitted period.")})
    if problem := text_problem(reason):
        raise EntryRefused({"reason": problem})
    claim_version(session, period, expected_version, actor=actor, change="period.reopen")
    period.status = "draft"
    record_event(session, "period.reopen", actor=actor, object_type="period", object_id=period.id,
                 before={"status": "submitted"}, after={"status": "draft", "reason": reason})


def period_for_range(session: Session, commune_id: int, start: date, end: date) -> ReportingPeriod | None:
    """Return the commune's period covering exactly ``start``–``end`` (the longest kind first)."""
    order = {"quarter": 0, "month": 1, "week": 2, "custom": 3}
    found = session.scalars(select(ReportingPeriod).where(
        ReportingPeriod.commune_id == commune_id, ReportingPeriod.start_date == start,
        ReportingPeriod.end_date == end)).all()
    return min(found, key=lambda p: order[p.kind], default=None)


def current_period(session: Session, commune_id: int, today: date) -> ReportingPeriod | None:
    """Return the commune's period covering ``today``: a draft before a submitted one, then the
    shortest (the week being reported before the month around it), or None."""
    covering = session.scalars(select(ReportingPeriod).where(
        ReportingPeriod.commune_id == commune_id, ReportingPeriod.start_date <= today,
        ReportingPeriod.end_date >= today)).all()
    return min(covering, key=lambda p: (p.is_submitted, p.end_date - p.start_date, -p.id), default=None)
