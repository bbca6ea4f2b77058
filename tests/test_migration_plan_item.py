"""Migrations 0010 and 0011: targets and tasks become one plan_item table, item_id everywhere,
derived entries get period_id and a Vietnamese note; and back, with the data.

Runs on the suite's database kind: a file of its own on SQLite, a database of its own (created and
dropped here) on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import inspect, select, text

from tests.conftest import ROOT
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

NOW = datetime(2025, 11, 1, 8, 0, tzinfo=UTC)
OLD_NOTE = ("[kỳ #1] Từ số liệu kỳ báo cáo 27/10/2025–02/11/2025 "
            "(dossiers_new_online_full ÷ dossiers_new_total).")
NEW_NOTE = ("Tính từ số liệu kỳ báo cáo tuần 27/10/2025–02/11/2025: hồ sơ trực tuyến toàn trình ÷ "
            "hồ sơ tiếp nhận mới trong kỳ.")
PERSON_NOTE = "[kỳ #1] ghi chú của một người, không phải của máy"

# The 0006 backfill of latest_entry, as the application kept it before 0010.
LATEST = """
INSERT INTO latest_entry ({column}, entry_id, last_as_of)
SELECT p.{column},
       (SELECT e.id FROM progress_entry e WHERE e.{column} = p.{column}
           AND NOT EXISTS (SELECT 1 FROM progress_entry s WHERE s.supersedes_id = e.id)
         ORDER BY e.as_of DESC, e.created_at DESC, e.id DESC LIMIT 1),
       MAX(p.as_of)
  FROM progress_entry p WHERE p.{column} IS NOT NULL GROUP BY p.{column}
