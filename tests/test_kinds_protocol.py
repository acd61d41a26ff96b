"""Each check kind is one class owning its whole protocol, and no code outside a kind's own module
knows a kind by its name; no module dispatches on a class's name (issue 21).

- every kind implements ``run``, ``check_against``, ``not_stated``, ``shown`` and ``remedy`` (its
  own, or the base's default where it says so), reports what a message may use, and types its parameters;
- a scan of the package's source: outside ``checks/kinds/<family>.py``, no comparison of a
  ``kind`` with a kind's name (``rule.check.kind == "on_time"``) and no table keyed by kinds'
  names; nowhere ``type(x).__name__`` compared, looked up or used as a key.
"""

from __future__ import annotations

import ast
import functools
import re
import inspect
from pathlib import Path

import pytest

from clusterpolicy.checks import kinds
from clusterpolicy.checks.kinds.base import PROTOCOL, CheckBase, Words
from clusterpolicy.checks.params import ValueType, value_type

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "clusterpolicy"
KIND_NAMES = {kind.kind_name() for kind in kinds.KINDS}
_ANY_KIND_NAME = "|".join(f"[\"']{name}[\"']" for name in sorted(KIND_NAMES))
"""A kind's name written as a string (in either quotes)."""

_OWN = {"run", "check_against", "remedy"}
"""Methods each kind writes itself; ``not_stated`` and ``shown`` have a default (fields found
empty, and values by the enumeration of the kind's field) that a kind overrides where it needs."""


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.kind_name())
def test_every_kind_implements_the_protocol(kind):
    assert issubclass(kind, CheckBase)
    for method in PROTOCOL:
        assert callable(getattr(kind, method, None)), (kind.kind_name(), method)
    for method in _OWN:
        assert method in vars(kind), f"{kind.kind_name()} does not implement {method}"
    assert list(inspect.signature(kind.run).parameters) == ["self", "context", "params"]
    assert list(inspect.signature(kind.check_against).parameters) == ["self", "checker"]
    assert list(inspect.signature(kind.not_stated).parameters) == ["self", "observed", "words"]
    assert list(inspect.signature(kind.shown).parameters) == ["self", "key", "value", "words"]
    assert list(inspect.signature(kind.remedy).parameters) == ["self", "verdict", "context", "params", "words"]
    assert kind.reports, kind.kind_name()
    assert kind.__module__.startswith("clusterpolicy.checks.kinds.") and kind.__module__ != "clusterpolicy.checks.kinds.base"
    for field, info in kind.model_fields.items():  # a value given by {param: name} has a declared type
        if "ParamRef" in str(info.annotation):
            expected = value_type(info.metadata)
            assert expected is not None and issubclass(expected, ValueType) and expected.expected, (kind.kind_name(), field)


def test_the_kinds_are_the_rule_check_union():
    from typing import get_args

    from clusterpolicy.checks.rule import Rule

    union = Rule.model_fields["check"].annotation
    assert set(get_args(union)) == set(kinds.KINDS)
    assert len(KIND_NAMES) == len(kinds.KINDS)


def test_shown_and_not_stated_speak_the_language():
    ru = Words("ru")
    term = kinds.WithinTerm(kind="within_term", start="s", end="e", amount=5, unit="working_days")
    assert term.shown("unit", "working_days", ru) != "working_days"
    assert term.shown("start", "2017-06-09", ru) == Words("ru").show("2017-06-09")
    listed = kinds.DocumentRequired(kind="document_required", document="concept")
    assert listed.shown("documents_listed", [], ru) == "-"


# --------------------------------------------------------------------------- the scans


@functools.lru_cache(maxsize=None)
def _sources(needle: str) -> tuple[tuple[Path, ast.AST], ...]:
    """The package's modules whose text matches ``needle`` (a regular expression), parsed: a module
    without a match cannot offend, and parsing only the others keeps the scan fast."""
    pattern = re.compile(needle)
    texts = [(path, path.read_text("utf-8")) for path in sorted(PACKAGE.rglob("*.py"))]
    return tuple((path, ast.parse(text)) for path, text in texts if pattern.search(text))


def _mentions_kind(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "kind") or (isinstance(node, ast.Attribute) and node.attr == "kind")


