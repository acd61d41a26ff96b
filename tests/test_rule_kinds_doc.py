"""docs/rule-kinds.md (the check kinds' keys, placeholders and the condition syntax) is generated
from the code and current; every placeholder a kind reports is explained."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from clusterpolicy.checks import kinds

DOCS = Path(__file__).resolve().parents[1] / "docs"


def generator():
    spec = importlib.util.spec_from_file_location("generate_rule_kinds", DOCS / "generate_rule_kinds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_kinds_reference_is_current():
    assert generator().main(["--check"]) == 0, "docs/rule-kinds.md is stale: run python docs/generate_rule_kinds.py"


def test_every_kind_and_placeholder_is_documented():
    text = (DOCS / "rule-kinds.md").read_text("utf-8")
    module = generator()
    for name, cls in module._kinds():
        assert f"## `{name}`" in text
        for key in cls.reports:
            assert f"- `{{{key}}}`: {module.PLACEHOLDERS[key]}" in text
    assert "`where:`" in text and "`{not: CONDITION}`" in text


def test_an_unexplained_placeholder_stops_the_generator(monkeypatch):
    module = generator()
    monkeypatch.setattr(kinds.NumberBetween, "reports", frozenset({"value", "minimum", "maximum", "brand_new"}))
    with pytest.raises(SystemExit, match="reports 'brand_new'"):
        module.render()