"""


def insert(conn, table: str, **values) -> None:
    names = ", ".join(values)
    marks = ", ".join(":" + n for n in values)
    conn.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'), values)  # noqa: S608 (fixed names)


def seed_old_shape(conn) -> None:
    """A plan in the 0009 shape: two targets, two tasks (ids that clash with the targets'), their
    supports and links, entries (a correction, a derived entry, a person's look-alike note),
    directives, snapshots and a legal document."""
    insert(conn, "province", id=1, code="p", name="Tỉnh")
    insert(conn, "commune", id=1, code="c", name="Xã", province_id=1)
    for i in (1, 2):
        insert(conn, "unit", id=i, commune_id=1, code=f"U{i}", name=f"Đơn vị {i}", kind="agency",
               sort_order=i)
    insert(conn, "user", id=1, commune_id=1, unit_id=1, username="u", full_name="U", password_hash="x",
           role="unit_head", active=True, session_version=0, created_at=NOW)
    insert(conn, "plan", id=1, commune_id=1, code="KH", title="Kế hoạch", issuing_body="UBND",
           tracking_start=date(2025, 1, 1), end_date=date(2025, 12, 31), green_threshold=0.9,
           amber_threshold=0.8, stale_days=30)
    common = {"plan_id": 1, "start_date": date(2025, 1, 1), "deadline": date(2025, 12, 31), "source": "s"}
    insert(conn, "target", id=1, code="MT01", title="Chỉ tiêu 1", section="1", measure="count",
           target_value=10, direction="higher", unit_label="dịch vụ", lead_unit_id=1, sort_order=0, **common)
    insert(conn, "target", id=2, code="MT02", title="Chỉ tiêu 2", section="2", measure="ratio",
           target_value=60, direction="higher", derived_from="dossiers_online_full_share", lead_unit_id=2,
           sort_order=1, **common)
    insert(conn, "task", id=1, code="NV01", title="Nhiệm vụ 1", deadline_group="Quý IV", lead_unit_id=1,
           sort_order=0, **common)
    insert(conn, "task", id=2, code="NV02", title="Nhiệm vụ 2", deadline_group="Quý IV", lead_unit_id=2,
           sort_order=1, **common)
    insert(conn, "target_support", target_id=1, unit_id=2)
    insert(conn, "task_support", task_id=1, unit_id=2)
    insert(conn, "task_support", task_id=2, unit_id=1)
    insert(conn, "task_target", task_id=1, target_id=1)
    insert(conn, "task_target", task_id=2, target_id=2)
    insert(conn, "reporting_period", id=1, commune_id=1, kind="week", start_date=date(2025, 10, 27),
           end_date=date(2025, 11, 2), status="draft", created_at=NOW, version=1)
    entry = {"author_id": 1, "created_at": NOW}
    insert(conn, "progress_entry", id=1, target_id=1, as_of=date(2025, 10, 1), value=5, **entry)
    insert(conn, "progress_entry", id=2, task_id=1, as_of=date(2025, 10, 1), state="in_progress", percent=10,
           **entry)
    insert(conn, "progress_entry", id=3, task_id=1, as_of=date(2025, 10, 5), state="in_progress", percent=20,
           supersedes_id=2, reason="sửa", **entry)
    insert(conn, "progress_entry", id=4, target_id=2, as_of=date(2025, 11, 2), numerator=16, denominator=65,
           note=OLD_NOTE, **entry)
    insert(conn, "progress_entry", id=5, task_id=2, as_of=date(2025, 10, 3), state="done", percent=100,
           note=PERSON_NOTE, **entry)
    for column in ("target_id", "task_id"):
        conn.execute(text(LATEST.format(column=column)))
    insert(conn, "directive", id=1, target_id=1, text="Chỉ đạo 1", author_id=1, created_at=NOW)
    insert(conn, "directive", id=2, task_id=2, text="Chỉ đạo 2", author_id=1, created_at=NOW)
    insert(conn, "status_snapshot", id=1, plan_id=1, as_of=date(2025, 11, 1), kind="target", code="MT01",
           target_id=1, colour="red", created_at=NOW)
    insert(conn, "status_snapshot", id=2, plan_id=1, as_of=date(2025, 11, 1), kind="task", code="NV02",
           task_id=2, colour="green", created_at=NOW)
    insert(conn, "legal_document", id=1, commune_id=1, number="01/QĐ", issued_date=date(2025, 2, 1),
           issuer="UBND", kind="Quyết định", summary="Ban hành", created_at=NOW)
    insert(conn, "legal_document_target", document_id=1, target_id=2)
    insert(conn, "legal_document_task", document_id=1, task_id=2)


def ordered(values) -> list[tuple]:
    """Tuples in order, NULLs last (None does not compare with numbers)."""
    return sorted(values, key=lambda row: tuple((v is None, v if v is not None else 0) for v in row))


def rows(conn, query: str) -> list[tuple]:
    return ordered(tuple(r) for r in conn.execute(text(query)))


def old_shape(conn) -> dict[str, list[tuple]]:
    """Everything of the 0009 shape that the round trip must give back."""
    return {
        "target": rows(conn, "SELECT id, code, measure, derived_from, lead_unit_id FROM target"),
        "task": rows(conn, "SELECT id, code, deadline_group, lead_unit_id FROM task"),
        "target_support": rows(conn, "SELECT target_id, unit_id FROM target_support"),
        "task_support": rows(conn, "SELECT task_id, unit_id FROM task_support"),
        "task_target": rows(conn, "SELECT task_id, target_id FROM task_target"),
        "entries": rows(conn, "SELECT id, target_id, task_id, supersedes_id, note FROM progress_entry"),
        "latest": rows(conn, "SELECT target_id, task_id, entry_id FROM latest_entry"),
        "directives": rows(conn, "SELECT id, target_id, task_id FROM directive"),
        "snapshots": rows(conn, "SELECT id, target_id, task_id FROM status_snapshot"),
        "legal": rows(conn, "SELECT document_id, target_id FROM legal_document_target")
        + rows(conn, "SELECT document_id, task_id FROM legal_document_task"),
    }


def test_plan_items_and_derived_entries_go_across_and_back_with_their_data(empty_database_url):
    from flask_migrate import downgrade, upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0009")
        with db.engine.begin() as conn:
            seed_old_shape(conn)
        with db.engine.connect() as conn:
            before = old_shape(conn)

        upgrade(directory=directory, revision="0011")
        tables = set(inspect(db.engine).get_table_names())
        assert {"target", "task", "target_support", "task_support", "legal_document_target"} & tables == set()
        with db.engine.connect() as conn:
            # Targets keep their ids; tasks come after the largest target id, every link moved with them.
            assert rows(conn, "SELECT id, kind, code FROM plan_item") == [
                (1, "target", "MT01"), (2, "target", "MT02"), (3, "task", "NV01"), (4, "task", "NV02")]
            assert rows(conn, "SELECT item_id, unit_id FROM item_support") == [(1, 2), (3, 2), (4, 1)]
            assert rows(conn, "SELECT task_id, target_id FROM task_target") == [(3, 1), (4, 2)]
            assert rows(conn, "SELECT id, item_id, supersedes_id FROM progress_entry") == [
                (1, 1, None), (2, 3, None), (3, 3, 2), (4, 2, None), (5, 4, None)]
            assert rows(conn, "SELECT item_id, entry_id FROM latest_entry") == [
                (1, 1), (2, 4), (3, 3), (4, 5)]
            assert rows(conn, "SELECT id, item_id FROM directive") == [(1, 1), (2, 4)]
            assert rows(conn, "SELECT id, item_id FROM status_snapshot") == [(1, 1), (2, 4)]
            assert rows(conn, "SELECT document_id, item_id FROM legal_document_item") == [(1, 2), (1, 4)]
            # The machine's note gets period_id and Vietnamese words; a person's look-alike is left.
            assert rows(conn, "SELECT id, period_id, note FROM progress_entry WHERE note IS NOT NULL") == [
                (4, 1, NEW_NOTE), (5, None, PERSON_NOTE)]

        # The application reads the migrated rows (at the head, where the models are): every light in
        # one statement, new ids after the old.
        upgrade(directory=directory)
        from tracker.models import Plan, PlanItem, Target, Task
        from tracker.services.status import plan_status
        plan = db.session.get(Plan, 1)
        lights = plan_status(db.session, plan, date(2025, 11, 3))
        assert [(r.kind, r.code, r.entry.id if r.entry else None) for r in lights] == [
            ("target", "MT01", 1), ("target", "MT02", 4), ("task", "NV01", 3), ("task", "NV02", 5)]
        items = db.session.scalars(select(PlanItem).order_by(PlanItem.id)).all()
        assert [type(i) for i in items] == [Target, Target, Task, Task]
        extra = Task(plan_id=1, code="NV03", title="Mới", deadline_group="Quý IV",
                     start_date=date(2025, 1, 1), deadline=date(2025, 12, 31), lead_unit_id=1, source="s")
        db.session.add(extra)
        db.session.flush()
        assert extra.id == 5
        db.session.rollback()
        db.session.remove()

        downgrade(directory=directory, revision="0009")
        assert "plan_item" not in set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            after = old_shape(conn)
        # Tasks keep the ids they had as items (3 and 4: no target has them); all else is as before.
        moved = {1: 3, 2: 4}
        expected = {**before,
                    "task": [(moved[i], *rest) for i, *rest in before["task"]],
                    "task_support": [(moved[t], u) for t, u in before["task_support"]],
                    "task_target": [(moved[t], g) for t, g in before["task_target"]],
                    "entries": [(i, g, moved.get(t), s, n) for i, g, t, s, n in before["entries"]],
                    "latest": ordered((g, moved.get(t), e) for g, t, e in before["latest"]),
                    "directives": [(i, g, moved.get(t)) for i, g, t in before["directives"]],
                    "snapshots": [(i, g, moved.get(t)) for i, g, t in before["snapshots"]],
                    "legal": [(1, 2), (1, 4)]}
        assert after == expected
        db.engine.dispose()
