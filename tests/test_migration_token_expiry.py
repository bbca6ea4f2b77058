"""Migration 0009: tokens made before tokens expired get a year from the upgrade."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from tests.conftest import ROOT
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db


def test_existing_tokens_get_a_year_and_the_downgrade_drops_the_column(tmp_path):
    from flask_migrate import downgrade, upgrade

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrate.db'}"

    app = create_app(Config)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0007")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO api_token (user_id, name, token_hash, created_at) VALUES "
                              "(1, 'cũ', :hash, '2024-01-01 00:00:00')"), {"hash": "a" * 64})
        before = datetime.now(UTC)
        upgrade(directory=directory, revision="0009")
        with db.engine.connect() as conn:
            stored = conn.execute(text("SELECT expires_at FROM api_token")).scalar_one()
        expires = datetime.fromisoformat(stored)
        expires = expires.replace(tzinfo=UTC) if expires.tzinfo is None else expires
        assert before + timedelta(days=365) <= expires <= datetime.now(UTC) + timedelta(days=365)
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("api_token")}
        assert columns["expires_at"]["nullable"] is False
        downgrade(directory=directory, revision="-1")
        assert "expires_at" not in {c["name"] for c in inspect(db.engine).get_columns("api_token")}
        db.engine.dispose()
