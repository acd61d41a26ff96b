"""Expert marks to an application's score: panel aggregation, block scores and findings.

The expert council marks each concept against the criteria; the pack's ``scoring.yaml``
(:class:`~.config.ScoringConfig`) says how the marks of a panel are aggregated and weighted.
Arithmetic is exact (:class:`fractions.Fraction`), rounded once when shown. A problem with the
marks (a missing mark, an expert without the required experience) is a :class:`Finding` in the
result, never an exception; only structurally invalid input raises :class:`InputError`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from pydantic import Field

from ..core.errors import InputError
from ..core.i18n import Language, Text
from ..core.tables import HtmlRepr
from ..core.tz import ALMATY
from .config import AggregationMethod, Model, Scale, ScoringConfig, Severity, fill, in_units, mean_of, twice_median, weighted_sum

# --- Results -------------------------------------------------------------------------------


class Finding(Model):
    """A problem with the marks or the panel, with the expert and sub-criterion it concerns."""

    code: str
    severity: Severity
    message: Text
    expert_id: str | None = None
    sub_criterion_id: str | None = None


class ExpertMark(Model):
    """One expert's mark for one sub-criterion, and whether it counted."""

    expert_id: str
    mark: Decimal
    counted: bool


class SubCriterionScore(Model):
    """A sub-criterion's marks, the panel's mark (rounded for display) and its weight in the block."""

    id: str
    number: str
    title: Text
    weight: Fraction
    marks: list[ExpertMark]
    panel_mark: Decimal | None


class BlockScore(Model):
    """A block's mark on the scale, its points in the total, and its exact share of the maximum."""

    id: str
    number: int
    title: Text
    weight: Fraction
    mark: Decimal | None = Field(description="Weighted panel mark on the marking scale, rounded.")
    points: Decimal | None = Field(description="The block's contribution to the total, rounded.")
    share: Fraction | None = Field(description="Exact share of the block's maximum (0..1), for recomputation.")
    sub_criteria: list[SubCriterionScore]


class ExpertSummary(Model):
    """An expert of the panel: counted or not, and how far from the panel's median."""

    expert_id: str
    name: str | None
    years_of_experience: Decimal | None
    counted: bool
    deviation: Decimal | None = Field(description="Mean absolute deviation from the panel's median, in scale points.")


class ApplicationScore(HtmlRepr, Model):
    """The score of one application, with everything needed to explain it."""

    application_id: str
    cluster_name: str
    submitted_at: datetime
    total: Decimal | None = Field(description="Weighted total on the pack's point scale, rounded once.")
    total_points: int
    scale_minimum: Decimal
    scale_maximum: Decimal
    aggregation: AggregationMethod
    rounding: str
    experts: list[ExpertSummary]
    blocks: list[BlockScore]
    findings: list[Finding]

    @property
    def valid(self) -> bool:
        """A total exists and no finding is an error."""
        return self.total is not None and not any(f.severity == "error" for f in self.findings)

    def table_rows(self, lang: Any) -> list[dict[str, Any]]:
        """One row per block: its weight, mark and points, beside the total."""
        return [
            {
                "application_id": self.application_id,
                "cluster_name": self.cluster_name,
                "block": block.number,
                "block_id": block.id,
                "block_title": block.title.get(lang),
                "weight": block.weight,
                "mark": block.mark,
                "points": block.points,
                "total": self.total,
                "valid": self.valid,
            }
            for block in self.blocks
        ]


def excluded_marks(scores: Any, lang: Language) -> list[tuple[str, str, str]]:
    """(application id, expert, why) for every expert whose marks did not count in a score:
    the expert's name (or id) and the findings about that expert, in ``lang``."""
    found = []
    for score in scores:
        for expert in score.experts:
            if expert.counted:
                continue
            # the expert by name (English adds the id its scripts read); the id only when no name is given
            name = (f"{expert.name} ({expert.expert_id})" if lang == "en" else expert.name) if expert.name else expert.expert_id
            why = "; ".join(f.message.get(lang) for f in score.findings if f.expert_id == expert.expert_id and f.severity == "error")
            found.append((score.application_id, name, why))
    return found


# --- Scoring one application ---------------------------------------------------------------


