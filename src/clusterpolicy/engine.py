"""The rules engine: a small set of declarative rule kinds, composed in YAML, never ``eval``'d.

A rule (one entry of a ``rules:`` list in a pack) has a stable id, a citation, a severity,
the stages it applies to, an optional ``when`` condition, a ``check`` of one of the kinds
below, and a failure message in kk/ru/en whose ``{placeholders}`` are filled with the values
the check looked at and the parameters it used.

Check kinds:

``value_in_set``       a field's value is one of ``allowed``
``condition``          a condition (``field``/``equals``/``in``/``all``/``any``/``not``) holds
``all_stated``         every listed field is stated as true (a section and its items present)
``document_required``  the application lists a document of ``document`` kind
``count_at_least``     at least ``minimum`` items of a collection match ``where``
``number_between``     a number lies within ``minimum``..``maximum``
``each_item_has``      every item of a collection states every listed element
``on_time``            a timestamp is no later than a deadline
``within_term``        a date falls within a term after another, counted on the working calendar
``unaffiliated_legal_entities``  the affiliation count of criteria 1.1 reaches ``minimum``

A value in a check may be a literal or ``{param: name}``, a named parameter of the pack.
Outcomes: ``passed``, ``failed``, ``not_applicable`` (wrong stage, or ``when`` is false), and
``unknown`` when the data the check needs is not stated: never a guess.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import Location, RulePackError
from .i18n import Language, Text, provision_text
from .packs import Citation, RulePack, choose_pack
from .results import ApplicationResult, CitationOut, CompetitionResult, PackRef, RuleResult, Status, library_version
from .sources import Document, validate

Outcome = Literal["passed", "failed", "not_applicable", "unknown"]
Severity = Literal["disqualifying", "return", "warning", "info"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ParamRef(Strict):
    """``{param: name}``: the value of the pack's named parameter."""

    param: str


Value = Union[ParamRef, Any]


# --------------------------------------------------------------------------- conditions


class Condition(Strict):
    """A declarative test on the application's fields; true, false, or unknown (not stated)."""

    field: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    stated: bool | None = Field(None, description="true: the field is stated; false: it is not.")
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        combinators = [self.all is not None, self.any is not None, self.not_ is not None]
        if sum(combinators) + (self.field is not None) != 1:
            raise ValueError("a condition has exactly one of: field, all, any, not")
        if self.field is not None:
            tests = [self.equals is not None, self.in_ is not None, self.stated is not None]
            if sum(tests) != 1:
                raise ValueError("a field condition has exactly one of: equals, in, stated")
        return self

    def evaluate(self, root: Any) -> bool | None:
        if self.all is not None:
            return _all(c.evaluate(root) for c in self.all)
        if self.any is not None:
            return _any(c.evaluate(root) for c in self.any)
        if self.not_ is not None:
            value = self.not_.evaluate(root)
            return None if value is None else not value
        value = resolve(root, self.field)
        if self.stated is not None:
            return (value is not None) == self.stated
        value = value.value if isinstance(value, Enum) else value
        if value is None:
            return None
        if self.in_ is not None:
            return value in self.in_
        return value == self.equals

    def fields(self) -> Iterator[str]:
        if self.field is not None:
            yield self.field
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            yield from child.fields()


def _all(values: Iterator[bool | None]) -> bool | None:
    values = list(values)
    if False in values:
        return False
    return None if None in values else True


def _any(values: Iterator[bool | None]) -> bool | None:
    values = list(values)
    if True in values:
        return True
    return None if None in values else False


# --------------------------------------------------------------------------- reading fields


class Context:
    """What a rule can look at: ``application.*`` (the default root) and ``competition.*``."""

    def __init__(self, application: Any, competition: Any = None, *, calendar: Any = None) -> None:
        self.application = application
        self.competition = competition
        self.calendar = calendar


def resolve(root: Any, path: str) -> Any:
    """The value at a dotted path; ``None`` when any step is missing."""
    if isinstance(root, Context):
        in_competition, parts = _steps(path)
        root = root.competition if in_competition else root.application
    else:
        parts = _split_path(path)
    value = root
    for part in parts:
        if value is None:
            return None
        if isinstance(value, list):
            index = int(part) if part.isdigit() else len(value)
            value = value[index] if index < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


