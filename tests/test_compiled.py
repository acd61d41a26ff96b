"""The compiled engine (issue 26) gives what the rules as written give.

Rules are compiled once per rule object (``Rule.compiled``, ``CheckBase.compiled``,
``Condition.on_item``/``on_context``/``verdicts``): paths resolved to accessors, the collection
kinds' loops read in C with a field-by-field path for anything the fast test does not settle.
These tests hold the compiled forms to the definitions: the conditions to ``Condition.evaluated``,
the collection kinds to their field-by-field readings, on items with every kind of gap; and the
results the engine makes without validating them again (``core.base.made``) to the models
validation gives for the same values.
"""

from __future__ import annotations

import copy
import pickle
import random

import pytest

from clusterpolicy.checks.fields import COMPILED, Condition, Context
from clusterpolicy.checks.params import Params
from clusterpolicy.checks.results import ApplicationResult, RuleResult
from clusterpolicy.core.base import made
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

PACK = load_pack("kz-2015-decree-535")
BY_ID = {rule.id: rule for rule in PACK.rules}

GAPS = [None, "", [], {}, 0, False, "x", True]
"""Values put in place of a field: not stated (None and the empty ones), stated but false, stated."""


def _damaged(stage: int, seed: int) -> dict:
    """An application whose participants and roadmap activities have random gaps."""
    rng = random.Random(seed)
    data = application_data(stage, participants=12, activities=8)
    for participant in data["participants"]:
        for key, gaps in (("capital_country", [None, ""]), ("founded", [None]), ("main_clients", [[]]), ("domestic", [None, False]),
                          ("legal_status", ["branch"])):
            if rng.random() < 0.15:
                participant[key] = rng.choice(gaps)
        if rng.random() < 0.2:
            participant.pop("address", None)
        if rng.random() < 0.2 and participant.get("responsible_person"):
            participant["responsible_person"]["email"] = rng.choice([None, ""])
        if rng.random() < 0.3 and participant.get("indicators"):
            row = rng.choice(participant["indicators"])
            row[rng.choice(["turnover", "exports", "rd_spending"])] = rng.choice([None, 0, "0"])
        if rng.random() < 0.15 and participant.get("indicators"):
            participant["indicators"].pop(0)
    for activity in (data.get("roadmap") or {}).get("activities", []):
        for key in ("concept", "executors", "target_group", "interim_results"):
            if rng.random() < 0.15:
                activity[key] = [] if key == "executors" else rng.choice([None, ""])
    return data


def _validated(data: dict) -> Application | None:
    from pydantic import ValidationError

    try:
        return Application.model_validate(data)
    except ValidationError:  # a gap the form refuses: not an application to judge
        return None


def _applications():
    found = []
    for stage in (1, 2):
        for seed in range(25):
            application = _validated(_damaged(stage, seed))
            if application is not None:
                found.append((stage, application))
    assert len(found) > 20
    return found


APPLICATIONS = _applications()


def test_each_item_complete_compiled_is_its_field_by_field_reading():
    rule = BY_ID["contents.participant-cards-filled"]
    check = rule.check
    seen_lacking = 0
    for stage, application in APPLICATIONS:
        context = Context(application, Competition.model_validate(competition_data(stage)))
        verdict = check.run(context, Params(PACK))
        years = check.required_years(context, Params(PACK))
        expected = {}
        for index, item in enumerate(application.participants):
            missing = check._missing(item, years)
            if missing:
                expected[str(getattr(item, "id", None) or getattr(item, "number", None) or index)] = missing
        assert verdict.observed["lacking"] == expected
        assert verdict.outcome == ("failed" if expected else "passed")
        assert check.compiled().outcome(context, Params(PACK)) == verdict.outcome
        seen_lacking += bool(expected)
    assert seen_lacking  # the gaps reached the field-by-field path


def test_each_item_has_compiled_is_its_field_by_field_reading():
    check = BY_ID["contents.roadmap-activity-elements"].check
    seen = 0
    for stage, application in APPLICATIONS:
        if stage != 2 or application.roadmap is None:
            continue
        context = Context(application)
        verdict = check.run(context, Params(PACK))
        assert verdict.observed["incomplete"] == check._incomplete(application.roadmap.activities)
        assert check.compiled().outcome(context, Params(PACK)) == verdict.outcome
        seen += verdict.outcome == "failed"
    assert seen


