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
