"""Evaluation: an application (or every application of a competition) against a rule pack.

:func:`evaluate` runs every rule of the pack (see :mod:`clusterpolicy.checks.kinds`) and
derives the application's status; :func:`evaluate_competition` does so for a whole
competition under one pack; :func:`choose_pack_for` picks the pack by date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .checks.kinds import Context, Params, Rule, Verdict, plain, resolve
from .checks.results import ApplicationResult, CitationOut, CompetitionResult, PackRef, RuleResult, Status, library_version
from .core.errors import Location, RulePackError
from .core.i18n import Language
from .packs import RulePack, choose_pack


# --------------------------------------------------------------------------- evaluation

_BLOCKING = {"disqualifying": "not_accepted", "return": "returned"}


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
