"""Loading the demo users and progress (``seed/demo.yaml``); never in production."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
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


@dataclass
class DemoResult:
    """How many demo users and entries a load added."""

    users: int = 0
    entries: int = 0
    directives: int = 0
    periods: int = 0


def load_demo(session: Session, data: Any, filename: str, *, password: str, hash_method: str,
              min_length: int, today: date) -> DemoResult:
    """Add the demo users and entries that are not there yet; refuse the whole file on error."""
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
    for spec in data.get("users") or []:
        existing = session.scalar(select(User).where(User.username == spec.get("username")))
        if existing is not None:
            users[existing.username] = existing
            continue
        try:
            user = create_user(session, commune=commune, username=spec.get("username") or "",
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
    try:
        directive = write_directive(session, users[spec.get("author")], item, spec.get("text"))
        if reply:
            answer_directive(session, users[reply.get("author")], directive, reply.get("text"))
    except KeyError as exc:
        return [f"{where}: không có người dùng {exc}"]
    except (EntryRefused, PermissionError) as exc:
        return [f"{where}: {exc}"]
    result.directives += 1
    return []


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
        if spec.get("stats"):
            record_stats(session, author, period, spec["stats"], today=today)
        if spec.get("finance"):
            record_finance(session, author, period, spec["finance"], today=today)
        if spec.get("sections"):
            save_sections(session, author, period, {str(k): v for k, v in spec["sections"].items()})
    except (EntryRefused, PermissionError) as exc:
        return [f"{where}: {exc}"]
    result.periods += 1
    return []
