"""Evaluation: an application (or every application of a competition) against a rule pack.

:func:`evaluate` runs every rule of the pack (see :mod:`clusterpolicy.checks.kinds`) and
derives the application's status; :func:`evaluate_competition` does so for a whole
competition under one pack; :func:`choose_pack_for` picks the pack by date.
"""

from __future__ import annotations

import datetime as dt
import gc
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from operator import is_
from pathlib import Path
from typing import Any

from .checks.fields import Context, accessor, resolve
from .checks.kinds import Verdict, Words
from .checks.params import Params
from .checks.patch import patch_model
from .checks.rule import Rule
from .checks.results import FORMAT_VERSION, ApplicationResult, made, made_in_order, CitationOut, CompetitionResult, PackRef, ResultWarning, RuleResult, Status
from .core import l10n
from .core.record import (
    ChangedParameter, DecisionRecord, HeldInput, PackIdentity, Unordered, canonical_value, forget_order, gc_paused,
    in_canonical_order, input_digest, is_written_in_order, sealed, sealed_fresh, versions, writes_fields_as_named, written_in_order,
)
from .core.errors import InputError, Location, RulePackError, UsageError
from .core.tz import TZDATA_VERSION
from .core.version import library_version
from .core.i18n import LANGUAGES, Language
from .calendar.working_calendar import WorkingCalendar
from .input.decree535_form import Application, Competition, DocumentKind
from .input.values import day_of
from .input.revalidate import unvalidated_problem
from .packs import RulePack, choose_pack, with_parameters


# --------------------------------------------------------------------------- evaluation

_BLOCKING = {"disqualifying": "not_accepted", "return": "returned"}


def evaluate(
    application: Application,
    *,
    competition: Competition | None = None,
    pack: RulePack | str | Path | None = None,
    lang: Language = "en",
    calendar: WorkingCalendar | None = None,
    as_of: dt.date | None = None,
    parameters: Mapping[str, Any] | None = None,
    explain: bool = True,
) -> ApplicationResult:
    """Check one application against a pack: every rule's outcome, and the overall status.

    ``pack`` is a :class:`~clusterpolicy.packs.RulePack` or a pack id; by default it is chosen
    by :func:`choose_pack_for`, and the result carries the warnings of that choice.
    ``parameters`` (``{name: value}``) change the pack's named parameters (a reform:
    :func:`clusterpolicy.packs.with_parameters`); the result's ``pack.changed_parameters`` lists them.
    ``explain=False`` (for a batch that needs only statuses): the same document, the same
    outcomes, status and reasons, but no rule's ``message``, ``observed`` or ``parameters``.
    """
    _check_explain(explain)
    collecting = gc.isenabled()  # gc_paused and _input_blamed, written out (two context managers were a tenth of a small pack's evaluation)
    gc.disable()
    try:
        pack, warnings = choose_pack_for(
            pack, competition=competition, application=application, as_of=as_of, lang=lang, parameters=parameters
        )
        pack.check_stages(competition=competition, application=application)
        return _recorded_fresh(_evaluate(application, competition, pack, lang, calendar, warnings, explain), pack, application, competition)
    except _BLAMED as exc:
        _blame_input(exc, application, competition)
        raise
    finally:
        if collecting:
            gc.enable()


def evaluate_chosen(
    application: Application,
    competition: Competition | None,
    pack: RulePack,
    warnings: list[ResultWarning],
    *,
    lang: Language = "en",
    calendar: WorkingCalendar | None = None,
    explain: bool = True,
) -> ApplicationResult:
    """:func:`evaluate` under a pack :func:`choose_pack_for` has already chosen (with the same
    arguments), with that choice's ``warnings`` in the result it makes: for a caller that looks at
    the pack before the evaluation (the header's procedure beside one application,
    :mod:`clusterpolicy.output.operations`), instead of a copy of the result with the warnings
    added and sealed again."""
    _check_explain(explain)
    with _input_blamed(application, competition), gc_paused():
        pack.check_stages(competition=competition, application=application)
        return _recorded_fresh(_evaluate(application, competition, pack, lang, calendar, list(warnings), explain), pack, application, competition)


def evaluate_competition(
    competition: Competition,
    *,
    pack: RulePack | str | Path | None = None,
    lang: Language = "en",
    calendar: WorkingCalendar | None = None,
    as_of: dt.date | None = None,
    parameters: Mapping[str, Any] | None = None,
    explain: bool = True,
) -> CompetitionResult:
    """Check every application of a competition under one pack (chosen, and changed by
    ``parameters``, as :func:`evaluate` does; ``explain`` as there)."""
    _check_explain(explain)
    with _input_blamed(competition), gc_paused():
        pack, warnings = choose_pack_for(pack, competition=competition, as_of=as_of, lang=lang, parameters=parameters)
        pack.check_stages(competition=competition)
        applications = [_evaluate(app, competition, pack, lang, calendar, [], explain) for app in competition.applications]
    return CompetitionResult(
        pack=PackRef.of(pack, lang),
        language=lang,
        competition_id=competition.id,
        warnings=warnings,
        applications=applications,
    )


