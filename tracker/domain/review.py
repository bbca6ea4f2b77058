"""The commune–province reporting loop: when a period is due, which state changes are allowed, and
how the province's completeness board reads each commune (DHIS2's reporting rate: expected,
submitted, on time). Plain rules, no database.

A period is ``draft`` (being written), ``submitted`` (frozen, waiting for the province),
``returned`` (the province sent it back with a reason: editable again) or ``accepted`` (the
province took it: locked for both sides).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.formatting import local_moment
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import in_language
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.reminders import Reminder

DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
STATUSES = (DRAFT, SUBMITTED, RETURNED, ACCEPTED)
FROZEN = frozenset({SUBMITTED, ACCEPTED})  # ``ReportingPeriod.is_submitted``
EDITABLE = frozenset({DRAFT, RETURNED})
STATUS_LABELS = {DRAFT: _l("Draft"), SUBMITTED: _l("Submitted"), RETURNED: _l("Returned"),
                 ACCEPTED: _l("Accepted")}

# The kinds a province sets a due moment for (a custom range has none).
CALENDAR_KINDS = ("week", "month", "quarter")
MAX_DAYS_AFTER_END = 60


@dataclass(frozen=True)
class DueRule:
    """When a period of a kind is due: ``days_after_end`` days after its last day, at ``at`` (local)."""

    kind: str
    days_after_end: int
    at: time


# Weekly: the Monday after a Monday–Sunday week, 10:00; monthly: the 5th of the next month;
# quarterly: the 10th of the month after the quarter (both at 10:00).
DEFAULT_RULES = {
    "week": DueRule("week", 1, time(10, 0)),
    "month": DueRule("month", 5, time(10, 0)),
    "quarter": DueRule("quarter", 10, time(10, 0)),
}


def due_moment(rule: DueRule | None, end: date, timezone: str) -> datetime | None:
    """The instant (UTC) a period ending on ``end`` is due under ``rule``; None without a rule."""
    if rule is None:
        return None
    local = datetime.combine(end + timedelta(days=rule.days_after_end), rule.at, ZoneInfo(timezone))
    return local.astimezone(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # SQLite gives naive UTC


def is_late(due_at: datetime | None, submitted_at: datetime | None) -> bool:
    """True when a submission came after its due moment (never late without a due moment)."""
    return due_at is not None and submitted_at is not None and _aware(submitted_at) > _aware(due_at)


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """True when a period still in the commune's hands is past its due moment."""
    return status in EDITABLE and due_at is not None and _aware(now) > _aware(due_at)


WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday"))


def format_due(due_at: datetime | None, timezone: str = "Asia/Ho_Chi_Minh", *,
               language: str | None = None) -> str:
    """A due moment as officials write it: "10:00 thứ Hai 10/11/2025" (empty for none); the weekday
    in the reader's language, or in ``language`` (a stored message is Vietnamese whoever reads it)."""
    if due_at is None:
        return ""
    local = local_moment(due_at, timezone)
    weekday = WEEKDAYS[local.weekday()]
    name = str(weekday) if language is None else in_language(language, weekday)
    return f"{local:%H:%M} {name} {local:%d/%m/%Y}"


# --- transitions -------------------------------------------------------------------------------

def submit_problem(status: str) -> str | None:
    """Why a commune may not submit a period in ``status`` (None: it may)."""
    if status == ACCEPTED:
        return _("The province accepted this report: it is locked and can no longer be changed or submitted.")
    if status == SUBMITTED:
        return _("The report was already submitted; it waits for the province.")
    return None


def reopen_problem(status: str) -> str | None:
    """Why a commune may not reopen a period in ``status`` itself (None: it may)."""
    if status == ACCEPTED:
        return _("The province accepted this report: it is locked for the commune and the province, "
                 "and cannot be reopened.")
    if status != SUBMITTED:
        return _("The reporting period is a draft.")
    return None


def edit_problem(status: str) -> str | None:
    """Why a period's figures and texts may not be changed in ``status`` (None: they may)."""
    if status == ACCEPTED:
        return _("The province accepted this report, so its figures are locked for good.")
    if status == SUBMITTED:
        return _("The period was submitted, so its figures are locked; reopen it (with a reason) to "
                 "change them.")
    return None


def review_problem(status: str) -> str | None:
    """Why the province may not accept or return a period in ``status`` (None: it may)."""
    if status == ACCEPTED:
        return _("This report was already accepted: it is locked for the commune and the province.")
    if status != SUBMITTED:
        return _("Only a submitted report can be accepted or returned; the commune has not submitted "
                 "this one.")
    return None


# --- the completeness board --------------------------------------------------------------------

NOT_OPENED, ON_TIME, LATE = "not_opened", "on_time", "late"
BOARD_STATES = (NOT_OPENED, DRAFT, ON_TIME, LATE, ACCEPTED, RETURNED)
BOARD_LABELS = {NOT_OPENED: _l("Not opened"), DRAFT: _l("Draft report"), ON_TIME: _l("Submitted on time"),
                LATE: _l("Submitted late"), ACCEPTED: _l("Accepted"), RETURNED: _l("Returned")}


