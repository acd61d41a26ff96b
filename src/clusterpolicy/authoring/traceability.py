"""Traceability: from each requirement of the act to what encodes it and the tests that exercise it.

A pack's ``requirements.yaml`` lists the act's requirements with ``encoded_by`` references:
``rule:<id>``, ``time_limit:<id>``, ``scoring:<key, block or sub-criterion id>``, ``model:<Model.field>``,
``procedure:<path>`` (a citation of ``procedure.yaml``, e.g. ``procedure:stages.1.status.returned``,
the provision every rule of severity ``return`` rests on at stage 1), or ``not_encoded`` with the reason; and ``tests``, the tests that exercise it: a test function
as pytest names it (``tests/test_timeline.py::test_name``, ``tests/test_x.py::TestClass::test_name``,
relative to the project root) or a YAML rule case (``tests/documents.yaml::<case name>``, relative
to the pack folder). A rule reference is also exercised by every case that expects an outcome of
that rule; a status reference (``procedure:stages.<n>.status.<status>``) by every case of stage n
that expects that status. :func:`check` refuses references to nothing (a test function the file does not define,
read with ``ast``; a case the file does not hold) and rules no requirement mentions;
:func:`markdown` renders the table of docs/traceability.md::

    python -m clusterpolicy.authoring.traceability > docs/traceability.md
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

from ..core import confined
from ..core.base import Strict
from ..core.act_text import read_act_text

from ..input import decree535_form as models
from ..core.errors import Location, RulePackError
from ..packs import RulePack, available_packs, load_pack, load_pack_from
from .rule_cases import build_application, discover, read_cases
from ..core.sources import decode_utf8, parse_yaml, validate

REFERENCE = re.compile(r"^(rule|time_limit|scoring|model|procedure):(.+)$")
TEST_FUNCTION = re.compile(r"^(tests/(?:[\w-]+/)*test_\w*\.py)::(?:(Test\w*)::)?(test\w*)$")
"""``tests/test_<file>.py::[Test<Class>::]test_<function>``: a test function, as pytest names it."""
RULE_CASE = re.compile(r"^(tests/[\w.-]+\.yaml)::(\S.*)$")
"""``tests/<file>.yaml::<case name>``: a YAML rule case of the pack."""


class Requirement(Strict):
    provision: str
    text: str
    kk: str | None = Field(None, description="The requirement worded in Kazakh (docs/law.kk.html), where it is.")
    ru: str | None = Field(None, description="The requirement worded in Russian (docs/law.ru.html), where it is.")
    encoded_by: list[str] = Field(default_factory=list)
    not_encoded: str | None = None
    not_encoded_kk: str | None = Field(None, description="The reason nothing encodes it, in Kazakh (docs/law.kk.html).")
    not_encoded_ru: str | None = Field(None, description="The reason nothing encodes it, in Russian (docs/law.ru.html).")
    tests: list[str] = Field(default_factory=list, description="Test functions and rule cases that exercise it.")

    @model_validator(mode="after")
    def _encoded_or_explained(self) -> Requirement:
        if bool(self.encoded_by) == bool(self.not_encoded):
            raise ValueError("a requirement has either encoded_by or not_encoded (the reason)")
        if (self.not_encoded_kk or self.not_encoded_ru) and not self.not_encoded:
            raise ValueError("not_encoded_kk and not_encoded_ru word the reason not_encoded gives; give not_encoded too")
        for reference in self.encoded_by:
            if not REFERENCE.match(reference):
                raise ValueError(f"{reference!r}: a reference is rule:, time_limit:, scoring:, model: or procedure:")
        for test in self.tests:
            if not (TEST_FUNCTION.match(test) or RULE_CASE.match(test)):
                raise ValueError(
                    f"{test!r}: a test is tests/test_<file>.py::[Test<Class>::]test_<function> or tests/<file>.yaml::<case name>"
                )
        return self


class Requirements(Strict):
    requirements: list[Requirement] = Field(min_length=1)


def _pack_folder(pack_id: str, folder: str | Path | None) -> Any:
    return Path(folder) if folder is not None else resources.files("clusterpolicy.rules").joinpath(pack_id)


def read_requirements(pack_id: str, *, folder: str | Path | None = None) -> list[Requirement]:
    """The pack's ``requirements.yaml`` (of the pack ``folder``, by default the shipped pack's)."""
    name = f"{folder}/requirements.yaml" if folder is not None else f"rules/{pack_id}/requirements.yaml"
    raw = confined.read_bytes(_pack_folder(pack_id, folder), "requirements.yaml", name)  # only a regular file inside the pack
    if raw is None:
        raise RulePackError("the pack has no requirements.yaml", location=Location(name), code="file_not_found")
    text = decode_utf8(raw, name, error=RulePackError)
    return validate(Requirements, parse_yaml(text, name, error=RulePackError), error=RulePackError).requirements


def _targets(pack: RulePack) -> dict[str, set[str]]:
    scoring = pack.scoring
    scoring_keys = set(type(scoring).model_fields) if scoring is not None else set()
    scoring_keys |= {sub.id for block in scoring.blocks for sub in block.sub_criteria} if scoring is not None else set()
    scoring_keys |= {block.id for block in scoring.blocks} if scoring is not None else set()
    model_fields = {
        f"{name}.{field}"
        for name, cls in vars(models).items()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for field in cls.model_fields
    }
    procedure = set()
    if pack.procedure is not None:
        procedure |= {f"citations.{name}" for name, value in pack.procedure.citations if value is not None}
        for number, stage in pack.procedure.stages.items():
            procedure |= {f"stages.{number}.{name}" for name in ("requirements", "completeness_check", "next_step")}
            procedure |= {f"stages.{number}.status.{name}" for name, value in stage.status if value is not None}
            procedure |= {
                f"stages.{number}.{name}" for name in ("review", "decision", "protocol_records") if getattr(stage, name) is not None
            }
    return {
        "procedure": procedure,
        "rule": {rule.id for rule in pack.rules},
        "time_limit": {limit.id for limit in pack.time_limits},
        "scoring": scoring_keys,
        "model": model_fields,
    }


def _project_root() -> Path:
    """The folder that holds ``tests/`` and ``rules/`` in a checkout (src/clusterpolicy/authoring/..)."""
    return Path(__file__).resolve().parents[3]


def _functions(path: Path) -> set[str]:
    """``name`` and ``Class::name`` of the test functions a test file defines (read, not imported)."""
    names = set()
    for node in ast.parse(path.read_text("utf-8"), str(path)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(f"{node.name}::{item.name}")
    return names


def dangling_tests(
    pack_id: str, tests: list[str], *, root: str | Path | None = None, folder: str | Path | None = None
) -> list[str]:
    """The test references that name no test: a file that does not exist, a function it does not
    define, a rule case it does not hold. ``root`` is the project root (holding ``tests/``); a
    root without ``tests/`` (a folder of packs outside a checkout) has no test functions to check.
    ``folder`` is the pack's folder (by default the shipped pack's)."""
    root = Path(root) if root is not None else _project_root()
    pack_folder = _pack_folder(pack_id, folder)
    problems = []
    for test in tests:
        if match := TEST_FUNCTION.match(test):
            if not (root / "tests").is_dir():
                continue
            file, cls, function = match.groups()
            path = root / file
            if not path.is_file():
                problems.append(f"{test}: no test file {path}")
            elif (f"{cls}::{function}" if cls else function) not in _functions(path):
                problems.append(f"{test}: {file} defines no test {(cls + '.') if cls else ''}{function}")
        elif match := RULE_CASE.match(test):
            file, name = match.groups()
            path = Path(str(pack_folder.joinpath(*file.split("/"))))
            if not path.is_file():
                problems.append(f"{test}: no case file rules/{pack_id}/{file}")
            elif name not in {loaded.case.name for loaded in read_cases(path, pack=pack_id)}:
                problems.append(f"{test}: rules/{pack_id}/{file} holds no case named {name!r}")
    return problems


def check(pack_id: str, *, root: str | Path | None = None, folder: str | Path | None = None) -> list[str]:
    """Problems of the pack's traceability: dangling references, test references that name no
    test, rules no requirement mentions. ``root`` is the project root, where ``tests/`` is;
    ``folder`` the pack's folder (by default the shipped pack)."""
    pack = load_pack_from(folder) if folder is not None else load_pack(pack_id)
    requirements = read_requirements(pack_id, folder=folder)
    targets = _targets(pack)
    problems, mentioned = [], set()
    for requirement in requirements:
        for reference in requirement.encoded_by:
            kind, target = REFERENCE.match(reference).groups()
            mentioned.add(reference)
            if target not in targets[kind]:
                problems.append(f"{requirement.provision}: {reference} does not exist in pack {pack_id}")
        problems += [
            f"{requirement.provision}: {problem}"
            for problem in dangling_tests(pack_id, requirement.tests, root=root, folder=folder)
        ]
    for kind in ("rule", "time_limit"):
        for target in sorted(targets[kind]):
            if f"{kind}:{target}" not in mentioned:
                problems.append(f"{kind}:{target} is not traced to any requirement")
    return problems


