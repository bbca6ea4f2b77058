"""The maintained latest entry and the SQL status rule give the rule's answer for every date."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.status import current_entry
from tracker.models import LatestEntry, ProgressEntry
from tracker.models.progress import refresh_latest_entries
from tracker.services.status import current_entries, item_status, plan_status

DAY0 = date(2025, 7, 1)


def rng(seed: int) -> random.Random:
    """A seeded generator: the same histories on every run."""
    return random.Random(seed)  # noqa: S311 (test data, not secrets)


def add_random_entries(session, rng: random.Random, items, author, count: int) -> None:
    """Add entries in small flushes: corrections of random earlier entries, dates in any order,
    several entries on one day, equal creation times."""
    made: dict[str, list[ProgressEntry]] = {i.code: [] for i in items}
    superseded: set[int] = set()
    clock = datetime(2025, 7, 1, tzinfo=UTC)
    for _ in range(count):
        item = rng.choice(items)
        open_ones = [e for e in made[item.code] if e.id not in superseded]
        old = rng.choice(open_ones) if open_ones and rng.random() < 0.3 else None
        if rng.random() < 0.7:
            clock += timedelta(minutes=rng.randint(1, 3000))
        entry = ProgressEntry(
            item_id=item.id,
            as_of=DAY0 + timedelta(days=rng.randint(0, 60)), value=rng.randint(0, 100),
            state="in_progress", percent=rng.randint(0, 100), author_id=author.id, created_at=clock,
            supersedes_id=old.id if old else None, reason="sửa" if old else None,
        )
        session.add(entry)
        if rng.random() < 0.5:
            session.flush()
        session.flush()
        made[item.code].append(entry)
        if old:
            superseded.add(old.id)


def test_sql_rule_equals_the_python_rule_on_every_date(db, plan, item, make_user):
    author = make_user("tp.tthcc", "unit_head", "TTHCC")
    items = [item("MT01"), item("MT02"), plan.tasks[0], plan.tasks[1]]
    for seed in range(4):
        add_random_entries(db.session, rng(seed), items, author, 40)
    db.session.commit()
    every = {i.code: list(db.session.scalars(select(ProgressEntry).where(ProgressEntry.item_id == i.id)))
             for i in items}
    for offset in range(-1, 63):
        day = DAY0 + timedelta(days=offset)
        by_item = current_entries(db.session, [plan.id], day)
        rows = {r.code: r for r in plan_status(db.session, plan, day)}
        for i in items:
            expected = current_entry([e for e in every[i.code] if e.as_of <= day], day)
            found = by_item.get(i.id)
            wanted = expected.id if expected else None
            assert (found.id if found else None) == wanted, (i.code, day)
            assert (rows[i.code].entry.id if rows[i.code].entry else None) == wanted
            single = item_status(db.session, i, day).entry
            assert (single.id if single else None) == wanted


def test_at_deadline_takes_each_item_at_its_own_deadline(db, plan, item, make_user):
    author = make_user("tp.tthcc", "unit_head", "TTHCC")
    items = [item("MT01"), plan.tasks[0]]
    add_random_entries(db.session, rng(7), items, author, 30)
    db.session.commit()
    for i in items:
        i.deadline = DAY0 + timedelta(days=30)
    db.session.commit()
    for day in (DAY0 + timedelta(days=20), DAY0 + timedelta(days=45), DAY0 + timedelta(days=90)):
        by_item = current_entries(db.session, [plan.id], day, at_deadline=True)
        for i in items:
            mine = list(db.session.scalars(select(ProgressEntry).where(ProgressEntry.item_id == i.id)))
            then = min(day, i.deadline)
            expected = current_entry([e for e in mine if e.as_of <= then], then)
            found = by_item.get(i.id)
            assert (found.id if found else None) == (expected.id if expected else None)


def test_the_maintained_rows_equal_a_rebuild(db, plan, item, make_user):
    author = make_user("tp.tthcc", "unit_head", "TTHCC")
    add_random_entries(db.session, rng(3), [item("MT01"), item("MT05"), plan.tasks[2]], author, 50)
    db.session.commit()

    def rows():
        return sorted((r.item_id, r.entry_id, r.last_as_of)
                      for r in db.session.scalars(select(LatestEntry)))

    kept = rows()
    assert len(kept) == 5, "the three items, and NV01, NV02 done per the plan's document"
    refresh_latest_entries(db.session.connection())
    db.session.commit()
    assert rows() == kept


def test_concurrent_entries_on_one_item_leave_the_right_latest_entry(db, plan, item, make_user):
    """Two transactions log on one item at once (PostgreSQL): the second waits for the first's lock
    on the item, then sees its entry, so the pointer is the rule's answer, not the second's guess."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    author_id = make_user("tp.tthcc", "unit_head", "TTHCC").id
    target_id = item("MT02").id
    first_flushed = threading.Event()
    engine = db.engine  # the threads have no app context

    def log(day: date, wait: threading.Event | None) -> None:
        with Session(engine) as session:
            session.add(ProgressEntry(item_id=target_id, as_of=day, value=day.day, author_id=author_id))
            if wait is None:
                session.flush()
                first_flushed.set()
                time.sleep(0.5)  # the other transaction blocks on the item meanwhile
            else:
                wait.wait(5)
                session.flush()
            session.commit()

    later = threading.Thread(target=log, args=(date(2025, 10, 10), None))
    earlier = threading.Thread(target=log, args=(date(2025, 10, 1), first_flushed))
    later.start()
    earlier.start()
    later.join()
    earlier.join()
    db.session.expire_all()
    latest = db.session.scalars(select(LatestEntry).where(LatestEntry.item_id == target_id)).one()
    assert latest.last_as_of == date(2025, 10, 10)
    assert db.session.get(ProgressEntry, latest.entry_id).as_of == date(2025, 10, 10)
