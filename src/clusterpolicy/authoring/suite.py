"""A pack's YAML rule tests run without pytest: what ``clusterpolicy test`` and ``clusterpolicy check`` do.

The cases of a pack (its own ``tests/*.yaml``, and those it inherits through ``extends``), the
problems they reveal (:func:`case_problems`, :func:`coverage_problems`), a whole run with each
failing case located (:func:`run_suite`), and the checks of a pack that need no evaluation
(:func:`check_pack`). :mod:`clusterpolicy.authoring.contract` runs the same under pytest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ClusterPolicyError, UsageError
from ..packs import RulePack, available_packs, load_pack, load_pack_from, resolve_pack
from .folders import _folder, load, parent
from .quotes import number_problems, quote_problems
from .stand_ins import stand_in_problems
from .rule_cases import Expectation, LoadedCase, evaluate_case, read_cases, run_case

__all__ = [
    "InheritedCase",
    "load",
    "parent",
    "pack_cases",
    "case_problems",
    "coverage_problems",
    "CaseOutcome",
    "SuiteRun",
    "run_suite",
    "check_pack",
    "PackCheck",
    "packs_to_test",
]


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class InheritedCase:
    """A case to run under the pack: its own, or a parent's with the expectations that still apply."""

    loaded: LoadedCase
    origin: str
    """The id of the pack whose ``tests/`` folder holds the case."""

    @property
    def test_id(self) -> str:
        return f"{self.origin}/tests/{self.loaded.test_id}"


def _own_cases(pack: RulePack) -> list[LoadedCase]:
    folder = _folder(pack)
    if folder is None:
        return []
    found = []
    for file in sorted((folder / "tests").glob("*.yaml")):
        found += [case for case in read_cases(file, pack=pack.id) if case.case.pack in (None, pack.id)]
    return found


def pack_cases(pack: RulePack) -> list[InheritedCase]:
    """The cases that apply to ``pack``: its own, then those it inherits through ``extends``."""
    cases = [InheritedCase(loaded, pack.id) for loaded in _own_cases(pack)]
    base = parent(pack)
    if base is None:
        return cases
    base_rules = {rule.id: rule for rule in base.rules}
    unchanged = {  # the same rule (at the same or fewer stages) with the same values of the parameters it uses
        rule.id
        for rule in pack.rules
        if _same_at_fewer_stages(base_rules.get(rule.id), rule)
        and all(pack.parameters.get(name) == base.parameters.get(name) for name in rule.parameter_names())
    }
    same_rules = unchanged == set(base_rules) == {rule.id for rule in pack.rules} and all(
        base_rules[rule.id] == rule for rule in pack.rules
    )
    stages = set(pack.procedure.stages) if pack.procedure is not None else None
    for inherited in pack_cases(base):
        if stages is not None and _case_stage(inherited.loaded) not in stages | {None}:
            continue  # a case of a stage the pack does not have (the methodology has one selection)
        expect = inherited.loaded.case.expect
        kept = Expectation(
            status=expect.status if same_rules else None,
            outcomes={rule: outcome for rule, outcome in expect.outcomes.items() if rule in unchanged},
        )
        if kept.status is None and not kept.outcomes:
            continue
        case = inherited.loaded.case.model_copy(update={"expect": kept})
        cases.append(InheritedCase(inherited.loaded.model_copy(update={"case": case}), inherited.origin))
    return cases


def _same_at_fewer_stages(base_rule: object, rule: object) -> bool:
    """The parent's rule, or the parent's rule kept at fewer of its stages (a pack with fewer stages)."""
    if base_rule is None:
        return False
    if base_rule == rule:
        return True
    narrower = set(rule.stages) <= set(base_rule.stages)  # type: ignore[attr-defined]
    return narrower and base_rule.model_copy(update={"stages": rule.stages}) == rule  # type: ignore[attr-defined]


def _case_stage(loaded: LoadedCase) -> int | None:
    """The stage of the application a case builds (None when it cannot be built: the run reports it)."""
    from .rule_cases import build_application

    try:
        return build_application(loaded).stage
    except ClusterPolicyError:
        return None


