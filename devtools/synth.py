"""Synthetic province data for measurement: communes, plans from the template, users, weekly
progress entries and weekly statistics, deterministic for a seed number.

Rows are written with bulk inserts (``session.execute(insert(Model), rows)``), one commune's
entries at a time, so 96 communes × 18 months take minutes, not hours, on SQLite or PostgreSQL.
Every value (dates, figures, ``created_at``) comes from the seeded generator, never the clock,
so two runs with the same arguments on empty databases write identical rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from tracker.domain.plan_template import adapt_template
from tracker.domain.seed_file import CommuneSpec, PlanSeed, TargetSpec, TaskSpec
from tracker.models import (
    Commune,
    Plan,
    PlanItem,
    ProcedureStats,
    ProgressEntry,
    Province,
    ReportingPeriod,
    Target,
    Task,
    Unit,
    User,
)
from tracker.models.plan import item_support, task_target
from tracker.models.progress import refresh_latest_entries
from tracker.services.figures import derived_words
from tracker.services.seeding import assignment_columns

CODE_PREFIX = "synth-"
# The synthetic communes' own province: never the template's real one (Tỉnh Quảng Ngãi), whose pages,
# roll-up and users must not see test communes.
SYNTH_PROVINCE_CODE = "synth-tinh"
SYNTH_PROVINCE_NAME = "Tỉnh Thử Nghiệm (dữ liệu tổng hợp)"
CHUNK = 20_000


class SynthError(ValueError):
    """Synthetic data cannot be created (e.g. the communes already exist)."""


@dataclass(frozen=True)
class SynthOptions:
    """What to create: ``communes`` communes with ``months`` months of weekly history."""

    communes: int
    months: int
    seed: int = 1
    history_factor: int = 1  # entries per item per week
    start: date | None = None  # default: the template plan's tracking start


@dataclass
class SynthResult:
    """Row counts and seconds per stage."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def synth_usernames(commune_code: str, lead_units: list[str]) -> dict[str, str]:
    """Return the usernames of a synthetic commune: role or unit code -> username."""
    names = {"leader": f"{commune_code}.lanhdao", "secretary": f"{commune_code}.vanphong",
             "admin": f"{commune_code}.quantri"}
    names.update({code: f"{commune_code}.{code.lower()}" for code in lead_units})
    return names


def weeks_between(start: date, end: date) -> list[date]:
    """Return the Mondays of every week that overlaps ``start``..``end``."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months (clamped to the month's length)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def synthetic_province(session: Session) -> Province:
    """The synthetic province, created the first time (never the real province of the template)."""
    province = session.scalar(select(Province).where(Province.code == SYNTH_PROVINCE_CODE))
    if province is None:
        province = Province(code=SYNTH_PROVINCE_CODE, name=SYNTH_PROVINCE_NAME)
        session.add(province)
        session.flush()
    return province


def create_synthetic_province(session: Session, template: PlanSeed, options: SynthOptions, *,
                              password_hash: str, log: Callable[[str], None] = lambda _: None,
                              ) -> SynthResult:
    """Create the synthetic communes in a synthetic province of their own; the caller commits."""
    if options.communes < 1 or options.months < 1 or options.history_factor < 1:
        raise SynthError("Số xã, số tháng và hệ số lịch sử phải từ 1 trở lên.")
    result = SynthResult()
    rng = random.Random(options.seed)  # noqa: S311 (test data, not secrets)
    start = options.start or template.plan.tracking_start
    end = add_months(start, options.months) - timedelta(days=1)
    weeks = weeks_between(start, end)
    codes = [f"{CODE_PREFIX}{i:03d}" for i in range(1, options.communes + 1)]
    if session.scalar(select(Commune.id).where(Commune.code.in_(codes)).limit(1)):
        raise SynthError("Dữ liệu tổng hợp đã có trong cơ sở dữ liệu (xã synth-…): dùng cơ sở dữ liệu trống.")

    def stage(name: str, began: float) -> None:
        result.seconds[name] = round(time.perf_counter() - began, 2)
        log(f"  {name}: {result.seconds[name]:.2f} s")

    began = time.perf_counter()
    province = synthetic_province(session)
    session.execute(insert(Commune), [
        {"code": code, "name": f"Xã Thử Nghiệm {i:03d}", "province_id": province.id}
        for i, code in enumerate(codes, start=1)])
    communes = dict(session.execute(select(Commune.code, Commune.id).where(Commune.code.in_(codes))).all())
    seeds = {code: adapt_template(template, CommuneSpec(code, f"Xã Thử Nghiệm {i:03d}", province.name), {})
             for i, code in enumerate(codes, start=1)}
    units = _insert_units(session, seeds, communes)
    plans = _insert_plans(session, seeds, communes)
    items = _insert_items(session, seeds, plans, units)
    users = _insert_users(session, seeds, communes, units, province.id, password_hash)
    result.rows.update(communes=len(communes), units=len(units), plans=len(plans), items=len(items),
                       users=len(users))
    stage("xã, đơn vị, kế hoạch, người dùng", began)

    began = time.perf_counter()
    periods = _insert_periods(session, rng, codes, communes, weeks, users)
    result.rows["periods"] = len(periods)
    stage("kỳ báo cáo tuần và số liệu TTHC", began)

    began = time.perf_counter()
    result.rows["entries"] = 0
    for code in codes:
        rows = _entries_of(rng, seeds[code], code, items, users, weeks, start, end, periods,
                           options.history_factor)
        _insert_entries(session, rows)
        result.rows["entries"] += len(rows)
    stage("số liệu tiến độ", began)

    began = time.perf_counter()
    # Bulk inserts bypass the flush that keeps each item's latest entry: rebuild them at once.
    refresh_latest_entries(session.connection())
    stage("số liệu hiện hành của từng mục (latest_entry)", began)

    began = time.perf_counter()
    session.flush()
    session.execute(text("ANALYZE"))  # fresh planner statistics after a bulk load
    stage("thống kê cho bộ lập kế hoạch truy vấn (ANALYZE)", began)
    return result


def _insert_entries(session: Session, rows: list[dict]) -> None:
    """Bulk-insert progress entries: PostgreSQL's COPY through psycopg when available (about ten
    times faster than an INSERT per row there), else ``session.execute(insert(Model), rows)``."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        from psycopg import sql

        driver = connection.connection.driver_connection
        columns = list(rows[0])  # every row has the same keys, in the same order
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(ProgressEntry.__tablename__), sql.SQL(", ").join(map(sql.Identifier, columns)))
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    for offset in range(0, len(rows), CHUNK):
        session.execute(insert(ProgressEntry), rows[offset:offset + CHUNK])