_REMEDIES: ContextVar[bool] = ContextVar("_REMEDIES", default=True)
"""Whether failed and unknown findings get their remedies (:func:`without_remedies`)."""


@contextmanager
def without_remedies() -> Iterator[None]:
    """Evaluations in the block leave out the remedies: for callers that compare only outcomes
    (:mod:`clusterpolicy.comparison`: a diff, the readings of a choice), which then cost no more
    than the evaluations themselves."""
    token = _REMEDIES.set(False)
    try:
        yield
    finally:
        _REMEDIES.reset(token)


# --------------------------------------------------------------------------- the decision record


def changed_parameters(pack: RulePack) -> list[ChangedParameter]:
    """The named values of ``pack`` that differ from the act's pack, by name: the one list
    :attr:`RulePack.changed_parameters <clusterpolicy.packs.RulePack.changed_parameters>` (a
    result's ``pack.changed_parameters``), as the decision record writes it (none for a shipped
    pack, nor for a folder of an id the library does not ship). Found once per pack object, not
    on every evaluation (comparing every parameter was 40 % of a 9-rule pack's evaluation)."""
    key = ("changed_parameters", "decision_record", pack.id)
    found = pack.rendered.get(key)
    if found is None or found[0] is not pack:  # a copy of the pack (which may share ``rendered``) finds its own
        found = pack.rendered[key] = (pack, _changed_parameters(pack))
    return list(found[1])


def _changed_parameters(pack: RulePack) -> list[ChangedParameter]:
    from pydantic_core import to_jsonable_python

    found = []
    for name, change in pack.changed_parameters.items():
        value, shipped = to_jsonable_python(change["used"]), to_jsonable_python(change["act"])
        try:  # in canonical order, as pydantic then writes it (core.record.written_in_order)
            found.append(made(ChangedParameter, {"name": name, "shipped": canonical_value(shipped), "value": canonical_value(value)}))
        except Unordered:
            found.append(ChangedParameter(name=name, value=value, shipped=shipped))
    return found


def decision_record(pack: RulePack, subject: Application | Competition, competition: Competition | None = None) -> DecisionRecord:
    """The record of an evaluation of ``subject`` (with its competition's header, for an
    application) under ``pack``, its digest not yet computed (:func:`recorded`)."""
    return DecisionRecord(
        input=input_digest(subject, competition),  # computed when first read or written out
        pack=PackIdentity(id=pack.id, version=pack.reported_version, digest=pack.digest),
        changed_parameters=changed_parameters(pack),
        versions=versions(),
    )


def recorded(result: Any, pack: RulePack, subject: Application | Competition, competition: Competition | None = None) -> Any:
    """``result`` with its decision record, sealed by its digest (docs/output.md)."""
    return sealed(result, decision_record(pack, subject, competition))


def _recorded_fresh(
    result: ApplicationResult, pack: RulePack, subject: Application, competition: Competition | None, held: HeldInput | None = None
) -> ApplicationResult:
    """:func:`recorded` for a result :func:`_evaluate` has just made (nobody holds it yet): its
    record put in place, the pack's identity made once per pack object; ``held``: the subject as a
    stream holds it (:class:`~clusterpolicy.core.record.HeldInput`)."""
    key = ("decision_record", "pack", "identity", "changed")
    found = pack.rendered.get(key)
    if found is None or found[0] is not pack:  # the changed parameters are found once per pack object too
        changed = changed_parameters(pack)
        ordered = in_canonical_order(changed)
        identity = made(PackIdentity, {"digest": pack.digest, "id": pack.id, "version": pack.reported_version})
        found = pack.rendered[key] = (pack, identity, changed, ordered)
    if not found[3]:  # a changed parameter's value pydantic may not write as the canonical JSON
        forget_order(result)
    return sealed_fresh(result, found[1], list(found[2]), subject, competition, held)


def _check_explain(explain: Any) -> None:
    if not isinstance(explain, bool):
        raise UsageError(f"explain must be True or False, not {type(explain).__name__} {explain!r:.60}", code="bad_argument")


