"""The rules engine on the Decree 535 pack: every rule passes on a complete application and
fails on the smallest change that breaks it; unknown data gives unknown, never a guess."""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest

from clusterpolicy.engine import Condition, evaluate, evaluate_competition
from clusterpolicy.models import Application
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, break_rule, breakers, valid_application, valid_competition

PACK = load_pack("kz-2015-decree-535")


@pytest.fixture(scope="module")
def competitions():
    return {1: valid_competition(1), 2: valid_competition(2)}


@pytest.mark.parametrize("stage", [1, 2])
def test_complete_application_is_admitted(stage, competitions):
    result = evaluate(valid_application(stage), competition=competitions[stage])
    assert result.status == "admitted"
    assert result.reasons == []
    assert {r.outcome for r in result.results} == {"passed", "not_applicable"}


def test_every_rule_has_a_breaker():
    assert sorted(breakers()) == sorted(rule.id for rule in PACK.rules)


@pytest.mark.parametrize("rule_id", sorted(breakers()))
def test_breaking_a_rule_fails_that_rule_only(rule_id, competitions):
    stage = breakers()[rule_id][0]
    result = evaluate(break_rule(rule_id), competition=competitions[stage])
    not_passing = {r.rule_id: r.outcome for r in result.results if r.outcome not in ("passed", "not_applicable")}
    assert not_passing == {rule_id: "failed"}
    failed = next(r for r in result.results if r.rule_id == rule_id)
    assert failed.message and "{" not in failed.message
    expected_status = {"disqualifying": "not_accepted", "return": "returned"}.get(failed.severity, "admitted")
    assert result.status == expected_status
    assert result.reasons == ([rule_id] if expected_status != "admitted" else [])


def test_returned_status_cites_p16_at_stage1_and_p32_at_stage2(competitions):
    assert evaluate(break_rule("documents.stage1-concept"), competition=competitions[1]).status_citation == "Rules p.16"
    assert evaluate(break_rule("documents.stage2-roadmap"), competition=competitions[2]).status_citation == "Rules p.32"
    assert evaluate(break_rule("eligibility.submitted-on-time"), competition=competitions[1]).status_citation == "Rules p.13"


def test_not_stated_gives_unknown_and_undetermined_status(competitions):
    data = application_data(1)
    del data["concept"]["conditions"]["raw_materials"]
    result = evaluate(Application.model_validate(data), competition=competitions[1])
    finding = next(r for r in result.results if r.rule_id == "contents.concept-conditions")
    assert finding.outcome == "unknown"
    assert finding.observed["not_stated"] == ["raw_materials"]
    assert "raw_materials" in finding.message
    assert result.status == "undetermined"
    assert result.reasons == ["contents.concept-conditions"]


def test_a_failure_outweighs_an_unknown(competitions):
    data = application_data(1)
    del data["concept"]["conditions"]["raw_materials"]
    data["submission_format"]["electronic_copy"] = False
    result = evaluate(Application.model_validate(data), competition=competitions[1])
    assert result.status == "returned"
    assert result.reasons == ["documents.electronic-copy"]


def test_without_a_competition_the_deadline_is_unknown():
    result = evaluate(valid_application(1), pack="kz-2015-decree-535")
    finding = next(r for r in result.results if r.rule_id == "eligibility.submitted-on-time")
    assert finding.outcome == "unknown"
    assert result.status == "undetermined"


def test_late_submission_is_not_accepted_with_the_delay(competitions):
    result = evaluate(break_rule("eligibility.submitted-on-time"), competition=competitions[1])
    finding = next(r for r in result.results if r.rule_id == "eligibility.submitted-on-time")
    assert finding.observed["late_by"] == "1:30:00"
    assert result.status == "not_accepted"


def test_submission_exactly_at_the_close_is_on_time(competitions):
    data = application_data(1)
    data["submitted_at"] = "2017-06-08T18:00:00+06:00"
    result = evaluate(Application.model_validate(data), competition=competitions[1])
    assert result.outcome("eligibility.submitted-on-time") == "passed"


def test_stage2_akimat_conclusion_only_for_those_who_skipped_stage1(competitions):
    data = application_data(2)
    data["took_part_in_stage1"] = None
    result = evaluate(Application.model_validate(data), competition=competitions[2])
    assert result.outcome("documents.stage2-akimat-conclusion") == "unknown"
    data["took_part_in_stage1"] = False
    data["documents"].append({"kind": "akimat_conclusion"})
    result = evaluate(Application.model_validate(data), competition=competitions[2])
    assert result.outcome("documents.stage2-akimat-conclusion") == "passed"