@pytest.mark.parametrize("where", [
    {"all": [{"field": "legal_status", "equals": "legal_entity"}, {"field": "domestic", "equals": True}]},
    {"any": [{"field": "legal_status", "equals": "legal_entity"}, {"not": {"field": "domestic", "equals": True}}]},
    {"all": [{"field": "capital_country", "in": ["KZ", "RU"]}, {"field": "founded", "stated": True}]},
])
def test_a_where_compiled_is_the_condition_as_written(where):
    condition = Condition.model_validate(where)
    for _, application in APPLICATIONS:
        items = application.participants + [{"legal_status": "legal_entity", "domestic": True}, {"domestic": None}]
        expected = [condition.evaluated(item) for item in items]
        assert [condition.evaluate(item) for item in items] == expected
        assert condition.verdicts()(items) == expected


def test_every_rule_compiled_gives_the_outcome_of_its_verdict():
    for stage, application in APPLICATIONS:
        context = Context(application, Competition.model_validate(competition_data(stage)))
        for rule in PACK.rules:
            if stage not in rule.stages:
                continue
            compiled = rule.compiled()
            when = compiled.when(context) if compiled.when is not None else True
            assert when == (rule.when.evaluated(context) if rule.when is not None else True), rule.id
            if when is not True:
                continue
            assert compiled.outcome(context, Params(PACK)) == compiled.verdict(context, Params(PACK)).outcome, rule.id


def test_results_made_without_validation_are_the_validated_models():
    for stage, application in APPLICATIONS[::4]:
        result = evaluate(application, competition=Competition.model_validate(competition_data(stage)), pack=PACK)
        for rule_result in result.results:
            assert RuleResult(**rule_result.__dict__) == rule_result
        fields = {name: value for name, value in result.__dict__.items() if name != "decision_record"}
        again = ApplicationResult(**fields, decision_record=result.decision_record)
        assert again == result
        assert again.to_json() == result.to_json()
    with pytest.raises(AttributeError):
        made(RuleResult, {"rule_id": "x"})


def test_the_compiled_form_stays_with_its_object_and_out_of_its_copies():
    rule = PACK.rules[0]
    compiled = rule.compiled()
    assert rule.compiled() is compiled
    assert rule == rule.model_copy() and rule.model_copy() == rule
    changed = rule.model_copy(update={"stages": [2]})
    assert changed.compiled() is not compiled and changed.compiled().stages == [2]
    assert rule.compiled().stages == rule.stages
    assert copy.deepcopy(rule) == rule
    again = pickle.loads(pickle.dumps(rule))
    assert again == rule and again.compiled().stages == rule.stages
    assert COMPILED not in rule.model_dump() and COMPILED not in rule.model_dump_json()


def test_a_fresh_result_and_its_record_hold_no_cycle_and_the_record_alone_keeps_its_digest():
    import gc
    import json
    import weakref

    from clusterpolicy.core.record import document_digest

    application = APPLICATIONS[0][1]
    competition = Competition.model_validate(competition_data(APPLICATIONS[0][0]))
    result = evaluate(application, competition=competition, pack=PACK)
    expected = json.loads(evaluate(application, competition=competition, pack=PACK).to_json())
    record, gone = result.decision_record, weakref.ref(result)
    collecting = gc.isenabled()
    gc.disable()
    try:
        del result
        assert gone() is None  # freed by reference counting, not left to the collector
    finally:
        if collecting:
            gc.enable()
    assert record.digest == expected["decision_record"]["digest"] == document_digest(expected)


def test_the_competition_report_made_without_validation_is_the_validated_model():
    from pathlib import Path

    from clusterpolicy.competition import CompetitionReport, run_competition
    from clusterpolicy.input import loading

    competition = loading.load_competition(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
    report = run_competition(competition)
    fields = {name: value for name, value in report.__dict__.items() if name != "decision_record"}
    again = CompetitionReport(**fields, decision_record=report.decision_record)
    assert report.input_competition is competition and again.input_competition is None
    again._input = competition
    assert again == report
    assert again.to_json() == report.to_json()


@pytest.mark.parametrize(
    ("kind", "elements"),
    [
        ("each_item_has", {"concept": ["concept"], "budget": []}),
        ("each_item_complete", {"concept": ["concept"], "budget": []}),
    ],
)
def test_an_element_of_no_fields_is_refused_when_the_check_is_read(kind, elements):
    """An element named without a field (a pack's ``concept: []``) is an error where the check is
    read, not an IndexError where it is first compiled; one field is enough."""
    from pydantic import TypeAdapter, ValidationError

    from clusterpolicy.checks.kinds import Check

    adapter = TypeAdapter(Check)
    check = {"kind": kind, "collection": "projects", "elements": elements}
    with pytest.raises(ValidationError, match="budget"):
        adapter.validate_python(check)
    check["elements"] = {name: fields or ["budget"] for name, fields in elements.items()}
    assert adapter.validate_python(check).elements == check["elements"]
