"""Each page runs a bounded number of SQL statements, the same whatever the size of the data.

The pages are served by the test client at two sizes of data (1× and 5× the entries, periods
and directives); a ``before_cursor_execute`` listener counts the statements each request sends.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.conftest import PASSWORD
from tracker.extensions import db as _db
from tracker.models import ProgressEntry
from tracker.services.directives import write_directive
from tracker.services.periods import PeriodInput, create_period
from tracker.services.snapshots import take_snapshot
from tracker.services.status import plans_status
from tracker.services.users import create_user

FIRST_WEEK = date(2025, 7, 7)
WEEKS = 16
PAST = (FIRST_WEEK + timedelta(weeks=6)).isoformat()  # a date before most entries: the SQL rule runs

# The page (who asks for it) and the most statements it may send: measured, plus one. The counts
# must be equal at both sizes; raise a bound only with a reason. "about" is the floor that every
# signed-in page pays (the user, with their commune, its plan and the inbox badge's count in one
# statement).
PAGES = {
    "about": ("leader", "/about", 3),
    "dashboard": ("leader", "/plan", 6),
    "attention": ("leader", "/attention", 6),
    "dashboard-past": ("leader", f"/plan?as_of={PAST}", 6),
    "item": ("leader", "/items/MT02", 14),
    "item-past": ("leader", f"/items/MT02?as_of={PAST}", 14),
    "item-task": ("head", "/items/NV01", 14),
    "unit": ("leader", "/units/TTHCC", 10),
    "my-unit": ("head", "/my", 5),
    "scorecard": ("leader", "/scorecard", 5),
    "reports": ("secretary", "/reports", 4),
    "period": ("secretary", "/reports/{period}", 13),  # 13th: the signed copy (ký số) with its uploader
    "summary": ("leader", "/summary", 5),
    "report-pdf": ("leader", "/reports/{period}/report.pdf", 8),
    "province-rollup": ("province", "/province", 8),
    "province-rollup-past": ("province", f"/province?as_of={PAST}", 8),
    "province-commune": ("province", "/plan?commune={commune}", 7),
}


def engine_of(app):
    """Return the engine of ``app`` (the test client's app and the fixtures' app have one each)."""
    with app.app_context():
        return _db.engine


@contextmanager
def counting(engine):
    """Count the statements sent through ``engine`` inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def grow(session, plan, users, first: int, last: int) -> None:
    """Add copies ``first``..``last - 1`` of the data: an entry per item per week, a weekly
    period (a copy per year, so they never overlap), directives and a nightly snapshot per copy."""
    items = [*plan.targets, *plan.tasks]
    for copy in range(first, last):
        for week in range(WEEKS):
            day = FIRST_WEEK + timedelta(weeks=week, days=copy % 5)
            for n, item in enumerate(items):
                progress = item in plan.tasks or item.measure == "milestone"
                session.add(ProgressEntry(
                    item_id=item.id, as_of=day,
                    value=None if progress else float(week + n + copy),
                    numerator=float(week + 1) if not progress and item.measure == "ratio" else None,
                    denominator=float(WEEKS) if not progress and item.measure == "ratio" else None,
                    state="in_progress" if progress else None, percent=float(week * 5) if progress else None,
                    note=f"Tuần {week}", author_id=users["head"].id))
        start = date(2023 + copy, 9, 1)
        create_period(session, users["secretary"], plan.commune,
                      PeriodInput("week", start, start + timedelta(days=6), report_number=str(copy)))
        for item in (plan.targets[1], plan.tasks[0], plan.targets[copy % 3]):
            write_directive(session, users["leader"], item, f"Chỉ đạo số {copy}")
        session.flush()
        take_snapshot(session, plan, FIRST_WEEK + timedelta(weeks=WEEKS, days=copy))
    session.commit()


def measure(app, users, period_id: int, seen: dict) -> dict[str, int]:
    """Serve every page once as its user; return how many statements each sent (and keep them in
    ``seen``, to show what differs)."""
    counts = {}
    for name, (who, path, _) in PAGES.items():
        client = app.test_client()
        response = client.post("/login", data={"username": users[who].username, "password": PASSWORD})
        assert response.status_code == 302, name
        with counting(engine_of(app)) as statements:
            response = client.get(path.format(period=period_id, commune=users["leader"].commune.code))
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
        seen[name] = statements
    return counts


@pytest.fixture
def users(db, plan, make_user, data_app):
    """A leader, a secretary, the head of TTHCC (which leads MT02 and NV01), a province leader."""
    province = create_user(db.session, province=plan.commune.province, username="tinh", password=PASSWORD,
                           role="leader", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                           min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    return {"leader": make_user("bithu", "leader", "TTDU"),
            "secretary": make_user("vanthu", "secretary", "VP"),
            "head": make_user("tp.tthcc", "unit_head", "TTHCC"), "province": province}


def test_pages_send_a_bounded_number_of_statements_whatever_the_data_size(app, db, plan, users):
    pytest.importorskip("weasyprint")
    period = create_period(db.session, users["secretary"], plan.commune,
                           PeriodInput("month", FIRST_WEEK, FIRST_WEEK + timedelta(days=30)))
    db.session.commit()
    grow(db.session, plan, users, 0, 1)
    small = measure(app, users, period.id, {})
    grow(db.session, plan, users, 1, 5)
    large = measure(app, users, period.id, seen_large := {})
    assert large == small, {n: seen_large[n] for n in large if large[n] != small[n]}
    assert {name: n for name, n in small.items() if n > PAGES[name][2]} == {}


def test_plans_status_sends_a_fixed_number_of_statements(db, plan, users):
    grow(db.session, plan, users, 0, 1)
    db.session.refresh(plan)
    with counting(db.engine) as statements:
        rows = plans_status(db.session, [plan], FIRST_WEEK + timedelta(weeks=4))
    # A plan's lights take one statement: every item with its lead unit and its current entry.
    assert len(statements) == 1
    assert len(rows[plan.id]) == len(plan.targets) + len(plan.tasks)