def case_problems(pack: RulePack, cases: list[InheritedCase] | None = None) -> list[str]:
    """Every case whose expectation does not hold under ``pack``."""
    problems = []
    for item in pack_cases(pack) if cases is None else cases:
        try:
            mismatches = run_case(item.loaded, pack=pack).mismatches
        except Exception as error:  # a broken case is a finding, not a crash of the contract
            mismatches = [f"{type(error).__name__}: {error}"]
        problems += [f"{item.test_id}: {mismatch}" for mismatch in mismatches]
    return problems


def coverage_problems(pack: RulePack, cases: list[InheritedCase] | None = None) -> list[str]:
    """Every rule that lacks a case where it passes or one where it fails."""
    seen: dict[str, set[str]] = {}
    for item in pack_cases(pack) if cases is None else cases:
        for rule_id, outcome in item.loaded.case.expect.outcomes.items():
            seen.setdefault(rule_id, set()).add(outcome)
    problems = []
    for rule in pack.rules:
        missing = sorted({"passed", "failed"} - seen.get(rule.id, set()))
        if missing:
            file, line = pack.lines.get(rule.id, (None, None))
            problems.append(f"{file}:{line}: rule {rule.id} has no case where it is {' or '.join(missing)}")
    return problems


# --------------------------------------------------------------------------- clusterpolicy test


@dataclass
class CaseOutcome:
    """One case run: where it is written, and each way its result differs from its expectation."""

    file: str
    line: int | None
    name: str
    origin: str
    """The id of the pack whose ``tests/`` folder holds the case (a parent's, for an inherited one)."""
    mismatches: list[str] = field(default_factory=list)
    """``<rule id> (<provision>): expected <outcome>, got <outcome>: <message>``, and ``status: ...``."""
    error: str | None = None
    """The case could not be run (a missing base file, a path it cannot set): bad input."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.error is None


@dataclass
class SuiteRun:
    """The cases of one pack run under it, and the rules that lack a passing or failing case."""

    pack: RulePack
    cases: list[CaseOutcome]
    coverage: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseOutcome]:
        return [case for case in self.cases if case.mismatches and case.error is None]

    @property
    def errors(self) -> list[CaseOutcome]:
        return [case for case in self.cases if case.error is not None]

    @property
    def exit_code(self) -> int:
        """0 every case holds (and every rule is covered), 1 some do not, 2 a case could not run."""
        if self.errors:
            return 2
        return 1 if self.failed or self.coverage else 0


def _compare(item: InheritedCase, pack: RulePack) -> list[str]:
    case = item.loaded.case
    result = evaluate_case(item.loaded, pack=pack)
    by_rule = {r.rule_id: r for r in result.results}
    mismatches = []
    if case.expect.status is not None and result.status != case.expect.status:
        mismatches.append(f"status: expected {case.expect.status}, got {result.status} (reasons: {', '.join(result.reasons) or '-'})")
    for rule_id, expected in case.expect.outcomes.items():
        found = by_rule.get(rule_id)
        if found is None:
            mismatches.append(f"{rule_id}: expected {expected}, got no such rule in pack {pack.id}")
        elif found.outcome != expected:
            why = f": {found.message}" if found.message else ""
            mismatches.append(f"{rule_id} ({found.citation.provision}): expected {expected}, got {found.outcome}{why}")
    return mismatches


def run_suite(pack: RulePack, *, files: list[Path] | None = None) -> SuiteRun:
    """Run the pack's cases (only those written in ``files``, if given) under ``pack``.

    Coverage (every rule has a case where it passes and one where it fails) is judged only when
    every case of the pack runs."""
    cases = pack_cases(pack)
    if files is not None:
        wanted = {Path(file).resolve() for file in files}
        cases = [item for item in cases if Path(item.loaded.file).resolve() in wanted]
    outcomes = []
    for item in cases:
        loaded = item.loaded
        outcome = CaseOutcome(file=loaded.file, line=loaded.line, name=loaded.case.name, origin=item.origin)
        try:
            outcome.mismatches = _compare(item, pack)
        except ClusterPolicyError as error:
            outcome.error = str(error)
        outcomes.append(outcome)
    coverage = coverage_problems(pack, cases) if files is None else []
    return SuiteRun(pack=pack, cases=outcomes, coverage=coverage)


def packs_to_test(paths: list[str]) -> list[tuple[RulePack, list[Path] | None]]:
    """What ``clusterpolicy test PATH...`` runs: each PATH a pack folder (all its cases), a case
    file or the ``tests`` folder of a pack (those cases), or a shipped pack's id."""
    chosen: dict[str, tuple[RulePack, list[Path] | None]] = {}
    for text in paths:
        path = Path(text)
        if (path / "pack.yaml").is_file():
            pack, files = load_pack_from(path), None
        elif path.is_dir() and path.name == "tests" and (path.parent / "pack.yaml").is_file():
            pack, files = load_pack_from(path.parent), sorted(path.glob("*.yaml"))
        elif path.is_file() and path.parent.name == "tests" and (path.parent.parent / "pack.yaml").is_file():
            pack, files = load_pack_from(path.parent.parent), [path]
        elif not path.exists() and text in available_packs():
            pack, files = load_pack(text), None
        elif path.exists():
            raise UsageError(
                f"{text}: neither a pack folder (with pack.yaml), nor a case file or tests folder of one", code="usage"
            )
        else:
            raise UsageError(f"{text}: no such file or folder, nor a shipped pack ({', '.join(available_packs())})", code="usage")
        key = str(Path(str(pack.folder)).resolve()) if pack.folder is not None else pack.id
        if key in chosen:
            earlier = chosen[key][1]
            files = None if earlier is None or files is None else sorted({*earlier, *files})
        chosen[key] = (pack, files)
    return list(chosen.values())


