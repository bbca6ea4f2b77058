"""The province's side of the reporting loop: accept or return a submitted period, the completeness
board of a period kind and start, and the reminders to communes whose report is due.

The board costs a fixed number of statements whatever the number of communes: the communes, their
periods of that kind and start with their statistics and submitters, and the calendar.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tracker.domain.collation import vietnamese_key
from tracker.domain.dates import period_name
from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import NO_FIGURE
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import SECRETARY, can_review
from tracker.domain.province_summary import SummedStats, sum_stats
from tracker.domain.reminders import Reminder
from tracker.domain.review import (
    ACCEPTED,
    BOARD_STATES,
    EDITABLE,
    OVERDUE_WINDOW_DAYS,
    RETURNED,
    SUBMITTED,
    PeriodFacts,
    ReportingRate,
    board_state,
    due_moment,
    is_late,
    is_overdue,
    latest_due_start,
    period_end,
    period_start_of,
    report_reminder,
    reporting_rate,
    review_message,
    review_problem,
)
from tracker.domain.stats import FIELD_NAMES, Problem, check_stats
from tracker.models import Commune, ProcedureStats, Province, ReportingPeriod, User
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.calendar import DEFAULT_TIMEZONE, due_rules
from tracker.services.errors import EntryRefused, NotAllowed, NotFound
from tracker.services.notifications import MailSettings, notify_all
from tracker.services.periods import claim_version


def require_reviewer(session: Session, actor: User, period: ReportingPeriod) -> None:
    """Refuse (``NotAllowed``) anyone but a secretary or leader of the period's commune's province."""
    province_id = session.scalar(select(Commune.province_id).where(Commune.id == period.commune_id))
    if province_id is None or not can_review(actor_of(actor), province_id):
        raise NotAllowed(f"{actor.username} may not review the reports of this commune")


def secretaries_of(session: Session, commune_ids: list[int]) -> dict[int, list[User]]:
    """The active secretaries of each commune (who keep its reports), in one statement."""
    found: dict[int, list[User]] = defaultdict(list)
    for user in session.scalars(select(User).where(User.commune_id.in_(commune_ids), User.role == SECRETARY,
                                                   User.active.is_(True)).order_by(User.id)):
        found[user.commune_id].append(user)
    return found


def _tell_commune(session: Session, period: ReportingPeriod, reminder: Reminder,
                  mail: MailSettings | None) -> int:
    return notify_all(session, secretaries_of(session, [period.commune_id])[period.commune_id], reminder,
                      f"/reports/{period.id}", mail)


def _name(period: ReportingPeriod) -> str:
    return period_name(period.kind, period.start_date, period.end_date, language="vi")


def accept_period(session: Session, actor: User, period: ReportingPeriod, *, expected_version: int | None,
                  mail: MailSettings | None = None, channel: str = "form") -> None:
    """Accept a submitted period: locked for the commune and the province from now on."""
    require_reviewer(session, actor, period)
    if problem := review_problem(period.status):
        raise EntryRefused({"period": problem})
    claim_version(session, period, expected_version, actor=actor, change="period.accept", channel=channel)
    period.status = ACCEPTED
    period.accepted_at, period.accepted_by_id = utcnow(), actor.id
    record_event(session, "period.accept", actor=actor, commune_id=period.commune_id, object_type="period",
                 object_id=period.id, before={"status": SUBMITTED}, after={"status": ACCEPTED})
    title, body = review_message(True, _name(period), period.commune.name, actor.full_name)
    reminder = Reminder("report_review", f"report-accepted:{period.id}", title, body)
    _tell_commune(session, period, reminder, mail)


def return_period(session: Session, actor: User, period: ReportingPeriod, reason: str | None, *,
                  expected_version: int | None, mail: MailSettings | None = None,
                  channel: str = "form") -> None:
    """Return a submitted period to its commune with a reason: editable again, the commune's
    secretaries told (in the app and by e-mail), the audit log of the commune names the reviewer."""
    require_reviewer(session, actor, period)
    if problem := review_problem(period.status):
        raise EntryRefused({"period": problem})
    reason = clean_text(reason)
    if not reason:
        raise EntryRefused({"reason": _("Give the reason for returning the report: the commune reads it.")})
    if problem := text_problem(reason, multiline=True):
        raise EntryRefused({"reason": problem})
    claim_version(session, period, expected_version, actor=actor, change="period.return", channel=channel)
    period.status = RETURNED
    period.returned_at, period.returned_by_id, period.return_reason = utcnow(), actor.id, reason
    record_event(session, "period.return", actor=actor, commune_id=period.commune_id, object_type="period",
                 object_id=period.id, before={"status": SUBMITTED},
                 after={"status": RETURNED, "reason": reason})
    title, body = review_message(False, _name(period), period.commune.name, actor.full_name, reason)
    # One message per return: a period returned twice is told twice.
    _tell_commune(session, period, Reminder("report_review", f"report-returned:{period.id}:{period.version}",
                                            title, body), mail)


# --- the completeness board --------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    """One commune for one period: where it stands, when it submitted, and its figures' problems."""

    commune_id: int
    code: str
    name: str
    state: str
    period_id: int | None = None
    version: int | None = None
    due_at: datetime | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    late: bool = False
    overdue: bool = False
    return_reason: str | None = None
    problems: tuple[Problem, ...] = ()
    explanation: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)

    @property
    def reviewable(self) -> bool:
        """The province may accept or return it now."""
        return self.state in ("on_time", "late")


