"""Scoring: the packs' scoring.yaml, expert-panel findings, totals, ranking and outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy import (
    ApplicationScore,
    InputError,
    RulePackError,
    UsageError,
    rank_competition,
    read_scoring,
    score_application,
)
from clusterpolicy.input.decree535_form import Applicant, Application, ExpertSheet
from clusterpolicy.scoring.config import round_fraction
from clusterpolicy.core.sources import parse_yaml
from clusterpolicy.packs import load_pack

ROOT = Path(__file__).resolve().parents[1]
DECREE_FILE = ROOT / "rules" / "kz-2015-decree-535" / "scoring.yaml"
ALMATY = dt.timezone(dt.timedelta(hours=6))


def load(path: Path, text: str | None = None):
    return read_scoring(parse_yaml(path.read_text("utf-8") if text is None else text, str(path), error=RulePackError))


DECREE = load(DECREE_FILE)
# The methodology's scoring.yaml states only what differs from the decree's: read it merged.
METHODOLOGY = load_pack("kz-2017-kiri-methodology").scoring
DECREE_IDS = [sub.id for _, sub in DECREE.sub_criteria()]

# The crosswalk of the brief and of DOMAIN.md, checked against the sources.
CROSSWALK = {
    "value-chain-group": ("1.1", "1.1"),
    "chain-extension-projects": ("1.2", None),
    "business-investment": ("1.3", None),
    "raw-materials": ("2.1", "1.2"),
    "human-resources": ("2.2", "1.3"),
    "production-capacity": ("2.3", "1.4"),
    "energy-infrastructure": ("2.4", "2.1"),
    "transport-infrastructure": ("2.5", "2.2"),
    "innovation-infrastructure": ("2.6", "1.5"),
    "education-infrastructure": ("2.7", "1.6"),
    "financial-resources": ("2.8", "2.3"),
    "regional-significance": ("3.1", "3.1"),
    "sector-significance": ("3.2", "3.2"),
    "market-prospects": ("4.1", "4.2"),
    "economic-effect": ("4.2", "4.1"),
}


def sheet(expert_id: str, marks: dict[str, Decimal | int], years: Decimal | int | None = 10) -> ExpertSheet:
    return ExpertSheet(
        expert_id=expert_id,
        years_of_experience=None if years is None else Decimal(years),
        marks={key: Decimal(value) for key, value in marks.items()},
    )


def application(
    app_id: str = "a1",
    sheets: list[ExpertSheet] | None = None,
    *,
    submitted_at: dt.datetime = dt.datetime(2017, 5, 2, 10, 0, tzinfo=ALMATY),
) -> Application:
    return Application(
        id=app_id,
        stage=1,
        cluster_name=f"Cluster {app_id}",
        region="almaty-city",
        sector="furniture",
        applicant=Applicant(name="Chamber", type="regional_chamber_of_entrepreneurs"),
        submitted_at=submitted_at,
        expert_marks=sheets if sheets is not None else panel(),
    )


def panel(marks: list[int] | None = None, experts: int = 5, ids: list[str] = DECREE_IDS) -> list[ExpertSheet]:
    """``experts`` sheets, each giving every sub-criterion the expert's mark from ``marks``."""
    marks = marks or [3] * experts
    return [sheet(f"e{i + 1}", {key: marks[i] for key in ids}) for i in range(experts)]


def codes(score: ApplicationScore) -> list[str]:
    return [finding.code for finding in score.findings]


# --- the packs -------------------------------------------------------------------------------


def test_both_packs_carry_the_stable_ids_in_their_own_grouping():
    decree = {sub.id: sub.number for _, sub in DECREE.sub_criteria()}
    methodology = {sub.id: sub.number for _, sub in METHODOLOGY.sub_criteria()}
    assert decree == {key: numbers[0] for key, numbers in CROSSWALK.items()}
    assert methodology == {key: numbers[1] for key, numbers in CROSSWALK.items() if numbers[1]}
    assert [len(block.sub_criteria) for block in DECREE.blocks] == [3, 8, 2, 2]
    assert [len(block.sub_criteria) for block in METHODOLOGY.blocks] == [6, 3, 2, 2]