def _insert_units(session: Session, seeds: dict[str, PlanSeed], communes: dict[str, int]
                  ) -> dict[tuple[str, str], int]:
    rows = [{"commune_id": communes[code], "code": u.code, "name": u.name, "kind": u.kind, "duty": u.duty,
             "sort_order": order} for code, seed in seeds.items() for order, u in enumerate(seed.units)]
    session.execute(insert(Unit), rows)
    by_id = {v: k for k, v in communes.items()}
    units = {(by_id[c], u): i for i, c, u in session.execute(
        select(Unit.id, Unit.commune_id, Unit.code).where(Unit.commune_id.in_(communes.values())))}
    parents = [{"id": units[(code, u.code)], "parent_id": units[(code, u.parent)]}
               for code, seed in seeds.items() for u in seed.units if u.parent]
    if parents:
        session.execute(update(Unit), parents)
    return units


def _insert_plans(session: Session, seeds: dict[str, PlanSeed], communes: dict[str, int]) -> dict[str, int]:
    session.execute(insert(Plan), [
        {"commune_id": communes[code], "code": s.plan.code, "number": s.plan.number, "title": s.plan.title,
         "issuing_body": s.plan.issuing_body, "implements": s.plan.implements,
         "issued_date": s.plan.issued_date, "tracking_start": s.plan.tracking_start,
         "end_date": s.plan.end_date} for code, s in seeds.items()])
    by_id = {v: k for k, v in communes.items()}
    return {by_id[c]: i for i, c in session.execute(
        select(Plan.id, Plan.commune_id).where(Plan.commune_id.in_(communes.values())))}