@lru_cache(maxsize=None)
def _steps(path: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a path reads the competition, and its steps below the root (parsed once)."""
    head, _, rest = path.partition(".")
    if head == "competition":
        return True, _split_path(rest)
    return False, _split_path(rest if head == "application" else path)


@lru_cache(maxsize=None)
def _split_path(path: str) -> tuple[str, ...]:
    return tuple(path.split(".")) if path else ()


_ALREADY_PLAIN = frozenset({str, int, bool, type(None), dict, Decimal})


def plain(value: Any) -> Any:
    """A JSON-friendly form of a value, for conditions, observed values and messages."""
    if type(value) in _ALREADY_PLAIN:  # the common case, decided without the checks below
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


_SIZED = (str, list, dict, tuple)


def is_stated(value: Any) -> bool:
    """Given and not empty ("", [] and {} state nothing)."""
    if isinstance(value, _SIZED):
        return len(value) > 0
    return value is not None


# --------------------------------------------------------------------------- check kinds


class Verdict:
    """What a check found: the outcome and the values it looked at, already JSON-friendly
    (each check passes what it read from the application through :func:`plain`)."""

    __slots__ = ("outcome", "observed")

    def __init__(self, outcome: Outcome, **observed: Any) -> None:
        self.outcome, self.observed = outcome, observed


class CheckBase(Strict):
    def run(self, context: Context, params: Params) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError

    def parameter_names(self) -> Iterator[str]:
        for value in self.__dict__.values():
            if isinstance(value, ParamRef):
                yield value.param


class Params:
    """Resolves ``{param: name}`` values and remembers which parameters a check used."""

    def __init__(self, pack: Any) -> None:
        self.pack, self.used = pack, {}

    def __call__(self, value: Value) -> Any:
        if isinstance(value, ParamRef):
            resolved = self.pack.parameter(value.param)
            self.used[value.param] = resolved
            return resolved
        return value


class ValueInSet(CheckBase):
    kind: Literal["value_in_set"]
    field: str
    allowed: Value

    def run(self, context: Context, params: Params) -> Verdict:
        value, allowed = plain(resolve(context, self.field)), params(self.allowed)
        if value is None:
            return Verdict("unknown", value=None, allowed=allowed)
        return Verdict("passed" if value in allowed else "failed", value=value, allowed=allowed)


class ConditionCheck(CheckBase):
    kind: Literal["condition"]
    condition: Condition

    def run(self, context: Context, params: Params) -> Verdict:
        values = {field: plain(resolve(context, field)) for field in self.condition.fields()}
        result = self.condition.evaluate(context)
        outcome: Outcome = "unknown" if result is None else ("passed" if result else "failed")
        return Verdict(outcome, values=values)


class AllStated(CheckBase):
    kind: Literal["all_stated"]
    base: str | None = Field(None, description="Path the fields are relative to, e.g. concept.conditions.")
    fields: list[str] = Field(min_length=1)

    def run(self, context: Context, params: Params) -> Verdict:
        missing, not_stated = [], []
        base = resolve(context, self.base) if self.base else context
        for field in self.fields:
            value = None if base is None else resolve(base, field)
            if value is None:
                not_stated.append(field)
            elif value is False or not is_stated(value):
                missing.append(field)
        outcome: Outcome = "failed" if missing else ("unknown" if not_stated else "passed")
        return Verdict(outcome, missing=missing, not_stated=not_stated, checked=len(self.fields))


class DocumentRequired(CheckBase):
    kind: Literal["document_required"]
    document: str

    def run(self, context: Context, params: Params) -> Verdict:
        kinds = {plain(doc.kind) for doc in resolve(context, "documents") or []}
        outcome: Outcome = "passed" if self.document in kinds else "failed"
        return Verdict(outcome, document=self.document, documents_listed=sorted(kinds))


class CountAtLeast(CheckBase):
    kind: Literal["count_at_least"]
    collection: str
    where: Condition | None = None
    minimum: Value

    def run(self, context: Context, params: Params) -> Verdict:
        items = resolve(context, self.collection) or []
        minimum = params(self.minimum)
        if self.where is None:
            matches, undecided = list(items), 0
        else:
            verdicts = [self.where.evaluate(item) for item in items]
            matches = [item for item, verdict in zip(items, verdicts) if verdict]
            undecided = verdicts.count(None)
        count = len(matches)
        ids = [getattr(item, "id", index) for index, item in enumerate(matches)]
        if count >= minimum:
            outcome: Outcome = "passed"
        elif count + undecided >= minimum:
            outcome = "unknown"
        else:
            outcome = "failed"
        return Verdict(outcome, count=count, minimum=minimum, matching=ids, undecided=undecided)


class NumberBetween(CheckBase):
    kind: Literal["number_between"]
    field: str
    minimum: Value = None
    maximum: Value = None

    def run(self, context: Context, params: Params) -> Verdict:
        value = resolve(context, self.field)
        low, high = params(self.minimum), params(self.maximum)
        if value is None:
            return Verdict("unknown", value=None, minimum=low, maximum=high)
        inside = (low is None or value >= low) and (high is None or value <= high)
        return Verdict("passed" if inside else "failed", value=plain(value), minimum=low, maximum=high)


class EachItemHas(CheckBase):
    kind: Literal["each_item_has"]
    collection: str
    elements: dict[str, list[Annotated[str, Field(pattern=r"^[a-z_]+$")]]] = Field(
        min_length=1, description="Element name -> fields of the item (plain names), any of which states it."
    )

    def run(self, context: Context, params: Params) -> Verdict:
        items = resolve(context, self.collection)
        if items is None:
            return Verdict("unknown", items=0, incomplete={})
        incomplete = {}
        elements = list(self.elements.items())
        for index, item in enumerate(items):
            values = item if isinstance(item, dict) else vars(item)  # models keep their fields in __dict__
            lacking = []
            for element, fields in elements:
                for field in fields:  # is_stated, inlined: this loop runs items x elements times
                    value = values.get(field)
                    if value is not None and (not isinstance(value, _SIZED) or len(value) > 0):
                        break
                else:
                    lacking.append(element)
            if lacking:
                incomplete[str(getattr(item, "id", index))] = lacking
        return Verdict("failed" if incomplete else "passed", items=len(items), incomplete=incomplete)


class OnTime(CheckBase):
    kind: Literal["on_time"]
    timestamp: str
    deadline: str

    def run(self, context: Context, params: Params) -> Verdict:
        moment, deadline = resolve(context, self.timestamp), resolve(context, self.deadline)
        if moment is None or deadline is None:
            return Verdict("unknown", timestamp=plain(moment), deadline=plain(deadline))
        late_by = moment - deadline
        observed = {"timestamp": plain(moment), "deadline": plain(deadline)}
        if late_by.total_seconds() > 0:
            return Verdict("failed", late_by=str(late_by), **observed)
        return Verdict("passed", **observed)


class WithinTerm(CheckBase):
    kind: Literal["within_term"]
    start: str
    end: str
    amount: Value
    unit: Value

    def run(self, context: Context, params: Params) -> Verdict:
        from .terms import due_date

        start, end = resolve(context, self.start), resolve(context, self.end)
        amount, unit = params(self.amount), params(self.unit)
        if start is None or end is None:
            return Verdict("unknown", start=plain(start), end=plain(end), amount=amount, unit=unit)
        due = due_date(start, amount, unit, calendar=context.calendar)
        outcome: Outcome = "passed" if end <= due.date else "failed"
        observed = {"start": plain(start), "end": plain(end), "due": plain(due.date), "amount": amount, "unit": unit}
        if due.warnings:
            observed["calendar_warnings"] = [warning.model_dump(mode="json") for warning in due.warnings]
        return Verdict(outcome, **observed)


class UnaffiliatedLegalEntities(CheckBase):
    kind: Literal["unaffiliated_legal_entities"]
    minimum: Value
    ownership_threshold_percent: Value
    include_shared_officials: Value = True
    grouping: Value = "connected_components"

    def run(self, context: Context, params: Params) -> Verdict:
        from .affiliation import count_unaffiliated_legal_entities_json

        minimum = params(self.minimum)
        result = count_unaffiliated_legal_entities_json(
            resolve(context, "participants") or [],
            ownership_threshold_percent=Decimal(str(params(self.ownership_threshold_percent))),
            include_shared_officials=params(self.include_shared_officials),
            grouping=params(self.grouping),
        )
        low, high = result["count_certain"], result["count_if_all_unknown_counted"]
        if low >= minimum:
            outcome: Outcome = "passed"
        elif high >= minimum:
            outcome = "unknown"
        else:
            outcome = "failed"
        return Verdict(outcome, count=low, minimum=minimum, affiliation=result)


Check = Annotated[
    Union[
        ValueInSet,
        ConditionCheck,
        AllStated,
        DocumentRequired,
        CountAtLeast,
        NumberBetween,
        EachItemHas,
        OnTime,
        WithinTerm,
        UnaffiliatedLegalEntities,
    ],
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- rules


class Rule(Strict):
    """One rule of a pack."""

    id: str = Field(pattern=r"^[a-z0-9]+(\.[a-z0-9-]+)+$", description="Stable id: topic.name.")
    title: Text
    citation: Citation
    severity: Severity
    stages: list[Literal[1, 2]] = Field(min_length=1)
    when: Condition | None = None
    check: Check
    message: Text = Field(description="Shown when the check fails; {placeholders} are observed values and parameters.")
    note: str | None = None

    def parameter_names(self) -> list[str]:
        return sorted(set(self.check.parameter_names()))


class RuleFile(Strict):
    rules: list[Rule] = Field(min_length=1)


def read_rules(document: Document) -> list[tuple[Rule, int | None]]:
    """The rules of one topic file, each with the line it starts on."""
    parsed = validate(RuleFile, document, error=RulePackError)
    return [(rule, document.line_of(("rules", index))) for index, rule in enumerate(parsed.rules)]


# --------------------------------------------------------------------------- evaluation

_BLOCKING = {"disqualifying": "not_accepted", "return": "returned"}
_STATUS_CITATION = {
    ("not_accepted", 1): "Rules p.13",
    ("not_accepted", 2): "Rules p.13",
    ("returned", 1): "Rules p.16",
    ("returned", 2): "Rules p.32",
}


def evaluate(
    application: Any,
    *,
    competition: Any = None,
    pack: Any = None,
    lang: Language = "en",
    calendar: Any = None,
    as_of: dt.date | None = None,
) -> ApplicationResult:
    """Check one application against a pack: every rule's outcome, and the overall status.

    ``pack`` is a :class:`~clusterpolicy.packs.RulePack` or a pack id; by default it is chosen
    by :func:`choose_pack_for`, and the result carries the warnings of that choice.
    """
    pack, warnings = choose_pack_for(pack, competition=competition, application=application, as_of=as_of, lang=lang)
    return _evaluate(application, competition, pack, lang, calendar, warnings)


def evaluate_competition(
    competition: Any, *, pack: Any = None, lang: Language = "en", calendar: Any = None, as_of: dt.date | None = None
) -> CompetitionResult:
    """Check every application of a competition under one pack (chosen as :func:`evaluate` does)."""
    pack, warnings = choose_pack_for(pack, competition=competition, as_of=as_of, lang=lang)
    applications = [_evaluate(app, competition, pack, lang, calendar, []) for app in competition.applications]
    return CompetitionResult(
        library_version=library_version(),
        pack=PackRef.of(pack),
        language=lang,
        competition_id=competition.id,
        warnings=warnings,
        applications=applications,
    )


def choose_pack_for(
    pack: Any = None,
    *,
    competition: Any = None,
    application: Any = None,
    as_of: dt.date | None = None,
    lang: Language = "en",
) -> tuple[RulePack, list[str]]:
    """The pack to evaluate under, with the warnings of that choice in ``lang``.

    A :class:`~clusterpolicy.packs.RulePack` is used as it is; a pack id, or else the
    competition's own ``pack``, is used as asked (warning if it was not in force); otherwise the
    pack in force on ``as_of``, or on the announcement date (the submission date without a
    competition). See :func:`clusterpolicy.packs.choose_pack`.
    """
    if isinstance(pack, RulePack):
        return pack, []
    if competition is not None:
        day, explicit = as_of or competition.announced_on, pack or competition.pack
    else:
        day, explicit = as_of or application.submitted_at.date(), pack
    return choose_pack(day, explicit, lang=lang)


def _evaluate(application: Any, competition: Any, pack: RulePack, lang: Language, calendar: Any, warnings: list[str]) -> ApplicationResult:
    context = Context(application, competition, calendar=calendar)
    results = [_run(rule, context, pack, lang) for rule in pack.rules]
    status, reasons = _status(results)
    return ApplicationResult(
        library_version=library_version(),
        pack=PackRef.of(pack),
        language=lang,
        application_id=application.id,
        cluster_name=application.cluster_name,
        stage=application.stage,
        status=status,
        status_citation=_STATUS_CITATION.get((status, application.stage)),
        reasons=reasons,
        warnings=list(warnings),
        results=results,
    )


def _run(rule: Rule, context: Context, pack: RulePack, lang: Language) -> RuleResult:
    stage = context.application.stage
    if stage not in rule.stages:  # the same result for every application of that stage: built once
        key = (rule.id, lang, "stage", stage)
        if key not in pack.rendered:
            verdict = Verdict("not_applicable", stage=stage, stages=list(rule.stages))
            pack.rendered[key] = _result(rule, pack, lang, verdict, Params(pack))
        return pack.rendered[key]
    params = Params(pack)
    applies = True if rule.when is None else rule.when.evaluate(context)
    if applies is False:
        verdict = Verdict("not_applicable", condition=False)
    elif applies is None:
        fields = {field: None for field in rule.when.fields() if resolve(context, field) is None}
        verdict = Verdict("unknown", not_stated=sorted(fields))
    else:
        verdict = _checked_run(rule, context, params, pack)
    return _result(rule, pack, lang, verdict, params)


def _result(rule: Rule, pack: RulePack, lang: Language, verdict: Verdict, params: Params) -> RuleResult:
    message = None
    if verdict.outcome == "failed":
        values = {**params.used, **verdict.observed}
        message = rule.message.format(lang, **{key: _shown(value) for key, value in values.items()})
    elif verdict.outcome == "unknown":
        message = _UNKNOWN_PREFIX[lang] + _shown(_not_stated(verdict.observed))
    title, citation = _rendered(pack, rule, lang)
    return RuleResult(
        rule_id=rule.id,
        title=title,
        outcome=verdict.outcome,
        severity=rule.severity,
        citation=citation,
        message=message,
        observed=verdict.observed,
        parameters=dict(sorted(params.used.items())) if params.used else {},
    )


def _checked_run(rule: Rule, context: Context, params: Params, pack: RulePack) -> Verdict:
    """Run a rule's check; a value of the wrong type in the pack (``minimum: {}``) becomes a located error."""
    try:
        return rule.check.run(context, params)
    except (TypeError, ValueError, ArithmeticError) as exc:
        file, line = pack.lines.get(rule.id, (None, None))
        raise RulePackError(
            f"rule {rule.id!r} cannot be evaluated: {exc}", location=Location(file, line, ("check",)), code="bad_value"
        ) from None


def _rendered(pack: RulePack, rule: Rule, lang: Language) -> tuple[str, CitationOut]:
    """The rule's title and citation in ``lang``, rendered once per pack (results share the frozen citation)."""
    key = (rule.id, lang)
    if key not in pack.rendered:
        citation = CitationOut(
            act=rule.citation.act or pack.header.act.title.get(lang),
            provision=rule.citation.provision,
            text=provision_text(rule.citation.provision, lang),
            quote=rule.citation.quote,
        )
        pack.rendered[key] = (rule.title.get(lang), citation)
    return pack.rendered[key]


_UNKNOWN_PREFIX = {
    "kk": "Шешім қабылдауға деректер жеткіліксіз, көрсетілмеген: ",
    "ru": "Недостаточно данных для решения, не указано: ",
    "en": "Not enough data to decide; not stated: ",
}


def _not_stated(observed: dict[str, Any]) -> list[str]:
    """What an unknown verdict lacked: its ``not_stated`` list, or the observed values that are empty."""
    if observed.get("not_stated"):
        return list(observed["not_stated"])
    if observed.get("values"):
        return [key for key, value in observed["values"].items() if value is None]
    if observed.get("affiliation"):
        problems = observed["affiliation"].get("identifier_problems", [])
        return [f"{p['participant_id']}: {p['message']}" for p in problems if p.get("left_out_of_count")]
    return [key for key, value in observed.items() if value is None]


def _shown(value: Any) -> str:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value) or "-"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in value.items()) or "-"
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _status(results: list[RuleResult]) -> tuple[Status, list[str]]:
    """Not accepted if a disqualifying rule failed, else returned if a returning one did, else
    undetermined if either kind is unknown; the reasons are the ids of those rules, in order."""
    blocking = [r for r in results if r.outcome in ("failed", "unknown") and r.severity in _BLOCKING]
    for severity in ("disqualifying", "return"):
        failed = [r.rule_id for r in blocking if r.severity == severity and r.outcome == "failed"]
        if failed:
            return _BLOCKING[severity], failed
    unknown = [r.rule_id for r in blocking if r.outcome == "unknown"]
    if unknown:
        return "undetermined", unknown
    return "admitted", []