def test_default_weights_are_equal_and_exact():
    for config in (DECREE, METHODOLOGY):
        assert {block.weight for block in config.blocks} == {Fraction(1, 4)}
        for block in config.blocks:
            assert {sub.weight for sub in block.sub_criteria} == {Fraction(1, len(block.sub_criteria))}
    assert "p.19" in DECREE.weights_note.en
    assert "1/32" in METHODOLOGY.weights_note.en  # the shares the equal weights move (issue 23)


def test_every_parameter_is_cited():
    assert DECREE.minimum_experience_years.value == 5
    assert DECREE.minimum_experience_years.citation.provision == "Rules p.19"
    # the methodology's markers are KIRI's team, with no experience rule (§3.2.2(6), issue 23)
    assert METHODOLOGY.minimum_experience_years.value == 0
    assert METHODOLOGY.minimum_experience_years.citation.provision == "Methodology §3.2.2(6)"
    for config in (DECREE, METHODOLOGY):
        assert config.minimum_compliant_participants.citation.provision == "Rules p.41"
        assert config.reannouncement_months.citation.provision == "Rules p.42"
        assert config.look_back_years.value == 5 and "3" in config.look_back_years.note.en
        assert config.minimum_experts.note is not None  # the law is silent: said so


def crosswalk_table() -> str:
    """The crosswalk table of docs/scoring.md, generated from the two packs."""
    methodology = {sub.id: sub.number for _, sub in METHODOLOGY.sub_criteria()}
    lines = ["| id | sub-criterion | Decree 535 | Methodology §3.2.1 |", "|---|---|---|---|"]
    for _, sub in DECREE.sub_criteria():
        lines.append(f"| `{sub.id}` | {sub.title.en} | {sub.number} | {methodology.get(sub.id, '—')} |")
    return "\n".join(lines)


def test_docs_crosswalk_matches_the_packs():
    assert crosswalk_table() in (ROOT / "docs" / "scoring.md").read_text("utf-8")


def test_weights_not_summing_to_one_fail_at_their_line():
    text = DECREE_FILE.read_text("utf-8")
    broken = text.replace('weight: "1/4"', 'weight: "1/3"', 1)
    with pytest.raises(RulePackError) as caught:
        load(DECREE_FILE, broken)
    blocks_line = text.splitlines().index("  blocks:") + 1
    assert caught.value.location.line == blocks_line
    assert caught.value.location.file == str(DECREE_FILE)
    assert "sum to 13/12, not 1" in caught.value.message


def test_sub_criterion_weights_not_summing_to_one_fail_at_their_block():
    text = DECREE_FILE.read_text("utf-8")
    broken = text.replace('weight: "1/8"', 'weight: "1/4"', 1)
    with pytest.raises(RulePackError) as caught:
        load(DECREE_FILE, broken)
    lines = text.splitlines()
    second_block_subs = [i for i, line in enumerate(lines) if line.strip() == "sub_criteria:"][1] + 1
    assert caught.value.location.line == second_block_subs
    assert "sum to 9/8" in caught.value.message


def test_unknown_key_and_duplicate_id_do_not_load():
    text = DECREE_FILE.read_text("utf-8")
    with pytest.raises(RulePackError, match="unknown field"):
        load(DECREE_FILE, text.replace("    step: 1\n", "    step: 1\n    steps: 2\n"))
    with pytest.raises(RulePackError, match="duplicate sub-criterion id: raw-materials"):
        load(DECREE_FILE, text.replace("id: human-resources", "id: raw-materials"))


def test_impossible_parameters_do_not_load():
    text = DECREE_FILE.read_text("utf-8")
    broken = text.replace("  reannouncement_months:\n    value: 2", "  reannouncement_months:\n    value: 0")
    with pytest.raises(RulePackError, match="at least 1") as caught:
        load(DECREE_FILE, broken)
    assert caught.value.location.line == text.splitlines().index("  reannouncement_months:") + 1


