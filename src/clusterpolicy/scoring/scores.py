"""Expert marks, panel aggregation, block scores, the Commission's threshold and the ranking.

The expert council marks each concept against the criteria (Rules p.20-21); the Commission
sets the minimum score for stage 2 (p.24) and picks the winners (p.38); with fewer than two
compliant participants the competition fails (p.41) and is re-announced within two months
(p.42). The law gives no scale, weights or aggregation rule: all of them are parameters of the
rule pack's ``scoring.yaml`` (model :class:`ScoringConfig`), where each choice carries a note.

Arithmetic is exact: marks and weights become :class:`fractions.Fraction`, and a figure is
rounded once, when it is shown, with the pack's stated rounding. A problem with the marks
(a missing mark, an expert without the required experience) is a :class:`Finding` in the
result, never an exception; only structurally invalid input raises :class:`InputError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Generic, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator

from ..core.base import Strict

from ..core.errors import InputError, Location, RulePackError, UsageError
from ..core import l10n
from ..core.i18n import Text
from ..core.law import Citation
from ..core.tables import HtmlRepr
from ..core.tz import ALMATY
from ..calendar.terms import add_months
from ..core.sources import Document, validate

T = TypeVar("T")

AggregationMethod = Literal["mean", "median", "trimmed-mean"]
RoundingMode = Literal["ROUND_HALF_UP", "ROUND_HALF_EVEN"]
TieBreakKey = Literal["submitted_at", "application_id"]
Severity = Literal["error", "warning"]


def _fraction_from_yaml(value: Any) -> Fraction:
    """Read ``0.25`` as written (1/4), not as the binary float nearest to it; ``"1/3"`` exactly."""
    if isinstance(value, float) and not isinstance(value, bool):
        return Fraction(repr(value))
    if isinstance(value, (int, Fraction, Decimal)) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError(f"expected a number or a fraction such as 1/3, got {value!r}")


_Model = Strict

class Parameter(_Model, Generic[T]):
    """A named choice of the pack: its value, where it comes from, and why (if the law is silent)."""

    value: T
    citation: Citation
    note: Text | None = None


class Scale(_Model):
    """The marking scale of one sub-criterion: ``minimum``..``maximum`` in steps of ``step``."""

    minimum: Decimal
    maximum: Decimal
    step: Decimal | None = Field(default=None, gt=0)
    citation: Citation
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.maximum <= self.minimum:
            raise ValueError("the scale's maximum must be greater than its minimum")
        if self.step is not None and (Fraction(self.maximum) - Fraction(self.minimum)) % Fraction(self.step):
            raise ValueError("the scale's step must divide maximum - minimum")
        return self


class Rounding(_Model):
    """How a figure is rounded when shown: once, at the end, to ``places`` decimals."""

    places: int = Field(ge=0, le=10)
    mode: RoundingMode
    citation: Citation
    note: Text | None = None

    def apply(self, value: Fraction) -> Decimal:
        return round_fraction(value, self.places, self.mode)


class Aggregation(_Model):
    """How the experts' marks for one sub-criterion become one mark."""

    method: AggregationMethod
    trim_proportion: Fraction = Field(default=Fraction(0), ge=0, lt=0.5)
    citation: Citation
    note: Text | None = None

    _fraction = field_validator("trim_proportion", mode="before")(_fraction_from_yaml)

    def combine(self, marks: Sequence[Fraction]) -> Fraction:
        """The panel's mark from the counted marks (at least one)."""
        if self.method == "median":
            return _median(marks)
        ordered = sorted(marks)
        if self.method == "trimmed-mean":
            cut = int(len(ordered) * self.trim_proportion)
            ordered = ordered[cut : len(ordered) - cut]
        return sum(ordered, Fraction(0)) / len(ordered)


