"""The competition's outcome: the Commission's threshold, the ranking with its tie-break, and
whether the competition was held, failed (too few compliant participants) or is undetermined,
with the date it must be re-announced by.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..core.errors import InputError, UsageError
from ..core.i18n import Text
from ..core.tables import HtmlRepr
from ..calendar.terms import add_months
from .config import Model, ScoringConfig, TieBreakKey, fill
from .marks import ApplicationScore
from ..core.base import new_list

# --- The competition: threshold, ranking, outcome ------------------------------------------


class RankedApplication(Model):
    """A compliant application with a total, in ranking order."""

    rank: int
    application_id: str
    cluster_name: str
    total: Decimal
    submitted_at: datetime
    score_valid: bool = Field(description="False when the score has error findings (see the ApplicationScore).")
    tied: bool = Field(description="Another ranked application has the same total; the tie-break decided the order.")
    admitted: bool | None = Field(description="Total at or above the Commission's minimum (p.24); None if no minimum is set.")
    short_of_minimum: Decimal | None = Field(None, description="Points the total lacks to reach the minimum score (below it only).")
    largest_gaps: list[int] = Field(
        default_factory=new_list, description="Below the minimum: the numbers of the blocks with the most points short of their maximum."
    )


class UnrankedApplication(Model):
    """An application left out of the ranking, and why."""

    application_id: str
    reason: Literal["not_compliant", "no_total", "withdrawn"]


class CompetitionOutcome(HtmlRepr, Model):
    """Ranking, admission to stage 2 and the outcome of the competition (held, failed, or
    undetermined while an application whose compliance is unknown could decide the count)."""

    status: Literal["held", "failed", "undetermined"]
    compliant_count: int
    undetermined_ids: list[str] = Field(
        default_factory=new_list, description="Applications whose compliance with p.6/p.7 is not yet known."
    )
    withdrawn_ids: list[str] = Field(default_factory=new_list, description="Applications withdrawn (p.10): not counted, not ranked.")
    minimum_compliant_participants: int
    minimum_score: Decimal | None
    admission_determined: bool
    ranking: list[RankedApplication]
    unranked: list[UnrankedApplication]
    tie_break: list[TieBreakKey]
    declared_on: date | None
    reannouncement_months: int
    reannouncement_due: date | None
    notes: list[Text]

    table_categories: ClassVar[dict[str, list[str]]] = {"unranked": ["not_compliant", "no_total"]}

    def table_rows(self, lang: Any) -> list[dict[str, Any]]:
        """One row per ranked application, then one per application left out (and why)."""
        return [
            {
                "rank": entry.rank,
                "application_id": entry.application_id,
                "cluster_name": entry.cluster_name,
                "total": entry.total,
                "tied": entry.tied,
                "above_minimum": entry.admitted,
                "score_valid": entry.score_valid,
            }
            for entry in self.ranking
        ] + [
            {"rank": None, "application_id": entry.application_id, "unranked": entry.reason} for entry in self.unranked
        ]

    def table_caption(self) -> str:
        return f"{self.status}: {self.compliant_count} compliant, minimum score {self.minimum_score}"


def ranking_key(total: Decimal, submitted_at: datetime, application_id: str, tie_break: Sequence[TieBreakKey]) -> tuple:
    """Sort key: higher total first, then the pack's tie-break (earlier submission, then id)."""
    keys = {"submitted_at": submitted_at, "application_id": application_id}
    return (-total, *(keys[name] for name in tie_break))


def _minimum_score(value: object) -> Decimal | None:
    """The Commission's minimum as a Decimal, or a UsageError saying what was expected."""
    if value is None or isinstance(value, Decimal) and value.is_finite():
        return value
    try:
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
            raise ValueError
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise ValueError
    except (ValueError, ArithmeticError):
        raise UsageError(
            f"minimum_score must be a Decimal, an int or a numeric string (a float is not exact; None while "
            f"the Commission has not set it), "
            f"not {type(value).__name__} {value!r:.60}",
            code="bad_argument",
        ) from None
    return number


def _named(text: Text, ids: list[str], names: Mapping[str, Text]) -> Text:
    """``text`` with ``{ids}`` the applications as each language names them (a name may hold a
    comma: kk and ru list them with semicolons; an application without a name: its id)."""
    def listed(lang: str) -> str:
        shown = [names[i].get(lang) if i in names else i for i in ids]
        return ", ".join(shown) if lang == "en" else "; ".join(shown)

    return Text(**{lang: text.format(lang, ids=listed(lang)) for lang in ("kk", "ru", "en")})


def _shortfall(score: ApplicationScore, minimum_score: Decimal | None) -> dict[str, Any]:
    """How far a total below the minimum is from it, and the blocks with the largest gaps (their
    maximum points less their points): what would change the verdict of p.24."""
    if minimum_score is None or score.total is None or score.total >= minimum_score:
        return {}
    gaps = {
        block.number: Fraction(block.weight) * score.total_points - Fraction(block.points)
        for block in score.blocks
        if block.points is not None
    }
    largest = max(gaps.values(), default=None)
    return {
        "short_of_minimum": minimum_score - score.total,
        "largest_gaps": sorted(number for number, gap in gaps.items() if gap == largest) if largest is not None else [],
    }


