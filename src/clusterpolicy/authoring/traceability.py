"""Traceability: from each requirement of the act to what encodes it and the tests that exercise it.

A pack's ``requirements.yaml`` lists the act's requirements with ``encoded_by`` references:
``rule:<id>``, ``time_limit:<id>``, ``scoring:<key or sub-criterion id>``, ``model:<Model.field>``,
or ``not_encoded`` with the reason. :func:`check` refuses references to nothing and rules no
requirement mentions; :func:`markdown` renders the table of docs/traceability.md::

    python -m clusterpolicy.authoring.traceability > docs/traceability.md
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from ..core.base import Strict

from ..input import models
from ..core.errors import Location, RulePackError
from ..packs import RulePack, available_packs, load_pack
from .rule_cases import discover
from ..core.sources import parse_yaml, validate

REFERENCE = re.compile(r"^(rule|time_limit|scoring|model):(.+)$")


class Requirement(Strict):
    provision: str
    text: str
    encoded_by: list[str] = Field(default_factory=list)
    not_encoded: str | None = None

    @model_validator(mode="after")
    def _encoded_or_explained(self) -> Requirement:
        if bool(self.encoded_by) == bool(self.not_encoded):
            raise ValueError("a requirement has either encoded_by or not_encoded (the reason)")
        for reference in self.encoded_by:
            if not REFERENCE.match(reference):
                raise ValueError(f"{reference!r}: a reference is rule:, time_limit:, scoring: or model:")
        return self


class Requirements(Strict):
    requirements: list[Requirement] = Field(min_length=1)


def read_requirements(pack_id: str) -> list[Requirement]:
    """The pack's ``requirements.yaml``."""
    name = f"rules/{pack_id}/requirements.yaml"
    text = resources.files("clusterpolicy.rules").joinpath(pack_id, "requirements.yaml").read_text("utf-8")
    return validate(Requirements, parse_yaml(text, name, error=RulePackError), error=RulePackError).requirements


def _targets(pack: RulePack) -> dict[str, set[str]]:
    scoring = pack.scoring
    scoring_keys = set(type(scoring).model_fields) if scoring is not None else set()
    scoring_keys |= {sub.id for block in scoring.blocks for sub in block.sub_criteria} if scoring is not None else set()
    model_fields = {
        f"{name}.{field}"
        for name, cls in vars(models).items()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for field in cls.model_fields
    }
    return {
        "rule": {rule.id for rule in pack.rules},
        "time_limit": {limit.id for limit in pack.time_limits},
        "scoring": scoring_keys,
        "model": model_fields,
    }


def check(pack_id: str) -> list[str]:
    """Problems of the pack's traceability: dangling references, rules no requirement mentions."""
    pack, requirements = load_pack(pack_id), read_requirements(pack_id)
    targets = _targets(pack)
    problems, mentioned = [], set()
    for requirement in requirements:
        for reference in requirement.encoded_by:
            kind, target = REFERENCE.match(reference).groups()
            mentioned.add(reference)
            if target not in targets[kind]:
                problems.append(f"{requirement.provision}: {reference} does not exist in pack {pack_id}")
    for kind in ("rule", "time_limit"):
        for target in sorted(targets[kind]):
            if f"{kind}:{target}" not in mentioned:
                problems.append(f"{kind}:{target} is not traced to any requirement")
    return problems


def _tests_of(reference: str, cases: dict[str, list[str]], test_files: dict[str, str]) -> list[str]:
    kind, target = REFERENCE.match(reference).groups()
    if kind == "rule":
        return cases.get(target, [])
    needle = target.split(".")[-1]
    return [name for name, text in test_files.items() if needle in text]


def _natural(text: str) -> list[object]:
    """Sort key that puts ``file.yaml:24`` before ``file.yaml:225``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def markdown(pack_id: str, *, tests_dir: str | Path | None = None, rules_dir: str | Path | None = None) -> str:
    """The traceability table of a pack, as Markdown."""
    requirements = read_requirements(pack_id)
    cases: dict[str, list[str]] = {}
    if rules_dir is not None:
        for loaded in discover(rules_dir):
            for rule_id, outcome in loaded.case.expect.outcomes.items():
                if loaded.pack == pack_id:
                    cases.setdefault(rule_id, []).append(f"{Path(loaded.file).name}:{loaded.line} ({outcome})")
    test_files = (
        {path.name: path.read_text("utf-8") for path in sorted(Path(tests_dir).glob("test_*.py"))} if tests_dir else {}
    )
    lines = [
        f"# Traceability: {pack_id}",
        "",
        "Each requirement of the act, what encodes it, and the tests that exercise it. Generated by",
        "`python -m clusterpolicy.authoring.traceability` from `rules/" + pack_id + "/requirements.yaml`; a test keeps it current.",
        "Rule cases are `rules/" + pack_id + "/tests/<file>:<line> (expected outcome)`.",
        "",
        "| provision | requirement | encoded by | tests |",
        "|---|---|---|---|",
    ]
    for requirement in requirements:
        if requirement.not_encoded:
            lines.append(f"| {requirement.provision} | {requirement.text} | not encoded: {requirement.not_encoded} | |")
            continue
        encoded = "<br>".join(f"`{reference}`" for reference in requirement.encoded_by)
        tests = sorted({test for ref in requirement.encoded_by for test in _tests_of(ref, cases, test_files)}, key=_natural)
        lines.append(f"| {requirement.provision} | {requirement.text} | {encoded} | {'<br>'.join(tests) or '**none**'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    sys.stdout.reconfigure(encoding="utf-8")
    shipped = resources.files("clusterpolicy.rules")
    for pack_id in [p for p in available_packs() if shipped.joinpath(p, "requirements.yaml").is_file()]:
        problems = check(pack_id)
        if problems:
            raise RulePackError("; ".join(problems), location=Location(f"rules/{pack_id}/requirements.yaml"))
        sys.stdout.write(markdown(pack_id, tests_dir=root / "tests", rules_dir=root / "rules"))


if __name__ == "__main__":
    main()
