"""What changes between two packs, and which verdicts rest on a contested reading of the act.

- :func:`compare`: a competition evaluated under two packs (two versions of an act, or a pack and
  the same pack with changed parameters): per application, the status before and after, the
  rules whose outcome changed with their provisions, the change in score and rank; then the
  competition's outcome before and after (:class:`Comparison`, ``clusterpolicy diff``).
- :func:`sensitivity`: a competition evaluated under each reading of every named choice of its
  pack, one choice at a time (the readings a pack declares for a parameter, ``readings:`` in
  ``pack.yaml``): which statuses, ranks and the outcome depend on which reading, citing the
  parameter's provision (:class:`Sensitivity`, ``clusterpolicy sensitivity``). It costs one
  evaluation per reading besides the default, sharing the parsed competition and the loaded pack.
  On request (``all_combinations``), the whole product of the readings of the choices that decide
  a verdict, bounded by :data:`MAX_COMBINATIONS`: which verdicts depend on a combination of
  readings that no smaller combination of them (no single reading) explains.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .checks.results import PackRef, Status, to_json
from .competition import CompetitionReport, run_competition, scores_and_outcome, timeline_of
from .core.errors import UsageError
from .core.i18n import Language
from .core.tables import HtmlRepr
from .checks.fields import Context
from .evaluation import choose_pack_for, rule_outcome, without_remedies
from .input.decree535_form import Competition
from .packs import RulePack, with_parameters
from .core.base import new_dict, new_list


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class RuleChange(_Model):
    """A rule whose outcome differs between the two evaluations."""

    rule_id: str
    provision: str = Field(description="The rule's provision, e.g. 'Rules p.9'.")
    citation: str = Field(description="The provision as cited in the result's language.")
    before: str
    after: str


class ApplicationChange(_Model):
    """One application under both packs (``changed``: its status, a rule, its score or rank differ)."""

    application_id: str
    status_before: Status
    status_after: Status
    rules: list[RuleChange] = Field(default_factory=new_list)
    score_before: Decimal | None = None
    score_after: Decimal | None = None
    rank_before: int | None = None
    rank_after: int | None = None

    @property
    def score_change(self) -> Decimal | None:
        if self.score_before is None or self.score_after is None:
            return None
        return self.score_after - self.score_before

    @property
    def changed(self) -> bool:
        return (
            self.status_before != self.status_after
            or bool(self.rules)
            or self.score_before != self.score_after
            or self.rank_before != self.rank_after
        )


class Comparison(HtmlRepr, _Model):
    """A competition under two packs: what changes (``clusterpolicy diff``)."""

    competition_id: str
    language: Language
    before: PackRef
    after: PackRef
    applications: list[ApplicationChange]
    outcome_before: str | None
    outcome_after: str | None

    table_categories: ClassVar[dict[str, list[str]]] = {}

    @property
    def changed(self) -> list[ApplicationChange]:
        """The applications judged differently."""
        return [application for application in self.applications if application.changed]

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """One row per application judged differently: status, rules changed, score and rank before and after."""
        return [
            {
                "application_id": a.application_id,
                "status_before": a.status_before,
                "status_after": a.status_after,
                "rules": ", ".join(f"{r.rule_id} ({r.provision}): {r.before} → {r.after}" for r in a.rules),
                "score_before": a.score_before,
                "score_after": a.score_after,
                "score_change": a.score_change,
                "rank_before": a.rank_before,
                "rank_after": a.rank_after,
            }
            for a in self.changed
        ]

    def table_caption(self) -> str:
        return f"{self.competition_id}: {self.before.id} {self.before.version} → {self.after.id} {self.after.version}"

    def to_json(self, *, compact: bool = False) -> str:
        """Stable JSON (sorted keys; ``compact``: on one line, as the service answers)."""
        return to_json(self, compact=compact)


def _ranks(report: CompetitionReport) -> tuple[dict[str, int], dict[str, Decimal | None]]:
    ranks = {entry.application_id: entry.rank for entry in report.outcome.ranking} if report.outcome else {}
    scores = {score.application_id: score.total for score in report.scores}
    return ranks, scores


def compare_reports(before: CompetitionReport, after: CompetitionReport) -> Comparison:
    """The :class:`Comparison` of two reports of the same competition."""
    ranks_before, scores_before = _ranks(before)
    ranks_after, scores_after = _ranks(after)
    later = {a.application_id: a for a in after.completeness.applications}
    applications = []
    for first in before.completeness.applications:
        second = later[first.application_id]
        outcomes = {r.rule_id: r for r in second.results}
        rules = [
            RuleChange(rule_id=r.rule_id, provision=r.citation.provision, citation=r.citation.text, before=r.outcome,
                       after=outcomes[r.rule_id].outcome if r.rule_id in outcomes else "absent")
            for r in first.results
            if r.rule_id not in outcomes or outcomes[r.rule_id].outcome != r.outcome
        ]
        known = {r.rule_id for r in first.results}
        rules += [
            RuleChange(rule_id=r.rule_id, provision=r.citation.provision, citation=r.citation.text, before="absent", after=r.outcome)
            for r in second.results
            if r.rule_id not in known
        ]
        applications.append(
            ApplicationChange(
                application_id=first.application_id,
                status_before=first.status,
                status_after=second.status,
                rules=rules,
                score_before=scores_before.get(first.application_id),
                score_after=scores_after.get(first.application_id),
                rank_before=ranks_before.get(first.application_id),
                rank_after=ranks_after.get(first.application_id),
            )
        )
    return Comparison(
        competition_id=before.competition_id,
        language=before.language,
        before=before.pack,
        after=after.pack,
        applications=applications,
        outcome_before=before.outcome.status if before.outcome else None,
        outcome_after=after.outcome.status if after.outcome else None,
    )


def compare(
    competition: Competition,
    before: RulePack | str | Any = None,
    after: RulePack | str | Any = None,
    *,
    parameters: Any = None,
    lang: Language = "en",
) -> Comparison:
    """``competition`` evaluated under ``before`` and ``after`` (packs, ids or folders; None: the
    competition's own pack, or the one in force), ``parameters`` changed in ``after``."""
    with without_remedies():  # only outcomes are compared
        first = run_competition(competition, pack=before, lang=lang)
        second = run_competition(competition, pack=after if after is not None else first.pack.rule_pack, lang=lang, parameters=parameters)
    return compare_reports(first, second)


# --------------------------------------------------------------------------- sensitivity


class StepChange(_Model):
    """A step of the procedure's timeline judged otherwise under a reading (its due date or status)."""

    limit_id: str
    application_id: str | None = None
    provision: str = Field(description="The time limit's provision, e.g. 'Rules p.5'.")
    citation: str = Field(description="The provision as cited in the result's language.")
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    status_before: str
    status_after: str


class ChoiceReading(_Model):
    """One reading of one choice, as a part of a combination."""

    parameter: str
    provision: str = Field(description="The provision the parameter reads, e.g. 'Criteria 1.1'.")
    title: str = Field(description="The parameter's title, in the result's language.")
    value: Any = Field(description="The reading's value of the parameter.")
    reading: str = Field(description="The reading's name, in the result's language.")


class ReadingEffect(ChoiceReading):
    """What evaluating under one reading of a choice changes, against the pack's default reading."""

    default: Any = Field(description="The pack's value (its default reading).")
    applications: list[ApplicationChange] = Field(description="The applications judged differently under this reading.")
    outcome_before: str | None
    outcome_after: str | None
    steps: list[StepChange] = Field(
        default_factory=new_list, description="The steps of the timeline whose due date or status changes under this reading."
    )

    @property
    def depends(self) -> bool:
        """Whether a verdict changes under this reading: a status, a rank or the outcome."""
        return bool(self.applications) or self.outcome_before != self.outcome_after

    @property
    def moves_steps(self) -> bool:
        """Whether a step of the timeline is due otherwise or judged otherwise (on time, late) under this reading."""
        return bool(self.steps)


MAX_COMBINATIONS = 256
"""The most combinations of readings :func:`sensitivity` tries on request (``all_combinations``),
the default one included: the product of the numbers of readings of the choices combined (the
shipped decree's seven choices that decide a verdict: 2⁶ × 3 = 192). A larger product is refused
(``too_many_combinations``); name fewer choices (``choices``)."""


class CombinationEffect(_Model):
    """What a combination of two or more readings (each besides its choice's default) changes that
    no smaller combination of them changes: the verdicts that depend on the readings together."""

    readings: list[ChoiceReading] = Field(description="The readings combined, in the pack's order of the choices.")
    applications: list[ApplicationChange] = Field(
        description="The applications whose status and rank under the combination differ from the default's and from "
        "those under every smaller combination of its readings (each reading alone among them)."
    )
    outcome_before: str | None
    outcome_after: str | None = Field(
        description="The competition's outcome under the combination (equal to outcome_before where no smaller "
        "combination explains a change: only a new outcome is reported)."
    )

    @property
    def depends(self) -> bool:
        return bool(self.applications) or self.outcome_before != self.outcome_after


class Sensitivity(HtmlRepr, _Model):
    """Which verdicts of a competition depend on a contested reading (``clusterpolicy sensitivity``)."""

    competition_id: str
    language: Language
    pack: PackRef
    readings: list[ReadingEffect] = Field(description="Every reading tried besides the default, in the pack's order.")
    clusters: dict[str, str] = Field(
        default_factory=new_dict,
        description="Each application's cluster by application id, in the competition's order and the result's language.",
    )
    combined: list[str] = Field(
        default_factory=new_list,
        description="With all_combinations: the choices whose readings were combined (every choice that decides a "
        "verdict, or those asked for), in the pack's order; empty: one reading at a time only.",
    )
    combinations_tried: int = Field(
        0, description="With all_combinations: how many combinations of readings were tried, the default one included."
    )
    combinations: list[CombinationEffect] = Field(
        default_factory=new_list,
        description="With all_combinations: each combination of two or more readings under which a verdict changes that "
        "no smaller combination of them changes.",
    )

    @property
    def depends(self) -> bool:
        """Whether any status, rank or the outcome changes under another reading, or a combination of readings."""
        return any(effect.depends for effect in self.readings) or any(effect.depends for effect in self.combinations)

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """One row per application and reading (or combination: ``combined``) under which it is judged otherwise.

        Applications × choices; the application also by its cluster, in the result's language."""
        def row(parameter: str, provision: str, reading: str, value: str, a: ApplicationChange, combined: bool) -> dict[str, Any]:
            return {
                "parameter": parameter,
                "provision": provision,
                "reading": reading,
                "value": value,
                "combined": combined,
                "application_id": a.application_id,
                "cluster": self.clusters.get(a.application_id),
                "status_before": a.status_before,
                "status_after": a.status_after,
                "rank_before": a.rank_before,
                "rank_after": a.rank_after,
            }

        return [
            row(effect.parameter, effect.provision, effect.reading, str(effect.value), a, False)
            for effect in self.readings
            for a in effect.applications
        ] + [
            row(" + ".join(part.parameter for part in effect.readings), " + ".join(part.provision for part in effect.readings),
                " + ".join(part.reading for part in effect.readings), " + ".join(str(part.value) for part in effect.readings), a, True)
            for effect in self.combinations
            for a in effect.applications
        ]

    def table_caption(self) -> str:
        return f"{self.competition_id} ({self.pack.id}): readings"

    def to_json(self, *, compact: bool = False) -> str:
        """Stable JSON (sorted keys; ``compact``: on one line, as the service answers)."""
        return to_json(self, compact=compact)


def sensitivity(
    competition: Competition,
    *,
    pack: RulePack | str | Any = None,
    lang: Language = "en",
    baseline: CompetitionReport | None = None,
    all_combinations: bool = False,
    choices: list[str] | None = None,
) -> Sensitivity:
    """``competition`` evaluated under each reading of every choice of its pack, one at a time.

    ``baseline``: the competition's report under that pack, if already made (a protocol's): it
    is not evaluated again. A reading is evaluated in full only where it can matter
    (:func:`can_matter`): otherwise no status, rank or outcome changes under it, and it costs
    only the rules that read its parameter.

    ``all_combinations``: also every combination of the readings of the choices that decide a
    verdict (read by rules or by the scores; ``choices``: only these, by name), at most
    :data:`MAX_COMBINATIONS` of them (else ``too_many_combinations``); reported are the
    combinations under which a verdict changes that no smaller combination of their readings
    changes (:class:`CombinationEffect`)."""
    if choices and not all_combinations:
        raise UsageError("choices name the choices to combine: ask for all_combinations too", code="usage")
    if baseline is not None and baseline.pack.rule_pack is not None:
        rule_pack = baseline.pack.rule_pack
    else:
        rule_pack, _ = choose_pack_for(pack, competition=competition, lang=lang)
        with without_remedies():  # only outcomes are compared
            baseline = run_competition(competition, pack=rule_pack, lang=lang)
    outcome = baseline.outcome.status if baseline.outcome else None
    effects = []
    for choice in rule_pack.choices():
        for reading in choice.readings:
            if type(reading.value) is type(choice.value) and reading.value == choice.value:
                continue
            derived = with_parameters(rule_pack, {choice.name: reading.value})
            decisive: list[ApplicationChange] = []
            steps: list[StepChange] = []
            after = outcome
            if choice.reads == "timeline":  # a time limit's choice: the timeline alone (no status rests on it)
                steps = _step_changes(baseline.timeline, timeline_of(competition, derived, list(baseline.events)), rule_pack, lang)
            elif choice.reads == "scoring":  # the scores' choice: the same statuses, scored and ranked again
                _, ranked = scores_and_outcome(competition, derived, baseline.completeness, list(baseline.events))
                ranks = {entry.application_id: entry.rank for entry in ranked.ranking} if ranked else {}
                before = {entry.application_id: entry.rank for entry in baseline.outcome.ranking} if baseline.outcome else {}
                decisive = [
                    ApplicationChange(application_id=a.application_id, status_before=a.status, status_after=a.status,
                                      rank_before=before.get(a.application_id), rank_after=ranks.get(a.application_id))
                    for a in baseline.completeness.applications
                    if before.get(a.application_id) != ranks.get(a.application_id)
                ]
                after = ranked.status if ranked else None
            elif choice.reads != "rules" or can_matter(rule_pack, derived, choice.name, competition, baseline):
                with without_remedies():
                    other = run_competition(competition, pack=derived, lang=lang)
                comparison = compare_reports(baseline, other)
                decisive = [
                    a.model_copy(update={"rules": [], "score_before": None, "score_after": None})
                    for a in comparison.applications
                    if a.status_before != a.status_after or a.rank_before != a.rank_after
                ]
                after = comparison.outcome_after
                steps = _step_changes(baseline.timeline, other.timeline, rule_pack, lang)
            effects.append(
                ReadingEffect(
                    parameter=choice.name,
                    provision=choice.provision,
                    title=choice.title.get(lang),
                    value=reading.value,
                    reading=reading.title.get(lang),
                    default=choice.value,
                    applications=decisive,
                    outcome_before=outcome,
                    outcome_after=after,
                    steps=steps,
                )
            )
    clusters = {a.application_id: a.cluster_name for a in baseline.completeness.applications}
    found = Sensitivity(competition_id=competition.id, language=lang, pack=baseline.pack, readings=effects, clusters=clusters)
    if all_combinations:
        combined, tried, combinations = _combinations(competition, rule_pack, baseline, choices, lang)
        found = found.model_copy(update={"combined": combined, "combinations_tried": tried, "combinations": combinations})
    return found


def _combinable(rule_pack: RulePack, names: list[str] | None) -> list[Any]:
    """The choices whose readings are combined: those that decide a verdict (read by rules or by the
    scores: a time limit's reading moves the timeline alone), or those ``names``."""
    deciding = [choice for choice in rule_pack.choices() if choice.reads in ("rules", "scoring")]
    if not names:
        return deciding
    known = {choice.name: choice for choice in rule_pack.choices()}
    for name in names:
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; its choices: {', '.join(known)}"
            raise UsageError(f"choices: pack {rule_pack.id} has no choice {name!r}{hint}", code="unknown_parameter")
        if known[name].reads not in ("rules", "scoring"):
            raise UsageError(
                f"choices: {name!r} sets a time limit, which moves the timeline alone and decides no verdict: "
                "its readings are tried one at a time", code="usage",
            )
    return [choice for choice in deciding if choice.name in names]


def _options(choice: Any) -> list[Any]:
    """A choice's default, then each reading besides it."""
    return [choice.value] + [
        r.value for r in choice.readings if not (type(r.value) is type(choice.value) and r.value == choice.value)
    ]


def _combinations(
    competition: Competition, rule_pack: RulePack, baseline: CompetitionReport, names: list[str] | None, lang: Language
) -> tuple[list[str], int, list[CombinationEffect]]:
    """The whole product of the readings of the combinable choices: the choices' names, how many
    combinations, and those under which a verdict changes that no smaller combination explains.

    Cheap where it can be: the combinations of the rules' readings are made in order of size, and
    one that adds a reading to a smaller combination whose report is known takes that report
    where :func:`can_matter` says the added reading judges every application alike; the rest is
    evaluated in full. A reading of the scores then scores and ranks each report again."""
    chosen = _combinable(rule_pack, names)
    options = [_options(choice) for choice in chosen]
    count = math.prod(len(values) for values in options)
    if count > MAX_COMBINATIONS:
        raise UsageError(
            f"all combinations: the readings of {len(chosen)} choices make {count} combinations, more than "
            f"{MAX_COMBINATIONS}; name fewer choices ({', '.join(choice.name for choice in chosen)})",
            code="too_many_combinations",
        )
    rules = [i for i, choice in enumerate(chosen) if choice.reads == "rules"]
    scores = [i for i, choice in enumerate(chosen) if choice.reads == "scoring"]
    events = list(baseline.events)

    # the reports under each combination of the rules' readings (a frozenset of (choice, reading) pairs)
    reports: dict[frozenset, CompetitionReport] = {frozenset(): baseline}
    packs: dict[frozenset, RulePack] = {frozenset(): rule_pack}
    by_size = sorted(itertools.product(*(range(len(options[i])) for i in rules)), key=lambda picks: sum(1 for p in picks if p))
    for picks in by_size:
        combo = frozenset((i, p) for i, p in zip(rules, picks) if p)
        if not combo:
            continue
        derived = with_parameters(rule_pack, {chosen[i].name: options[i][p] for i, p in sorted(combo)})
        report = None
        for part in sorted(combo, reverse=True):
            parent = combo - {part}
            if not can_matter(packs[parent], derived, chosen[part[0]].name, competition, reports[parent]):
                report = reports[parent]  # the added reading judges every application alike
                break
        if report is None:
            with without_remedies():
                report = run_competition(competition, pack=derived, lang=lang)
        reports[combo], packs[combo] = report, derived

    # each combination's statuses and ranks, and the competition's outcome
    Verdicts = tuple[dict[str, tuple[str, int | None]], str | None]

    def verdicts(report: CompetitionReport, outcome: Any) -> Verdicts:
        ranks = {entry.application_id: entry.rank for entry in outcome.ranking} if outcome else {}
        return ({a.application_id: (a.status, ranks.get(a.application_id)) for a in report.completeness.applications},
                outcome.status if outcome else None)

    rescored: dict[tuple[int, frozenset], Verdicts] = {}
    values: dict[frozenset, Verdicts] = {}
    for rule_combo, report in reports.items():
        for picks in itertools.product(*(range(len(options[i])) for i in scores)):
            score_combo = frozenset((i, p) for i, p in zip(scores, picks) if p)
            if not score_combo:
                values[rule_combo] = verdicts(report, report.outcome)
                continue
            key = (id(report), score_combo)
            if key not in rescored:
                derived = with_parameters(packs[rule_combo], {chosen[i].name: options[i][p] for i, p in sorted(score_combo)})
                _, ranked = scores_and_outcome(competition, derived, report.completeness, events)
                rescored[key] = verdicts(report, ranked)
            values[rule_combo | score_combo] = rescored[key]

    before, outcome_before = values[frozenset()]
    effects = []
    for combo in sorted((c for c in values if len(c) > 1), key=lambda c: (len(c), sorted(c))):
        after, outcome_after = values[combo]
        smaller = [values[frozenset(sub)] for size in range(1, len(combo)) for sub in itertools.combinations(sorted(combo), size)]
        changed = [
            application_id for application_id, verdict in after.items()
            if verdict != before.get(application_id) and all(verdict != seen.get(application_id) for seen, _ in smaller)
        ]
        new_outcome = outcome_after != outcome_before and all(outcome_after != seen for _, seen in smaller)
        if not changed and not new_outcome:
            continue
        effects.append(CombinationEffect(
            readings=[
                ChoiceReading(parameter=chosen[i].name, provision=chosen[i].provision, title=chosen[i].title.get(lang),
                              value=options[i][p], reading=_reading_name(chosen[i], options[i][p], lang))
                for i, p in sorted(combo)
            ],
            applications=[
                ApplicationChange(application_id=application_id, status_before=before[application_id][0],
                                  status_after=after[application_id][0], rank_before=before[application_id][1],
                                  rank_after=after[application_id][1])
                for application_id in changed
            ],
            outcome_before=outcome_before,
            outcome_after=outcome_after if new_outcome else outcome_before,
        ))
    return [choice.name for choice in chosen], count, effects


def _reading_name(choice: Any, value: Any, lang: Language) -> str:
    reading = next(r for r in choice.readings if type(r.value) is type(value) and r.value == value)
    return reading.title.get(lang)


def _step_changes(before: Any, after: Any, pack: RulePack, lang: Language) -> list[StepChange]:
    """The steps of two timelines of the same events whose due date or status differ."""
    later = {entry.uid: entry for entry in after.entries}
    return [
        StepChange(limit_id=entry.limit_id, application_id=entry.application_id, provision=entry.citation,
                   citation=pack.cite(entry.citation, lang),
                   due_before=entry.due_date, due_after=later[entry.uid].due_date,
                   status_before=entry.status, status_after=later[entry.uid].status)
        for entry in before.entries
        if entry.uid in later and (entry.due_date, entry.status) != (later[entry.uid].due_date, later[entry.uid].status)
    ]


def can_matter(
    pack: RulePack, derived: RulePack, name: str, competition: Competition, baseline: CompetitionReport | None = None
) -> bool:
    """Whether ``derived`` (``pack`` with the parameter ``name`` changed) can judge an application
    of ``competition`` differently. A pack's named parameter is read by its rules alone (a
    check's value, or the severity or stages it sets): where each rule that reads it gives
    every application the same outcome and severity under both, every status is the same, and
    so are the ranking and the outcome, which rest on the statuses and the marks.

    Cheap: only the rules that read the parameter are run, under ``derived`` alone (the
    outcomes under ``pack`` are those of ``baseline``, the competition's report under it, when
    given); a rule whose stages or severity alone the parameter sets is not run at all where
    the application's stage is among its stages under both."""
    readers = [rule for rule in pack.raw_rules if name in rule.parameter_names()]  # as written: the gates not yet resolved
    if not readers:
        return True  # read by nothing we can see: evaluate it in full
    known: dict[tuple[str, str], str] = {}
    if baseline is not None:
        known = {(a.application_id, r.rule_id): r.outcome for a in baseline.completeness.applications for r in a.results}
    for application in competition.applications:
        context = Context(application, competition)
        for written in readers:
            before, after = pack.rule(written.id), derived.rule(written.id)
            if before.severity != after.severity:
                return True
            if name not in written.check.parameter_names() and application.stage in before.stages and application.stage in after.stages:
                continue  # only its stages change, and the application's stage is among them either way
            first = known.get((application.id, written.id)) or rule_outcome(before, context, pack)
            if first != rule_outcome(after, context, derived):
                return True
    return False


__all__ = [
    "ApplicationChange",
    "ChoiceReading",
    "CombinationEffect",
    "Comparison",
    "MAX_COMBINATIONS",
    "ReadingEffect",
    "RuleChange",
    "Sensitivity",
    "StepChange",
    "compare",
    "can_matter",
    "compare_reports",
    "sensitivity",
]
