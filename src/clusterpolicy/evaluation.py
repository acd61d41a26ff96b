"""Evaluation: an application (or every application of a competition) against a rule pack.

:func:`evaluate` runs every rule of the pack (see :mod:`clusterpolicy.checks.kinds`) and
derives the application's status; :func:`evaluate_competition` does so for a whole
competition under one pack; :func:`choose_pack_for` picks the pack by date.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from .checks.kinds import Context, Params, Rule, Verdict, plain, resolve
from .checks.results import ApplicationResult, CitationOut, CompetitionResult, PackRef, ResultWarning, RuleResult, Status
from .core import l10n
from .core.errors import InputError, Location, RulePackError, UsageError
from .core.i18n import LANGUAGES, Language
from .calendar.working_calendar import WorkingCalendar
from .input.decree535_form import Application, Competition
from .input.values import day_of
from .input.revalidate import unvalidated_problem
from .packs import RulePack, choose_pack


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
) -> ApplicationResult:
    """Check one application against a pack: every rule's outcome, and the overall status.

    ``pack`` is a :class:`~clusterpolicy.packs.RulePack` or a pack id; by default it is chosen
    by :func:`choose_pack_for`, and the result carries the warnings of that choice.
    """
    with _input_blamed(application, competition), gc_paused():
        pack, warnings = choose_pack_for(pack, competition=competition, application=application, as_of=as_of, lang=lang)
        return _evaluate(application, competition, pack, lang, calendar, warnings)


def evaluate_competition(
    competition: Competition,
    *,
    pack: RulePack | str | Path | None = None,
    lang: Language = "en",
    calendar: WorkingCalendar | None = None,
    as_of: dt.date | None = None,
) -> CompetitionResult:
    """Check every application of a competition under one pack (chosen as :func:`evaluate` does)."""
    with _input_blamed(competition), gc_paused():
        pack, warnings = choose_pack_for(pack, competition=competition, as_of=as_of, lang=lang)
        applications = [_evaluate(app, competition, pack, lang, calendar, []) for app in competition.applications]
    return CompetitionResult(
        pack=PackRef.of(pack),
        language=lang,
        competition_id=competition.id,
        warnings=warnings,
        applications=applications,
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, and restored after it (exceptions too).

    An evaluation allocates many short-lived objects, freed by reference counting; each few
    hundred allocations the collector would walk every live object of the older generations,
    and with a 10,000-participant application in memory that was 64 % of the evaluation. What
    the block leaves in cycles is collected at the next collection after it. A collector the
    caller had disabled stays disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def choose_pack_for(
    pack: RulePack | str | Path | None = None,
    *,
    competition: Competition | None = None,
    application: Application | None = None,
    as_of: dt.date | None = None,
    lang: Language = "en",
) -> tuple[RulePack, list[ResultWarning]]:
    """The pack to evaluate under, with the warnings of that choice in ``lang``.

    A :class:`~clusterpolicy.packs.RulePack` is used as it is; a pack id, or else the
    competition's own ``pack``, is used as asked (warning if it was not in force); otherwise the
    pack in force on ``as_of``, or on the announcement date (the submission date without a
    competition). See :func:`clusterpolicy.packs.choose_pack`.
    """
    _check_arguments(pack=pack, competition=competition, application=application, as_of=as_of, lang=lang)
    if isinstance(pack, RulePack):
        return pack, []
    if competition is not None:
        day, explicit = as_of or competition.announced_on, pack or competition.pack
    else:
        day, explicit = as_of or day_of(application.submitted_at), pack
    return choose_pack(day, explicit, lang=lang)


def _check_arguments(*, pack: Any, competition: Any, application: Any, as_of: Any, lang: Any) -> None:
    """Only the library's own errors leave a public function: a wrong argument is a UsageError
    that says what was expected (``evaluate({...})`` was an AttributeError, ``lang="fr"`` a
    FileNotFoundError, ``as_of="2017-09-01"`` a TypeError)."""

    def wrong(name: str, expected: str, value: Any) -> UsageError:
        return UsageError(f"{name} must be {expected}, not {type(value).__name__} {value!r:.60}", code="bad_argument")

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
    except (RulePackError, InputError, TypeError, AttributeError, ValueError, ArithmeticError, KeyError, IndexError) as exc:
        if isinstance(exc, RulePackError) and exc.code != "bad_value":
            raise
        for model in models:
            problem = unvalidated_problem(model)
            if problem is not None:
                raise problem from None
        raise


def _evaluate(
    application: Any, competition: Any, pack: RulePack, lang: Language, calendar: Any, warnings: list[ResultWarning]
) -> ApplicationResult:
    context = Context(application, competition, calendar=calendar)
    results = [_run(rule, context, pack, lang) for rule in pack.rules]
    status, reasons = _status(results)
    form = application.document(f"application_form_stage{application.stage}")  # the form registers the application
    return ApplicationResult(
        pack=PackRef.of(pack),
        language=lang,
        application_id=application.id,
        cluster_name=application.cluster_name,
        applicant=application.applicant.name,
        signatory=application.applicant.signatory,
        registration_number=form.registration_number if form else None,
        registration_date=form.date if form else None,
        submitted_at=application.submitted_at,
        stage=application.stage,
        status=status,
        status_citation=_status_citation(pack, status, application.stage),
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
    if rule.id in pack.gates:  # the parameters that set the rule's severity or stages were used too
        params.used.update(pack.gates[rule.id])
    message = None
    if verdict.outcome == "failed":
        values = {**params.used, **verdict.observed}
        message = rule.message.format(lang, **{key: _shown(value, lang, _Values(rule, pack, key)) for key, value in values.items()})
    elif verdict.outcome == "unknown":
        fields = [_Values(rule, pack, "missing").label(field, lang) for field in _not_stated(verdict.observed, rule, lang)]
        message = l10n.t("unknown.not_stated", lang, fields=l10n.join(fields, lang))
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
        act = rule.citation.act or pack.act_of(rule.citation.provision).title.get(lang)
        citation = CitationOut(
            act=act,
            provision=rule.citation.provision,
            text=pack.cite(rule.citation.provision, lang),
            quote=rule.citation.quote,
        )
        pack.rendered[key] = (rule.title.get(lang), citation)
    return pack.rendered[key]


def _status_citation(pack: RulePack, status: str, stage: int) -> str | None:
    """The provision the status rests on at ``stage``, as the pack's procedure says."""
    citation = pack.procedure.status_citation(status, stage) if pack.procedure else None
    return citation.provision if citation else None


