"""Fixtures: one migrated database per run, emptied after every test; factories as functions."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import yaml
from flask_migrate import upgrade
from sqlalchemy import select, text

from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db as _db
from tracker.models import Base, Plan, ProgressEntry, User
from tracker.services.access import find_item
from tracker.services.periods import PeriodInput, create_period
from tracker.services.seeding import load_plan_seed, read_plan_seed
from tracker.services.users import create_user

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "seed" / "ngok_bay.yaml"
PASSWORD = "mat-khau-thu-nghiem"
# Entries people logged: the seeded plan also holds its own (NV01-NV03, done by 30/6/2025 per seed 004).
LOGGED = ProgressEntry.origin.is_(None)


@pytest.fixture(scope="session")
def app():
    """The application, on a database built by the migrations (never by create_all)."""
    app = create_app(TestConfig)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(exist_ok=True)
            _db.engine.dispose()
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            Base.metadata.drop_all(_db.engine)
            with _db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def data_app(app):
    """A second app object on the same database, for the test's own reads and writes.

    Requests made by the test client then push their own app context (Flask reuses an
    already-pushed context of the *same* app, which would leak ``g`` between requests).
    """
    data_app = create_app(TestConfig)
    yield data_app
    with data_app.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(data_app):
    """The database session inside an app context; every table is emptied afterwards."""
    with data_app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        empty_tables(_db.engine)


def empty_tables(engine) -> None:
    """Delete every row of every table (and restart PostgreSQL's sequences)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app, db):
    """A test client (with the database fixture, so each test starts empty)."""
    return app.test_client()


@pytest.fixture
def runner(app, db):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def plan(db) -> Plan:
    """The Ngọk Bay plan, loaded from the real seed file."""
    load_plan_seed(db.session, read_plan_seed(SEED_FILE))
    db.session.commit()
    return db.session.scalar(select(Plan))


@pytest.fixture
def make_user(db, plan, data_app):
    """Return a function that creates a user of the seeded commune."""
    def make(username: str, role: str, unit: str | None = None) -> User:
        user = create_user(db.session, commune=plan.commune, username=username, password=PASSWORD,
                           role=role, unit_code=unit, full_name=username,
                           hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                           min_length=data_app.config["PASSWORD_MIN_LENGTH"])
        db.session.commit()
        return user
    return make


@pytest.fixture
def login(client):
    """Return a function that signs a username in through the real form."""
    def sign_in(username: str, password: str = PASSWORD):
        return client.post("/login", data={"username": username, "password": password})
    return sign_in


@pytest.fixture
def item(db, plan):
    """Return a function that finds a seeded item by code."""
    return lambda code: find_item(db.session, plan, code)




@pytest.fixture
def hand_ratio(db, plan) -> str:
    """MT10 as a ratio target typed by hand (a plan may have one): the seed derives it from the periods,
    which refuse entries by hand, so tests of the ratio entry's own rules first detach it from them."""
    target = find_item(db.session, plan, "MT10")
    target.derived_from = None
    db.session.commit()
    return target.code


@pytest.fixture
def secretary(make_user):
    """The commune's secretary (văn phòng), who keeps the reports."""
    return make_user("vanthu", "secretary", "VP")


@pytest.fixture
def week(db, plan, secretary):
    """A draft reporting week, 27/10–03/11/2025 (the week of seed 001)."""
    period = create_period(db.session, secretary, plan.commune,
                           PeriodInput("week", date(2025, 10, 27), date(2025, 11, 3), report_number="15"))
    db.session.commit()
    return period


@pytest.fixture
def demo(db, plan, data_app):
    """The demo users, entries, directives and periods (seed/demo.yaml), with the tests' password."""
    from devtools.demo import load_demo

    data = yaml.safe_load((ROOT / "seed" / "demo.yaml").read_text(encoding="utf-8"))
    load_demo(db.session, data, "demo.yaml", password=PASSWORD,
              hash_method=data_app.config["PASSWORD_HASH_METHOD"],
              min_length=data_app.config["PASSWORD_MIN_LENGTH"], today=date(2025, 11, 20))
    db.session.commit()
    return plan


@pytest.fixture
def empty_database_url(tmp_path):
    """An empty database of the suite's kind for a migration test: a SQLite file, or (when the suite
    runs on PostgreSQL) a database of its own, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    target = make_url(url)
    name = f"{target.database}_migrate"
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    def recreate(create: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if create:
                conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                             .format(sql.Identifier(name)))

    recreate(True)
    yield target.set(database=name).render_as_string(hide_password=False)
    recreate(False)