def test_decimal_weights_are_read_as_written():
    text = DECREE_FILE.read_text("utf-8").replace('weight: "1/4"', "weight: 0.25")
    assert {block.weight for block in load(DECREE_FILE, text).blocks} == {Fraction(1, 4)}


# --- one application ---------------------------------------------------------------------------


def test_a_clean_panel_has_no_findings_and_a_total():
    score = score_application(application(sheets=panel([3, 3, 4, 4, 5])), DECREE)
    assert score.findings == [] and score.valid
    assert score.total == Decimal("76.00")  # mean 3.8 of 5, everywhere
    assert [block.points for block in score.blocks] == [Decimal("19.00")] * 4
    assert score.blocks[0].sub_criteria[0].marks[0].expert_id == "e1"


def test_extremes_of_the_scale():
    assert score_application(application(sheets=panel([5] * 5)), DECREE).total == Decimal("100.00")
    assert score_application(application(sheets=panel([0] * 5)), DECREE).total == Decimal("0.00")


def test_blocks_weigh_equally_whatever_their_size():
    # 5 in block 1 (3 sub-criteria), 0 elsewhere: one quarter of the points.
    marks = {key: (5 if key in {"value-chain-group", "chain-extension-projects", "business-investment"} else 0) for key in DECREE_IDS}
    score = score_application(application(sheets=[sheet(f"e{i}", marks) for i in range(3)]), DECREE)
    assert score.total == Decimal("25.00")


def test_the_total_is_rounded_once_at_the_end():
    # Panel mean 10/3 on every sub-criterion: 200/3 = 66.666..., rounded half up once.
    score = score_application(application(sheets=panel([3, 3, 4], experts=3)), DECREE)
    assert score.total == Decimal("66.67")
    assert score.blocks[0].share == Fraction(2, 3)


def test_round_fraction_modes():
    assert round_fraction(Fraction(1, 8), 2, "ROUND_HALF_UP") == Decimal("0.13")
    assert round_fraction(Fraction(1, 8), 2, "ROUND_HALF_EVEN") == Decimal("0.12")
    assert round_fraction(Fraction(-1, 8), 2, "ROUND_HALF_UP") == Decimal("-0.13")
    assert str(round_fraction(Fraction(7), 2, "ROUND_HALF_UP")) == "7.00"


@pytest.mark.parametrize(
    ("method", "expected"),
    [("mean", Fraction(19, 5)), ("median", Fraction(5)), ("trimmed-mean", Fraction(14, 3))],
)
def test_aggregation_methods(method, expected):
    config = DECREE.model_copy(update={"aggregation": DECREE.aggregation.model_copy(update={"method": method})})
    score = score_application(application(sheets=panel([0, 4, 5, 5, 5])), config)
    assert score.aggregation == method
    assert score.blocks[0].share == expected / 5
    assert score.total == round_fraction(expected * 20, 2, "ROUND_HALF_UP")


def test_median_of_an_even_panel_is_the_middle_mean():
    config = DECREE.model_copy(update={"aggregation": DECREE.aggregation.model_copy(update={"method": "median"})})
    assert score_application(application(sheets=panel([1, 2, 4, 5], experts=4)), config).total == Decimal("60.00")


def test_missing_mark_is_reported_and_the_rest_still_counts():
    sheets = panel([4, 4, 4, 4, 4])
    sheets[2] = sheet("e3", {key: 4 for key in DECREE_IDS if key != "raw-materials"})
    score = score_application(application(sheets=sheets), DECREE)
    assert codes(score) == ["mark_missing"]
    assert score.findings[0].expert_id == "e3" and score.findings[0].sub_criterion_id == "2.1"
    assert score.total == Decimal("80.00") and not score.valid


