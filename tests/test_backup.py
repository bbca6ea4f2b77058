"""Backup and restore: back up, change data, restore, and find the data as it was."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.domain.entries import EntryInput
from tracker.models import AuditEvent, ProgressEntry, User
from tracker.services.backup import BackupError, backup_database, restore_database
from tracker.services.progress import log_progress


def snapshot(db) -> dict[str, object]:
    return {
        "entries": db.session.scalars(select(ProgressEntry.value).order_by(ProgressEntry.id)).all(),
        "users": db.session.scalars(select(User.username).order_by(User.username)).all(),
        "events": db.session.scalar(select(func.count()).select_from(AuditEvent)),
    }


def test_backup_change_restore_compare(db, plan, make_user, item, tmp_path, runner):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 10, 1), value=74),
                 today=date(2025, 11, 1))
    db.session.commit()
    before = snapshot(db)
    target = tmp_path / ("tracker.dump" if db.engine.dialect.name == "postgresql" else "tracker.db")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 10, 15), value=90),
                 today=date(2025, 11, 1))
    make_user("nguoi.moi", "leader", "TTDU")
    db.session.commit()
    assert snapshot(db) != before

    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert snapshot(db) == before


def test_restore_refuses_a_file_that_is_not_a_backup(db, plan, tmp_path):
    from tracker.models import Target

    bogus = tmp_path / "not-a-backup.db"
    bogus.write_bytes(b"this is not a database, nor a pg_dump archive")
    with pytest.raises(BackupError):
        restore_database(db.engine, bogus)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Target)) == 16, "nothing was touched"


def test_backup_refuses_an_in_memory_database(tmp_path):
    from sqlalchemy import create_engine

    with pytest.raises(BackupError):
        backup_database(create_engine("sqlite://"), tmp_path / "x.db")


def targets(db) -> int:
    from tracker.models import Target

    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Target))


def test_restore_refuses_an_sqlite_file_that_is_not_a_tracker_backup(db, plan, tmp_path, runner):
    """Finding 12.12: `restore` replaced the database with any SQLite file it was given."""
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('không phải tracker')")
    connection.close()
    db.session.remove()
    result = runner.invoke(args=["restore", str(other), "--yes"])
    assert result.exit_code != 0
    assert "không phải bản sao lưu của tracker" in result.output
    assert "không thay đổi gì" in result.output
    assert targets(db) == 16, "nothing was touched"


def test_restore_refuses_a_file_in_neither_format(db, plan, tmp_path, runner):
    bogus = tmp_path / "tracker.dump"
    bogus.write_bytes(b"PK\x03\x04 a zip, not a database")
    db.session.remove()
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert "không phải bản sao lưu của tracker" in result.output
    assert targets(db) == 16


def _backup_with_revision(db, runner, tmp_path, revision: str):
    """A real backup of this database, but stamped with ``revision``."""
    from sqlalchemy import text

    real = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    db.session.commit()
    target = tmp_path / ("tracker.dump" if db.engine.dialect.name == "postgresql" else "tracker.db")
    try:
        assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": real})
        db.session.commit()
    return target, real


def test_restore_refuses_a_backup_of_an_unknown_schema_revision(db, plan, make_user, tmp_path, runner):
    target, _ = _backup_with_revision(db, runner, tmp_path, "9999_from_the_future")
    make_user("nguoi.moi", "leader", "TTDU")  # a change the refused restore must not undo
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code != 0
    assert "9999_from_the_future" in result.output
    assert "không biết" in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "nguoi.moi")) == 1
    assert targets(db) == 16


def test_restore_of_an_older_known_revision_says_to_upgrade(db, plan, tmp_path, runner):
    from sqlalchemy import text

    from tracker.services.backup import check_backup

    target, real = _backup_with_revision(db, runner, tmp_path, "0001")
    checked = check_backup(db.engine, target)
    assert (checked.revision, checked.current) == ("0001", False)
    current = tmp_path / "current"
    current.mkdir()
    assert runner.invoke(args=["backup", str(current / target.name)]).exit_code == 0
    assert check_backup(db.engine, current / target.name).current
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "db upgrade" in result.output
    db.session.remove()
    db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": real})
    db.session.commit()