def _registered(value: Any) -> Any:
    """A registration known by its day only, as a moment: the end of that day in Asia/Almaty, so
    that for the tie-break it never claims an earlier registration than it shows."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time.max, tzinfo=ALMATY)
    return value


def _attribute(obj: Any, name: str, where: str) -> Any:
    try:
        return getattr(obj, name)
    except AttributeError:
        raise InputError(f"{where} has no {name!r}", code="invalid_structure") from None


def _mark_value(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str, float)):
        raise InputError(f"{where}: a mark must be a number, got {type(value).__name__}", code="invalid_structure")
    try:
        decimal = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise InputError(f"{where}: {value!r} is not a number", code="invalid_structure") from None
    if not decimal.is_finite():
        raise InputError(f"{where}: {value!r} is not a finite number", code="invalid_structure")
    return decimal


class _Sheet:
    """One expert's sheet, read and checked for structure."""

    def __init__(self, sheet: Any, index: int) -> None:
        where = f"expert_marks[{index}]"
        self.expert_id = str(_attribute(sheet, "expert_id", where))
        self.name = getattr(sheet, "name", None)
        years = getattr(sheet, "years_of_experience", None)
        self.years = None if years is None else _mark_value(years, f"{where}.years_of_experience")
        marks = _attribute(sheet, "marks", where)
        if not isinstance(marks, dict):
            raise InputError(f"{where}.marks must be a mapping of sub-criterion id to mark", code="invalid_structure")
        self.marks = {str(key): _mark_value(value, f"{where}.marks.{key}") for key, value in marks.items()}


def score_application(application: Any, config: ScoringConfig) -> ApplicationScore:
    """Score one application from its expert sheets, with the pack's scale, weights and rules."""
    application_id = str(_attribute(application, "id", "application"))
    sheets = [_Sheet(sheet, i) for i, sheet in enumerate(_attribute(application, "expert_marks", "application"))]
    duplicates = sorted(expert for expert, n in Counter(s.expert_id for s in sheets).items() if n > 1)
    if duplicates:
        raise InputError(
            f"application {application_id}: more than one sheet for expert {', '.join(duplicates)}",
            code="duplicate_expert",
        )
    sheets.sort(key=lambda s: s.expert_id)
    findings: list[Finding] = []
    names = {s.expert_id: s.name for s in sheets if s.name}  # an expert by name in the messages, not by id

    def find(code: str, severity: Severity, *, expert: str | None = None, sub: str | None = None, **values: object) -> None:
        text: Text = getattr(config.messages, code)
        shown = {"expert": names.get(expert, expert), "sub_criterion": sub, **{k: str(v) for k, v in values.items()}}
        findings.append(Finding(code=code, severity=severity, message=fill(text, **shown), expert_id=expert, sub_criterion_id=sub))

    counted_experts = _eligible_experts(sheets, config, find)
    known = {sub.id for _, sub in config.sub_criteria()}
    for sheet in sheets:
        for key in sorted(set(sheet.marks) - known):
            find("unknown_sub_criterion", "warning", expert=sheet.expert_id, sub=key)
    if len(counted_experts) < config.minimum_experts.value:
        find("too_few_experts", "error", count=len(counted_experts), minimum=config.minimum_experts.value)

    panel: dict[str, Fraction | None] = {}
    counted_marks: dict[str, dict[str, Decimal]] = {}
    sub_scores: dict[str, SubCriterionScore] = {}
    for _, sub in config.sub_criteria():
        entries, usable = [], {}
        for sheet in sheets:
            if sub.id not in sheet.marks:
                if sheet.expert_id in counted_experts:
                    find("mark_missing", "error", expert=sheet.expert_id, sub=sub.number)
                continue
            mark = sheet.marks[sub.id]
            on_scale = _check_mark(mark, sheet.expert_id, sub.number, config.scale, find)
            counted = on_scale and sheet.expert_id in counted_experts
            if counted:
                usable[sheet.expert_id] = mark
            entries.append(ExpertMark(expert_id=sheet.expert_id, mark=mark, counted=counted))
        panel[sub.id] = config.aggregation.combine(list(usable.values())) if usable else None
        if not usable:
            find("sub_criterion_unmarked", "error", sub=sub.number)
        counted_marks[sub.id] = usable
        sub_scores[sub.id] = SubCriterionScore(
            id=sub.id,
            number=sub.number,
            title=sub.title,
            weight=sub.weight,
            marks=entries,
            panel_mark=None if panel[sub.id] is None else config.rounding.apply(panel[sub.id]),
        )

    deviations = _deviations(counted_marks, counted_experts)
    threshold = Fraction(config.outlier_threshold.value)
    for expert_id, deviation in deviations.items():
        if deviation > threshold:
            find(
                "expert_outlier",
                "warning",
                expert=expert_id,
                deviation=config.rounding.apply(deviation),
                threshold=config.outlier_threshold.value,
            )

    blocks, total = block_scores(config, panel, sub_scores)
    experts = [
        ExpertSummary(
            expert_id=sheet.expert_id,
            name=sheet.name,
            years_of_experience=sheet.years,
            counted=sheet.expert_id in counted_experts,
            deviation=None if sheet.expert_id not in deviations else config.rounding.apply(deviations[sheet.expert_id]),
        )
        for sheet in sheets
    ]
    return ApplicationScore(
        application_id=application_id,
        cluster_name=str(_attribute(application, "cluster_name", "application")),
        submitted_at=_registered(_attribute(application, "submitted_at", "application")),
        total=None if total is None else config.rounding.apply(total),
        total_points=config.total_points.value,
        scale_minimum=config.scale.minimum,
        scale_maximum=config.scale.maximum,
        aggregation=config.aggregation.method,
        rounding=f"{config.rounding.mode} to {config.rounding.places} places, once, at the end",
        experts=experts,
        blocks=blocks,
        findings=findings,
    )


