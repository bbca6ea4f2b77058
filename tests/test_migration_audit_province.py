"""Migration 0019: audit events get the province of a province user's action, the past ones too."""

from sqlalchemy import text

from tests.conftest import ROOT
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db


def test_past_events_of_province_users_get_their_province(empty_database_url):
    from flask_migrate import downgrade, upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0018")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO province (id, code, name) VALUES (7, 'tinh', 'Tỉnh A')"))
            conn.execute(text("INSERT INTO commune (id, code, name, province_id) "
                              "VALUES (3, 'xa', 'Xã A', 7)"))
            conn.execute(text(
                'INSERT INTO "user" (id, commune_id, province_id, username, full_name, password_hash, role, '
                "active, session_version, created_at) VALUES "
                "(1, NULL, 7, 'tinh', 'Tỉnh', 'x', 'admin', true, 1, '2025-09-01 08:00:00'), "
                "(2, 3, NULL, 'xa', 'Xã', 'x', 'admin', true, 1, '2025-09-01 08:00:00')"))
            conn.execute(text(
                "INSERT INTO audit_event (id, commune_id, actor_id, actor_name, at, action) VALUES "
                "(1, NULL, 1, 'tinh', '2025-10-01 08:00:00', 'auth.login'), "
                "(2, 3, 1, 'tinh', '2025-10-01 08:01:00', 'user.create'), "
                "(3, 3, 2, 'xa', '2025-10-01 08:02:00', 'auth.login'), "
                "(4, NULL, NULL, NULL, '2025-10-01 08:03:00', 'auth.login_failed')"))
        upgrade(directory=directory, revision="0019")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, province_id FROM audit_event ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, 7), (2, 7), (3, None), (4, None)]
        downgrade(directory=directory, revision="0018")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == 4
        db.engine.dispose()
