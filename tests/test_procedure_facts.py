"""Two facts of the act are pack data in ``procedure.yaml``, not code: which rules judge a
withdrawal (``withdrawal.judged_by``), and which document registers an application at each stage
(``stages.N.registration_document``). Both shipped packs have them (the methodology inherits them);
a misspelt one stops the pack from loading, with the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterpolicy.competition import run_competition, withdrawals
from clusterpolicy.core.errors import RulePackError
from clusterpolicy.evaluation import evaluate, evaluate_competition
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.packs import available_packs, load_pack, load_pack_from
from clusterpolicy.testing import application_data, competition_data

DECREE = "kz-2015-decree-535"


@pytest.mark.parametrize("pack_id", sorted(available_packs()))
def test_both_shipped_packs_state_both_facts(pack_id):
    procedure = load_pack(pack_id).procedure
    assert procedure.withdrawal.judged_by == ["eligibility.withdrawal-before-close"]
    documents = {1: "application_form_stage1", 2: "application_form_stage2"}
    # the methodology has one selection (issue 23): its stage 1 only
    assert {stage: procedure.registration_document(stage) for stage in procedure.stages} == {
        stage: documents[stage] for stage in procedure.stages
    }
    assert sorted(procedure.stages) == ([1] if pack_id == "kz-2017-kiri-methodology" else [1, 2])
    assert procedure.registration_document(3) is None


def _withdrawn_competition() -> Competition:
    header = competition_data(1)
    data = application_data(1)
    data["id"] = "gone"
    data["withdrawal"] = {"at": "2017-06-12", "reasons": "Қаржыландыру жоқ"}  # after the close: not a p.10 withdrawal
    header["applications"] = [data]
    return Competition.model_validate(header)


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "procedure.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_withdrawal_rules_are_the_packs(decree_copy):
    competition = _withdrawn_competition()
    shipped = load_pack(DECREE)
    assert withdrawals(competition, evaluate_competition(competition, pack=shipped), shipped) == (set(), set())
    _edit(decree_copy, "judged_by: [eligibility.withdrawal-before-close]", "judged_by: []")
    silent = load_pack_from(decree_copy)
    # a pack that names no rule takes every withdrawal as made, whatever the time
    assert withdrawals(competition, evaluate_competition(competition, pack=silent), silent) == ({"gone"}, set())
    assert run_competition(competition, pack=silent).outcome.withdrawn_ids == ["gone"]


def test_the_registering_document_is_the_packs(decree_copy):
    data = application_data(1)
    form = next(document for document in data["documents"] if document["kind"] == "application_form_stage1")
    form.update({"registration_number": "R-17", "date": "2017-06-01"})
    competition = Competition.model_validate({**competition_data(1), "applications": [data]})
    application = competition.applications[0]
    assert evaluate(application, competition=competition, pack=DECREE).registration_number == "R-17"
    _edit(decree_copy, "registration_document: application_form_stage1", "registration_document: concept")
    other = evaluate(application, competition=competition, pack=load_pack_from(decree_copy))
    concept = application.document("concept")
    assert (other.registration_number, other.registration_date) == (concept.registration_number, concept.date) != ("R-17", None)


@pytest.mark.parametrize(
    "old, new, path, message",
    [
        ("judged_by: [eligibility.withdrawal-before-close]", "judged_by: [eligibility.withdrawal-before-clos]",
         ("withdrawal", "judged_by", 0), "did you mean 'eligibility.withdrawal-before-close'"),
        ("registration_document: application_form_stage2", "registration_document: application_form_stage3",
         ("stages", 2, "registration_document"), "not a document kind"),
    ],
)
def test_a_misspelt_fact_is_a_located_error(decree_copy, old, new, path, message):
    _edit(decree_copy, old, new)
    with pytest.raises(RulePackError) as caught:
        load_pack_from(decree_copy)
    error = caught.value
    assert message in str(error)
    assert error.location.file.endswith("procedure.yaml") and error.location.line is not None
    assert tuple(error.location.path) == path
