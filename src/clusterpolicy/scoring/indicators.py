"""The cluster's figures for criteria 3 (significance for the region and the sector).

An aid to the experts, kept apart from their marks: from the participant cards' yearly
indicators (Appendix 2 §7), the cluster's employment (average headcount), output (turnover)
and exports over the look-back period (the pack's ``look_back_years``: 5 years per
Criteria 3.2, though Appendix 2 §4 says 3), their growth from the first to the last year of
the period, and, given region and sector statistics, the cluster's share of each.

Nothing is guessed: a year a participant did not report leaves the cluster's total for that
year empty (the reported part is still shown), and the gap is listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field, field_validator

from ..core.base import Strict

from ..core.errors import InputError, UsageError
from ..input.values import MAX_DIGITS, Number, require_unique
from .config import RoundingMode, ScoringConfig, round_fraction

Measure = Literal["employment", "output", "exports"]
MEASURES: tuple[Measure, ...] = ("employment", "output", "exports")
CARD_FIELDS: dict[Measure, str] = {"employment": "average_headcount", "output": "turnover", "exports": "exports"}
UNITS: dict[Measure, str] = {"employment": "persons", "output": "thousand tenge", "exports": "thousand tenge"}


_Model = Strict

class AreaYear(_Model):
    """A region's or a sector's totals for one year, in the units of the participant cards."""

    year: int = Field(ge=1991, le=2100)
    employment: Number | None = Field(None, ge=0, description="Employed persons.")
    output: Number | None = Field(None, ge=0, description="Output, thousand tenge.")
    exports: Number | None = Field(None, ge=0, description="Exports, thousand tenge.")


class AreaStatistics(_Model):
    """Official statistics of a region or a sector, by year."""

    name: str = Field(min_length=1)
    years: list[AreaYear]

    @field_validator("years")
    @classmethod
    def _unique_years(cls, years: list[AreaYear]) -> list[AreaYear]:
        require_unique([item.year for item in years], "years")
        return years


class MissingValue(_Model):
    """A figure needed for the period that is not there."""

    source: Literal["participant", "region", "sector"]
    name: str = Field(description="Participant id, or the region's or sector's name.")
    year: int
    measure: Measure


class YearFigure(_Model):
    """The cluster's figure for one year, and its share of the region and the sector."""

    year: int
    cluster_total: Decimal | None = Field(description="Empty when any participant's figure is missing.")
    reported_sum: Decimal = Field(description="Sum of the figures that were reported.")
    missing_participants: list[str]
    region_total: Decimal | None
    sector_total: Decimal | None
    region_share_percent: Decimal | None
    sector_share_percent: Decimal | None


class MeasureSeries(_Model):
    """One measure over the look-back period, with its growth from the first to the last year."""

    measure: Measure
    unit: str
    years: list[YearFigure]
    growth_absolute: Decimal | None
    growth_percent: Decimal | None


class ClusterIndicators(_Model):
    """Criteria 3 figures of one application, with every gap listed."""

    application_id: str
    first_year: int
    last_year: int
    look_back_years: int
    look_back_citation: str
    region: str | None
    sector: str | None
    measures: list[MeasureSeries]
    missing: list[MissingValue]


