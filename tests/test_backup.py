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