def _median(marks: Iterable[Fraction]) -> Fraction:
    ordered = sorted(marks)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class _ValidatedCopy(_Model):
    """A model whose ``model_copy(update=...)`` is validated like the pack it comes from.

    pydantic does not validate a copy's updates: a copy of the scoring configuration with
    blocks weighing 2 in all scored 173.42 points out of 100. Weights to try belong in
    :func:`clusterpolicy.scoring.whatif.rank_with_weights`; a copy is checked all the same.
    """

    def model_copy(self, *, update: Any = None, deep: bool = False) -> Any:
        copy = super().model_copy(update=update, deep=deep)
        if not update:
            return copy
        try:
            return type(self).model_validate(dict(copy))
        except ValidationError as error:
            details = [
                UsageError(problem["msg"], location=Location(path=tuple(problem["loc"])), code="invalid_argument")
                for problem in error.errors(include_url=False)
            ]
            raise UsageError(
                f"this copy of {type(self).__name__} is not valid: {'; '.join(str(d) for d in details)} "
                "(to try other weights, use clusterpolicy.rank_with_weights)",
                code="invalid_argument",
                details=details,
            ) from None


class SubCriterion(_ValidatedCopy):
    """One sub-criterion: a stable id shared by all packs, and its number in this pack."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    number: str = Field(pattern=r"^[0-9]+\.[0-9]+$")
    weight: Fraction = Field(ge=0)
    title: Text
    citation: Citation

    _fraction = field_validator("weight", mode="before")(_fraction_from_yaml)


class Block(_ValidatedCopy):
    """A block of criteria; its sub-criteria's weights sum to exactly 1."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    number: int = Field(ge=1)
    weight: Fraction = Field(ge=0)
    title: Text
    citation: Citation
    sub_criteria: list[SubCriterion] = Field(min_length=1)

    _fraction = field_validator("weight", mode="before")(_fraction_from_yaml)

    @field_validator("sub_criteria")
    @classmethod
    def _weights_sum_to_one(cls, sub_criteria: list[SubCriterion]) -> list[SubCriterion]:
        total = sum((sub.weight for sub in sub_criteria), Fraction(0))
        if total != 1:
            raise ValueError(f"the sub-criteria's weights sum to {total}, not 1")
        return sub_criteria

    @model_validator(mode="after")
    def _numbered_in_block(self) -> Block:
        for sub in self.sub_criteria:
            if sub.number.split(".")[0] != str(self.number):
                raise ValueError(f"sub-criterion {sub.id} is numbered {sub.number} in block {self.number}")
        return self


class Messages(_Model):
    """The texts of findings and outcomes, with ``{placeholders}``, in kk/ru/en."""

    mark_missing: Text
    mark_off_scale: Text
    mark_off_step: Text
    unknown_sub_criterion: Text
    too_few_experts: Text
    experience_unknown: Text
    experience_insufficient: Text
    expert_outlier: Text
    sub_criterion_unmarked: Text
    admission_undetermined: Text
    competition_failed: Text
    competition_undetermined: Text
    applications_withdrawn: Text
    reannouncement_due: Text


class ScoringConfig(_ValidatedCopy):
    """The ``scoring:`` mapping of a rule pack's ``scoring.yaml``."""

    scale: Scale
    total_points: Parameter[int]
    rounding: Rounding
    aggregation: Aggregation
    minimum_experts: Parameter[int]
    minimum_experience_years: Parameter[Decimal]
    outlier_threshold: Parameter[Decimal]
    look_back_years: Parameter[int]
    minimum_compliant_participants: Parameter[int]
    reannouncement_months: Parameter[int]
    tie_break: Parameter[list[TieBreakKey]]
    weights_note: Text
    blocks: list[Block] = Field(min_length=1)
    messages: Messages

    @field_validator("total_points", "minimum_experts", "look_back_years", "minimum_compliant_participants", "reannouncement_months")
    @classmethod
    def _positive(cls, parameter: Parameter[int]) -> Parameter[int]:
        if parameter.value < 1:
            raise ValueError(f"must be at least 1 (got {parameter.value})")
        return parameter

    @field_validator("minimum_experience_years", "outlier_threshold")
    @classmethod
    def _not_negative(cls, parameter: Parameter[Decimal]) -> Parameter[Decimal]:
        if parameter.value < 0:
            raise ValueError(f"cannot be negative (got {parameter.value})")
        return parameter

    @field_validator("tie_break")
    @classmethod
    def _each_key_once(cls, parameter: Parameter[list[TieBreakKey]]) -> Parameter[list[TieBreakKey]]:
        if len(set(parameter.value)) != len(parameter.value):
            raise ValueError("each tie-break key may appear once")
        return parameter

    @field_validator("blocks")
    @classmethod
    def _blocks_consistent(cls, blocks: list[Block]) -> list[Block]:
        total = sum((block.weight for block in blocks), Fraction(0))
        if total != 1:
            raise ValueError(f"the blocks' weights sum to {total}, not 1")
        for kind, values in (
            ("block id", [block.id for block in blocks]),
            ("block number", [block.number for block in blocks]),
            ("sub-criterion id", [sub.id for block in blocks for sub in block.sub_criteria]),
            ("sub-criterion number", [sub.number for block in blocks for sub in block.sub_criteria]),
        ):
            duplicates = sorted({str(v) for v, n in Counter(values).items() if n > 1})
            if duplicates:
                raise ValueError(f"duplicate {kind}: {', '.join(duplicates)}")
        return blocks

    def sub_criteria(self) -> list[tuple[Block, SubCriterion]]:
        """Every sub-criterion with its block, in the pack's order."""
        return [(block, sub) for block in self.blocks for sub in block.sub_criteria]