def _not_stated(observed: dict[str, Any], rule: Rule | None = None, lang: Language | None = None) -> list[str]:
    """What an unknown verdict lacked: its ``not_stated`` list, or the fields whose observed values are empty.

    With ``lang``, an identifier problem is told in that language (``identifier_problem.<code>``).
    """
    if observed.get("not_stated"):
        return list(observed["not_stated"])
    if observed.get("values"):
        return [key for key, value in observed["values"].items() if value is None]
    if observed.get("affiliation"):
        problems = observed["affiliation"].get("identifier_problems", [])
        return [
            f"{p['participant_id']}: "
            + (l10n.t(f"identifier_problem.{p.get('code')}", lang) if lang and l10n.has(f"identifier_problem.{p.get('code')}", lang) else p["message"])
            for p in problems
            if p.get("left_out_of_count")
        ]
    check = getattr(rule, "check", None)
    found = []
    for key, value in observed.items():
        if value is not None or key in ("minimum", "maximum"):  # an absent bound is not a missing value
            continue
        path = getattr(check, "field" if key == "value" else key, None)
        found.append(path if isinstance(path, str) else key)
    return found


class _Values:
    """How an observed value of a rule is named in a message: a field label, a document kind, an enum value."""

    def __init__(self, rule: Rule, pack: RulePack, key: str) -> None:
        self.rule, self.pack, self.key = rule, pack, key
        self.base = getattr(rule.check, "base", None) if key in ("missing", "not_stated") else None
        self.field: str | None = None

    def for_field(self, field: str) -> _Values:
        """The same rule's value of another field (the fields of a ``condition``)."""
        other = _Values(self.rule, self.pack, "value")
        other.field = field
        return other

    def label(self, field: str, lang: Language) -> str:
        """The label of a field path (relative to the check's ``base`` for its missing fields)."""
        if ": " in field:  # an identifier problem, already a sentence
            return field
        return l10n.field_label(f"{self.base}.{field}" if self.base else field, lang)

    def value(self, value: Any, lang: Language, field: str | None = None) -> str:
        """An enum value or document kind of ``field`` (default: the check's field) by its label."""
        if self.key in ("document", "documents_listed"):
            family = "document_kinds"
        else:
            check = self.rule.check
            own = getattr(check, "field", None)
            if own and getattr(check, "collection", None):  # a field of the collection's items
                own = f"{check.collection}.0.{own}"
            family = _family(field or own or "")
        vocabulary = self.pack.vocabulary.get(family) if family else None
        return l10n.label(value, _FAMILY_KEYS.get(family or "", family or ""), lang, vocabulary)


