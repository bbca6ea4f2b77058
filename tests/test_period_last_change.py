"""A period records its last change itself (who, when, what, through which channel); a refused stale
save is told it from the period, not from the audit log. Migration 0011 adds the columns and fills
them from the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text

from tests.conftest import ROOT
from tests.test_domain_stats import BA_DINH
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db as _db
from tracker.services.figures import record_stats, save_figures
from tracker.services.narratives import save_sections
from tracker.services.periods import StaleEdit, submit_period

TODAY = date(2025, 11, 20)


def test_every_write_records_the_last_change_on_the_period(db, week, secretary, make_user):
    record_stats(db.session, secretary, week, BA_DINH, today=TODAY, expected_version=week.version)
    assert (week.last_changed_by_id, week.last_change, week.last_channel) == (
        secretary.id, "stats.record", "form")
    other = make_user("vanthu2", "secretary", "VP")
    save_figures(db.session, other, week, today=TODAY, expected_version=None, stats=BA_DINH, via="api")
    assert (week.last_changed_by_id, week.last_change, week.last_channel) == (other.id, "stats.record", "api")
    save_sections(db.session, secretary, week, {"2": "Hạ tầng tốt."}, expected_version=week.version)
    assert (week.last_change, week.last_channel) == ("section.save", "form")
    submit_period(db.session, secretary, week, expected_version=week.version)
    db.session.commit()
    db.session.expire_all()
    assert (week.last_changed_by_id, week.last_change, week.last_channel) == (
        secretary.id, "period.submit", "form")
    assert week.last_changed_at is not None


def test_a_stale_save_is_told_from_the_period_not_the_audit_log(db, week, secretary, make_user):
    other = make_user("vanthu2", "secretary", "VP")
    start = week.version
    save_figures(db.session, other, week, today=TODAY, expected_version=start, stats=BA_DINH, via="import")
    db.session.commit()
    with db.engine.begin() as conn:  # the log is append-only for the app; emptied here to prove it unread
        conn.execute(text("DELETE FROM audit_event"))
    with pytest.raises(StaleEdit) as refused:
        record_stats(db.session, secretary, week, BA_DINH, today=TODAY, expected_version=start)
    assert "vừa được lưu bởi vanthu2" in refused.value.since
    assert "nhập từ bảng tính" in refused.value.since


# --- migration 0012 ------------------------------------------------------------------------------


def test_migration_fills_the_last_change_from_the_audit_log_and_goes_back(empty_database_url):
    from flask_migrate import downgrade, upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0011")
        with _db.engine.begin() as conn:
            conn.execute(text("INSERT INTO province (id, code, name) VALUES (1, 'p', 'Tỉnh P')"))
            conn.execute(text("INSERT INTO commune (id, code, name, province_id) VALUES (1, 'a', 'Xã A', 1)"))
            conn.execute(text("""
                INSERT INTO "user" (id, username, full_name, password_hash, role, active, session_version,
                                    created_at, commune_id)
                VALUES (1, 'vanthu', 'Văn thư', 'x', 'secretary', TRUE, 1, '2025-01-01 00:00:00', 1),
                       (2, 'tichhop', 'Tích hợp', 'x', 'secretary', TRUE, 1, '2025-01-01 00:00:00', 1)"""))
            conn.execute(text("""
                INSERT INTO reporting_period (id, commune_id, kind, start_date, end_date, status, created_at,
                                              version)
                VALUES (1, 1, 'week', '2025-10-27', '2025-11-03', 'draft', '2025-10-27 00:00:00', 3),
                       (2, 1, 'month', '2025-10-01', '2025-10-31', 'draft', '2025-10-27 00:00:00', 1)"""))
            conn.execute(text("""
                INSERT INTO audit_event (id, actor_id, actor_name, at, action, object_type, object_id, after)
                VALUES (1, 1, 'vanthu', '2025-10-28 01:00:00', 'period.create', 'period', '1', NULL),
                       (2, 1, 'vanthu', '2025-10-28 02:00:00', 'section.save', 'period', '1', '{"key": "2"}'),
                       (3, 2, 'tichhop', '2025-10-29 03:00:00', 'stats.record', 'period', '1',
                        '{"via": "api"}'),
                       (4, 1, 'vanthu', '2025-10-29 04:00:00', 'auth.login', NULL, NULL, NULL),
                       (5, 1, 'vanthu', '2025-10-29 05:00:00', 'period.create', 'period', '2', NULL)"""))
        upgrade(directory=directory, revision="0012")
        with _db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, last_changed_by_id, last_change, last_channel, "
                                     "last_changed_at FROM reporting_period ORDER BY id")).all()
        assert [tuple(r[:4]) for r in rows] == [(1, 2, "stats.record", "api"), (2, None, None, None)]
        assert str(rows[0][4]).startswith("2025-10-29 03:00:00")
        downgrade(directory=directory, revision="0011")
        columns = {c["name"] for c in inspect(_db.engine).get_columns("reporting_period")}
        assert not columns & {"last_changed_by_id", "last_changed_at", "last_change", "last_channel"}
        with _db.engine.connect() as conn:
            assert conn.execute(text("SELECT version FROM reporting_period WHERE id = 1")).scalar_one() == 3
        _db.engine.dispose()
