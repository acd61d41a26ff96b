"""The package's layers (docs/architecture.md): no import runs upward and none goes round in a circle.

Every ``import`` and ``from ... import`` of the package's own modules is read from the source
(also those inside functions), so a lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "clusterpolicy"

LAYERS = {
    "core": 0,
    "input": 1,
    "identifiers": 1,
    "calendar": 1,
    "checks": 2,
    "procedure": 2,
    "scoring": 2,
    "packs": 3,
    "evaluation": 4,
    "competition": 5,
    "comparison": 5.5,
    "batch": 5,
    "output": 6,
    "authoring": 5,
    "testing": 7,
    "__init__": 8,
    "__main__": 8,
}
"""The first part of a module's name below ``clusterpolicy`` -> its layer (0 is the lowest)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, source: str | None = None) -> set[str]:
    """The package's modules that ``name`` imports (relative and absolute forms)."""
    known = modules()
    is_package = path.name == "__init__.py"
    source = path.read_text("utf-8") if source is None else source
    here = name.split(".") if is_package else name.split(".")[:-1]
    if name == "__init__":
        here = []
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("clusterpolicy"):
                target = node.module.removeprefix("clusterpolicy").lstrip(".")
            else:
                continue
            candidates = [target] if node.module else []
            candidates += [f"{target}.{alias.name}".lstrip(".") for alias in node.names]
            found |= {c for c in candidates if c in known}
            if node.module and target not in known and target:
                found.add(target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("clusterpolicy."):
                    found.add(alias.name.removeprefix("clusterpolicy."))
    return {target or "__init__" for target in found} - {name}


def layer(name: str) -> int:
    head = name.split(".")[0] or "__init__"
    if head not in LAYERS:
        pytest.fail(f"module {name} belongs to no layer: add its subpackage to LAYERS and docs/architecture.md")
    return LAYERS[head]


def graph() -> dict[str, set[str]]:
    return {name: imports(name, path) for name, path in modules().items()}


def test_every_module_belongs_to_a_layer():
    for name in modules():
        layer(name)


@pytest.mark.slow
def test_no_import_runs_upward_or_sideways():
    """A module imports from lower layers, or from its own subpackage; never from a higher layer,
    nor from another subpackage of the same layer."""
    wrong = []
    for name, targets in graph().items():
        for target in targets:
            same_subpackage = layer(name) == layer(target) == LAYERS["__init__"] or name.split(".")[0] == target.split(".")[0]
            if layer(target) > layer(name) or (layer(target) == layer(name) and not same_subpackage):
                wrong.append(f"{name} (layer {layer(name)}) imports {target} (layer {layer(target)})")
    assert wrong == []


@pytest.mark.slow
def test_no_import_cycles():
    edges, cycles = graph(), []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target):] + [node, target]) if target in stack else f"{node} -> {target}")
            elif target not in state:
                visit(target, stack + [node])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    assert cycles == []


def test_the_checker_sees_lazy_upward_and_sideways_imports():
    """The tests above can fail: imports inside functions, relative or absolute, are found."""
    path = PACKAGE / "core" / "errors.py"
    source = "def f():\n    from ..output.reports import make_report\n    import clusterpolicy.packs\n"
    assert imports("core.errors", path, source) == {"output.reports", "packs"}
    assert imports("checks.kinds", PACKAGE / "checks" / "kinds.py", "from ..procedure import timeline\n") == {"procedure", "procedure.timeline"}
    assert imports("checks.kinds", PACKAGE / "checks" / "kinds.py", "from .results import to_json\n") == {"checks.results"}


def test_the_old_flat_module_paths_are_gone():
    """Version 0.1's flat paths (``clusterpolicy.loading``) were kept by an import hook, now
    removed (docs/api.md, "Import paths: what changed"): no module of the package installs one."""
    import importlib
    import sys

    import clusterpolicy

    assert not any(type(finder).__module__.startswith("clusterpolicy") for finder in sys.meta_path)
    for old in ("loading", "engine", "models"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"clusterpolicy.{old}")
    assert clusterpolicy.load_competition is importlib.import_module("clusterpolicy.input.loading").load_competition


@pytest.mark.slow
def test_public_api_is_lazy_and_complete():
    import subprocess
    import sys

    code = (
        "import sys, clusterpolicy\n"
        "assert 'clusterpolicy.evaluation' not in sys.modules, 'import clusterpolicy evaluated eagerly'\n"
        "for name in clusterpolicy.__all__:\n"
        "    getattr(clusterpolicy, name)\n"
        "assert 'clusterpolicy.evaluation' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    import clusterpolicy

    with pytest.raises(AttributeError, match="no attribute 'evaluat'"):
        clusterpolicy.evaluat  # noqa: B018


def test_a_python_without_the_package_is_told_what_to_install(monkeypatch):
    """``python3 -m pytest`` where nothing is installed stopped at an ImportError of the first module."""
    import conftest

    monkeypatch.setattr(conftest, "NEEDED", ("clusterpolicy", "no_such_module_for_this_test"))
    with pytest.raises(pytest.exit.Exception, match="(?s)no_such_module_for_this_test not installed.*pip install"):
        conftest.pytest_configure(None)
