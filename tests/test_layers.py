"""The import graph keeps the layers: read every module's imports with ``ast`` and check the rules.

Layers, from the inside out (docs: README "Layout"): the domain imports nothing of the app (nor
Flask or SQLAlchemy); models import neither services nor faces; services import no face and not
Flask; ``tracker.render`` imports only the domain; the web face and the API do not import each
other; no blueprint package imports another; and no two packages import each other, even through
others or inside a function. The checker is tested on a small fake tree too, so a rule that
silently stopped matching would fail here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "tracker"

FACES = ("web", "api", "cli", "jobs")
FRAMEWORKS = ("flask", "flask_babel", "flask_htmx", "flask_login", "flask_migrate", "flask_sqlalchemy",
              "flask_wtf", "werkzeug")


def module_name(root: Path, path: Path) -> str:
    """``tracker/web/plan/routes.py`` → ``tracker.web.plan.routes`` (a package is its ``__init__``)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(root: Path, name: str) -> bool:
    return (root.parent / Path(*name.split(".")) / "__init__.py").is_file()


def is_module(root: Path, name: str) -> bool:
    relative = Path(*name.split("."))
    return (root.parent / relative).with_suffix(".py").is_file() or is_package(root, name)


def imports_of(root: Path, path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it (inside functions too); relative ones resolved."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # ``from tracker import models`` imports the module tracker.models
                candidate = f"{base}.{alias.name}"
                yield candidate if is_module(root, candidate) else base


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules (of any package) it imports."""
    return {module_name(root, path): set(imports_of(root, path)) for path in sorted(root.rglob("*.py"))}


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def blueprint_packages(root: Path) -> set[str]:
    """``tracker.web.<name>`` packages that define a blueprint (``bp = Blueprint(...)``)."""
    found = set()
    for init in (root / "web").glob("*/__init__.py"):
        if "Blueprint(" in init.read_text(encoding="utf-8"):
            found.add(module_name(root, init))
    return found


def unit_of(name: str, root_name: str, blueprints: set[str]) -> str:
    """The package a module belongs to in the package graph: a blueprint package, or ``tracker.<x>``."""
    for blueprint in blueprints:
        if within(name, blueprint):
            return blueprint
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else root_name


def layer_problems(root: Path) -> list[str]:
    """Every broken rule, one message per (module, import, rule)."""
    top = root.name
    graph = import_graph(root)
    blueprints = blueprint_packages(root)
    problems = []

    def layer(name: str, sub: str) -> bool:
        return within(name, f"{top}.{sub}")

    for module, targets in graph.items():
        for target in sorted(targets):
            own = within(target, top)
            framework = target.split(".")[0] in FRAMEWORKS or target.split(".")[0] == "sqlalchemy"
            if layer(module, "domain"):
                if own and not layer(target, "domain"):
                    problems.append(f"{module} imports {target}: the domain imports nothing of {top} "
                                    "outside the domain")
                if framework:
                    problems.append(f"{module} imports {target}: the domain imports neither Flask nor "
                                    "SQLAlchemy")
            if layer(module, "models") and any(layer(target, sub) for sub in ("services", "render", *FACES)):
                problems.append(f"{module} imports {target}: models import neither services nor faces")
            if layer(module, "services"):
                if any(layer(target, face) for face in FACES):
                    problems.append(f"{module} imports {target}: services import no face "
                                    "(web, api, cli, jobs)")
                if target.split(".")[0] in FRAMEWORKS and target.split(".")[0] != "werkzeug":
                    problems.append(f"{module} imports {target}: services do not import Flask")
            if layer(module, "render") and own and not (layer(target, "domain") or layer(target, "render")):
                problems.append(f"{module} imports {target}: render imports only the domain")
            if layer(module, "web") and layer(target, "api"):
                problems.append(f"{module} imports {target}: the web face does not import the API")
            if layer(module, "api") and layer(target, "web"):
                problems.append(f"{module} imports {target}: the API does not import the web face")
            source = next((b for b in blueprints if within(module, b)), None)
            aimed = next((b for b in blueprints if within(target, b)), None)
            if source and aimed and source != aimed:
                problems.append(f"{module} imports {target}: a blueprint package does not import another "
                                f"({source} → {aimed})")
    problems.extend(cycle_problems(graph, top, blueprints))
    return problems


def cycle_problems(graph: dict[str, set[str]], top: str, blueprints: set[str]) -> list[str]:
    """One message per group of packages that import each other (strongly connected components)."""
    edges: dict[str, set[str]] = {}
    witness: dict[tuple[str, str], str] = {}
    for module, targets in graph.items():
        source = unit_of(module, top, blueprints)
        for target in targets:
            if not within(target, top):
                continue
            aimed = unit_of(target, top, blueprints)
            if aimed == source or aimed == top:  # importing the package root is importing the app factory
                continue
            # A blueprint package sits inside tracker.web: importing its parent is no cycle.
            if within(source, aimed):
                continue
            edges.setdefault(source, set()).add(aimed)
            witness.setdefault((source, aimed), f"{module} → {target}")
    problems = []
    for component in strongly_connected(edges):
        if len(component) > 1:
            links = sorted(f"{a} → {b} ({witness[a, b]})" for a in component for b in edges.get(a, ())
                           if b in component)
            problems.append(f"import cycle between packages {', '.join(sorted(component))}: "
                            + "; ".join(links))
    return problems


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative enough for a few dozen nodes."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in sorted(set(edges) | {n for targets in edges.values() for n in targets}):
        if node not in index:
            visit(node)
    return found


def test_the_package_keeps_its_layers():
    problems = layer_problems(PACKAGE_ROOT)
    assert not problems, "\n".join(problems)


def test_the_checker_reads_every_module():
    graph = import_graph(PACKAGE_ROOT)
    assert "tracker.web.plan.routes" in graph
    assert "tracker.services.jobs" in graph
    assert blueprint_packages(PACKAGE_ROOT) >= {"tracker.web.plan", "tracker.web.progress",
                                                "tracker.web.admin"}


# --- the checker itself, on a small fake tree that breaks every rule once ---

FAKE_TREE = {
    "__init__.py": "",
    "domain/__init__.py": "",
    "domain/rules.py": "import flask\nfrom ..models import thing\n",
    "models/__init__.py": "",
    "models/thing.py": "def later():\n    from app.services import work\n",
    "services/__init__.py": "",
    "services/work.py": "from flask import request\nfrom app.jobs import runner\n",
    "render/__init__.py": "",
    "render/page.py": "from app.models import thing\nfrom app.domain import rules\n",
    "jobs/__init__.py": "",
    "jobs/runner.py": "from app.services import work\n",
    "api/__init__.py": "from flask import Blueprint\nbp = Blueprint('api', __name__)\n",
    "api/routes.py": "from app.web import helpers\n",
    "web/__init__.py": "",
    "web/helpers.py": "from app.api import routes\n",
    "web/plan/__init__.py": "from flask import Blueprint\nbp = Blueprint('plan', __name__)\n",
    "web/plan/routes.py": "from app.web.progress.forms import read\nfrom app.web import helpers\n",
    "web/progress/__init__.py": "from flask import Blueprint\nbp = Blueprint('progress', __name__)\n",
    "web/progress/forms.py": "from .. import helpers\n",
}


@pytest.fixture
def fake_tree(tmp_path) -> Path:
    root = tmp_path / "app"
    for relative, source in FAKE_TREE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


@pytest.mark.parametrize("expected", [
    "app.domain.rules imports flask: the domain imports neither Flask nor SQLAlchemy",
    "app.domain.rules imports app.models.thing: the domain imports nothing of app outside the domain",
    "app.models.thing imports app.services.work: models import neither services nor faces",
    "app.services.work imports flask: services do not import Flask",
    "app.services.work imports app.jobs.runner: services import no face (web, api, cli, jobs)",
    "app.render.page imports app.models.thing: render imports only the domain",
    "app.api.routes imports app.web.helpers: the API does not import the web face",
    "app.web.helpers imports app.api.routes: the web face does not import the API",
    "app.web.plan.routes imports app.web.progress.forms: a blueprint package does not import another "
    "(app.web.plan → app.web.progress)",
])
def test_the_checker_names_the_module_and_the_rule(fake_tree, expected):
    assert expected in layer_problems(fake_tree)


def test_the_checker_finds_cycles_between_packages(fake_tree):
    cycles = [p for p in layer_problems(fake_tree) if p.startswith("import cycle")]
    assert any("app.api" in p and "app.web" in p for p in cycles), cycles
    assert any("app.jobs" in p and "app.services" in p for p in cycles), cycles  # lazy imports count too


def test_the_checker_passes_a_clean_tree(tmp_path):
    root = tmp_path / "app"
    clean = {"__init__.py": "from app.web import helpers\n", "domain/__init__.py": "",
             "domain/rules.py": "from app.domain import other\n", "domain/other.py": "",
             "web/__init__.py": "", "web/helpers.py": "from app.domain import rules\n"}
    for relative, source in clean.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(source, encoding="utf-8")
    assert layer_problems(root) == []