def _kind_names_in(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & KIND_NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return {name for item in node.elts for name in _kind_names_in(item)}
    return set()


def _own_module(path: Path, names: set[str]) -> bool:
    """The file of the kinds that carry these names (a kind may name itself)."""
    modules = {inspect.getsourcefile(kind) for kind in kinds.KINDS if kind.kind_name() in names}
    return modules == {str(path)}


def kind_name_comparisons(path: Path, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            names = set().union(*(_kind_names_in(side) for side in sides))
            if names and any(_mentions_kind(side) for side in sides) and not _own_module(path, names):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: compares kind with {sorted(names)}")
        elif isinstance(node, ast.Dict):
            names = set().union(*(_kind_names_in(key) for key in node.keys if key is not None))
            if len(names) > 1:  # a table keyed by the kinds' names
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: a table keyed by kinds {sorted(names)}")
    return found


def _is_type_name(node: ast.AST) -> bool:
    """``type(x).__name__`` (or ``x.__class__.__name__``)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "__name__"):
        return False
    inner = node.value
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "type":
        return True
    return isinstance(inner, ast.Attribute) and inner.attr == "__class__"


def _in_scope(scope: ast.AST):
    """The nodes of a module or function, not those of the functions defined inside it (their own scopes)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def type_name_dispatch(path: Path, tree: ast.AST) -> list[str]:
    """``type(x).__name__`` compared, used as a key or looked up, directly or through a name bound to it."""
    found = []
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        nodes = list(_in_scope(scope))
        if not any(_is_type_name(node) for node in nodes):  # a class's name is not read here
            continue
        bound = set()
        for node in nodes:
            if isinstance(node, ast.Assign) and any(_is_type_name(part) for part in ast.walk(node.value)):
                bound |= {target.id for target in node.targets if isinstance(target, ast.Name)}

        def tainted(node: ast.AST) -> bool:
            return any(_is_type_name(part) or (isinstance(part, ast.Name) and part.id in bound) for part in ast.walk(node))

        for node in nodes:
            if isinstance(node, ast.Compare) and tainted(node):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: compares a class's name")
            elif isinstance(node, ast.Subscript) and tainted(node.slice):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: looks up by a class's name")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop", "setdefault")
                  and node.args and tainted(node.args[0])):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: looks up by a class's name")
    return sorted(set(found))


def test_no_code_outside_a_kind_compares_kind_with_its_name():
    found = [problem for path, tree in _sources(_ANY_KIND_NAME) for problem in kind_name_comparisons(path, tree)]
    assert found == []


def test_no_module_dispatches_on_a_class_name():
    found = [problem for path, tree in _sources(r"type\(.*\)\.__name__|__class__\.__name__") for problem in type_name_dispatch(path, tree)]
    assert found == []


def test_the_scans_can_fail():
    path = PACKAGE / "competition.py"
    source = (
        "def f(pack):\n"
        "    return [r for r in pack.rules if r.check.kind == 'on_time']\n"
        "TABLE = {'value_in_set': 1, 'on_time': 2}\n"
        "def g(obj):\n"
        "    kind = type(obj).__name__\n"
        "    if type(obj).__name__ == 'X':\n"
        "        return ROWS[kind]\n"
        "    return ROWS.get(kind)\n"
        "def h(obj):\n"
        "    raise TypeError(f'not {type(obj).__name__}')\n"
    )
    tree = ast.parse(source)
    assert len(kind_name_comparisons(path, tree)) == 2
    assert [line.split(":")[1] for line in type_name_dispatch(path, tree)] == ["6", "7", "8"]
    own = Path(inspect.getsourcefile(kinds.OnTime))
    assert kind_name_comparisons(own, ast.parse("x = kind == 'on_time'\n")) == []


def test_the_roots_a_check_reads_are_those_of_its_json_dump():
    """CheckBase.read_roots walks the check's values as its JSON dump (by alias) would hold them,
    without dumping: the same roots as the walk over the dump, for every check of the shipped packs."""
    from clusterpolicy.input.decree535_form import Application
    from clusterpolicy.packs import available_packs, load_pack

    def dumped_roots(check) -> set[str]:
        found = set(check.reads_also)

        def walk(value) -> None:
            if isinstance(value, str):
                head, _, rest = value.partition(".")
                head = rest.split(".")[0] if head == "application" and rest else head
                if head == "competition" or head in Application.model_fields:
                    found.add(head)
            elif isinstance(value, dict):
                for key, item in value.items():
                    walk(key)
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(check.model_dump(mode="json", by_alias=True))
        return found

    checks = [rule.check for pack_id in available_packs() for rule in load_pack(pack_id).rules]
    assert len({type(check) for check in checks}) >= 10
    for check in checks:
        assert check.read_roots() == dumped_roots(check), check