def test_mark_off_the_scale_or_off_the_step_is_not_counted():
    sheets = panel([2, 2, 2, 2, 2])
    sheets[0] = sheet("e1", {**{key: 2 for key in DECREE_IDS}, "raw-materials": 7})
    sheets[1] = sheet("e2", {**{key: 2 for key in DECREE_IDS}, "human-resources": Decimal("2.5")})
    score = score_application(application(sheets=sheets), DECREE)
    assert codes(score) == ["mark_off_scale", "mark_off_step"]
    assert "0–5" in score.findings[0].message.en and "0–5" in score.findings[0].message.kk
    assert score.total == Decimal("40.00")  # the stray marks did not move the panel's 2
    raw = next(sub for block in score.blocks for sub in block.sub_criteria if sub.id == "raw-materials")
    assert [mark.counted for mark in raw.marks] == [False, True, True, True, True]


def test_unknown_sub_criterion_is_a_warning():
    sheets = panel()
    sheets[0] = sheet("e1", {**{key: 3 for key in DECREE_IDS}, "beauty": 5})
    score = score_application(application(sheets=sheets), DECREE)
    assert codes(score) == ["unknown_sub_criterion"] and score.valid


def test_methodology_pack_does_not_know_decree_only_criteria():
    score = score_application(application(sheets=panel()), METHODOLOGY)
    assert sorted({f.sub_criterion_id for f in score.findings}) == ["business-investment", "chain-extension-projects"]
    assert score.valid and score.total == Decimal("60.00")


def test_too_few_experts():
    assert codes(score_application(application(sheets=panel(experts=3)), DECREE)) == []
    score = score_application(application(sheets=panel(experts=2)), DECREE)
    assert codes(score) == ["too_few_experts"] and not score.valid and score.total == Decimal("60.00")


def test_expert_experience_rules_of_p19():
    sheets = panel([5, 1, 1, 1, 1])
    sheets[0] = sheet("e1", {key: 5 for key in DECREE_IDS}, years=Decimal("4.5"))
    sheets[1] = sheet("e2", {key: 1 for key in DECREE_IDS}, years=None)
    sheets[2] = sheet("e3", {key: 1 for key in DECREE_IDS}, years=5)
    score = score_application(application(sheets=sheets), DECREE)
    assert codes(score) == ["experience_insufficient", "experience_unknown"]
    assert [e.counted for e in score.experts] == [False, True, True, True, True]
    assert score.total == Decimal("20.00")  # e1's fives are not counted
    assert not score.valid


def test_outlying_expert_is_flagged_but_counted():
    score = score_application(application(sheets=panel([0, 4, 4, 4, 5])), DECREE)
    assert codes(score) == ["expert_outlier"] and score.findings[0].expert_id == "e1"
    assert score.experts[0].deviation == Decimal("4.00")
    assert score.total == Decimal("68.00") and score.valid
    assert codes(score_application(application(sheets=panel([3, 4, 4, 4, 5])), DECREE)) == []


def test_a_sub_criterion_nobody_marked_leaves_no_total():
    sheets = [sheet(f"e{i}", {key: 3 for key in DECREE_IDS if key != "market-prospects"}) for i in range(3)]
    score = score_application(application(sheets=sheets), DECREE)
    assert "sub_criterion_unmarked" in codes(score)
    assert score.total is None and score.blocks[3].points is None and score.blocks[0].points is not None


def test_structurally_invalid_input_raises():
    with pytest.raises(InputError, match="more than one sheet for expert e1"):
        score_application(application(sheets=[sheet("e1", {}), sheet("e1", {})]), DECREE)
    duck = SimpleNamespace(id="x", cluster_name="X", submitted_at=dt.datetime(2017, 5, 2, tzinfo=ALMATY),
                           expert_marks=[SimpleNamespace(expert_id="e1", marks=["not", "a", "mapping"])])
    with pytest.raises(InputError, match="must be a mapping"):
        score_application(duck, DECREE)
    with pytest.raises(InputError, match="has no 'expert_marks'"):
        score_application(SimpleNamespace(id="x"), DECREE)


def test_the_result_round_trips_through_json():
    score = score_application(application(sheets=panel([0, 4, 4, 4, 5])), DECREE)
    again = ApplicationScore.model_validate_json(score.model_dump_json())
    assert again == score
    assert '"weight":"1/3"' in score.model_dump_json()


# --- invariants ----------------------------------------------------------------------------------