# --------------------------------------------------------------------------- clusterpolicy check


@dataclass
class PackCheck:
    """What ``clusterpolicy check`` found: errors (the pack or a case file is wrong) and notes
    (conventions the shipped packs keep, which a pack of your own may choose not to)."""

    pack: RulePack | None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cases: int = 0
    quotes: int = 0
    """How many quotes were found in the act's text they cite."""
    unchecked: list[str] = field(default_factory=list)
    """The packs whose act's text does not ship, so that their quotes could not be checked."""

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else 0


def check_pack(reference: str | Path) -> PackCheck:
    """Every check made when the pack loads (shape, field paths, values, placeholders, parameters,
    inheritance, procedure), then every case file read and every case's base, competition and
    changes applied, without evaluating: what a pack author would otherwise meet by failing.
    Then every quote looked up in the act's text (``source/<language>.txt``; a pack without it
    is reported as unchecked) and every parameter's and time limit's number in its own quote."""
    from .rule_cases import build_application, _competition

    try:
        pack = resolve_pack(reference)
    except ClusterPolicyError as error:
        return PackCheck(None, errors=[str(error)])
    found = PackCheck(pack)
    try:
        cases = pack_cases(pack)
    except ClusterPolicyError as error:
        found.errors.append(str(error))
        return found
    found.cases = len(cases)
    rules = {rule.id for rule in pack.rules}
    alone: set[str] = set()
    for item in cases:
        loaded = item.loaded
        where = f"{loaded.file}:{loaded.line}: case {loaded.case.name!r}"
        try:
            build_application(loaded)
            if loaded.case.competition:
                _competition(str(Path(loaded.file).parent / loaded.case.competition))
        except ClusterPolicyError as error:
            found.errors.append(str(error))
            continue
        for rule_id in loaded.case.expect.outcomes:
            if rule_id not in rules:
                found.errors.append(f"{where}: expects an outcome of {rule_id!r}, which is not a rule of pack {pack.id}")
        failing = [rule for rule, outcome in loaded.case.expect.outcomes.items() if outcome == "failed"]
        base = loaded.case.base or ""
        if len(failing) == 1 and base.startswith("base/complete-stage"):
            alone.add(failing[0])
    if not cases:
        found.errors.append(f"pack {pack.id} has no YAML cases (tests/*.yaml of {pack.folder})")
    found.errors += coverage_problems(pack, cases)
    problems, unchecked, found.quotes = quote_problems(pack)
    found.errors += problems
    found.errors += number_problems(pack)
    found.errors += stand_in_problems(pack)
    found.unchecked += unchecked
    for rule in pack.rules:
        if rule.id not in alone:
            file, line = pack.lines.get(rule.id, (None, None))
            found.notes.append(
                f"{file}:{line}: rule {rule.id} has no case that breaks it alone (a case from base/complete-stage1.yaml "
                "or base/complete-stage2.yaml that expects it, and only it, failed): clusterpolicy.testing.break_rule "
                "cannot build an application that breaks it, and the shipped packs' suite requires one"
            )
    return found