@dataclass(frozen=True)
class Board:
    """The completeness board of a province for one period kind and start."""

    province: Province
    kind: str
    start: date
    end: date
    due_at: datetime | None
    rows: tuple[BoardRow, ...]  # every commune (the rate counts them all)
    shown: tuple[BoardRow, ...]  # those the chosen state filter keeps
    state: str | None
    rate: ReportingRate
    counts: dict[str, int]
    rule_breakers: tuple[BoardRow, ...]
    # The TTHC statistics summed over the communes that submitted (waiting or accepted), with the
    # same shares and rules as a commune's (``domain.province_summary.sum_stats``).
    summed_stats: SummedStats


def board_start(session: Session, province: Province, kind: str, day: date | None, *,
                timezone: str = DEFAULT_TIMEZONE) -> date:
    """The start of the ``kind`` period the board shows: the one containing ``day``, or without a
    day the latest one already due under the province's calendar."""
    if day is not None:
        return period_start_of(kind, day)
    return latest_due_start(due_rules(session, province.id)[kind], utcnow(), timezone)


def build_board(session: Session, province: Province, kind: str, start: date, *, state: str | None = None,
                timezone: str = DEFAULT_TIMEZONE) -> Board:
    """Every commune of ``province`` for the ``kind`` period starting on ``start``, in three statements."""
    end = period_end(kind, start)
    rule = due_rules(session, province.id).get(kind)
    communes = session.execute(select(Commune.id, Commune.code, Commune.name)
                               .where(Commune.province_id == province.id)).all()
    submitter = aliased(User)
    found = {row.ReportingPeriod.commune_id: row for row in session.execute(
        select(ReportingPeriod, ProcedureStats, submitter.full_name.label("submitter"))
        .join(Commune, Commune.id == ReportingPeriod.commune_id)
        .outerjoin(ProcedureStats, ProcedureStats.period_id == ReportingPeriod.id)
        .outerjoin(submitter, submitter.id == ReportingPeriod.submitted_by_id)
        .where(Commune.province_id == province.id, ReportingPeriod.kind == kind,
               ReportingPeriod.start_date == start)
        .order_by(ReportingPeriod.id))}
    now = utcnow()
    rows = []
    for commune in sorted(communes, key=lambda c: (vietnamese_key(c.name), c.code)):
        hit = found.get(commune.id)
        if hit is None:
            rows.append(BoardRow(commune.id, commune.code, commune.name, board_state(None, None, None)))
            continue
        period, stats = hit.ReportingPeriod, hit.ProcedureStats
        counts = {name: getattr(stats, name) for name in FIELD_NAMES} if stats is not None else {}
        rows.append(BoardRow(
            commune.id, commune.code, commune.name,
            board_state(period.status, period.due_at, period.submitted_at),
            period_id=period.id, version=period.version, due_at=period.due_at,
            submitted_at=period.submitted_at if period.status in (SUBMITTED, ACCEPTED) else None,
            submitted_by=hit.submitter if period.status in (SUBMITTED, ACCEPTED) else None,
            late=is_late(period.due_at, period.submitted_at) and period.status in (SUBMITTED, ACCEPTED),
            overdue=is_overdue(period.status, period.due_at, now),
            return_reason=period.return_reason if period.status == RETURNED else None,
            problems=tuple(check_stats(counts)) if stats is not None else (),
            explanation=clean_text(stats.override_explanation) if stats is not None else None,
            counts=counts))
    counts = Counter(row.state for row in rows)
    shown = tuple(row for row in rows if state is None or row.state == state)
    return Board(
        province=province, kind=kind, start=start, end=end, due_at=due_moment(rule, end, timezone),
        rows=tuple(rows), shown=shown, state=state,
        rate=reporting_rate([(row.state, row.late) for row in rows]),
        counts={s: counts.get(s, 0) for s in BOARD_STATES},
        rule_breakers=tuple(row for row in rows if row.problems),
        summed_stats=sum_stats((row.counts for row in rows if row.state in ("on_time", "late", ACCEPTED)),
                               NO_FIGURE))


# --- reminders -----------------------------------------------------------------------------------

def send_report_reminders(session: Session, now: datetime, timezone: str,
                          mail: MailSettings | None) -> dict[str, int]:
    """Tell each commune's secretaries the day before a period is due and once when it is overdue."""
    periods = session.execute(
        select(ReportingPeriod, Commune.name)
        .join(Commune, Commune.id == ReportingPeriod.commune_id)
        .where(ReportingPeriod.status.in_(sorted(EDITABLE)), ReportingPeriod.due_at.is_not(None),
               ReportingPeriod.due_at >= now - timedelta(days=OVERDUE_WINDOW_DAYS + 1),
               ReportingPeriod.due_at <= now + timedelta(days=2))
        .order_by(ReportingPeriod.id)).all()
    secretaries = secretaries_of(session, sorted({p.ReportingPeriod.commune_id for p in periods}))
    sent = {"due_soon": 0, "overdue": 0}
    for period, commune_name in periods:
        reminder = report_reminder(PeriodFacts(period.id, _name(period), commune_name, period.status,
                                               period.due_at), now, timezone)
        if reminder is None:
            continue
        which = "overdue" if reminder.key.startswith("report-overdue") else "due_soon"
        sent[which] += notify_all(session, secretaries[period.commune_id], reminder,
                                  f"/reports/{period.id}", mail)
    return sent


def find_reviewable(session: Session, province: Province, period_id: int) -> ReportingPeriod:
    """The period ``period_id`` of a commune of ``province`` (``NotFound`` for any other)."""
    period = session.get(ReportingPeriod, period_id)
    if period is None or period.commune.province_id != province.id:
        raise NotFound(f"Không có kỳ báo cáo #{period_id} của một xã trong tỉnh.")
    return period