class _ScoringFile(_Model):
    scoring: ScoringConfig


def read_scoring(document: Document) -> ScoringConfig:
    """Validate a rule pack's ``scoring.yaml`` document; errors name the file and line."""
    return validate(_ScoringFile, document, error=RulePackError).scoring


def round_fraction(value: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """Round an exact value to ``places`` decimals with one rounding, no float on the way."""
    units = round_ratio(value.numerator, value.denominator, places, mode)
    return Decimal(f"{units}E-{places}")


def round_ratio(numerator: int, denominator: int, places: int, mode: RoundingMode) -> int:
    """``numerator / denominator`` rounded to ``places`` decimals, as an integer count of 10**-places."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator) * 10**places, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and (mode == "ROUND_HALF_UP" or quotient % 2 == 1)):
        quotient += 1
    return -quotient if numerator < 0 else quotient


# --- Results -------------------------------------------------------------------------------


class Finding(_Model):
    """A problem with the marks or the panel, with the expert and sub-criterion it concerns."""

    code: str
    severity: Severity
    message: Text
    expert_id: str | None = None
    sub_criterion_id: str | None = None


class ExpertMark(_Model):
    """One expert's mark for one sub-criterion, and whether it counted."""

    expert_id: str
    mark: Decimal
    counted: bool


class SubCriterionScore(_Model):
    """A sub-criterion's marks, the panel's mark (rounded for display) and its weight in the block."""

    id: str
    number: str
    title: Text
    weight: Fraction
    marks: list[ExpertMark]
    panel_mark: Decimal | None


class BlockScore(_Model):
    """A block's mark on the scale, its points in the total, and its exact share of the maximum."""

    id: str
    number: int
    title: Text
    weight: Fraction
    mark: Decimal | None = Field(description="Weighted panel mark on the marking scale, rounded.")
    points: Decimal | None = Field(description="The block's contribution to the total, rounded.")
    share: Fraction | None = Field(description="Exact share of the block's maximum (0..1), for recomputation.")
    sub_criteria: list[SubCriterionScore]


class ExpertSummary(_Model):
    """An expert of the panel: counted or not, and how far from the panel's median."""

    expert_id: str
    name: str | None
    years_of_experience: Decimal | None
    counted: bool
    deviation: Decimal | None = Field(description="Mean absolute deviation from the panel's median, in scale points.")


class ApplicationScore(HtmlRepr, _Model):
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
        findings.append(Finding(code=code, severity=severity, message=_fill(text, **shown), expert_id=expert, sub_criterion_id=sub))

    counted_experts = _eligible_experts(sheets, config, find)
    known = {sub.id for _, sub in config.sub_criteria()}
    for sheet in sheets:
        for key in sorted(set(sheet.marks) - known):
            find("unknown_sub_criterion", "warning", expert=sheet.expert_id, sub=key)
    if len(counted_experts) < config.minimum_experts.value:
        find("too_few_experts", "error", count=len(counted_experts), minimum=config.minimum_experts.value)

    panel: dict[str, Fraction | None] = {}
    counted_marks: dict[str, dict[str, Fraction]] = {}
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
                usable[sheet.expert_id] = Fraction(mark)
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

    blocks, total = _block_scores(config, panel, sub_scores)
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


def _deviations(counted_marks: dict[str, dict[str, Fraction]], counted_experts: set[str]) -> dict[str, Fraction]:
    """Each counted expert's mean absolute distance from the panel's median (3 experts or more)."""
    if len(counted_experts) < 3:
        return {}
    distances: dict[str, list[Fraction]] = {expert: [] for expert in sorted(counted_experts)}
    for marks in counted_marks.values():
        if len(marks) < 3:
            continue
        median = _median(marks.values())
        for expert, mark in marks.items():
            distances[expert].append(abs(mark - median))
    return {expert: sum(d, Fraction(0)) / len(d) for expert, d in distances.items() if d}


def _block_scores(
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
            mark = sum((sub.weight * panel[sub.id] for sub in block.sub_criteria), Fraction(0))
            share = (mark - low) / span
            if total is not None:
                total += block.weight * share * points
        blocks.append(
            BlockScore(
                id=block.id,
                number=block.number,
                title=block.title,
                weight=block.weight,
                mark=None if share is None else config.rounding.apply(low + share * span),
                points=None if share is None else config.rounding.apply(block.weight * share * points),
                share=share,
                sub_criteria=[sub_scores[sub.id] for sub in block.sub_criteria],
            )
        )
    return blocks, total


# --- The competition: threshold, ranking, outcome ------------------------------------------


class RankedApplication(_Model):
    """A compliant application with a total, in ranking order."""

    rank: int
    application_id: str
    cluster_name: str
    total: Decimal
    submitted_at: datetime
    score_valid: bool = Field(description="False when the score has error findings (see the ApplicationScore).")
    tied: bool = Field(description="Another ranked application has the same total; the tie-break decided the order.")
    admitted: bool | None = Field(description="Total at or above the Commission's minimum (p.24); None if no minimum is set.")


class UnrankedApplication(_Model):
    """An application left out of the ranking, and why."""

    application_id: str
    reason: Literal["not_compliant", "no_total", "withdrawn"]


class CompetitionOutcome(HtmlRepr, _Model):
    """Ranking, admission to stage 2 and the outcome of the competition (held, failed, or
    undetermined while an application whose compliance is unknown could decide the count)."""

    status: Literal["held", "failed", "undetermined"]
    compliant_count: int
    undetermined_ids: list[str] = Field(
        default_factory=list, description="Applications whose compliance with p.6/p.7 is not yet known."
    )
    withdrawn_ids: list[str] = Field(default_factory=list, description="Applications withdrawn (p.10): not counted, not ranked.")
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
) -> CompetitionOutcome:
    """Rank the compliant applications, apply the Commission's minimum, and decide the outcome.

    ``compliant_ids`` are the applications that meet p.6 and p.7 (the document checks' result);
    fewer than ``minimum_compliant_participants`` of them fail the competition (p.41), unless the
    ``undetermined_ids`` (compliance not yet known) could make up the number: the outcome is
    then ``undetermined``, never failed. ``withdrawn_ids`` (p.10) are neither counted nor
    ranked. No expert mark is needed to decide the outcome. When it
    fails and ``declared_on`` (the day it is declared failed) is given, the re-announcement is
    due ``reannouncement_months`` calendar months later (p.42), moved to the next working day
    of ``calendar`` (a :class:`~clusterpolicy.working_calendar.WorkingCalendar`; default Kazakhstan's).
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
        notes.append(_fill(messages.applications_withdrawn, ids=", ".join(sorted(withdrawn))))
    if open_question:
        notes.append(_fill(messages.competition_undetermined, count=len(compliant), undetermined=len(undetermined), minimum=minimum_compliant))
    if failed:
        notes.append(_fill(messages.competition_failed, count=len(compliant), minimum=minimum_compliant))
        if declared_on is not None:
            due = add_months(declared_on, config.reannouncement_months.value, calendar=calendar)
            notes.append(_fill(messages.reannouncement_due, due=due.isoformat()))
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


def _fill(text: Text, **values: object) -> Text:
    """The message in each language, its numbers as that language writes them (a decimal comma in kk/ru)."""
    names = ("expert", "sub_criterion")  # names and criterion numbers («1.1»), not decimals
    return Text(
        **{lang: text.format(lang, **{k: v if k in names else l10n.number(v, lang) for k, v in values.items()}) for lang in ("kk", "ru", "en")}
    )