def rank_competition(
    scores: Iterable[ApplicationScore],
    *,
    minimum_score: Decimal | None,
    compliant_ids: Collection[str],
    config: ScoringConfig,
    declared_on: date | None = None,
    calendar: Any = None,
    undetermined_ids: Collection[str] = (),
    withdrawn_ids: Collection[str] = (),
    names: Mapping[str, Text] | None = None,
) -> CompetitionOutcome:
    """Rank the compliant applications, apply the Commission's minimum, and decide the outcome.

    ``compliant_ids`` are the applications that meet p.6 and p.7 (the document checks' result);
    fewer than ``minimum_compliant_participants`` of them fail the competition (p.41), unless the
    ``undetermined_ids`` (compliance not yet known) could make up the number: the outcome is
    then ``undetermined``, never failed. ``withdrawn_ids`` (p.10) are neither counted nor
    ranked; the notes name them by ``names`` (each application's name in kk, ru and en: its
    registration number and cluster, as the tables name it), else by their ids. No expert mark
    is needed to decide the outcome. When it
    fails and ``declared_on`` (the day it is declared failed) is given, the re-announcement is
    due ``reannouncement_months`` calendar months later (p.42), moved to the next working day
    of ``calendar`` (a :class:`~clusterpolicy.calendar.working_calendar.WorkingCalendar`; default Kazakhstan's).
    """
    minimum_score = _minimum_score(minimum_score)
    scores = sorted(scores, key=lambda score: score.application_id)
    known = {score.application_id for score in scores}
    if len(known) != len(scores):
        raise UsageError("more than one score for the same application", code="duplicate_application")
    withdrawn = set(withdrawn_ids)
    compliant = set(compliant_ids) - withdrawn
    undetermined = set(undetermined_ids) - withdrawn - compliant
    if compliant - known:
        raise UsageError(f"compliant applications without a score: {', '.join(sorted(compliant - known))}")
    for score in scores:
        if score.submitted_at.tzinfo is None:
            raise InputError(f"application {score.application_id}: submitted_at has no time zone", code="naive_datetime")

    tie_break = config.tie_break.value
    unranked = [
        UnrankedApplication(
            application_id=s.application_id,
            reason="withdrawn" if s.application_id in withdrawn else "not_compliant" if s.application_id not in compliant else "no_total",
        )
        for s in scores
        if s.application_id not in compliant or s.total is None
    ]
    ranked = sorted(
        (s for s in scores if s.application_id in compliant and s.total is not None),
        key=lambda s: ranking_key(s.total, s.submitted_at, s.application_id, tie_break),
    )
    totals = Counter(s.total for s in ranked)
    ranking = [
        RankedApplication(
            rank=position,
            application_id=s.application_id,
            cluster_name=s.cluster_name,
            total=s.total,
            submitted_at=s.submitted_at,
            score_valid=s.valid,
            tied=totals[s.total] > 1,
            admitted=None if minimum_score is None else s.total >= minimum_score,
            **_shortfall(s, minimum_score),
        )
        for position, s in enumerate(ranked, start=1)
    ]

    notes: list[Text] = []
    messages = config.messages
    if minimum_score is None and ranking:
        notes.append(messages.admission_undetermined)
    minimum_compliant = config.minimum_compliant_participants.value
    short = len(compliant) < minimum_compliant
    open_question = short and len(compliant) + len(undetermined) >= minimum_compliant
    failed = short and not open_question
    due = None
    if withdrawn:
        notes.append(_named(messages.applications_withdrawn, sorted(withdrawn), names or {}))
    if open_question:
        notes.append(fill(messages.competition_undetermined, count=len(compliant), undetermined=len(undetermined), minimum=minimum_compliant))
    if failed:
        notes.append(fill(messages.competition_failed, count=len(compliant), minimum=minimum_compliant))
        if declared_on is not None:
            due = add_months(declared_on, config.reannouncement_months.value, calendar=calendar)
            notes.append(fill(messages.reannouncement_due, due=due.isoformat()))
    return CompetitionOutcome(
        status="failed" if failed else "undetermined" if open_question else "held",
        compliant_count=len(compliant),
        undetermined_ids=sorted(undetermined),
        withdrawn_ids=sorted(withdrawn),
        minimum_compliant_participants=minimum_compliant,
        minimum_score=minimum_score,
        admission_determined=minimum_score is not None,
        ranking=ranking,
        unranked=unranked,
        tie_break=list(tie_break),
        declared_on=declared_on,
        reannouncement_months=config.reannouncement_months.value,
        reannouncement_due=due,
        notes=notes,
    )