def choose_pack_for(
    pack: RulePack | str | Path | None = None,
    *,
    competition: Competition | None = None,
    application: Application | None = None,
    as_of: dt.date | None = None,
    lang: Language = "en",
    parameters: Mapping[str, Any] | None = None,
) -> tuple[RulePack, list[ResultWarning]]:
    """The pack to evaluate under, with the warnings of that choice in ``lang``.

    A :class:`~clusterpolicy.packs.RulePack` is used as it is; a pack id, or else the
    competition's own ``pack``, is used as asked (warning if it was not in force); otherwise the
    pack in force on ``as_of``, or on the announcement date (the submission date without a
    competition). See :func:`clusterpolicy.packs.choose_pack`. ``parameters`` then change the
    chosen pack's named parameters (:func:`clusterpolicy.packs.with_parameters`).
    """
    _check_arguments(pack=pack, competition=competition, application=application, as_of=as_of, lang=lang)
    if isinstance(pack, RulePack):
        chosen, warnings = pack, []
    else:
        if competition is not None:
            day, explicit = as_of or competition.announced_on, pack or competition.pack
        else:
            day, explicit = as_of or day_of(application.submitted_at), pack
        chosen, warnings = choose_pack(day, explicit, lang=lang)
    if parameters:
        chosen = with_parameters(chosen, parameters)
    return chosen, warnings


def _check_arguments(*, pack: Any, competition: Any, application: Any, as_of: Any, lang: Any) -> None:
    """Only the library's own errors leave a public function: a wrong argument is a UsageError
    that says what was expected (``evaluate({...})`` was an AttributeError, ``lang="fr"`` a
    FileNotFoundError, ``as_of="2017-09-01"`` a TypeError)."""
    wrong = _wrong
    if lang not in LANGUAGES:
        raise wrong("lang", f"one of {', '.join(LANGUAGES)}", lang)
    if competition is not None and not isinstance(competition, Competition):
        raise wrong("competition", "a Competition (clusterpolicy.load_competition, or Competition.model_validate(data))", competition)
    if competition is None and application is None:
        raise wrong("competition", "a Competition (clusterpolicy.load_competition, or Competition.model_validate(data))", None)
    if (competition is None or application is not None) and not isinstance(application, Application):
        raise wrong("application", "an Application (clusterpolicy.load_application, or Application.model_validate(data))", application)
    if as_of is not None and not isinstance(as_of, dt.date):
        raise wrong("as_of", "a datetime.date", as_of)
    if pack is not None and not isinstance(pack, (str, Path, RulePack)):
        raise wrong("pack", "a pack id, a pack folder or a RulePack", pack)


def _wrong(name: str, expected: str, value: Any) -> UsageError:
    """The UsageError of a wrong argument (:func:`_check_arguments`)."""
    return UsageError(f"{name} must be {expected}, not {type(value).__name__} {value!r:.60}", code="bad_argument")


_BLAMED = (RulePackError, InputError, TypeError, AttributeError, ValueError, ArithmeticError, KeyError, IndexError)


def _blame_input(exc: BaseException, *models: Any) -> None:
    """:func:`_input_blamed` for an exception caught: the input's own problem raised in its place, if it has one."""
    if isinstance(exc, RulePackError) and exc.code != "bad_value":
        return
    for model in models:
        problem = unvalidated_problem(model)
        if problem is not None:
            raise problem from None


@contextmanager
def _input_blamed(*models: Any) -> Iterator[None]:
    """A failure inside a check is first blamed on the input if validation would refuse it.

    Validated models cannot carry a wrong type, but ``model_copy(update=...)`` and
    ``model_construct`` skip validation; the TypeError that follows deep inside a check must not
    be reported as a fault of the rule pack. Checked only when something failed (no cost
    otherwise): a model changed without validation that fails no check is evaluated as it is
    (docs/guarantees.md).
    """
    try:
        yield
    except _BLAMED as exc:
        _blame_input(exc, *models)
        raise


def _evaluate(
    application: Any,
    competition: Any,
    pack: RulePack,
    lang: Language,
    calendar: Any,
    warnings: list[ResultWarning],
    explain: bool = True,
) -> ApplicationResult:
    context = Context(application, competition, calendar=calendar)
    remedies = explain and _REMEDIES.get()
    settled = False  # every rule passed or does not apply: no remedy, nothing blocks
    if explain:
        results, settled = _explained(context, pack, lang, remedies)
    else:
        results = _outcomes(context, pack, lang)
    if remedies and not settled:
        results = _with_side_effects(results, context, pack, lang)
    status, reasons = ("admitted", []) if settled else _status(results)
    stage = application.stage
    withdrawal = application.withdrawal
    if withdrawal is not None:
        status, reasons = _withdrawn(status, reasons, results, pack)
    _, _, pack_ref, kind, citations, in_order = _envelope(pack, lang, stage)
    form = None
    if kind is not None:  # the document that registers the application (Application.document, its loop written out)
        for document in application.documents:
            if document.kind == kind:
                form = document
                break
    citation = citations.get(status, _MISSING)
    if citation is _MISSING:
        citation = citations[status] = _status_citation(pack, status, stage)
    applicant = application.applicant
    signatory = applicant.signatory
    # every field, in the order of their names (core.base.made): the values are the engine's own, of
    # the declared types (tests/test_compiled.py compares it with the validated model), each part in
    # canonical order (:func:`_canonical_parts`), so that pydantic writes the canonical JSON
    canonical = in_order and (not warnings or _in_canonical_order(warnings))
    fields = {
        "applicant": applicant.name_in(lang),
        "application_id": application.id,
        "cluster_name": application.cluster_name_in(lang),
        "decision_record": None,
        "format_version": FORMAT_VERSION,
        "language": lang,
        "library_version": library_version(),
        "pack": pack_ref,
        "reasons": reasons,
        "records": application.records,
        "registration_date": form.date if form else None,
        "registration_number": form.registration_number if form else None,
        "results": results,
        "signatory": signatory.in_language(lang) if signatory is not None else None,
        "stage": stage,
        "status": status,
        "status_citation": citation,
        "submitted_at": application.submitted_at,
        "tzdata_version": TZDATA_VERSION,
        "under_review": _under_review(application, pack),
        "warnings": list(warnings),
        "withdrawn_at": withdrawal.at if withdrawal is not None else None,
    }
    if _ORDER_CHECKED:  # the literal above never changes its keys: made's check, once per process
        result = made_in_order(ApplicationResult, fields)
    else:
        result = made(ApplicationResult, fields)
        _ORDER_CHECKED.append(True)
    return written_in_order(result) if canonical else result