def board_state(status: str | None, due_at: datetime | None, submitted_at: datetime | None) -> str:
    """Where a commune stands for one period on the board (``BOARD_STATES``); ``None``: no period."""
    if status is None:
        return NOT_OPENED
    if status == SUBMITTED:
        return LATE if is_late(due_at, submitted_at) else ON_TIME
    return status


@dataclass(frozen=True)
class ReportingRate:
    """Expected reports, those submitted (waiting or accepted) and those of them on time."""

    expected: int
    submitted: int
    on_time: int

    @property
    def percent(self) -> float | None:
        """Submitted ÷ expected, in percent (None when nothing is expected)."""
        return 100 * self.submitted / self.expected if self.expected else None

    @property
    def on_time_percent(self) -> float | None:
        """On time ÷ expected, in percent (DHIS2's "reporting rate on time")."""
        return 100 * self.on_time / self.expected if self.expected else None


def reporting_rate(rows: list[tuple[str, bool]]) -> ReportingRate:
    """The rate over ``(board state, late)`` per commune: every commune is expected once; a
    returned report is back in the commune's hands, so it is not counted as submitted."""
    submitted = [(state, late) for state, late in rows if state in (ON_TIME, LATE, ACCEPTED)]
    return ReportingRate(len(rows), len(submitted), sum(not late for _state, late in submitted))


def period_end(kind: str, start: date) -> date:
    """The last day of the ``kind`` period starting on ``start``."""
    if kind == "week":
        return start + timedelta(days=6)
    months = 1 if kind == "month" else 3
    month = start.month + months - 1
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, monthrange(year, month)[1])


def period_start_of(kind: str, day: date) -> date:
    """The first day of the ``kind`` period containing ``day`` (weeks start on Monday)."""
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def previous_start(kind: str, start: date) -> date:
    """The start of the ``kind`` period before the one starting on ``start``."""
    return period_start_of(kind, start - timedelta(days=1))


def latest_due_start(rule: DueRule, now: datetime, timezone: str) -> date:
    """The start of the latest ``rule.kind`` period already due at ``now`` (the board's default)."""
    start = period_start_of(rule.kind, local_moment(now, timezone).date())
    for _step in range(6):
        due = due_moment(rule, period_end(rule.kind, start), timezone)
        if due is not None and due <= _aware(now):
            return start
        start = previous_start(rule.kind, start)
    return start


def rule_problems(days_after_end: int | None, at: time | None) -> dict[str, str]:
    """What is wrong with a calendar row as typed (empty: nothing)."""
    errors: dict[str, str] = {}
    if days_after_end is None or not 0 <= days_after_end <= MAX_DAYS_AFTER_END:
        errors["days"] = _("Give a whole number of days between 0 and %(most)s.", most=MAX_DAYS_AFTER_END)
    if at is None:
        errors["at"] = _("Give the time of day as hh:mm, e.g. 10:00.")
    return errors


# --- reminders to the commune's secretaries ----------------------------------------------------

OVERDUE_WINDOW_DAYS = 30  # an older period never due-reminded is not worth a message any more


@dataclass(frozen=True)
class PeriodFacts:
    """What the reminder rule needs of a period: its id, name, state and due moment."""

    period_id: int
    name: str
    commune: str
    status: str
    due_at: datetime | None


def report_reminder(period: PeriodFacts, now: datetime, timezone: str) -> Reminder | None:
    """The reminder due at ``now`` about a period still in the commune's hands, if any: the day
    before it is due (or later that day, a run being missed), and once when it is overdue. The
    key names the period and the kind, so each is sent once whatever the number of runs."""
    if period.status not in EDITABLE or period.due_at is None:
        return None
    due, today = _aware(period.due_at), local_moment(now, timezone).date()
    due_day = local_moment(due, timezone).date()
    when = format_due(due, timezone, language="vi")
    if _aware(now) < due:
        if (due_day - today).days > 1:
            return None
        return Reminder("report_due", f"report-due-soon:{period.period_id}",
                        f"Sắp đến hạn gửi báo cáo {period.name}",
                        f"Báo cáo {period.name} của {period.commune} phải gửi lên tỉnh trước {when}. "
                        "Đề nghị hoàn thiện số liệu, nội dung và gửi báo cáo.")
    if (today - due_day).days > OVERDUE_WINDOW_DAYS:
        return None
    return Reminder("report_due", f"report-overdue:{period.period_id}",
                    f"Báo cáo {period.name} đã quá hạn gửi",
                    f"Báo cáo {period.name} của {period.commune} đã quá hạn gửi lên tỉnh ({when}) mà "
                    "chưa được gửi. Đề nghị gửi báo cáo ngay.")


def review_message(accepted: bool, name: str, commune: str, reviewer: str,
                   reason: str | None = None) -> tuple[str, str]:
    """The title and body of the message telling a commune's secretaries what the province decided."""
    if accepted:
        return (f"Tỉnh đã tiếp nhận báo cáo {name}",
                f"{reviewer} đã tiếp nhận báo cáo {name} của {commune}. Báo cáo đã được khóa.")
    return (f"Tỉnh trả lại báo cáo {name}",
            f"{reviewer} đã trả lại báo cáo {name} của {commune}. Lý do: {reason}\n"
            "Kỳ báo cáo đã được mở lại: đề nghị chỉnh sửa và gửi lại.")