marks_strategy = st.lists(
    st.lists(st.integers(0, 5), min_size=len(DECREE_IDS), max_size=len(DECREE_IDS)), min_size=3, max_size=7
)


def sheets_from(rows: list[list[int]]) -> list[ExpertSheet]:
    return [sheet(f"e{i:02d}", dict(zip(DECREE_IDS, row))) for i, row in enumerate(rows)]


@settings(max_examples=60, deadline=None)
@given(marks_strategy)
def test_total_is_within_bounds(rows):
    total = score_application(application(sheets=sheets_from(rows)), DECREE).total
    assert Decimal(0) <= total <= Decimal(100)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(marks_strategy, st.data())
def test_raising_a_mark_never_lowers_the_total(rows, data):
    expert = data.draw(st.integers(0, len(rows) - 1))
    criterion = data.draw(st.integers(0, len(DECREE_IDS) - 1))
    raised = [list(row) for row in rows]
    raised[expert][criterion] = data.draw(st.integers(rows[expert][criterion], 5))
    for method in ("mean", "median", "trimmed-mean"):
        config = DECREE.model_copy(update={"aggregation": DECREE.aggregation.model_copy(update={"method": method})})
        before = score_application(application(sheets=sheets_from(rows)), config).total
        after = score_application(application(sheets=sheets_from(raised)), config).total
        assert after >= before


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(marks_strategy, st.randoms(use_true_random=False))
def test_the_order_of_experts_does_not_matter(rows, rnd):
    sheets = sheets_from(rows)
    shuffled = list(sheets)
    rnd.shuffle(shuffled)
    first = score_application(application(sheets=sheets), DECREE)
    second = score_application(application(sheets=shuffled), DECREE)
    assert first.model_dump_json() == second.model_dump_json()


def equal_per_sub_criterion(config):
    """The pack with block weights proportional to block sizes: every sub-criterion weighs the same."""
    count = sum(len(block.sub_criteria) for block in config.blocks)
    blocks = [block.model_copy(update={"weight": Fraction(len(block.sub_criteria), count)}) for block in config.blocks]
    return config.model_validate({**config.model_dump(), "blocks": [b.model_dump() for b in blocks]})


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(marks_strategy)
def test_equal_weights_reproduce_the_plain_mean(rows):
    flat = [mark for row in rows for mark in row]
    plain = round_fraction(Fraction(sum(flat), len(flat)) * 20, 2, "ROUND_HALF_UP")
    assert score_application(application(sheets=sheets_from(rows)), equal_per_sub_criterion(DECREE)).total == plain
    # The pack's own equal block weights give the plain mean of the block means.
    block_means = []
    for block in DECREE.blocks:
        columns = [DECREE_IDS.index(sub.id) for sub in block.sub_criteria]
        block_means.append(Fraction(sum(row[c] for row in rows for c in columns), len(rows) * len(columns)))
    expected = round_fraction(sum(block_means) / 4 * 20, 2, "ROUND_HALF_UP")
    assert score_application(application(sheets=sheets_from(rows)), DECREE).total == expected


@settings(max_examples=30, deadline=None)
@given(marks_strategy)
def test_results_are_identical_across_runs(rows):
    first = score_application(application(sheets=sheets_from(rows)), DECREE)
    second = score_application(application(sheets=sheets_from(rows)), DECREE)
    assert first.total == second.total and str(first.total) == str(second.total)
    assert first.model_dump_json() == second.model_dump_json()


# --- the competition ---------------------------------------------------------------------------


def scored(app_id: str, mark: int, minute: int = 0):
    when = dt.datetime(2017, 5, 2, 10, minute, tzinfo=ALMATY)
    return score_application(application(app_id, panel([mark] * 5), submitted_at=when), DECREE)