def _in_canonical_order(warnings: list[ResultWarning]) -> bool:
    """Whether the result :func:`_evaluate` makes may be written by pydantic (core.record.written_in_order),
    where its envelope allows (:func:`_envelope`: its class writes its fields as named, and the
    pack's reference was made in canonical order): every model this module makes for it holds its
    fields in the order of their names (core.base.made), and the warnings (validated, their fields
    declared in that order) are so too. The free-form values and the parts taken from the input
    are put in order when the result is first written that way
    (:meth:`ApplicationResult.put_in_canonical_order`), not here: an evaluation nobody writes out
    does not pay for it."""
    for warning in warnings:
        if type(warning) is not ResultWarning or tuple(warning.__dict__) != _WARNING_ORDER:
            return False
    return True


_WARNING_ORDER = ("code", "message")


_ORDER_CHECKED: list[bool] = []
"""Whether :func:`_evaluate`'s fields were checked against ApplicationResult's (:func:`made`)."""
_MISSING = object()


def _envelope(pack: RulePack, lang: Language, stage: int) -> tuple[Any, ...]:
    """What every result of ``pack`` in ``lang`` at ``stage`` shares: the pack's reference, the kind
    of the registering document, the status citations (filled as statuses are met), and whether
    its results may be written by pydantic (:func:`_in_canonical_order`); made once per pack object
    and procedure."""
    key = ("envelope", lang, stage, "result")
    found = pack.rendered.get(key)
    if found is None or found[0] is not pack or found[1] is not pack.procedure:
        pack_ref = _pack_ref(pack, lang)
        in_order = writes_fields_as_named(ApplicationResult) and is_written_in_order(pack_ref)
        found = pack.rendered[key] = (pack, pack.procedure, pack_ref, _registering_kind(pack, stage), {}, in_order)
    return found


def _pack_ref(pack: RulePack, lang: Language) -> PackRef:
    """``PackRef.of(pack, lang)``, made once per pack object and language (a frozen model every result shares)."""
    key = ("pack_ref", lang, pack.id, "result")
    found = pack.rendered.get(key)
    if found is None or found[0] is not pack:  # a copy of the pack (which may share ``rendered``) makes its own
        found = pack.rendered[key] = (pack, PackRef.of(pack, lang))
    return found[1]


def _registering(pack: RulePack, stage: int) -> str | None:
    """The kind of the document that registers an application at ``stage`` (the pack's procedure)."""
    return pack.procedure.registration_document(stage) if pack.procedure else None


def _explained(context: Context, pack: RulePack, lang: Language, remedies: bool) -> tuple[list[RuleResult], bool]:
    """Every rule's result with its explanation (:func:`_run` of each rule),
    the steps each rule takes laid out once per pack object and language (:func:`_plan`): a rule
    that applies and passes (or finds its check does not apply) is its check's verdict copied
    into the rule's laid-out result; anything else goes through :func:`_run`. With the results,
    whether every one passed or does not apply (then none has a remedy and none blocks)."""
    stage = context.application.stage
    results = []
    append = results.append
    settled = True
    params = Params(pack)  # one for the evaluation: each rule starts with an empty record of the parameters it used
    for rule, stages, when, verdict_of, layout, gates, _, _, outside in _plan(pack, lang):
        if stage not in stages:  # not_applicable: built once per stage
            found = outside.get(stage)
            if found is None:
                found = outside[stage] = _outside_stage(rule, pack, lang, stage)
            append(found)
            continue
        if when is not None:
            applies = when(context)
            if applies is False:
                append(_left_out(rule, pack, lang))
                continue
            if applies is None:  # not decided: the fields it reads, named
                append(_run(rule, context, pack, lang, remedies))
                settled = False
                continue
        if params.used:  # the last rule's record (_laid_out and _result take what they keep from it)
            params.used = {}
        try:
            verdict = verdict_of(context, params)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise _bad_value(rule, pack, exc) from None
        outcome = verdict.outcome
        if outcome != "passed" and outcome != "not_applicable":
            append(_result(rule, pack, lang, verdict, params, context=context if remedies else None))
            settled = False
            continue
        append(_laid_out(layout, gates, verdict, params))
    return results, settled


