"""The error codes are one closed list (core.errors.ErrorCode), and docs/errors.md lists exactly it.

As pydantic's ``PydanticErrorCodes`` with its tests/test_docs.py: every code the source uses,
as a ``code=`` keyword or a class attribute ``code = "..."``, is in the list, and the page
explains each code of the list and nothing else.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache

import pytest
from pathlib import Path

from clusterpolicy.core.errors import ERROR_CODES

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "clusterpolicy"


@lru_cache(maxsize=None)
def used_codes() -> dict[str, list[str]]:
    """Every string given as ``code=`` or assigned to ``code`` in the package -> where."""
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            values = []
            if isinstance(node, ast.keyword) and node.arg == "code":
                values = [node.value]
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                values = [node.value]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "code" and node.value:
                values = [node.value]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, []).append(f"{path.relative_to(SOURCE)}:{node.lineno if hasattr(node, 'lineno') else value.lineno}")
    return found


def documented_codes() -> list[str]:
    text = (ROOT / "docs" / "errors.md").read_text("utf-8")
    return re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.MULTILINE)


@pytest.mark.slow
def test_every_code_used_in_the_source_is_in_the_list():
    used = used_codes()
    assert len(used) > 40  # the scan finds the codes (it would pass vacuously otherwise)
    unlisted = {code: where for code, where in used.items() if code not in ERROR_CODES}
    assert not unlisted, f"add these codes to core.errors.ErrorCode and docs/errors.md: {unlisted}"


def test_every_code_of_the_list_is_used():
    unused = set(ERROR_CODES) - set(used_codes())
    assert not unused, f"codes the library never raises: {sorted(unused)}"


def test_the_list_has_no_repeats():
    assert len(ERROR_CODES) == len(set(ERROR_CODES))


def test_docs_list_exactly_the_codes():
    documented = documented_codes()
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert set(documented) == set(ERROR_CODES)


def test_docs_are_linked():
    assert "docs/errors.md" in (ROOT / "README.md").read_text("utf-8")
    assert "errors.md" in (ROOT / "docs" / "rules.md").read_text("utf-8")