def test_affiliation_count_and_groups_are_in_the_result(competitions):
    result = evaluate(break_rule("eligibility.unaffiliated-legal-entities"), competition=competitions[1])
    finding = next(r for r in result.results if r.rule_id == "eligibility.unaffiliated-legal-entities")
    assert finding.observed["count"] == 1
    assert finding.observed["minimum"] == 10
    assert finding.parameters == {
        "affiliation_grouping": "connected_components",
        "include_shared_officials": True,
        "min_unaffiliated_legal_entities": 10,
        "ownership_threshold_percent": 10,
    }
    assert len(finding.observed["affiliation"]["groups"]) == 1


def test_roadmap_elements_name_the_activity_and_element(competitions):
    result = evaluate(break_rule("contents.roadmap-activity-elements"), competition=competitions[2])
    finding = next(r for r in result.results if r.rule_id == "contents.roadmap-activity-elements")
    assert finding.observed["incomplete"] == {"a01": ["target_group"]}
    assert "a01: target_group" in finding.message


@pytest.mark.parametrize(
    ("lang", "fragment"),
    [("kk", "электрондық"), ("ru", "электронном"), ("en", "electronic copy")],
)
def test_messages_in_three_languages(lang, fragment, competitions):
    result = evaluate(break_rule("documents.electronic-copy"), competition=competitions[1], lang=lang)
    finding = next(r for r in result.results if r.rule_id == "documents.electronic-copy")
    assert fragment in finding.message
    assert result.language == lang


def test_evaluation_does_not_modify_its_input(competitions):
    application = valid_application(1)
    before = application.model_dump()
    evaluate(application, competition=competitions[1])
    assert application.model_dump() == before


def test_json_is_stable_and_versioned(competitions):
    first = evaluate(valid_application(2), competition=competitions[2]).to_json()
    second = evaluate(valid_application(2), competition=competitions[2]).to_json()
    assert first == second
    assert '"format_version": "1.0"' in first
    assert '"id": "kz-2015-decree-535"' in first


def test_json_is_identical_across_processes_with_different_hash_seeds(tmp_path):
    script = (
        "from clusterpolicy.engine import evaluate\n"
        "from clusterpolicy.testing import break_rule, valid_competition\n"
        "print(evaluate(break_rule('eligibility.unaffiliated-legal-entities'), competition=valid_competition(1), lang='kk').to_json())\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=True).stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0]


def test_competition_evaluation_under_the_competition_pack():
    competition = valid_competition(1).model_copy(update={"applications": [valid_application(1), break_rule("documents.paper-copy")]})
    result = evaluate_competition(competition)
    assert [a.status for a in result.applications] == ["admitted", "returned"]
    assert result.pack.id == "kz-2015-decree-535"
    assert result.warnings == ["pack kz-2015-decree-535 was repealed by Government Decree No. 73 of 18 February 2016 on 2016-02-18, before 2017-04-10"]


class TestConditions:
    def test_field_equals(self):
        condition = Condition.model_validate({"field": "stage", "equals": 1})
        assert condition.evaluate({"stage": 1}) is True
        assert condition.evaluate({"stage": 2}) is False
        assert condition.evaluate({"stage": None}) is None

    def test_any_is_true_when_one_is_true_even_if_another_is_unknown(self):
        condition = Condition.model_validate({"any": [{"field": "a", "equals": 1}, {"field": "b", "equals": 1}]})
        assert condition.evaluate({"a": None, "b": 1}) is True
        assert condition.evaluate({"a": None, "b": 2}) is None
        assert condition.evaluate({"a": 2, "b": 2}) is False

    def test_all_is_false_when_one_is_false_even_if_another_is_unknown(self):
        condition = Condition.model_validate({"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": 1}]})
        assert condition.evaluate({"a": None, "b": 2}) is False
        assert condition.evaluate({"a": None, "b": 1}) is None
        assert condition.evaluate({"a": 1, "b": 1}) is True

    def test_not_and_in_and_stated(self):
        assert Condition.model_validate({"not": {"field": "a", "in": [1, 2]}}).evaluate({"a": 3}) is True
        assert Condition.model_validate({"field": "a", "stated": True}).evaluate({"a": None}) is False
        assert Condition.model_validate({"field": "a", "stated": False}).evaluate({"a": None}) is True

    def test_a_condition_has_one_form(self):
        with pytest.raises(ValueError):
            Condition.model_validate({"field": "a", "equals": 1, "in": [1]})
        with pytest.raises(ValueError):
            Condition.model_validate({"field": "a", "all": []})


def test_breakers_do_not_share_state():
    first = copy.deepcopy(application_data(1))
    break_rule("documents.paper-copy")
    assert application_data(1) == first