def _outcomes(context: Context, pack: RulePack, lang: Language) -> list[RuleResult]:
    """Every rule's result without its explanation (``explain=False``): its outcome in a result
    made once per rule, language and outcome (:func:`_bare`), the rule's steps laid out once per
    pack object and language (:func:`_plan`). Nothing is recorded for a message: one
    :class:`Params` serves every rule."""
    stage = context.application.stage
    params = Params(pack)
    results = []
    append = results.append
    for rule, stages, when, _, _, _, outcome_of, bare, _ in _plan(pack, lang):
        if stage not in stages:
            outcome = "not_applicable"
        else:
            applies = True if when is None else when(context)
            if applies is False:
                outcome = "not_applicable"
            elif applies is None:
                outcome = "unknown"
            else:
                try:
                    outcome = outcome_of(context, params)
                except (TypeError, ValueError, ArithmeticError) as exc:
                    raise _bad_value(rule, pack, exc) from None
        found = bare.get(outcome)
        if found is None:
            found = bare[outcome] = _bare(rule, pack, lang, outcome)
        append(found)
    return results


def _plan(pack: RulePack, lang: Language) -> tuple[tuple[Any, ...], ...]:
    """Each rule of ``pack`` as :func:`_explained` and :func:`_outcomes` run it in ``lang``: the
    rule, its stages, its compiled ``when`` and check (its verdict), the layout of its passed
    result (:func:`_plain_result`'s) and the parameters that gate it, its check's outcome alone,
    its results without an explanation by outcome, and its explained result at each stage it
    does not apply to (both filled as they are met); made once per pack object and its rules."""
    key = ("plan", lang, pack.id, "explained")
    found = pack.rendered.get(key)
    rules = pack.rules
    # the same pack object and the same rules, each the same object (a list changed in place, as
    # a test changes a loaded pack, makes a new plan): checked in C
    if found is None or found[0] is not pack or len(found[1]) != len(rules) or not all(map(is_, found[1], rules)):
        steps = []
        for rule in rules:
            compiled = rule.compiled()
            layout, gates = _plain_layout(rule, pack, lang)
            steps.append((rule, compiled.stages, compiled.when, compiled.verdict, layout, gates, compiled.outcome, {}, {}))
        found = pack.rendered[key] = (pack, tuple(rules), tuple(steps))
    return found[2]


def _registering_kind(pack: RulePack, stage: int) -> DocumentKind | None:
    """:func:`_registering` as a document kind, read once per pack object and stage."""
    key = ("registering", stage, pack.id, "kind")
    found = pack.rendered.get(key)
    if found is None or found[0] is not pack.procedure:
        registering = _registering(pack, stage)
        found = pack.rendered[key] = (pack.procedure, DocumentKind(registering) if registering else None)
    return found[1]


def _run(rule: Rule, context: Context, pack: RulePack, lang: Language, remedies: bool = True) -> RuleResult:
    """A rule's result with its explanation (what :func:`_explained` does not lay out itself)."""
    compiled = rule.compiled()
    stage = context.application.stage
    if stage not in compiled.stages:
        return _outside_stage(rule, pack, lang, stage)
    params = Params(pack)
    applies = True if compiled.when is None else compiled.when(context)
    if applies is False:
        return _left_out(rule, pack, lang)
    elif applies is None:
        fields = {field: None for field in rule.when.fields() if resolve(context, field) is None}
        return _result(rule, pack, lang, Verdict("unknown", not_stated=sorted(fields)), params, of_when=True, context=context)
    else:
        try:
            verdict = compiled.verdict(context, params)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise _bad_value(rule, pack, exc) from None
    if verdict.outcome in ("passed", "not_applicable"):  # nothing to say but what was found: no message, no remedy
        return _plain_result(rule, pack, lang, verdict, params)
    return _result(rule, pack, lang, verdict, params, context=context if remedies else None)


def _outside_stage(rule: Rule, pack: RulePack, lang: Language, stage: int) -> RuleResult:
    """The result of a rule at a stage it does not apply to: the same for every application of that
    stage (:func:`_explained` keeps it in the pack's plan, made once per plan and stage)."""
    return _result(rule, pack, lang, Verdict("not_applicable", stage=stage, stages=list(rule.stages)), Params(pack))


