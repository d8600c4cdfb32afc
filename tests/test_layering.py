"""Imports point one way: `core` below every app, `home` and `demo` above them all."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "interurps"
TOP_APPS = {"home", "demo"}


def imported_apps(path: Path) -> set[str]:
    """The `interurps.<app>` packages a module imports (anywhere in it, lazily or not)."""
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "interurps" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def modules_of(app: str):
    return [
        path
        for path in (PACKAGE / app).rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.relative_to(PACKAGE).parts
    ]


def test_core_imports_no_other_app():
    wrong = {
        str(path.relative_to(PACKAGE)): sorted(imported_apps(path) - {"core"})
        for path in modules_of("core")
    }
    assert {module: apps for module, apps in wrong.items() if apps} == {}


@pytest.mark.parametrize(
    "app",
    sorted(
        p.name
        for p in PACKAGE.iterdir()
        if (p / "apps.py").exists() and p.name not in TOP_APPS | {"core"}
    ),
)
def test_domain_apps_never_import_the_apps_above_them(app):
    wrong = {
        str(path.relative_to(PACKAGE)): sorted(imported_apps(path) & TOP_APPS)
        for path in modules_of(app)
    }
    assert {module: apps for module, apps in wrong.items() if apps} == {}


def test_analytics_is_plain_python():
    """Pure computations stay testable and benchmarkable without Django."""
    offenders = []
    for path in modules_of("analytics"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.append(node.module)
                if any(n.split(".")[0] in ("django", "interurps") for n in names):
                    offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
