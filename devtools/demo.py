"""Loading the demo users and progress (``seed/demo.yaml``); never in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker.domain.entries import EntryInput
from tracker.domain.seed_file import SeedError
from tracker.models import ProgressEntry, ReportingPeriod, User
from tracker.services.access import current_plan, find_commune, find_item
from tracker.services.directives import answer_directive, item_directives, write_directive
from tracker.services.errors import EntryRefused, NotFound
from tracker.services.figures import record_finance, record_stats
from tracker.services.narratives import save_sections
from tracker.services.periods import PeriodInput, create_period
from tracker.services.progress import log_progress
from tracker.services.users import UserError, create_user

DEMO_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the demo commune's clock


def office_time(day: date, minutes: int = 0) -> datetime:
    """``day`` at 08:00 in the commune plus ``minutes`` (kept within office hours), in UTC."""
    local = datetime.combine(day, time(8), DEMO_ZONE) + timedelta(minutes=minutes % 450)
    return local.astimezone(UTC)


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@contextmanager
def _demo_clock(session: Session) -> Iterator[None]:
    """Date what the demo records as if it had been entered then, not at seeding time.

    A unit's entry is recorded on the day of its figures, in office hours; a derived entry a few
    minutes after its period was opened (the working day after the period ends). Entries are
    append-only, so their time is set before they are first written.
    """
    target = session() if callable(session) else session  # the scoped session's own Session

    def stamp(flushing: Session, _context, _instances) -> None:
        for obj in flushing.new:
            if not isinstance(obj, ProgressEntry):
                continue
            if obj.period_id is not None:
                period = flushing.get(ReportingPeriod, obj.period_id)
                obj.created_at = period.created_at + timedelta(minutes=20)
            else:
                obj.created_at = office_time(obj.as_of, 37 * (obj.item_id or 0) + 60)

    event.listen(target, "before_flush", stamp)
    try:
        yield
    finally:
        event.remove(target, "before_flush", stamp)


@dataclass
class DemoResult:
    """How many demo users and entries a load added."""

    users: int = 0
    entries: int = 0
    directives: int = 0
    periods: int = 0


def load_demo(session: Session, data: Any, filename: str, *, password: str, hash_method: str,
              min_length: int, today: date) -> DemoResult:
    """Add the demo users and entries that are not there yet; refuse the whole file on error.

    What it records is dated as if entered at the time of the figures (``_demo_clock``), so pages
    and screenshots read sensibly beside the 2025 data.
    """
    with _demo_clock(session):
        return _load_demo(session, data, filename, password=password, hash_method=hash_method,
                          min_length=min_length, today=today)


def _load_demo(session: Session, data: Any, filename: str, *, password: str, hash_method: str,
               min_length: int, today: date) -> DemoResult:
    if not isinstance(data, dict):
        raise SeedError([f"{filename}: tệp phải là một bảng khóa: giá trị"])
    try:
        commune = find_commune(session, data.get("commune"))
        plan = current_plan(session, commune.id)
    except NotFound as exc:
        raise SeedError([f"{filename}: {exc}"]) from None
    result = DemoResult()
    problems: list[str] = []
    users: dict[str, User] = {}
    # The commune's accounts, then the province's (``province_users``: no unit, the whole province).
    accounts = [(spec, {"commune": commune}) for spec in data.get("users") or []]
    accounts += [(spec, {"province": commune.province}) for spec in data.get("province_users") or []]
    for spec, scope in accounts:
        existing = session.scalar(select(User).where(User.username == spec.get("username")))
        if existing is not None:
            users[existing.username] = existing
            continue
        try:
            user = create_user(session, **scope, username=spec.get("username") or "",
                               password=password, role=spec.get("role") or "",
                               full_name=spec.get("full_name"), unit_code=spec.get("unit"),
                               hash_method=hash_method, min_length=min_length)
        except UserError as exc:
            problems.append(f"{filename}: người dùng {spec.get('username')}: {exc.field}: {exc.message}")
            continue
        users[user.username] = user
        result.users += 1
    for i, spec in enumerate(data.get("entries") or []):
        where = f"{filename}: entries[{i}] ({spec.get('item')})"
        try:
            item = find_item(session, plan, str(spec.get("item")))
        except NotFound as exc:
            problems.append(f"{where}: {exc}")
            continue
        author = users.get(spec.get("author"))
        if author is None:
            problems.append(f"{where}: không có người dùng '{spec.get('author')}'")
            continue
        if session.scalar(select(ProgressEntry.id).where(
                ProgressEntry.item_id == item.id, ProgressEntry.as_of == spec.get("as_of"),
                ProgressEntry.author_id == author.id)) is not None:
            continue
        document = spec.get("document") or {}
        entry = EntryInput(
            as_of=spec.get("as_of"), value=spec.get("value"), numerator=spec.get("numerator"),
            denominator=spec.get("denominator"), state=spec.get("state"),
            percent=spec.get("percent"), note=spec.get("note"),
            doc_number=document.get("number"), doc_date=document.get("date"),
            doc_issuer=document.get("issuer"), doc_summary=document.get("summary"),
        )
        try:
            log_progress(session, author, item, entry, today=today)
        except (EntryRefused, PermissionError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        result.entries += 1
    for i, spec in enumerate(data.get("periods") or []):
        problems.extend(_load_period(session, commune, users, spec, f"{filename}: periods[{i}]", result,
                                     today))
    for i, spec in enumerate(data.get("directives") or []):
        problems.extend(_load_directive(session, plan, users, spec, f"{filename}: directives[{i}]", result))
    if problems:
        raise SeedError(problems)
    return result


def _load_directive(session: Session, plan, users: dict[str, User], spec: dict, where: str,
                    result: DemoResult) -> list[str]:
    """Add one demo directive (and its reply) unless the same text is already there."""
    try:
        item = find_item(session, plan, str(spec.get("item")))
    except NotFound as exc:
        return [f"{where}: {exc}"]
    if any(d.text == spec.get("text") for d in item_directives(session, item)):
        return []
    reply = spec.get("reply") or {}
    written = _last_figures_day(session, item) + timedelta(days=1)
    try:
        directive = write_directive(session, users[spec.get("author")], item, spec.get("text"))
        directive.created_at = office_time(written, 90)
        if reply:
            answer_directive(session, users[reply.get("author")], directive, reply.get("text"),
                             now=office_time(_next_working_day(written), 360))
    except KeyError as exc:
        return [f"{where}: không có người dùng {exc}"]
    except (EntryRefused, PermissionError) as exc:
        return [f"{where}: {exc}"]
    result.directives += 1
    return []


def _last_figures_day(session: Session, item) -> date:
    """The day of the item's latest demo figures (a leader's directive follows them)."""
    last = session.scalar(select(ProgressEntry.as_of).where(ProgressEntry.item_id == item.id)
                          .order_by(ProgressEntry.as_of.desc()).limit(1))
    return last or item.plan.tracking_start


def _load_period(session: Session, commune, users: dict[str, User], spec: dict, where: str,
                 result: DemoResult, today: date) -> list[str]:
    """Add one demo reporting period with its statistics and finance, unless it exists."""
    exists = session.scalar(select(ReportingPeriod).where(
        ReportingPeriod.commune_id == commune.id, ReportingPeriod.kind == spec.get("kind"),
        ReportingPeriod.start_date == spec.get("start_date")))
    if exists is not None:
        return []
    author = users.get(spec.get("author"))
    if author is None:
        return [f"{where}: không có người dùng '{spec.get('author')}'"]
    try:
        period = create_period(session, author, commune, PeriodInput(
            kind=spec.get("kind"), start_date=spec.get("start_date"), end_date=spec.get("end_date"),
            report_number=spec.get("report_number")))
        period.created_at = office_time(_next_working_day(period.end_date), 60)
        if spec.get("stats"):
            record_stats(session, author, period, spec["stats"], today=today)
        if spec.get("finance"):
            record_finance(session, author, period, spec["finance"], today=today)
        if spec.get("sections"):
            save_sections(session, author, period, {str(k): v for k, v in spec["sections"].items()})
    except (EntryRefused, PermissionError) as exc:
        return [f"{where}: {exc}"]
    if period.last_changed_at is not None:
        period.last_changed_at = period.created_at + timedelta(minutes=30)
    result.periods += 1
    return []