def _left_out(rule: Rule, pack: RulePack, lang: Language) -> RuleResult:
    """The result of a rule whose ``when`` does not hold: the same for every such application,
    built once per pack object and language (a frozen result every evaluation shares)."""
    key = (rule.id, lang, "when", False)
    found = pack.rendered.get(key)
    if found is None or found[0] is not rule or found[1] is not pack:
        result = _plain_result(rule, pack, lang, Verdict("not_applicable", condition=False), Params(pack))
        found = pack.rendered[key] = (rule, pack, result)
    return found[2]


def _plain_result(rule: Rule, pack: RulePack, lang: Language, verdict: Verdict, params: Params) -> RuleResult:
    """The result of a rule that passed or does not apply: its outcome, the values looked at and
    the parameters used (what :func:`_result` makes for it, without a message or a remedy); what
    every such result of the rule shares (its id, title, severity and citation) laid out once per
    pack object and language."""
    layout, gates = _plain_layout(rule, pack, lang)
    return _laid_out(layout, gates, verdict, params)


def _laid_out(layout: dict[str, Any], gates: dict[str, Any] | None, verdict: Verdict, params: Params) -> RuleResult:
    """A passed or not-applicable result in its rule's ``layout`` (:func:`_plain_layout`): the
    verdict's outcome and observed values, and the parameters used."""
    used = params.used
    if gates:  # the parameters that set the rule's severity or stages were used too
        used.update(gates)
    fields = layout.copy()
    fields["outcome"] = verdict.outcome
    fields["observed"] = verdict.observed
    fields["parameters"] = dict(sorted(used.items())) if used else {}
    return made_in_order(RuleResult, fields)


def _plain_layout(rule: Rule, pack: RulePack, lang: Language) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What every passed result of ``rule`` shares (its id, title, severity and citation, every
    field in order), and the parameters that gate it; laid out once per pack object and language."""
    key = (rule.id, lang, "plain", "result")
    found = pack.rendered.get(key)
    if found is None or found[0] is not rule or found[1] is not pack:
        title, citation = _rendered(pack, rule, lang)
        layout = {"citation": citation, "message": None, "observed": None, "outcome": None, "parameters": None,
                  "remedy": None, "rule_id": rule.id, "severity": rule.severity, "title": title}
        made(RuleResult, dict(layout))  # every field, in the order of their names (else an AttributeError, here, once)
        found = pack.rendered[key] = (rule, pack, layout, pack.gates.get(rule.id))
    return found[2], found[3]


def _bad_value(rule: Rule, pack: RulePack, exc: Exception) -> RulePackError:
    """A value of the wrong type in the pack (``minimum: {}``), as a located error."""
    file, line = pack.lines.get(rule.id, (None, None))
    return RulePackError(f"rule {rule.id!r} cannot be evaluated: {exc}", location=Location(file, line, ("check",)), code="bad_value")


def _outcome(rule: Rule, context: Context, pack: RulePack) -> str:
    """A rule's outcome alone (no message, no remedy): what a remedy's patch does to the other rules."""
    if context.application.stage not in rule.stages:
        return "not_applicable"
    when = rule.compiled().when
    applies = True if when is None else when(context)
    if applies is None:
        return "unknown"
    if applies is False:
        return "not_applicable"
    return rule.compiled().outcome(context, Params(pack))


rule_outcome = _outcome
"""A rule's outcome alone under a pack (:mod:`clusterpolicy.comparison` asks whether a reading can matter)."""


def patched(context: Context, ops: list[Any]) -> Context:
    """The context with a remedy's operations applied to the application's (and competition's) JSON,
    validated again (:mod:`clusterpolicy.checks.patch`)."""
    application, competition = context.application, context.competition
    if any(op.document == "application" for op in ops):
        application = patch_model(application, ops)
    if competition is not None and any(op.document == "competition" for op in ops):
        competition = patch_model(competition, ops, "competition")
    return Context(application, competition, calendar=context.calendar)


def _root(op: Any) -> str:
    """The part of the input an operation changes: ``competition``, or the application's top-level field."""
    return "competition" if op.document == "competition" else op.path.split("/")[1]


def _reads(rule: Rule, pack: RulePack) -> frozenset[str]:
    """The parts of the input a rule reads (:func:`_root`'s terms): a rule is run again on a
    remedy's patch only where the patch changes one of them. Kept with the pack, per rule."""
    key = ("reads", rule.id)
    if key not in pack.rendered:
        found = set(rule.check.read_roots())
        for path in rule.when.fields() if rule.when is not None else ():
            head = path.split(".")[0]
            found.add(path.split(".")[1] if head == "application" and "." in path else head)
        pack.rendered[key] = frozenset(found)
    return pack.rendered[key]


