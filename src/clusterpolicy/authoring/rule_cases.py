"""YAML test cases for rule packs, so that a compliance team adds a test as a file, not as Python.

A case file (``rules/<pack>/tests/*.yaml``) holds a list of cases. Each case starts from an
application — written inline (``application:``) or read from a file (``base:``, a path relative
to the case file inside the pack's folder, e.g. ``base/complete-stage1.yaml``) — changes it with
``set`` (dotted path -> new value; list items by number, one past the end appends), ``delete`` (dotted paths) and
``remove_where`` (drop the list items whose fields match), and states what must come out: the
overall ``status`` and the ``outcomes`` of named rules::

    cases:
      - name: an LLP may not apply at stage 1
        base: base/complete-stage1.yaml
        competition: base/competition-stage1.yaml
        set: {applicant.type: other}
        expect:
          status: returned
          outcomes: {eligibility.stage1-applicant-type: failed}

``competition`` (a competition file or folder, relative to the case file) supplies the close
of acceptance and the announcement date. ``parameters`` (name -> value) runs the case under the
other reading of a choice, e.g. ``{affiliation_grouping: independent_set}``: only parameters the
checks read when they run; one that sets a rule's severity or stages is refused.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core import confined
from ..core.errors import Location, RulePackError
from ..input.loading import load_competition
from ..input.decree535_form import Application
from ..core.sources import Document, read_document, validate

Outcome = Literal["passed", "failed", "not_applicable", "unknown"]


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["admitted", "returned", "not_accepted", "undetermined"] | None = None
    outcomes: dict[str, Outcome] = Field(default_factory=dict)


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    pack: str | None = Field(None, description="Pack id; by default the pack folder the file is in.")
    base: str | None = Field(None, description="Application file, relative to the case file, inside the pack's folder.")
    application: dict[str, Any] | None = None
    competition: str | None = None
    set: dict[str, Any] = Field(default_factory=dict)
    delete: list[str] = Field(default_factory=list)
    remove_where: dict[str, dict[str, Any]] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Parameters of the pack set otherwise for this case (the other reading of a choice)."
    )
    expect: Expectation


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[Case] = Field(min_length=1)


class LoadedCase(BaseModel):
    """A case with where it was written, for test ids and error messages."""

    case: Case
    file: str
    line: int | None
    pack: str

    @property
    def test_id(self) -> str:
        return f"{Path(self.file).name}:{self.line}: {self.case.name}"


def read_cases(path: str | Path, *, pack: str | None = None) -> list[LoadedCase]:
    """The cases of one case file; the pack defaults to the name of the folder above ``tests/``."""
    path = Path(path)
    document = read_document(path, error=RulePackError)
    parsed = validate(CaseFile, document, error=RulePackError)
    default_pack = pack or path.parent.parent.name
    return [
        LoadedCase(case=case, file=str(path), line=document.line_of(("cases", index)), pack=case.pack or default_pack)
        for index, case in enumerate(parsed.cases)
    ]


def discover(rules_dir: str | Path) -> list[LoadedCase]:
    """Every case under ``<rules_dir>/*/tests/*.yaml``, in file order."""
    found: list[LoadedCase] = []
    for file in sorted(Path(rules_dir).glob("*/tests/*.yaml")):
        found.extend(read_cases(file))
    return found


class CaseRun(BaseModel):
    """What a case produced and how it differs from what it expected."""

    status: str
    outcomes: dict[str, str]
    mismatches: list[str]


def build_application(loaded: LoadedCase | None) -> Application:
    """The case's application: its base with the case's changes applied."""
    case = loaded.case
    data = _base_data(loaded)
    apply_changes(data, case, loaded)
    return validate(Application, Document(data, f"{loaded.file} (case {case.name!r})"))


def apply_changes(data: dict[str, Any], case: Case, loaded: LoadedCase | None = None) -> None:
    """Apply a case's ``set``, ``delete`` and ``remove_where`` to plain application data."""
    for path, value in case.set.items():
        _assign(data, path, value, loaded)
    for path in case.delete:
        _delete(data, path, loaded)
    for path, match in case.remove_where.items():
        items = _get(data, path, loaded)
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise _fail(loaded, f"remove_where needs a list of mappings at {path!r}")
        _put(data, path, [item for item in items if not all(item.get(k) == v for k, v in match.items())], loaded)


def evaluate_case(loaded: LoadedCase | None, *, pack: Any = None, lang: str = "en") -> Any:
    """The case's application evaluated under ``pack`` (a RulePack or id; by default the case's
    own pack) in ``lang``: the :class:`~clusterpolicy.checks.results.ApplicationResult`."""
    from ..evaluation import evaluate

    case = loaded.case
    application = build_application(loaded)
    competition = _competition(case_file(loaded, case.competition, "competition")) if case.competition else None
    chosen = pack or loaded.pack
    if case.parameters:
        chosen = _with_parameters(chosen, case.parameters, loaded)
    return evaluate(application, competition=competition, pack=chosen, lang=lang)


def _with_parameters(pack: Any, values: dict[str, Any], loaded: LoadedCase) -> Any:
    """``pack`` with some parameters set otherwise, for one case: a copy that never passes for
    the official pack (its digest covers the values set)."""
    import dataclasses
    import hashlib
    import json

    from ..packs import resolve_pack

    pack = resolve_pack(pack)
    gates = {name for used in pack.gates.values() for name in used}
    for name in values:
        if name not in pack.parameters:
            raise _fail(loaded, f"parameters: pack {pack.id} has no parameter {name!r}")
        if name in gates:
            raise _fail(loaded, f"parameters: {name!r} sets a rule's severity or stages, which a case cannot change")
    header = pack.header.model_copy(
        update={
            "parameters": {
                **pack.header.parameters,
                **{name: pack.header.parameters[name].model_copy(update={"value": value}) for name, value in values.items()},
            }
        }
    )
    stated = json.dumps(values, sort_keys=True, default=str)
    digest = "sha256:" + hashlib.sha256(f"{pack.digest}\n{stated}".encode()).hexdigest()
    return dataclasses.replace(pack, header=header, rendered={}, digest=digest, origin="folder")


def run_case(loaded: LoadedCase | None, *, pack: Any = None) -> CaseRun:
    """Build the case's application, evaluate it (under ``pack``, by default the case's own),
    and compare with the expectation."""
    case = loaded.case
    result = evaluate_case(loaded, pack=pack)
    outcomes = {r.rule_id: r.outcome for r in result.results}
    mismatches = []
    if case.expect.status is not None and result.status != case.expect.status:
        mismatches.append(f"status: expected {case.expect.status}, got {result.status} (reasons: {result.reasons})")
    for rule_id, expected in case.expect.outcomes.items():
        if rule_id not in outcomes:
            mismatches.append(f"{rule_id}: no such rule in pack {result.pack.id}")
        elif outcomes[rule_id] != expected:
            found = next(r for r in result.results if r.rule_id == rule_id)
            mismatches.append(f"{rule_id}: expected {expected}, got {found.outcome} ({found.message or found.observed})")
    return CaseRun(status=result.status, outcomes=outcomes, mismatches=mismatches)


@lru_cache(maxsize=64)
def _competition(path: str) -> Any:
    return load_competition(path).model_copy(update={"applications": []})


@lru_cache(maxsize=64)
def _file_data(path: str) -> Any:
    return read_document(path).data


def _base_data(loaded: LoadedCase | None) -> dict[str, Any]:
    case = loaded.case
    if (case.base is None) == (case.application is None):
        raise RulePackError("a case needs exactly one of: base, application", location=Location(loaded.file, loaded.line))
    if case.application is not None:
        return copy.deepcopy(case.application)
    return copy.deepcopy(_file_data(case_file(loaded, case.base, "base")))


def case_file(loaded: LoadedCase, relative: str, what: str) -> str:
    """The file a case names (``base:``, ``competition:``), relative to the case file and read
    only from inside the pack's folder (the folder above ``tests/``): a path or a link that
    leads out of it is refused before anything of it is read (:mod:`clusterpolicy.core.confined`)."""
    written = Path(loaded.file)
    where = Location(loaded.file, loaded.line, (what,))
    shown = relative if len(relative) <= 60 else relative[:57] + "..."
    try:
        inner = relative if confined.absolute(relative) else f"{written.parent.name}/{relative}"
        found = confined.entry(written.parent.parent, inner, relative)
    except RulePackError as exc:
        raise RulePackError(f"{what} {shown!r} {exc.message}", location=where, code=exc.code) from None
    if found is None:
        raise RulePackError(f"{what} {shown!r}: no such file in the pack's folder", location=where, code="file_not_found")
    return str(found)


def _split(path: str) -> list[Any]:
    return [int(part) if part.isascii() and part.isdigit() else part for part in path.split(".")]


def _fail(loaded: LoadedCase | None, message: str) -> RulePackError:
    if loaded is None:
        return RulePackError(message)
    return RulePackError(f"case {loaded.case.name!r}: {message}", location=Location(loaded.file, loaded.line))


def _get(data: Any, path: str, loaded: LoadedCase | None) -> Any:
    for part in _split(path):
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            raise _fail(loaded, f"the application has no {path!r}") from None
    return data


def _put(data: Any, path: str, value: Any, loaded: LoadedCase | None) -> None:
    *parents, last = _split(path)
    parent = _get(data, ".".join(map(str, parents)), loaded) if parents else data
    try:
        parent[last] = value
    except (IndexError, TypeError):
        raise _fail(loaded, f"cannot set {path!r}") from None


def _assign(data: Any, path: str, value: Any, loaded: LoadedCase | None) -> None:
    """Set a value, creating the mappings on the way (``concept.pages`` on an empty concept)."""
    *parents, last = _split(path)
    node = data
    for part in parents:
        if isinstance(node, dict) and node.get(part) is None:
            node[part] = {}
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise _fail(loaded, f"the application has no {path!r}") from None
    try:
        if isinstance(node, list) and last == len(node):
            node.append(value)
        else:
            node[last] = value
    except (IndexError, TypeError):
        raise _fail(loaded, f"cannot set {path!r}") from None


def _delete(data: Any, path: str, loaded: LoadedCase | None) -> None:
    *parents, last = _split(path)
    parent = _get(data, ".".join(map(str, parents)), loaded) if parents else data
    try:
        del parent[last]
    except (KeyError, IndexError, TypeError):
        raise _fail(loaded, f"the application has no {path!r} to delete") from None
