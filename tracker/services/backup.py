"""Backing up and restoring the whole database: SQLite's online backup API, PostgreSQL's tools."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url


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


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"Không tìm thấy lệnh {command[0]} (cài gói postgresql-client).")
    done = subprocess.run([tool, *command[1:]], env={**os.environ, **env}, capture_output=True,  # noqa: S603
                          text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {done.stderr.strip()[:500]}")


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


def restore_database(engine: Engine, source: Path) -> None:
    """Replace the database's content with a backup made by ``backup_database``.

    Stop the web app and the scheduler first: open connections would see the old data.
    """
    if not source.is_file():
        raise BackupError(f"Không có tệp sao lưu {source}.")
    if engine.dialect.name == "sqlite":
        check = sqlite3.connect(source)
        try:
            valid = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            valid = False
        finally:
            check.close()
        if not valid:
            raise BackupError(f"Tệp {source} không phải bản sao lưu SQLite hợp lệ.")
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(engine))
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    elif engine.dialect.name == "postgresql":
        args, env = _pg_args(engine)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(source)], env)
    else:
        raise BackupError(f"Chưa hỗ trợ khôi phục {engine.dialect.name}.")