def test_ranking_threshold_and_a_held_competition():
    scores = [scored("a", 3), scored("b", 5), scored("c", 4), scored("d", 2)]
    outcome = rank_competition(scores, minimum_score=Decimal("60"), compliant_ids={"a", "b", "c"}, config=DECREE)
    assert outcome.status == "held" and outcome.compliant_count == 3
    assert [(r.rank, r.application_id, r.total, r.admitted) for r in outcome.ranking] == [
        (1, "b", Decimal("100.00"), True),
        (2, "c", Decimal("80.00"), True),
        (3, "a", Decimal("60.00"), True),
    ]
    assert [(u.application_id, u.reason) for u in outcome.unranked] == [("d", "not_compliant")]
    stricter = rank_competition(scores, minimum_score=Decimal("60.01"), compliant_ids={"a", "b", "c"}, config=DECREE)
    assert [r.admitted for r in stricter.ranking] == [True, True, False]
    assert outcome.notes == [] and outcome.reannouncement_due is None


def test_admission_is_undetermined_without_a_minimum_score():
    outcome = rank_competition([scored("a", 3), scored("b", 4)], minimum_score=None, compliant_ids={"a", "b"}, config=DECREE)
    assert not outcome.admission_determined
    assert [r.admitted for r in outcome.ranking] == [None, None]
    assert "p.24" in outcome.notes[0].en


def test_tie_break_earlier_submission_then_id():
    scores = [scored("b", 4, minute=5), scored("c", 4, minute=1), scored("a", 4, minute=5), scored("z", 5, minute=9)]
    outcome = rank_competition(scores, minimum_score=None, compliant_ids={"a", "b", "c", "z"}, config=DECREE)
    assert [r.application_id for r in outcome.ranking] == ["z", "c", "a", "b"]
    assert [r.tied for r in outcome.ranking] == [False, True, True, True]


def test_one_compliant_participant_fails_the_competition_with_a_reannouncement_date():
    scores = [scored("a", 4), scored("b", 3)]
    outcome = rank_competition(
        scores, minimum_score=Decimal(50), compliant_ids={"a"}, config=DECREE, declared_on=dt.date(2017, 6, 14)
    )
    assert outcome.status == "failed" and outcome.compliant_count == 1
    assert outcome.reannouncement_due == dt.date(2017, 8, 14)  # two calendar months (p.42)
    assert "p.41" in outcome.notes[0].en and "2017-08-14" in outcome.notes[1].en
    assert "14 августа 2017 г." in outcome.notes[1].ru and "2017 жылғы 14 тамыз" in outcome.notes[1].kk  # dates as each language writes them
    # Two months from 19 June 2017 end on Saturday 19 August: moved to Monday 21 August.
    weekend = rank_competition(scores, minimum_score=None, compliant_ids=set(), config=DECREE, declared_on=dt.date(2017, 6, 19))
    assert weekend.reannouncement_due == dt.date(2017, 8, 21)
    held = rank_competition(scores, minimum_score=None, compliant_ids={"a", "b"}, config=DECREE, declared_on=dt.date(2017, 6, 14))
    assert held.status == "held" and held.reannouncement_due is None


def test_ranking_rejects_what_it_cannot_rank():
    with pytest.raises(UsageError, match="without a score: x"):
        rank_competition([scored("a", 3)], minimum_score=None, compliant_ids={"a", "x"}, config=DECREE)
    no_total = score_application(application("n", [sheet(f"e{i}", {}) for i in range(3)]), DECREE)
    outcome = rank_competition([scored("a", 3), no_total], minimum_score=None, compliant_ids={"a", "n"}, config=DECREE)
    assert [(u.application_id, u.reason) for u in outcome.unranked] == [("n", "no_total")]
    assert outcome.compliant_count == 2 and outcome.status == "held"


# --- findings say everything they found (added for mutation testing) ----------------------------


def _all_findings_filled(score):
    for finding in score.findings:
        for lang in ("kk", "ru", "en"):
            text = finding.message.get(lang)
            assert "{" not in text and "}" not in text, (finding.code, lang, text)
        assert finding.message.kk != finding.message.en and finding.message.ru != finding.message.en