_STATUS = re.compile(r"^stages\.(\d+)\.status\.(\w+)$")


def _tests_of(reference: str, cases: dict[str, list[str]]) -> list[str]:
    """The rule cases that expect an outcome of a ``rule:`` reference, or the status of a
    ``procedure:stages.<n>.status.<status>`` reference (other kinds name their tests)."""
    kind, target = REFERENCE.match(reference).groups()
    if kind == "rule":
        return cases.get(target, [])
    if kind == "procedure" and (match := _STATUS.match(target)):
        return cases.get(f"status:{match[1]}:{match[2]}", [])
    return []


def _natural(text: str) -> list[object]:
    """Sort key that puts ``file.yaml:24`` before ``file.yaml:225``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def markdown(pack_id: str, *, tests_dir: str | Path | None = None, rules_dir: str | Path | None = None) -> str:
    """The traceability table of a pack, as Markdown: each requirement's own ``tests`` and, for
    its rule references, the cases of ``rules_dir`` that expect an outcome of the rule. With
    ``tests_dir``, a test reference that names no test there is a :class:`RulePackError`. The
    requirements are those of ``rules_dir/<pack_id>`` when it exists, else the shipped pack's."""
    folder = Path(rules_dir) / pack_id if rules_dir is not None and (Path(rules_dir) / pack_id / "requirements.yaml").is_file() else None
    requirements = read_requirements(pack_id, folder=folder)
    if tests_dir is not None:
        problems = [
            f"{requirement.provision}: {problem}"
            for requirement in requirements
            for problem in dangling_tests(pack_id, requirement.tests, root=Path(tests_dir).parent, folder=folder)
        ]
        if problems:
            raise RulePackError("; ".join(problems), location=Location(f"rules/{pack_id}/requirements.yaml"))
    cases: dict[str, list[str]] = {}
    if rules_dir is not None:
        for loaded in discover(rules_dir):
            if loaded.pack != pack_id:
                continue
            for rule_id, outcome in loaded.case.expect.outcomes.items():
                cases.setdefault(rule_id, []).append(f"{Path(loaded.file).name}:{loaded.line} ({outcome})")
            if loaded.case.expect.status is not None:
                stage = build_application(loaded).stage
                cases.setdefault(f"status:{stage}:{loaded.case.expect.status}", []).append(
                    f"{Path(loaded.file).name}:{loaded.line} ({loaded.case.expect.status})"
                )
    law = _law_links(pack_id)
    lines = [
        f"# Traceability: {pack_id}",
        "",
        "Each requirement of the act, what encodes it, and the tests that exercise it. Generated by",
        "`python -m clusterpolicy.authoring.traceability` from `rules/" + pack_id + "/requirements.yaml`; a test keeps it current.",
        "Rule cases are `rules/" + pack_id + "/tests/<file>:<line> (expected outcome)`; test functions are",
        "named as pytest names them (`tests/<file>.py::<function>`). A provision links to its text in",
        "[the law beside the code](law.md) where the pack ships the act's text.",
        "",
        "| provision | requirement | encoded by | tests |",
        "|---|---|---|---|",
    ]
    for requirement in requirements:
        provision = law(requirement.provision)
        if requirement.not_encoded:
            lines.append(f"| {provision} | {requirement.text} | not encoded: {requirement.not_encoded} | |")
            continue
        encoded = "<br>".join(f"`{reference}`" for reference in requirement.encoded_by)
        tests = sorted({test for ref in requirement.encoded_by for test in _tests_of(ref, cases)}, key=_natural)
        tests += [f"`{test}`" for test in requirement.tests]
        lines.append(f"| {provision} | {requirement.text} | {encoded} | {'<br>'.join(tests) or '**none**'} |")
    return "\n".join(lines) + "\n"


