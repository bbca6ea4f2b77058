"""Development tooling (demo data, synthetic province) lives in devtools/, outside the production package."""

from __future__ import annotations

import ast
import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_production_package_never_imports_devtools():
    importers = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "devtools" or name.startswith("devtools.") for name in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert not importers


def test_devtools_is_not_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert not any(fnmatch.fnmatch("devtools", pattern) for pattern in include)


def test_flask_commands_no_longer_hold_the_development_commands(app):
    assert {"seed-demo", "synth"}.isdisjoint(app.cli.commands)
    assert "seed" in app.cli.commands


def test_python_m_devtools_offers_its_commands():
    env = {**os.environ, "TRACKER_ENV": "development"}
    answer = subprocess.run([sys.executable, "-m", "devtools", "--help"], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=120, check=False)
    assert answer.returncode == 0, answer.stderr
    assert "python -m devtools" in answer.stdout
    assert "seed-demo" in answer.stdout
    assert "synth" in answer.stdout


def test_demo_entries_were_recorded_on_the_day_of_their_figures_in_office_hours(db, demo):
    """Issue 14 walk: the demo showed the seeding time ("00:13 04/12/2026") beside 2025 figures."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from tests.conftest import LOGGED
    from tracker.models import Directive, ProgressEntry, ReportingPeriod

    def local(at):
        stored = at if at.tzinfo else at.replace(tzinfo=ZoneInfo("UTC"))
        return stored.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))

    entries = db.session.scalars(select(ProgressEntry).where(LOGGED)).all()
    assert entries
    for entry in entries:
        at = local(entry.created_at)
        assert 7 <= at.hour < 17, (entry.item_id, at)
        if entry.period_id is None:
            assert at.date() == entry.as_of, (entry.item_id, entry.as_of, at)
        else:  # the office enters a period's figures in the days after it ends
            assert 0 <= (at.date() - entry.as_of).days <= 5, (entry.as_of, at)
    for period in db.session.scalars(select(ReportingPeriod)):
        at = local(period.created_at)
        assert 7 <= at.hour < 17, at
        assert 0 <= (at.date() - period.end_date).days <= 5, at
    for directive in db.session.scalars(select(Directive)):
        at = local(directive.created_at)
        assert 7 <= at.hour < 17, at
        assert at.year == 2025, at
        if directive.replied_at is not None:
            assert local(directive.replied_at) > at


def test_the_demo_has_the_provinces_accounts(db, demo):
    """Issue 15: the demo's province reviews and reports, so `make run` signs its users in."""
    from sqlalchemy import select

    from tracker.models import User

    province = {u.username: (u.role, u.province_id, u.commune_id, u.unit_id)
                for u in db.session.scalars(select(User).where(User.province_id.is_not(None)))}
    roles = {"tinh.quantri": "admin", "tinh.lanhdao": "leader", "tinh.vanphong": "secretary"}
    assert province == {name: (role, demo.commune.province_id, None, None) for name, role in roles.items()}
