"""Criteria 3 indicators: the cluster's employment, output and exports, growth and shares."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_scoring import DECREE, application

from clusterpolicy import AreaStatistics, InputError, UsageError, cluster_indicators
from clusterpolicy.input.decree535_form import Participant, YearlyIndicators


def participant(pid: str, rows: dict[int, tuple[int | None, int | None, int | None]]) -> Participant:
    """Rows: year -> (headcount, turnover, exports)."""
    return Participant(
        id=pid,
        name=f"Company {pid}",
        legal_status="legal_entity",
        kind="producer",
        indicators=[
            YearlyIndicators(
                year=year,
                average_headcount=headcount,
                turnover=None if turnover is None else Decimal(turnover),
                exports=None if exports is None else Decimal(exports),
            )
            for year, (headcount, turnover, exports) in rows.items()
        ],
    )


def with_participants(*participants: Participant):
    return application().model_copy(update={"participants": list(participants)})


FULL = {year: (100 + year - 2010, 1000 * (year - 2009), 100) for year in range(2010, 2015)}
REGION = AreaStatistics(
    name="almaty-city",
    years=[{"year": year, "employment": 10_000, "output": 200_000, "exports": 4_000} for year in range(2010, 2015)],
)
SECTOR = AreaStatistics(name="furniture", years=[{"year": year, "output": 50_000} for year in range(2011, 2015)])


def series(result, measure):
    return next(s for s in result.measures if s.measure == measure)


def test_complete_cards_give_totals_growth_and_shares():
    result = cluster_indicators(
        with_participants(participant("p1", FULL), participant("p2", FULL)),
        DECREE,
        region_statistics=REGION,
    )
    assert (result.first_year, result.last_year, result.look_back_years) == (2010, 2014, 5)
    assert result.look_back_citation == "Criteria 3.2"
    output = series(result, "output")
    assert [y.cluster_total for y in output.years] == [Decimal(v) for v in (2000, 4000, 6000, 8000, 10000)]
    assert output.growth_absolute == Decimal(8000) and output.growth_percent == Decimal("400.00")
    assert output.years[-1].region_share_percent == Decimal("5.00")
    employment = series(result, "employment")
    assert employment.years[0].cluster_total == 200 and employment.growth_percent == Decimal("4.00")
    assert series(result, "exports").growth_percent == Decimal("0.00")
    assert result.missing == []


def test_missing_years_are_reported_not_guessed():
    gappy = {year: row for year, row in FULL.items() if year != 2010}
    gappy[2012] = (None, 3000, 100)
    result = cluster_indicators(
        with_participants(participant("p1", FULL), participant("p2", gappy)),
        DECREE,
        region_statistics=REGION,
        sector_statistics=SECTOR,
    )
    output = series(result, "output")
    assert output.years[0].cluster_total is None and output.years[0].reported_sum == Decimal(1000)
    assert output.years[0].missing_participants == ["p2"]
    assert output.growth_percent is None and output.years[0].region_share_percent is None
    employment = series(result, "employment")
    assert employment.years[2].cluster_total is None and employment.years[2].missing_participants == ["p2"]
    missing = {(m.source, m.name, m.year, m.measure) for m in result.missing}
    assert ("participant", "p2", 2010, "output") in missing
    assert ("participant", "p2", 2012, "employment") in missing
    assert ("sector", "furniture", 2010, "output") in missing
    assert ("sector", "furniture", 2014, "employment") in missing
    assert output.years[-1].sector_share_percent == Decimal("20.00")


def test_look_back_ends_where_asked():
    result = cluster_indicators(with_participants(participant("p1", FULL)), DECREE, last_year=2016)
    assert (result.first_year, result.last_year) == (2012, 2016)
    assert series(result, "output").years[-1].missing_participants == ["p1"]


def test_what_cannot_be_computed_raises():
    with pytest.raises(UsageError, match="pass last_year"):
        cluster_indicators(with_participants(participant("p1", {})), DECREE)
    duplicated = participant("p1", FULL).model_copy(
        update={"indicators": [YearlyIndicators(year=2012), YearlyIndicators(year=2012)]}
    )
    with pytest.raises(InputError, match="2012 are given twice"):
        cluster_indicators(with_participants(duplicated), DECREE)
    with pytest.raises(ValueError, match="repeated: 2012"):
        AreaStatistics(name="x", years=[{"year": 2012}, {"year": 2012}])


@pytest.mark.parametrize("figure", ["9E+999999", "1E-999999", "NaN", "Infinity", "lots"])
def test_unbounded_figures_of_a_duck_typed_card_are_input_errors(figure):
    """Two turnovers of 9E+999999 raised decimal.Overflow (validation bounds a real card; a
    duck-typed one reached the arithmetic)."""
    from types import SimpleNamespace

    card = lambda pid: SimpleNamespace(  # noqa: E731
        id=pid, indicators=[SimpleNamespace(year=2016, turnover=figure, exports=None, average_headcount=1)]
    )
    with pytest.raises(InputError, match="finite number of at most 30 digits") as caught:
        cluster_indicators(SimpleNamespace(id="a", participants=[card("p1"), card("p2")]), DECREE)
    assert caught.value.code == "invalid_structure" and "p1" in caught.value.message


def test_area_statistics_are_bounded_like_the_cards():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="30 digits"):
        AreaStatistics.model_validate({"name": "region", "years": [{"year": 2016, "output": "1E-300"}]})