def _law_links(pack_id: str):
    """A provision as a Markdown link to its first unit in docs/law.md (as written, without a text)."""
    folder = resources.files("clusterpolicy.rules").joinpath(pack_id)
    text = read_act_text(folder, shown_as=f"rules/{pack_id}")

    def link(provision: str) -> str:
        units = text.units_of(provision) if text else []
        return f"[{provision}](law.md#{units[0].id})" if units else provision

    return link


def main(argv: list[str] | None = None) -> None:
    """``python -m clusterpolicy.authoring.traceability [ROOT]``: the tables of the packs in
    ``ROOT/rules`` (default: the current folder's ``rules/``, as you edit them, not the installed
    copy), with the cases of those folders and the test functions of ``ROOT/tests`` if there is one.
    Without a ``rules/`` folder there, the packs of the checkout the library runs from, if any, else
    the shipped packs."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    if not args and not (root / "rules").is_dir():
        root = _project_root()
    sys.stdout.reconfigure(encoding="utf-8")
    rules = root / "rules"
    if rules.is_dir():
        found = sorted(entry.name for entry in rules.iterdir() if (entry / "requirements.yaml").is_file() and (entry / "pack.yaml").is_file())
        folders = {pack_id: rules / pack_id for pack_id in found}
    else:
        shipped = resources.files("clusterpolicy.rules")
        folders = {p: None for p in available_packs() if shipped.joinpath(p, "requirements.yaml").is_file()}
        print(f"no rules/ folder in {root}: the installed packs, without their test functions", file=sys.stderr)
    for pack_id, folder in folders.items():
        problems = check(pack_id, root=root, folder=folder)
        if problems:
            where = f"{folder}/requirements.yaml" if folder is not None else f"rules/{pack_id}/requirements.yaml"
            raise RulePackError("; ".join(problems), location=Location(where))
        sys.stdout.write(markdown(pack_id, tests_dir=root / "tests", rules_dir=rules if rules.is_dir() else None))


if __name__ == "__main__":
    main()