def test_every_finding_names_its_expert_sub_criterion_and_values():
    sheets = panel([2, 2, 2, 2, 2])
    sheets[0] = sheet("e1", {**{key: 2 for key in DECREE_IDS}, "raw-materials": 7})
    sheets[1] = sheet("e2", {**{key: 2 for key in DECREE_IDS}, "human-resources": Decimal("2.5")})
    sheets[2] = sheet("e3", {key: 2 for key in DECREE_IDS}, years=Decimal("4.5"))
    sheets[3] = sheet("e4", {key: 2 for key in DECREE_IDS}, years=None)
    score = score_application(application(sheets=sheets), DECREE)
    _all_findings_filled(score)
    by_code = {finding.code: finding for finding in score.findings}
    off_scale, off_step = by_code["mark_off_scale"], by_code["mark_off_step"]
    assert (off_scale.expert_id, off_scale.sub_criterion_id) == ("e1", "2.1")
    assert "e1" in off_scale.message.en and "7" in off_scale.message.en and "2.1" in off_scale.message.en
    assert off_step.expert_id == "e2" and "2.5" in off_step.message.en and "e2" in off_step.message.en
    insufficient, unknown = by_code["experience_insufficient"], by_code["experience_unknown"]
    assert insufficient.expert_id == "e3" and "4.5" in insufficient.message.en and "e3" in insufficient.message.en
    assert unknown.expert_id == "e4" and "e4" in unknown.message.en


def test_too_few_experts_finding_names_the_count():
    score = score_application(application(sheets=panel(experts=2)), DECREE)
    _all_findings_filled(score)
    assert "2" in score.findings[0].message.en


def test_deviation_is_computed_from_three_experts():
    score = score_application(application(sheets=panel([1, 3, 3], experts=3)), DECREE)
    assert [expert.deviation for expert in score.experts] == [Decimal("2.00"), Decimal("0.00"), Decimal("0.00")]
    two = score_application(application(sheets=panel([1, 3], experts=2)), DECREE)
    assert [expert.deviation for expert in two.experts] == [None, None]
    sheets = panel([1, 3, 3], experts=3)
    sheets[2] = sheet("e3", {key: 3 for key in DECREE_IDS if key != "raw-materials"})
    partial = score_application(application(sheets=sheets), DECREE)
    assert partial.experts[2].deviation == Decimal("0.00")  # its marks elsewhere count; the 2-mark row does not


def test_marks_at_the_ends_of_the_scale_are_counted():
    low = score_application(application(sheets=panel([0, 0, 0, 0, 0])), DECREE)
    high = score_application(application(sheets=panel([5, 5, 5, 5, 5])), DECREE)
    assert (codes(low), codes(high)) == ([], [])
    assert (low.total, high.total) == (Decimal("0.00"), Decimal("100.00"))
    assert {block.mark for block in high.blocks} == {Decimal("5.00")} and {block.share for block in high.blocks} == {1}
    assert {block.mark for block in low.blocks} == {Decimal("0.00")} and {block.share for block in low.blocks} == {0}
    middle = score_application(application(sheets=panel([2, 2, 3, 3, 3])), DECREE)
    assert {block.mark for block in middle.blocks} == {Decimal("2.60")}


_exact_values = st.lists(st.fractions(min_value=-100, max_value=100, max_denominator=1000), min_size=1, max_size=9)


@settings(max_examples=60, deadline=None)
@given(values=_exact_values, weights=_exact_values)
def test_exact_list_arithmetic_equals_one_operation_at_a_time(values: list[Fraction], weights: list[Fraction]) -> None:
    """scoring.config's sums, means, medians and weighted sums over a common denominator give
    exactly what Fraction arithmetic one operation at a time gives."""
    from clusterpolicy.scoring.config import mean_of, median_of, sum_of, weighted_sum

    assert sum_of(values) == sum(values, Fraction(0))
    assert mean_of(values) == sum(values, Fraction(0)) / len(values)
    ordered, middle = sorted(values), len(values) // 2
    assert median_of(values) == (ordered[middle] if len(values) % 2 else (ordered[middle - 1] + ordered[middle]) / 2)
    assert weighted_sum(weights, values) == sum((w * v for w, v in zip(weights, values)), Fraction(0))
    assert sum_of([]) == 0