_FAMILY_KEYS = {"document_kinds": "document_kind", "applicant_types": "applicant_type"}
"""Pack vocabulary family -> catalogue prefix (used only when the pack has no word for a value)."""


@lru_cache(maxsize=None)
def _family(path: str) -> str | None:
    """The family of the values of a field path of the application (``applicant.type`` -> ``applicant_types``)."""
    from typing import get_args, get_origin

    from .input import decree535_form as models

    families = {
        models.ApplicantType: "applicant_types",
        models.DocumentKind: "document_kinds",
        models.ParticipantKind: "participant_kind",
        models.LegalStatus: "legal_status",
        models.ActivityCategory: "activity_category",
        models.FundingSource: "funding_source",
    }
    path = path[len("application."):] if path.startswith("application.") else path
    model: Any = models.Competition if path.startswith("competition.") else models.Application
    annotation: Any = None
    for part in path.split(".")[1:] if path.startswith("competition.") else path.split("."):
        if part.isascii() and part.isdigit():
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        while True:  # unwrap Optional, list and dict to the model or type inside
            if annotation in families:
                return families[annotation]
            args = [a for a in get_args(annotation) if a is not type(None)]
            if get_origin(annotation) is None or not args or (get_origin(annotation).__name__ == "Literal"):
                break
            annotation = args[-1]
        model = annotation
    return families.get(annotation)


def _shown(value: Any, lang: Language = "en", how: _Values | None = None) -> str:
    """A value placed into a message, in ``lang``: field paths and enum values by their labels,
    dates as people write them, durations in hours and minutes, booleans as yes/no."""
    value = plain(value)
    key = how.key if how else None
    if key in ("missing", "not_stated") and isinstance(value, list):
        return l10n.join((how.label(item, lang) for item in value), lang)
    if key == "incomplete" and isinstance(value, dict):
        return "; ".join(
            f"{l10n.t('element.activity', lang, activity=item)}: {l10n.join((l10n.label(e, 'element', lang) for e in elements), lang)}"
            for item, elements in value.items()
        ) or "-"
    if key == "lacking" and isinstance(value, dict):  # item -> its elements and years lacking
        return "; ".join(
            f"{item}: {l10n.join((l10n.t('element.year', lang, year=e) if e.isdigit() else l10n.label(e, 'element', lang) for e in elements), lang)}"
            for item, elements in value.items()
        ) or "-"
    if key == "values" and isinstance(value, dict):
        return "; ".join(f"{how.label(field, lang)}: {_shown(item, lang, how.for_field(field))}" for field, item in value.items()) or "-"
    if key == "deciding" and isinstance(value, str):  # the grouping that decides criterion 1.1's count
        return l10n.t(f"grouping.{value}", lang)
    if key == "unit" and isinstance(value, str):
        return l10n.t(f"unit.{value}.many", lang, n="").strip() if l10n.has(f"unit.{value}.many", lang) else value
    if isinstance(value, list):
        return ", ".join(_shown(item, lang, how) for item in value) or "-"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item, lang)}" for key, item in value.items()) or "-"
    if value is None:
        return "-"
    if isinstance(value, bool):
        return l10n.yes_no(value, lang)
    if l10n.is_duration(value):
        return l10n.duration(value, lang)
    if l10n.is_date(value):
        return l10n.date(value, lang)
    if how is not None and isinstance(value, str) and key not in ("minimum", "maximum", "count"):
        return how.value(value, lang, how.field)
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