def _appended(ops: list[Any], context: Context, after: Context) -> tuple[str, Context] | None:
    """When every operation appends an item to one top-level list of the application (a remedy's
    new participants), that list's name and the patched context with the new items alone in it."""
    fields = {op.path[1:-2] for op in ops if op.op == "add" and op.document == "application" and op.path.endswith("/-")}
    if len(fields) != 1 or len(ops) == 0 or any(op.op != "add" or op.document != "application" or not op.path.endswith("/-") for op in ops):
        return None
    (field,) = fields
    if "/" in field:
        return None
    old, new = getattr(context.application, field, None), getattr(after.application, field, None)
    if not isinstance(old, list) or not isinstance(new, list) or len(new) != len(old) + len(ops):
        return None
    alone = after.application.model_copy(update={field: new[len(old):]})
    return field, Context(alone, after.competition, calendar=after.calendar)


def _judged_on(rule: Rule, outcome: str | None, appended: tuple[str, Context] | None, after: Context) -> Context:
    """The context a rule is run on to see what a remedy's patch does to it: the patched one, or,
    for a rule of a :attr:`per_item <clusterpolicy.checks.kinds.base.CheckBase.per_item>` kind that
    passed on the list the patch appends to (and reads it nowhere else), the new items alone."""
    if appended is None or outcome != "passed" or not rule.check.per_item:
        return after
    field, alone = appended
    if getattr(rule.check, "collection", None) != field:
        return after
    reads = {path.split(".")[0] for path in rule.check.item_reads()}
    reads |= {path.split(".")[0] for path in (rule.when.fields() if rule.when is not None else ())}
    return after if field in reads or "application" in reads else alone


def _with_side_effects(results: list[RuleResult], context: Context, pack: RulePack, lang: Language) -> list[RuleResult]:
    """Each remedy whose patch would make a rule fail that does not fail now says which (``also_fails``)."""
    if not any(result.remedy is not None and result.remedy.ops for result in results):
        return results
    before = {result.rule_id: result.outcome for result in results}
    changed = []
    for result in results:
        remedy = result.remedy
        if remedy is None or not remedy.ops:
            changed.append(result)
            continue
        try:
            after = patched(context, remedy.ops)
        except (InputError, UsageError, ValueError):  # a patch the form refuses: said as it is, nothing more known
            changed.append(result)
            continue
        touched = {_root(op) for op in remedy.ops}
        appended = _appended(remedy.ops, context, after)
        failing = [
            rule.id for rule in pack.rules
            if rule.id != result.rule_id and before.get(rule.id) != "failed" and touched & _reads(rule, pack)
            and _outcome(rule, _judged_on(rule, before.get(rule.id), appended, after), pack) == "failed"
        ]
        if failing:
            named = failing if lang == "en" else [f"«{_rendered(pack, pack.rule(rule_id), lang)[0]}»" for rule_id in failing]  # no ids in kk/ru
            text = l10n.t("remedy.also_fails", lang, text=remedy.text, rules=", ".join(named))
            remedy = remedy.model_copy(update={"also_fails": failing, "text": text})  # the fields keep their places
            result = result.model_copy(update={"remedy": remedy})  # its fields keep their places
        changed.append(result)
    return changed


def _result(
    rule: Rule, pack: RulePack, lang: Language, verdict: Verdict, params: Params, of_when: bool = False, context: Context | None = None
) -> RuleResult:
    if rule.id in pack.gates:  # the parameters that set the rule's severity or stages were used too
        params.used.update(pack.gates[rule.id])
    message = remedy = None
    if verdict.outcome in ("failed", "unknown"):
        words, check = Words(lang, pack.vocabulary, getattr(context, "application", None)), rule.check
        if verdict.outcome == "failed":
            values = {**params.used, **verdict.observed}
            wanted = _placeholders(rule.message.get(lang))  # only what the message prints is rendered
            shown = {key: check.shown(key, value, words) for key, value in values.items() if key in wanted}
            # every value takes a case spec ({due:loc}): a date gets its Kazakh ending, any other value stays as it is
            message = rule.message.format(lang, **{k: v if isinstance(v, l10n.DatedText) else l10n.DatedText(v, None, lang) for k, v in shown.items()})
        else:
            if of_when:  # the rule's ``when`` could not be decided: the fields it reads, not stated
                missing = [words.label(field) for field in verdict.observed["not_stated"]]
            else:
                missing = check.not_stated(verdict.observed, words)
            # with nothing to name, no «not stated: -»
            message = l10n.t("unknown.not_stated", lang, fields=l10n.join(missing, lang)) if missing else l10n.t("unknown.no_data", lang)
        if of_when and _REMEDIES.get():
            remedy = check.facts(list(verdict.observed["not_stated"]), words)
        elif context is not None:
            remedy = check.remedy(verdict, context, Params(pack), words)
    title, citation = _rendered(pack, rule, lang)
    if remedy is not None:
        remedy = remedy.model_copy(update={"text": l10n.t("remedy.cited", lang, provision=citation.text, text=remedy.text)})
    parameters = dict(sorted(params.used.items())) if params.used else {}
    return made(RuleResult, {  # in the order of the names (core.base.made), as pydantic writes them
        "citation": citation, "message": message, "observed": verdict.observed, "outcome": verdict.outcome, "parameters": parameters,
        "remedy": remedy, "rule_id": rule.id, "severity": rule.severity, "title": title,
    })


