"""The scoring configuration of a pack's ``scoring.yaml`` (model :class:`ScoringConfig`), and exact rounding.

The law gives no scale, weights or aggregation rule: all of them are parameters of the rule
pack's ``scoring.yaml``, where each choice carries a note. Marks and weights are read as
:class:`fractions.Fraction` (``0.25`` as written, ``"1/3"`` exactly), and a figure is rounded
once, when it is shown, with the pack's stated rounding (:func:`round_fraction`).
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any, Generic, Literal, TypeVar, get_args

from pydantic import Field, ValidationError, field_validator, model_validator

from ..core.base import Strict
from ..core.errors import Location, RulePackError, UsageError
from ..core import l10n
from ..core.i18n import Text
from ..core.law import Citation, Reading
from ..core.sources import Document, validate
from ..core.base import new_list

T = TypeVar("T")

AggregationMethod = Literal["mean", "median", "trimmed-mean"]
RoundingMode = Literal["ROUND_HALF_UP", "ROUND_HALF_EVEN"]
TieBreakKey = Literal["submitted_at", "application_id"]
Severity = Literal["error", "warning"]


def fraction_from_yaml(value: Any) -> Fraction:
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


Model = Strict

class Parameter(Model, Generic[T]):
    """A named choice of the pack: its value, where it comes from, and why (if the law is silent)."""

    value: T
    citation: Citation
    note: Text | None = None


class Scale(Model):
    """The marking scale of one sub-criterion: ``minimum``..``maximum`` in steps of ``step``."""

    minimum: Decimal
    maximum: Decimal
    step: Decimal | None = Field(default=None, gt=0)
    citation: Citation
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.maximum <= self.minimum:
            raise ValueError("the scale's maximum must be greater than its minimum")
        if self.step is not None and (Fraction(self.maximum) - Fraction(self.minimum)) % Fraction(self.step):
            raise ValueError("the scale's step must divide maximum - minimum")
        return self


class Rounding(Model):
    """How a figure is rounded when shown: once, at the end, to ``places`` decimals."""

    places: int = Field(ge=0, le=10)
    mode: RoundingMode
    citation: Citation
    note: Text | None = None

    def apply(self, value: Fraction) -> Decimal:
        return round_fraction(value, self.places, self.mode)


class Aggregation(Model):
    """How the experts' marks for one sub-criterion become one mark; where the law is silent, a
    named choice (``parameter``) with its readings (`clusterpolicy sensitivity` tries each,
    `--set NAME=VALUE` sets one)."""

    method: AggregationMethod
    trim_proportion: Fraction = Field(default=Fraction(0), ge=0, lt=0.5)
    citation: Citation
    note: Text | None = None
    parameter: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9_]*$", description="The choice's name: sets `method`.")
    title: Text | None = Field(None, description="The choice named in kk/ru/en (required with readings).")
    readings: list[Reading] = Field(default_factory=new_list, description="Each reading: a method, and its name.")

    @model_validator(mode="after")
    def _readings_are_methods(self) -> "Aggregation":
        allowed = list(get_args(AggregationMethod))
        for reading in self.readings:
            if reading.value not in allowed:
                raise ValueError(f"a reading of the aggregation is a method: one of {', '.join(allowed)}, not {reading.value!r}")
        if self.readings and (self.parameter is None or self.title is None):
            raise ValueError("an aggregation with readings names its parameter and title")
        if len({reading.value for reading in self.readings}) != len(self.readings):
            raise ValueError("two readings give the same value")
        return self

    _fraction = field_validator("trim_proportion", mode="before")(fraction_from_yaml)

    def combine(self, marks: Sequence["Exact"]) -> Fraction:
        """The panel's mark from the counted marks (at least one; Fractions or Decimals), exact."""
        if self.method == "median":
            return median_of(marks)
        if self.method == "trimmed-mean":
            ordered = sorted(marks)
            cut = int(len(ordered) * self.trim_proportion)
            marks = ordered[cut : len(ordered) - cut]
        return mean_of(marks)


def _weights_sum_to_one(weights: Iterable[Fraction], whose: str) -> None:
    """Weights that share a whole (the sub-criteria of a block, the blocks) sum to exactly 1."""
    total = sum_of(weights)
    if total != 1:
        raise ValueError(f"{whose} weights sum to {total}, not 1")


