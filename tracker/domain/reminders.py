"""Who gets which reminder, and when: pure rules over an item's facts and a date.

Every rule returns the reminders that *should exist* on ``today``, each with a key naming the
event; the service stores a notification per user and key once, so running a job twice, or
catching up after missed runs, never repeats a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.formatting import format_date
from tracker.domain.status import COLOUR_LABELS, RED

DUE_SOON_DAYS = 7
DUE_LAST_DAY = 1
DIRECTIVE_SOON_DAYS = 3  # a directive's lead unit is reminded this many days before its due date


@dataclass(frozen=True)
class ItemFacts:
    """What the reminder rules need to know about a target or task as of a date."""

    kind: str
    code: str
    title: str
    start: date
    deadline: date
    colour: str
    met: bool
    last_update: date | None


@dataclass(frozen=True)
class Reminder:
    """One reminder to the lead unit: its kind, the key that makes it unique, and its text."""

    kind: str
    key: str
    title: str
    body: str


def _label(item: ItemFacts) -> str:
    """The light in words, e.g. "chậm / quá hạn"."""
    return COLOUR_LABELS[item.colour].lower()


def deadline_reminder(item: ItemFacts, today: date) -> Reminder | None:
    """Return the due-soon (7 days, 1 day) or overdue reminder due on ``today``, if any.

    The 7-day reminder covers 7 to 2 days left and the last-day one 1 or 0 days left, so a run
    missed on the exact day is caught up by the next one; the key keeps each to one message.
    """
    if item.met or today < item.start:
        return None
    days_left = (item.deadline - today).days
    deadline = format_date(item.deadline)
    if days_left < 0:
        return Reminder("overdue", f"overdue:{item.kind}:{item.code}:{item.deadline.isoformat()}",
                        f"{item.code} đã quá hạn {deadline}",
                        f"{item.code} – {item.title}: đã quá hạn {deadline} mà chưa hoàn thành. "
                        f"Trạng thái: {_label(item)}. Đề nghị cập nhật tiến độ và báo cáo nguyên nhân.")
    if days_left <= DUE_LAST_DAY:
        when = "hôm nay" if days_left == 0 else "ngày mai"
        return Reminder("due_soon", f"due1:{item.kind}:{item.code}:{item.deadline.isoformat()}",
                        f"{item.code} đến hạn {when} ({deadline})",
                        f"{item.code} – {item.title}: đến hạn {when}, {deadline}. "
                        f"Trạng thái: {_label(item)}.")
    if days_left <= DUE_SOON_DAYS:
        return Reminder("due_soon", f"due7:{item.kind}:{item.code}:{item.deadline.isoformat()}",
                        f"{item.code} còn {days_left} ngày đến hạn ({deadline})",
                        f"{item.code} – {item.title}: còn {days_left} ngày đến hạn {deadline}. "
                        f"Trạng thái: {_label(item)}.")
    return None


def stale_reminder(item: ItemFacts, today: date, stale_days: int) -> Reminder | None:
    """Return a nudge when an unfinished item has had no entry for more than ``stale_days``.

    Keyed by the last update, so one nudge per silence: a new entry starts a new count.
    """
    if item.met or today < item.start:
        return None
    since = item.last_update or item.start
    if (today - since).days <= stale_days:
        return None
    last = format_date(item.last_update) if item.last_update else "chưa có"
    return Reminder("stale", f"stale:{item.kind}:{item.code}:{since.isoformat()}",
                    f"{item.code} chưa được cập nhật quá {stale_days} ngày",
                    f"{item.code} – {item.title}: lần cập nhật gần nhất: {last}. "
                    f"Trạng thái: {_label(item)}. Đề nghị cập nhật số liệu.")


@dataclass(frozen=True)
class DirectiveFacts:
    """What the reminder rule needs to know about a leader's directive."""

    id: int
    code: str  # the item's
    title: str  # the item's
    text: str
    author: str
    due: date | None
    answered: bool


def _directive_text(directive: DirectiveFacts) -> str:
    words = " ".join(directive.text.split())
    return words if len(words) <= 300 else words[:299].rstrip() + "…"


def directive_reminder(directive: DirectiveFacts, today: date) -> Reminder | None:
    """Return the reminder of an unanswered directive with a due date: once ``DIRECTIVE_SOON_DAYS``
    (or fewer) days before it, once after it; None when answered, undated, or not yet near.

    A run missed on the exact day is caught up by the next one; the key (the directive and its due
    date) keeps each to one message, and a new due date starts again.
    """
    if directive.answered or directive.due is None:
        return None
    days_left = (directive.due - today).days
    due = format_date(directive.due)
    what = (f"Chỉ đạo của {directive.author} về {directive.code} – {directive.title}: "
            f"“{_directive_text(directive)}”.")
    if days_left < 0:
        return Reminder("overdue", f"directive-overdue:{directive.id}:{directive.due.isoformat()}",
                        f"Chỉ đạo về {directive.code} đã quá hạn {due}",
                        f"{what} Hạn trả lời: {due}, đã quá hạn mà chưa được trả lời. "
                        "Đề nghị báo cáo kết quả thực hiện và trả lời chỉ đạo.")
    if days_left <= DIRECTIVE_SOON_DAYS:
        when = "hôm nay" if days_left == 0 else f"còn {days_left} ngày"
        return Reminder("due_soon", f"directive-due:{directive.id}:{directive.due.isoformat()}",
                        f"Chỉ đạo về {directive.code} đến hạn {due} ({when})",
                        f"{what} Hạn trả lời: {due} ({when}). "
                        "Đề nghị báo cáo kết quả thực hiện và trả lời chỉ đạo.")
    return None


def turned_red(previous: str | None, current: str) -> bool:
    """True when an item is red now and was another colour in the previous snapshot.

    An item with no previous snapshot is not a change (the first snapshot would alert everything).
    """
    return current == RED and previous is not None and previous != RED


def red_alert(item: ItemFacts, today: date) -> Reminder:
    """Return the alert to leaders that ``item`` turned red on ``today``."""
    return Reminder("red", f"red:{item.kind}:{item.code}:{today.isoformat()}",
                    f"{item.code} chuyển sang đỏ",
                    f"{item.code} – {item.title}: chuyển sang {COLOUR_LABELS[RED].lower()} "
                    f"ngày {format_date(today)} (hạn {format_date(item.deadline)}).")


def previous_week(today: date) -> tuple[date, date]:
    """Return the Monday and Sunday of the week before the one containing ``today``."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def backoff_minutes(attempts: int) -> int:
    """Minutes to wait after ``attempts`` failed sends: 1, 2, 4, 8, ... capped at a day."""
    return min(2 ** max(attempts - 1, 0), 24 * 60)