def _bare(rule: Rule, pack: RulePack, lang: Language, outcome: str) -> RuleResult:
    """A rule's result without its explanation (``explain=False``): no message, values or parameters."""
    title, citation = _rendered(pack, rule, lang)
    return made(RuleResult, {
        "citation": citation, "message": None, "observed": {}, "outcome": outcome, "parameters": {}, "remedy": None,
        "rule_id": rule.id, "severity": rule.severity, "title": title,
    })


@lru_cache(maxsize=4096)
def _placeholders(text: str) -> frozenset[str]:
    """The names a message's ``{placeholders}`` use (so that an explanation it does not print,
    such as criterion 1.1's whole affiliation graph, is never rendered as text)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return frozenset(names)


def _rendered(pack: RulePack, rule: Rule, lang: Language) -> tuple[str, CitationOut]:
    """The rule's title and citation in ``lang``, rendered once per pack (results share the frozen citation)."""
    key = (rule.id, lang)
    if key not in pack.rendered:
        act = rule.citation.act or pack.act_of(rule.citation.provision).title.get(lang)
        citation = made(CitationOut, {  # in the order of the names, as pydantic then writes it (core.record.written_in_order)
            "act": act, "provision": rule.citation.provision, "quote": rule.citation.quote, "text": pack.cite(rule.citation.provision, lang),
        })
        pack.rendered[key] = (rule.title.get(lang), citation)
    return pack.rendered[key]


def _status_citation(pack: RulePack, status: str, stage: int) -> str | None:
    """The provision the status rests on at ``stage``, as the pack's procedure says (read once per pack)."""
    key = ("status_citation", status, stage, pack.id)
    found = pack.rendered.get(key)
    if found is None or found[0] is not pack.procedure:
        citation = pack.procedure.status_citation(status, stage) if pack.procedure else None
        found = pack.rendered[key] = (pack.procedure, citation.provision if citation else None)
    return found[1]


def _under_review(application: Any, pack: RulePack) -> bool | None:
    """Whether the review of the application's stage concerns it, as the stage's ``review_scope``
    in the pack's procedure says (None: no review at the stage, or the deciding field not stated)."""
    procedure = pack.procedure
    stage = procedure.stages.get(application.stage) if procedure else None
    if stage is None or stage.review is None:
        return None
    if stage.review_scope is None:
        return True
    value = accessor(stage.review_scope.field)(application)
    return None if value is None else value == stage.review_scope.equals


def _withdrawn(status: Status, reasons: list[str], results: list[RuleResult], pack: RulePack) -> tuple[Status, list[str]]:
    """The status of an application its applicant withdrew, as the rules the pack's procedure names
    (``withdrawal.judged_by``) judge the withdrawal: none failed nor unknown, it is ``withdrawn``
    (out of the competition, whatever else was found, unless it was never accepted); one failed
    (made too late), the status stands; one unknown, an application otherwise admitted is
    ``undetermined``. A pack that names no rule takes every withdrawal as made."""
    if status == "not_accepted":
        return status, reasons
    judged_by = pack.procedure.withdrawal.judged_by if pack.procedure else []
    judging = [r for r in results if r.rule_id in judged_by and r.outcome != "not_applicable"]
    if any(r.outcome == "failed" for r in judging):
        return status, reasons
    unknown = [r.rule_id for r in judging if r.outcome == "unknown"]
    if unknown:
        return ("undetermined", [*reasons, *unknown]) if status in ("admitted", "undetermined") else (status, reasons)
    return "withdrawn", [r.rule_id for r in judging]


def _status(results: list[RuleResult]) -> tuple[Status, list[str]]:
    """Not accepted if a disqualifying rule failed, else returned if a returning one did, else
    undetermined if either kind is unknown; the reasons are the ids of those rules, in order."""
    blocking = [r for r in results if r.severity in _BLOCKING and r.outcome in ("failed", "unknown")]
    if not blocking:
        return "admitted", []
    for severity in ("disqualifying", "return"):
        failed = [r.rule_id for r in blocking if r.severity == severity and r.outcome == "failed"]
        if failed:
            return _BLOCKING[severity], failed
    unknown = [r.rule_id for r in blocking if r.outcome == "unknown"]
    if unknown:
        return "undetermined", unknown
    return "admitted", []
