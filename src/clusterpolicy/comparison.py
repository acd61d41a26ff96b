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
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .checks.results import PackRef, Status, to_json
from .competition import CompetitionReport, run_competition, scores_and_outcome, timeline_of
from .core.i18n import Language
from .core.tables import HtmlRepr
from .checks.fields import Context
from .evaluation import choose_pack_for, rule_outcome, without_remedies
from .input.decree535_form import Competition
from .packs import RulePack, with_parameters


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
    rules: list[RuleChange] = Field(default_factory=list)
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


class ReadingEffect(_Model):
    """What evaluating under one reading of a choice changes, against the pack's default reading."""

    parameter: str
    provision: str = Field(description="The provision the parameter reads, e.g. 'Criteria 1.1'.")
    title: str = Field(description="The parameter's title, in the result's language.")
    value: Any = Field(description="The reading's value of the parameter.")
    reading: str = Field(description="The reading's name, in the result's language.")
    default: Any = Field(description="The pack's value (its default reading).")
    applications: list[ApplicationChange] = Field(description="The applications judged differently under this reading.")
    outcome_before: str | None
    outcome_after: str | None
    steps: list[StepChange] = Field(
        default_factory=list, description="The steps of the timeline whose due date or status changes under this reading."
    )

    @property
    def depends(self) -> bool:
        """Whether a verdict changes under this reading: a status, a rank or the outcome."""
        return bool(self.applications) or self.outcome_before != self.outcome_after

    @property
    def moves_steps(self) -> bool:
        """Whether a step of the timeline is due otherwise or judged otherwise (on time, late) under this reading."""
        return bool(self.steps)


class Sensitivity(HtmlRepr, _Model):
    """Which verdicts of a competition depend on a contested reading (``clusterpolicy sensitivity``)."""

    competition_id: str
    language: Language
    pack: PackRef
    readings: list[ReadingEffect] = Field(description="Every reading tried besides the default, in the pack's order.")
    clusters: dict[str, str] = Field(
        default_factory=dict,
        description="Each application's cluster by application id, in the competition's order and the result's language.",
    )

    @property
    def depends(self) -> bool:
        """Whether any status, rank or the outcome changes under another reading."""
        return any(effect.depends for effect in self.readings)

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """One row per application and reading under which it is judged differently (applications × choices)."""
        return [
            {
                "parameter": effect.parameter,
                "provision": effect.provision,
                "reading": effect.reading,
                "value": str(effect.value),
                "application_id": a.application_id,
                "status_before": a.status_before,
                "status_after": a.status_after,
                "rank_before": a.rank_before,
                "rank_after": a.rank_after,
            }
            for effect in self.readings
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
) -> Sensitivity:
    """``competition`` evaluated under each reading of every choice of its pack, one at a time.

    ``baseline``: the competition's report under that pack, if already made (a protocol's): it
    is not evaluated again. A reading is evaluated in full only where it can matter
    (:func:`can_matter`): otherwise no status, rank or outcome changes under it, and it costs
    only the rules that read its parameter."""
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
    return Sensitivity(competition_id=competition.id, language=lang, pack=baseline.pack, readings=effects, clusters=clusters)


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
    "Comparison",
    "ReadingEffect",
    "RuleChange",
    "Sensitivity",
    "StepChange",
    "compare",
    "can_matter",
    "compare_reports",
    "sensitivity",
]