# Exact arithmetic on whole lists. Python's Fraction normalises every sum and product it makes
# (a gcd and a new object per operation, in Python code): scoring a panel's marks one operation
# at a time was 9 M instructions an application. These put a list over its least common
# denominator once, work on the integer numerators, and make one Fraction at the end: the same
# exact values. They take any exact numbers: Fractions, and the marks as read (Decimals).

Exact = Fraction | Decimal | int


def in_units(values: Iterable[Exact]) -> tuple[list[int], int]:
    """``values`` as integer numerators over their least common denominator, and that denominator."""
    return _over_common([value.as_integer_ratio() for value in values])


def _over_common(ratios: list[tuple[int, int]]) -> tuple[list[int], int]:
    """The (numerator, denominator) ``ratios`` as numerators over their least common denominator, and that denominator."""
    common = lcm(*(denominator for _, denominator in ratios))
    return [numerator * (common // denominator) for numerator, denominator in ratios], common


def sum_of(values: Iterable[Exact]) -> Fraction:
    """The exact sum (0 of none)."""
    units, common = in_units(values)
    return Fraction(sum(units), common)


def mean_of(values: Sequence[Exact]) -> Fraction:
    """The exact mean (of at least one value)."""
    units, common = in_units(values)
    return Fraction(sum(units), common * len(units))


def weighted_sum(weights: Iterable[Fraction], values: Iterable[Fraction]) -> Fraction:
    """The exact sum of ``weight * value`` over the pairs."""
    units, common = _over_common([(w.numerator * v.numerator, w.denominator * v.denominator) for w, v in zip(weights, values)])
    return Fraction(sum(units), common)


def median_of(marks: Iterable[Exact]) -> Fraction:
    """The exact median (of at least one value): the middle one, or the mean of the middle two."""
    units, common = in_units(marks)
    return Fraction(twice_median(units), 2 * common)


def twice_median(units: Sequence[int]) -> int:
    """Twice the median of the integers ``units`` (at least one), an integer: twice the middle one,
    or the sum of the middle two."""
    ordered = sorted(units)
    middle = len(ordered) // 2
    return 2 * ordered[middle] if len(ordered) % 2 else ordered[middle - 1] + ordered[middle]


class _ValidatedCopy(Model):
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

    _fraction = field_validator("weight", mode="before")(fraction_from_yaml)


class Block(_ValidatedCopy):
    """A block of criteria; its sub-criteria's weights sum to exactly 1."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    number: int = Field(ge=1)
    weight: Fraction = Field(ge=0)
    title: Text
    citation: Citation
    note: Text | None = Field(None, description="What the act says of the block that the sub-criteria do not score, and why.")
    sub_criteria: list[SubCriterion] = Field(min_length=1)

    _fraction = field_validator("weight", mode="before")(fraction_from_yaml)

    @field_validator("sub_criteria")
    @classmethod
    def _weights_sum_to_one(cls, sub_criteria: list[SubCriterion]) -> list[SubCriterion]:
        _weights_sum_to_one((sub.weight for sub in sub_criteria), "the sub-criteria's")
        return sub_criteria

    @model_validator(mode="after")
    def _numbered_in_block(self) -> "Block":
        for sub in self.sub_criteria:
            if sub.number.split(".")[0] != str(self.number):
                raise ValueError(f"sub-criterion {sub.id} is numbered {sub.number} in block {self.number}")
        return self


class Messages(Model):
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
        _weights_sum_to_one((block.weight for block in blocks), "the blocks'")
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


class _ScoringFile(Model):
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


def _shown(value: object, lang: str) -> str:
    """A value in a scoring message: a date as the language writes it, a number with its decimal comma."""
    return l10n.date(value, lang) if l10n.is_date(value) else l10n.number(value, lang)  # type: ignore[arg-type]


def fill(text: Text, **values: object) -> Text:
    """The message in each language, its numbers as that language writes them (a decimal comma in kk/ru)."""
    names = ("expert", "sub_criterion")  # names and criterion numbers («1.1»), not decimals
    return Text(
        **{lang: text.format(lang, **{k: v if k in names else _shown(v, lang) for k, v in values.items()}) for lang in ("kk", "ru", "en")}
    )