def cluster_indicators(
    application: Any,
    config: ScoringConfig,
    *,
    last_year: int | None = None,
    region_statistics: AreaStatistics | None = None,
    sector_statistics: AreaStatistics | None = None,
) -> ClusterIndicators:
    """The cluster's employment, output and exports over the pack's look-back period.

    ``last_year`` ends the period (default: the latest year any participant reported). Shares
    are computed only where both the cluster's total and the area's total are known.
    """
    application_id = str(_attribute(application, "id", "application"))
    cards = _cards(_attribute(application, "participants", "application"))
    if last_year is None:
        reported = [year for rows in cards.values() for year in rows]
        if not reported:
            raise UsageError(
                f"application {application_id}: no participant reports yearly indicators; pass last_year",
                code="no_indicators",
            )
        last_year = max(reported)
    count = config.look_back_years.value
    if count < 1:
        raise UsageError("look_back_years must be at least 1", code="invalid_argument")
    years = list(range(last_year - count + 1, last_year + 1))
    places, mode = config.rounding.places, config.rounding.mode
    areas = {"region": _by_year(region_statistics), "sector": _by_year(sector_statistics)}
    missing: list[MissingValue] = []
    series = []
    for measure in MEASURES:
        figures = []
        for year in years:
            values = {pid: _value(rows.get(year), measure, pid) for pid, rows in cards.items()}
            absent = sorted(pid for pid, value in values.items() if value is None)
            missing += [MissingValue(source="participant", name=pid, year=year, measure=measure) for pid in absent]
            reported_sum = sum((value for value in values.values() if value is not None), Decimal(0))
            cluster_total = None if absent or not values else reported_sum
            totals, shares = {}, {}
            for area, statistics in (("region", region_statistics), ("sector", sector_statistics)):
                total = _area_total(areas[area], year, measure)
                if statistics is not None and total is None:
                    missing.append(MissingValue(source=area, name=statistics.name, year=year, measure=measure))
                totals[area] = total
                shares[area] = _percent(cluster_total, total, places, mode)
            figures.append(
                YearFigure(
                    year=year,
                    cluster_total=cluster_total,
                    reported_sum=reported_sum,
                    missing_participants=absent,
                    region_total=totals["region"],
                    sector_total=totals["sector"],
                    region_share_percent=shares["region"],
                    sector_share_percent=shares["sector"],
                )
            )
        first, last = figures[0].cluster_total, figures[-1].cluster_total
        both = first is not None and last is not None
        series.append(
            MeasureSeries(
                measure=measure,
                unit=UNITS[measure],
                years=figures,
                growth_absolute=last - first if both else None,
                growth_percent=_percent(last - first, first, places, mode) if both else None,
            )
        )
    return ClusterIndicators(
        application_id=application_id,
        first_year=years[0],
        last_year=last_year,
        look_back_years=count,
        look_back_citation=config.look_back_years.citation.provision,
        region=region_statistics.name if region_statistics else None,
        sector=sector_statistics.name if sector_statistics else None,
        measures=series,
        missing=missing,
    )


def _attribute(obj: Any, name: str, where: str) -> Any:
    try:
        return getattr(obj, name)
    except AttributeError:
        raise InputError(f"{where} has no {name!r}", code="invalid_structure") from None


def _cards(participants: Sequence[Any]) -> dict[str, dict[int, Any]]:
    """Participant id -> year -> that year's indicators; a year given twice is an error."""
    cards: dict[str, dict[int, Any]] = {}
    for index, participant in enumerate(participants):
        pid = str(_attribute(participant, "id", f"participants[{index}]"))
        rows: dict[int, Any] = {}
        for row in _attribute(participant, "indicators", f"participant {pid}"):
            year = _attribute(row, "year", f"participant {pid} indicators")
            if year in rows:
                raise InputError(f"participant {pid}: indicators for {year} are given twice", code="duplicate_year")
            rows[year] = row
        cards[pid] = rows
    return cards


def _value(row: Any, measure: Measure, pid: str = "?") -> Decimal | None:
    """A card's figure; bounded as validation bounds it (a duck-typed card could carry 9E+999999,
    whose sums overflowed the decimal context or made exact fractions explode)."""
    if row is None:
        return None
    value = getattr(row, CARD_FIELDS[measure], None)
    if value is None:
        return None
    try:
        number = Decimal(value) if not isinstance(value, float) else Decimal(str(value))
    except (ArithmeticError, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite() or (number and abs(number.adjusted()) > MAX_DIGITS):
        raise InputError(
            f"participant {pid}: {CARD_FIELDS[measure]} for {getattr(row, 'year', '?')} must be a finite number of at most "
            f"{MAX_DIGITS} digits, not {str(value)[:40]!r}",
            code="invalid_structure",
        )
    return number


def _by_year(statistics: AreaStatistics | None) -> dict[int, AreaYear]:
    return {} if statistics is None else {item.year: item for item in statistics.years}


def _area_total(rows: dict[int, AreaYear], year: int, measure: Measure) -> Decimal | None:
    row = rows.get(year)
    return None if row is None else getattr(row, measure)


def _percent(part: Decimal | None, whole: Decimal | None, places: int, mode: RoundingMode) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded once; empty when either is unknown or whole is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return round_fraction(Fraction(part) * 100 / Fraction(whole), places, mode)
