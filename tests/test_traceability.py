"""Every requirement of Decree 535 is traced to what encodes it, and docs/traceability.md is current."""

from __future__ import annotations

from pathlib import Path

from clusterpolicy.authoring.traceability import check, markdown, read_requirements

ROOT = Path(__file__).resolve().parents[1]
PACK = "kz-2015-decree-535"


def test_no_dangling_reference_and_no_untraced_rule():
    assert check(PACK) == []


def test_every_encoded_requirement_has_a_test():
    table = markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules")
    assert "**none**" not in table


def test_unencoded_requirements_say_why():
    unencoded = [r for r in read_requirements(PACK) if r.not_encoded]
    assert {r.provision for r in unencoded} == {"Rules p.4", "Rules p.10"}
    assert all(len(r.not_encoded) > 20 for r in unencoded)


def _mapping_columns(table: str) -> list[list[str]]:
    """Provision, requirement and what encodes it: the part of the table the law decides.

    The tests column changes whenever a test is added, so it is not compared here.
    """
    return [row.split(" | ")[:3] for row in table.splitlines() if row.startswith("| ")]


def test_docs_table_is_current():
    stored = (ROOT / "docs" / "traceability.md").read_text("utf-8")
    current = markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules")
    assert _mapping_columns(stored) == _mapping_columns(current), (
        "docs/traceability.md is stale: run python -m clusterpolicy.authoring.traceability > docs/traceability.md"
    )
