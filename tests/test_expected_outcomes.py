"""The shipped examples give the statuses written in examples/expected.yaml, in every language,
and the six real 2017 winners rank above every application that fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from clusterpolicy.evaluation import evaluate_competition
from clusterpolicy.input.loading import load_competition
from clusterpolicy.packs import load_pack
from clusterpolicy.scoring.marks import score_application
from clusterpolicy.scoring.ranking import rank_competition

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = yaml.safe_load((EXAMPLES / "expected.yaml").read_text("utf-8"))
WINNERS = [
    "01-karaganda-construction",
    "02-almaty-furniture",
    "03-south-kazakhstan-pharmaceutical",
    "04-akmola-milk-processing",
    "05-kostanay-flour-milling",
    "06-almaty-tourism",
]
PROVISION = re.compile(r"^(Rules p\.\d+|Criteria \d|Appendix \d)")


@pytest.fixture(scope="module")
def competitions():
    return {folder: load_competition(EXAMPLES / folder) for folder in EXPECTED}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_statuses_match_expected_in_every_language(competitions, folder, lang):
    result = evaluate_competition(competitions[folder], lang=lang)
    statuses = {app.application_id: app.status for app in result.applications}
    assert statuses == {app_id: row["status"] for app_id, row in EXPECTED[folder].items()}
    for app in result.applications:
        for finding in app.results:
            assert PROVISION.match(finding.citation.provision), finding.citation.provision
            if finding.outcome == "failed":
                assert finding.message and "{" not in finding.message


def test_each_failing_example_fails_for_its_stated_reason(competitions):
    reasons = {}
    for folder, competition in competitions.items():
        for app in evaluate_competition(competition).applications:
            reasons[app.application_id] = app.reasons
    assert reasons["08-pavlodar-chemical"] == ["eligibility.unaffiliated-legal-entities"]
    assert reasons["09-almaty-region-fruit-processing"] == ["eligibility.submitted-on-time"]
    assert reasons["10-mangystau-oil-and-gas-services"] == ["documents.stage1-akimat-conclusion", "contents.concept-conditions"]
    assert reasons["11-west-kazakhstan-paints"] == ["eligibility.stage1-applicant-type"]
    assert reasons["12-zhambyl-phosphorus-chemistry"] == ["documents.paper-copy"]
    assert reasons["s2-07-east-kazakhstan-machine-building"] == ["contents.roadmap-activity-elements"]
    assert reasons["s2-08-astana-ict-association"] == ["documents.stage2-akimat-conclusion"]


@pytest.mark.parametrize("pack_id", ["kz-2015-decree-535", "kz-2017-kiri-methodology"])
def test_the_six_winners_rank_above_the_failing_applications(competitions, pack_id):
    competition = competitions["competition-2017"]
    config = load_pack(pack_id).scoring
    scores = [score_application(app, config) for app in competition.applications]
    totals = {score.application_id: score.total for score in scores}
    failing = [app_id for app_id, row in EXPECTED["competition-2017"].items() if row["status"] != "admitted"]
    assert min(totals[w] for w in WINNERS) > max(totals[f] for f in failing)

    result = evaluate_competition(competition)
    compliant = [app.application_id for app in result.applications if app.status == "admitted"]
    outcome = rank_competition(scores, minimum_score=competition.minimum_score, compliant_ids=compliant, config=config)
    assert outcome.status == "held"
    assert {r.application_id for r in outcome.ranking[:6]} == set(WINNERS)
    assert all(r.admitted for r in outcome.ranking[:6])