def _eligible_experts(sheets: list[_Sheet], config: ScoringConfig, find: Any) -> set[str]:
    """Experts whose marks count: those not known to lack the required experience (p.19)."""
    minimum = config.minimum_experience_years.value
    counted = set()
    for sheet in sheets:
        if sheet.years is None:
            find("experience_unknown", "warning", expert=sheet.expert_id, minimum=minimum)
        elif sheet.years < minimum:
            find("experience_insufficient", "error", expert=sheet.expert_id, years=sheet.years, minimum=minimum)
            continue
        counted.add(sheet.expert_id)
    return counted


def _check_mark(mark: Decimal, expert_id: str, number: str, scale: Scale, find: Any) -> bool:
    if not scale.minimum <= mark <= scale.maximum:
        find("mark_off_scale", "error", expert=expert_id, sub=number, mark=mark, minimum=scale.minimum, maximum=scale.maximum)
        return False
    if scale.step is not None and (mark - scale.minimum) % scale.step:
        find("mark_off_step", "error", expert=expert_id, sub=number, mark=mark, step=scale.step)
        return False
    return True


def _deviations(counted_marks: dict[str, dict[str, Decimal]], counted_experts: set[str]) -> dict[str, Fraction]:
    """Each counted expert's mean absolute distance from the panel's median (3 experts or more)."""
    if len(counted_experts) < 3:
        return {}
    distances: dict[str, list[Fraction]] = {expert: [] for expert in sorted(counted_experts)}
    for marks in counted_marks.values():
        if len(marks) < 3:
            continue
        units, common = in_units(marks.values())  # exact, in whole units of 1/common
        median = twice_median(units)  # in half units
        for expert, unit in zip(marks, units):
            distances[expert].append(Fraction(abs(2 * unit - median), 2 * common))
    return {expert: mean_of(d) for expert, d in distances.items() if d}


def block_scores(
    config: ScoringConfig, panel: dict[str, Fraction | None], sub_scores: dict[str, SubCriterionScore]
) -> tuple[list[BlockScore], Fraction | None]:
    low, span = Fraction(config.scale.minimum), Fraction(config.scale.maximum) - Fraction(config.scale.minimum)
    points = config.total_points.value
    blocks, total = [], Fraction(0)
    for block in config.blocks:
        marks = [panel[sub.id] for sub in block.sub_criteria]
        if any(mark is None for mark in marks):
            share = None
            total = None
        else:
            mark = weighted_sum([sub.weight for sub in block.sub_criteria], marks)
            share = (mark - low) / span
            earned = block.weight * share * points
            if total is not None:
                total += earned
        blocks.append(
            BlockScore(
                id=block.id,
                number=block.number,
                title=block.title,
                weight=block.weight,
                mark=None if share is None else config.rounding.apply(mark),  # the weighted mark: low + share * span
                points=None if share is None else config.rounding.apply(earned),
                share=share,
                sub_criteria=[sub_scores[sub.id] for sub in block.sub_criteria],
            )
        )
    return blocks, total
