"""Backing up and restoring the whole database: SQLite's online backup API, PostgreSQL's tools."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url

from tracker.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# Tables every tracker database has had since the first migration: a backup without them is not one.
# (A plan's items were the tables target and task before 0010, plan_item since.)
CORE_TABLES = frozenset({"commune", "plan", "unit", "user", "audit_event", "progress_entry"})
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that could not be made; the message is for the operator."""


def _sqlite_path(engine: Engine) -> Path:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        raise BackupError("Không sao lưu được cơ sở dữ liệu SQLite trong bộ nhớ.")
    return Path(database)


def _pg_args(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore (the password through the environment only)."""
    url = engine.url
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--dbname", url.database or ""]
    if url.username:
        args += ["--username", url.username]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _run(command: list[str], env: dict[str, str]) -> str:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"Không tìm thấy lệnh {command[0]} (cài gói postgresql-client).")
    done = subprocess.run([tool, *command[1:]], env={**os.environ, **env}, capture_output=True,  # noqa: S603
                          text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {done.stderr.strip()[:500]}")
    return done.stdout


def backup_database(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` while the app keeps running."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: consistent even with writers
        finally:
            copy.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        args, env = _pg_args(engine)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu {engine.dialect.name}.")
    return target


@dataclass(frozen=True)
class CheckedBackup:
    """A file that is a tracker backup this code can restore: its schema revision and whether it is
    the newest one (an older one needs ``flask db upgrade`` after the restore)."""

    revision: str
    current: bool


def _not_backup(source: Path, why: str) -> BackupError:
    return BackupError(f"Tệp {source} không phải bản sao lưu của tracker ({why}); không thay đổi gì.")


def check_backup(engine: Engine, source: Path, migrations: Path = MIGRATIONS_DIR) -> CheckedBackup:
    """Check that ``source`` is a backup of a tracker database whose schema this code knows.

    It must be in the engine's format (an SQLite database file, or a ``pg_dump`` custom archive),
    intact, with an ``alembic_version`` whose revision is one of this code's migrations, and with
    the tables of that revision. Reads the file only; raises ``BackupError`` saying what is wrong.
    """
    if not source.is_file():
        raise BackupError(f"Không có tệp sao lưu {source}.")
    with source.open("rb") as opened:
        head = opened.read(len(SQLITE_MAGIC))
    if engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            why = ("đây là bản sao lưu PostgreSQL" if head.startswith(PG_DUMP_MAGIC)
                   else "không phải tệp cơ sở dữ liệu SQLite")
            raise _not_backup(source, why)
        revisions, tables = _sqlite_contents(source)
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            why = ("đây là tệp SQLite" if head.startswith(SQLITE_MAGIC)
                   else "không phải tệp pg_dump định dạng custom")
            raise _not_backup(source, why)
        revisions, tables = _pg_dump_contents(source)
    else:
        raise BackupError(f"Chưa hỗ trợ khôi phục {engine.dialect.name}.")
    if "alembic_version" not in tables:
        raise _not_backup(source, "không có bảng alembic_version")
    if len(revisions) != 1:
        raise _not_backup(source, f"bảng alembic_version có {len(revisions)} phiên bản, cần đúng 1")
    revision = revisions[0]
    script = ScriptDirectory(str(migrations))
    known = {r.revision for r in script.walk_revisions()}
    heads = set(script.get_heads())
    if revision not in known:
        raise BackupError(f"Tệp {source} là bản sao lưu có lược đồ phiên bản '{revision[:40]}' mà mã nguồn "
                          f"này không biết (có thể từ phiên bản tracker mới hơn; phiên bản mới nhất ở "
                          f"đây là {', '.join(sorted(heads))}); không thay đổi gì.")
    current = revision in heads
    wanted = set(Base.metadata.tables) if current else set(CORE_TABLES)
    if missing := sorted(wanted - tables):
        raise _not_backup(source, f"thiếu bảng {', '.join(missing[:10])}")
    return CheckedBackup(revision, current)


def _sqlite_contents(source: Path) -> tuple[list[str], set[str]]:
    """Return the alembic revisions and the table names of an SQLite file, opened read-only."""
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise _not_backup(source, "tệp SQLite bị hỏng")
            tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revisions = ([str(row[0]) for row in check.execute("SELECT version_num FROM alembic_version")]
                         if "alembic_version" in tables else [])
    except sqlite3.Error as exc:
        raise _not_backup(source, f"không đọc được tệp SQLite: {exc}") from None
    return revisions, tables


def _pg_dump_contents(source: Path) -> tuple[list[str], set[str]]:
    """Return the alembic revisions and the table names of a ``pg_dump --format=custom`` archive."""
    try:
        listing = _run(["pg_restore", "--list", str(source)], {})
        data = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(source)], {})
    except BackupError as exc:
        raise _not_backup(source, str(exc)) from None
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        # "215; 1259 16390 TABLE public alembic_version postgres"
        if not line.startswith(";") and len(parts) >= 6 and parts[3] == "TABLE":
            tables.add(parts[5])
    revisions: list[str] = []
    copying = False
    for line in data.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            revisions.append(line.strip())
    return revisions, tables


def restore_database(engine: Engine, source: Path, migrations: Path = MIGRATIONS_DIR) -> CheckedBackup:
    """Replace the database's content with a backup made by ``backup_database``.

    Refuses (``BackupError``, nothing touched) a file that ``check_backup`` does not accept.
    Stop the web app and the scheduler first: open connections would see the old data.
    """
    checked = check_backup(engine, source, migrations)
    if engine.dialect.name == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(engine))
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    else:
        args, env = _pg_args(engine)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(source)], env)
    return checked