def _insert_items(session: Session, seeds: dict[str, PlanSeed], plans: dict[str, int],
                  units: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Insert targets, tasks and their links; return (commune code, item code) -> id."""
    session.execute(insert(Target), [
        {"plan_id": plans[code], "kind": "target", "code": t.code, "title": t.title, "section": t.section,
         "measure": t.measure, "target_value": t.target, "baseline": t.baseline, "direction": t.direction,
         "unit_label": t.unit_label, "numerator_label": t.numerator_label,
         "denominator_label": t.denominator_label, "start_date": t.start_date, "deadline": t.deadline,
         "lead_unit_id": units[(code, t.lead)], "source": t.source, "derived_from": t.derived_from,
         "sort_order": order, **assignment_columns(t)}
        for code, s in seeds.items() for order, t in enumerate(s.targets)])
    session.execute(insert(Task), [
        {"plan_id": plans[code], "kind": "task", "code": t.code, "title": t.title, "deadline_group": t.group,
         "start_date": t.start_date, "deadline": t.deadline, "lead_unit_id": units[(code, t.lead)],
         "source": t.source, "sort_order": order, "deliverable": t.deliverable, **assignment_columns(t)}
        for code, s in seeds.items() for order, t in enumerate(s.tasks)])
    by_plan = {v: k for k, v in plans.items()}
    items: dict[tuple[str, str], int] = {}
    for i, p, c in session.execute(select(PlanItem.id, PlanItem.plan_id, PlanItem.code)
                                   .where(PlanItem.plan_id.in_(plans.values()))):
        items[(by_plan[p], c)] = i
    links = {item_support: [], task_target: []}
    for code, s in seeds.items():
        for t in (*s.targets, *s.tasks):
            links[item_support] += [{"item_id": items[(code, t.code)], "unit_id": units[(code, u)]}
                                    for u in t.support]
        for t in s.tasks:
            links[task_target] += [{"task_id": items[(code, t.code)], "target_id": items[(code, x)]}
                                   for x in t.targets]
    for table, rows in links.items():
        if rows:
            session.execute(table.insert(), rows)
    return items


def _insert_users(session: Session, seeds: dict[str, PlanSeed], communes: dict[str, int],
                  units: dict[tuple[str, str], int], province_id: int, password_hash: str,
                  ) -> dict[tuple[str, str], int]:
    """Insert each commune's admin, leader, secretary and one head per lead unit, and two province
    users; return (commune code or "", role or unit code) -> user id."""
    created = datetime(2025, 1, 1, tzinfo=UTC)
    common = {"password_hash": password_hash, "active": True, "session_version": 1, "created_at": created,
              "email": None}
    rows = []
    for code, seed in seeds.items():
        leads = sorted({i.lead for i in (*seed.targets, *seed.tasks)})
        for key, username in synth_usernames(code, leads).items():
            role = key if key in ("leader", "secretary", "admin") else "unit_head"
            rows.append({**common, "commune_id": communes[code], "province_id": None, "username": username,
                         "full_name": username, "role": role,
                         "unit_id": units[(code, key)] if role == "unit_head" else None})
    province_users = {"leader": "synth.tinh.lanhdao", "secretary": "synth.tinh.vanphong"}
    existing = set(session.scalars(select(User.username).where(User.username.in_(province_users.values()))))
    rows += [{**common, "commune_id": None, "province_id": province_id, "username": name, "full_name": name,
              "role": role, "unit_id": None}
             for role, name in province_users.items() if name not in existing]
    session.execute(insert(User), rows)
    by_id = {v: k for k, v in communes.items()}
    unit_codes = {uid: unit_code for (_, unit_code), uid in units.items()}
    users = {}
    for uid, cid, role, unit_id in session.execute(
            select(User.id, User.commune_id, User.role, User.unit_id)
            .where(User.commune_id.in_(communes.values()))):
        users[(by_id[cid], role if unit_id is None else f"head:{unit_codes[unit_id]}")] = uid
    return users


def _insert_periods(session: Session, rng: random.Random, codes: list[str], communes: dict[str, int],
                    weeks: list[date], users: dict[tuple[str, str], int]) -> dict[tuple[str, date], dict]:
    """Insert a submitted weekly period with consistent TTHC statistics per commune and week."""
    rows, figures = [], {}
    for code in codes:
        carried = rng.randint(0, 20)
        for monday in weeks:
            sunday = monday + timedelta(days=6)
            new_total = rng.randint(20, 200)
            online = round(new_total * rng.uniform(0.3, 0.95))
            online_full = round(online * rng.uniform(0.4, 0.9))
            postal = rng.randint(0, min(5, new_total - online))
            in_person = new_total - online - postal
            flow = carried + new_total
            pending = rng.randint(0, max(0, flow // 5))
            overdue = rng.randint(0, pending // 4)
            late = rng.randint(0, (flow - pending) // 20)
            stats = {
                "tthc_total": 354, "tthc_published": 354, "tthc_online_full": 110, "tthc_online_partial": 218,
                "tthc_in_person": 26, "tthc_postal": 40, "tthc_boundary_free": 300,
                "tthc_active_online_full": rng.randint(10, 110),
                "tthc_active_online_partial": rng.randint(10, 218),
                "tthc_active_in_person": rng.randint(0, 26), "dossiers_carried_over": carried,
                "dossiers_new_total": new_total, "dossiers_new_online": online,
                "dossiers_new_online_full": online_full, "dossiers_new_online_partial": online - online_full,
                "dossiers_new_in_person": in_person, "dossiers_new_postal": postal,
                "resolved_on_time": flow - pending - late, "resolved_late": late,
                "pending_not_due": pending - overdue, "pending_overdue": overdue,
                "pending_overdue_cumulative": overdue + rng.randint(0, 3),
                "entered_late": rng.randint(0, min(3, new_total)),
            }
            figures[(code, monday)] = stats
            carried = pending
            rows.append({"commune_id": communes[code], "kind": "week", "start_date": monday,
                         "end_date": sunday,
                         "status": "submitted", "report_number": None, "report_date": sunday,
                         "submitted_at": datetime.combine(sunday, dtime(10), UTC),
                         "submitted_by_id": users[(code, "secretary")],
                         "created_at": datetime.combine(monday, dtime(8), UTC), "version": 1})
    session.execute(insert(ReportingPeriod), rows)
    ids = {(cid, start): pid for pid, cid, start in session.execute(
        select(ReportingPeriod.id, ReportingPeriod.commune_id, ReportingPeriod.start_date)
        .where(ReportingPeriod.commune_id.in_(communes.values()), ReportingPeriod.kind == "week"))}
    stats_rows = []
    for (code, monday), stats in figures.items():
        stats_rows.append({**stats, "period_id": ids[(communes[code], monday)],
                           "updated_by_id": users[(code, "secretary")],
                           "updated_at": datetime.combine(monday + timedelta(days=6), dtime(9), UTC)})
    for offset in range(0, len(stats_rows), CHUNK):
        session.execute(insert(ProcedureStats), stats_rows[offset:offset + CHUNK])
    return figures


def _entries_of(rng: random.Random, seed: PlanSeed, code: str, items: dict[tuple[str, str], int],
                users: dict[tuple[str, str], int], weeks: list[date], start: date, end: date,
                figures: dict[tuple[str, date], dict], factor: int) -> list[dict]:
    """Return the progress entries of one commune: ``factor`` per item per week, in a fixed order."""
    rows: list[dict] = []
    for spec in (*seed.targets, *seed.tasks):
        item_id = items[(code, spec.code)]
        # Each item has its own pace: how far along it gets by its deadline (some finish, some lag),
        # and a week after which it stops being updated (stale data), or never.
        reach = rng.uniform(0.6, 1.3)
        stops = rng.random() < 0.1
        stop_week = rng.randint(len(weeks) // 3, len(weeks)) if stops else len(weeks)
        first = max(start, spec.start_date)
        span = max(1, (spec.deadline - first).days)
        derived = isinstance(spec, TargetSpec) and spec.derived_from
        author = users[(code, "secretary" if derived else f"head:{spec.lead}")]
        for monday in weeks[:stop_week]:
            for j in range(factor):
                day = monday + timedelta(days=(j * 7) // factor + (6 if factor == 1 else 0))
                if day < first or day > end:
                    continue
                elapsed = min(1.0, (day - first).days / span)
                rows.append(_entry(rng, spec, item_id, day, elapsed * reach, author,
                                   figures.get((code, monday)), j))
    return rows


def _entry(rng: random.Random, spec: TargetSpec | TaskSpec, item_id: int, day: date, progress: float,
           author: int, stats: dict | None, j: int) -> dict:
    is_target = isinstance(spec, TargetSpec)
    row = {"item_id": item_id, "as_of": day, "value": None, "numerator": None, "denominator": None,
           "state": None, "percent": None, "note": None, "doc_number": None, "doc_date": None,
           "doc_issuer": None, "doc_summary": None, "author_id": author, "supersedes_id": None,
           "reason": None, "period_id": None, "created_at": datetime.combine(day, dtime(9, j % 60), UTC)}
    noise = rng.uniform(-0.03, 0.03)
    if not is_target or spec.measure == "milestone":
        percent = max(0.0, min(100.0, round((progress + noise) * 100)))
        blocked = rng.random() < 0.02
        state = ("done" if percent >= 100 else "blocked" if blocked else
                 "not_started" if percent == 0 else "in_progress")
        row.update(state=state, percent=percent)
        row["note"] = "Đã hoàn thành." if state == "done" else None
    elif spec.measure == "ratio":
        if spec.derived_from == "dossiers_online_full_share" and stats is not None:
            numerator, denominator = stats["dossiers_new_online_full"], stats["dossiers_new_total"]
        else:
            denominator = rng.randint(1_000, 5_000)
            share = max(0.0, min(1.0, (spec.target or 100) / 100 * (progress + noise)))
            numerator = round(denominator * share)
        row.update(numerator=numerator, denominator=denominator)
        if spec.derived_from:
            row["note"] = f"Tính từ số liệu kỳ báo cáo: {derived_words(spec.derived_from)}."
    else:
        goal, base = spec.target or 0.0, spec.baseline or 0.0
        value = base + (goal - base) * max(0.0, progress + noise)
        value = min(value, 100.0) if spec.measure == "percent" else value
        row["value"] = round(value) if spec.measure == "count" else round(value, 1)
    return row
