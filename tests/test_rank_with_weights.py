"""rank_with_weights: chosen weights, checked as the pack's are, and the new ranking beside the official one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from clusterpolicy import UsageError, WeightedRanking, rank_with_weights, run_competition, what_if_weights
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

PACK = load_pack("kz-2015-decree-535")
BLOCKS = [block.id for block in PACK.scoring.blocks]
SUBS = {block.id: [sub.id for sub in block.sub_criteria] for block in PACK.scoring.blocks}


def _report():
    """Three admitted applications: a generalist, one strong in block 1 only, a weak one; a fourth returned."""
    header = competition_data(1)
    header["minimum_score"] = "50"
    profiles = {
        "generalist": {block: 4 for block in BLOCKS},
        "specialist": {BLOCKS[0]: 5, BLOCKS[1]: 2, BLOCKS[2]: 2, BLOCKS[3]: 3},
        "weak": {block: 2 for block in BLOCKS},
        "returned": {block: 5 for block in BLOCKS},
    }
    applications = []
    for name, profile in profiles.items():
        data = application_data(1)
        data["id"] = name
        data["expert_marks"] = [
            {"expert_id": f"e{e}", "years_of_experience": "9",
             "marks": {sub: str(profile[block]) for block in BLOCKS for sub in SUBS[block]}}
            for e in range(3)
        ]
        applications.append(data)
    applications[3]["submission_format"]["paper_copies"] = 0
    header["applications"] = applications
    return run_competition(Competition.model_validate(header), as_of=dt.date(2017, 9, 30))


REPORT = _report()


def test_the_pack_weights_reproduce_the_official_ranking():
    same = rank_with_weights(REPORT, {})
    assert same.outcome == REPORT.outcome and same.pack_outcome == REPORT.outcome
    assert same.changed == []
    assert [m.application_id for m in same.moves] == ["generalist", "specialist", "weak"]
    assert all(m.moved == 0 for m in same.moves)
    # the pack's own weights given explicitly change nothing either
    explicit = rank_with_weights(REPORT, {block: "1/4" for block in BLOCKS})
    assert explicit.outcome == REPORT.outcome and explicit.changed == []


def test_chosen_weights_rerank_and_say_what_moved():
    heavy = {BLOCKS[0]: "0.85", BLOCKS[1]: "0.05", BLOCKS[2]: "0.05", BLOCKS[3]: Decimal("0.05")}
    result = rank_with_weights(REPORT, heavy)
    assert isinstance(result, WeightedRanking)
    assert [e.application_id for e in result.outcome.ranking] == ["specialist", "generalist", "weak"]
    assert [e.application_id for e in result.pack_outcome.ranking] == ["generalist", "specialist", "weak"]
    specialist = next(m for m in result.moves if m.application_id == "specialist")
    assert (specialist.pack_rank, specialist.rank, specialist.moved) == (2, 1, 1)
    # 0.85 * 100 + 0.05 * (2/5 + 2/5 + 3/5) * 100 = 92.00
    assert specialist.total == Decimal("92.00") and specialist.pack_total == Decimal("60.00")
    assert result.block_weights[BLOCKS[0]] == Fraction(17, 20)
    assert result.changed == BLOCKS
    page = result._repr_html_()
    assert "ranking under chosen weights (changed: " in page and "<th>pack_rank</th>" in page
    # the competition's outcome and who is unranked do not depend on the weights
    assert result.outcome.status == REPORT.outcome.status and result.outcome.unranked == REPORT.outcome.unranked
    assert {s.application_id: s.total for s in result.scores} == {m.application_id: m.total for m in result.moves}


def test_sub_criterion_weights_move_a_block():
    first, *rest = SUBS[BLOCKS[0]]
    weights = {BLOCKS[0]: {"sub_criteria": {first: 1, **{sub: 0 for sub in rest}}}}
    result = rank_with_weights(REPORT, weights)
    assert result.sub_criterion_weights[first] == 1 and result.changed == [first, *rest]
    assert result.block_weights == {block: Fraction(1, 4) for block in BLOCKS}  # blocks unchanged


def test_weights_must_sum_to_one():
    with pytest.raises(UsageError) as caught:
        rank_with_weights(REPORT, {block: "0.5" for block in BLOCKS})  # the model_copy route gave 173.42 of 100
    error = caught.value
    assert error.code == "bad_weights"
    assert "sum to 2, not 1" in str(error)
    assert error.to_dict()["path"] == "weights"


def test_every_problem_is_located_at_once():
    sub = SUBS[BLOCKS[3]][0]
    bad = {
        "no-such-block": 1,
        SUBS[BLOCKS[0]][0]: 1,  # a sub-criterion given as a block
        BLOCKS[1]: {"weight": -1},
        BLOCKS[2]: {"weight": True},
        BLOCKS[3]: {"sub_criteria": {sub: "x", "nope": 1}, "wieght": 1},
    }
    with pytest.raises(UsageError) as caught:
        rank_with_weights(REPORT, bad)
    error = caught.value
    assert error.code == "bad_weights"
    paths = [detail.to_dict()["path"] for detail in error.details]
    assert paths == [
        "weights.no-such-block",
        f"weights.{SUBS[BLOCKS[0]][0]}",
        f"weights.{BLOCKS[1]}.weight",
        f"weights.{BLOCKS[2]}.weight",
        f"weights.{BLOCKS[3]}.wieght",
        f"weights.{BLOCKS[3]}.sub_criteria.{sub}",
        f"weights.{BLOCKS[3]}.sub_criteria.nope",
    ]
    assert all(detail.code == "bad_weights" for detail in error.details)
    assert f"sub-criterion of {BLOCKS[0]}" in str(error)
    with pytest.raises(UsageError, match=r"sub-criteria's weights sum to 0.5, not 1 \(market-prospects 0, economic-effect 0.5\)") as caught:
        rank_with_weights(REPORT, {BLOCKS[3]: {"sub_criteria": {sub: "0"}}})
    assert caught.value.to_dict()["path"] == f"weights.{BLOCKS[3]}.sub_criteria"


def test_wrong_arguments_are_usage_errors():
    with pytest.raises(UsageError, match="competition's result") as caught:
        rank_with_weights(REPORT.scores, {})
    assert caught.value.code == "bad_argument"
    with pytest.raises(UsageError) as caught:
        rank_with_weights(REPORT, [("a", 1)])
    assert caught.value.code == "bad_weights"


def test_a_copy_of_the_scoring_configuration_is_validated():
    config = PACK.scoring
    doubled = [block.model_copy(update={"weight": block.weight * 2}) for block in config.blocks]
    with pytest.raises(UsageError, match="sum to 2, not 1") as caught:
        config.model_copy(update={"blocks": doubled})
    assert caught.value.code == "invalid_argument"
    block = config.blocks[0]
    with pytest.raises(UsageError, match="sum to"):
        block.model_copy(update={"sub_criteria": [sub.model_copy(update={"weight": 1}) for sub in block.sub_criteria]})
    assert config.model_copy() == config  # a plain copy is still a copy


@pytest.mark.parametrize("concentration", [Decimal("1e-300"), Decimal("0.001"), Decimal("1e400"), Decimal("NaN"), Decimal("-1")])
def test_what_if_refuses_a_concentration_it_cannot_draw_with(concentration):
    ranked = {e.application_id for e in REPORT.outcome.ranking}
    scores = [s for s in REPORT.scores if s.application_id in ranked]
    with pytest.raises(UsageError) as caught:
        what_if_weights(scores, PACK.scoring, winners=1, samples=5, concentration=concentration)
    assert caught.value.code == "invalid_argument"
    assert "concentration" in str(caught.value)
    assert what_if_weights(scores, PACK.scoring, winners=1, samples=5, concentration=Decimal("0.01")).samples == 5
