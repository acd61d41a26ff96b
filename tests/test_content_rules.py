"""The contents of the documents that issue 17 encoded: the participant cards of Appendix 2 §7,
the akimat's conclusion of Appendix 3, the signatory of Appendices 1 and 4, the sheets of p.11,
and the parameters that carry the choices (docs/choices.md). Each rule also has YAML cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_pack_into

from clusterpolicy.core.errors import RulePackError
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.decree535_form import Application, Binding
from clusterpolicy.packs import load_pack, load_pack_from
from clusterpolicy.testing import application_data, valid_application, valid_competition

ALMATY = dt.timezone(dt.timedelta(hours=6))
ROOT = Path(__file__).resolve().parents[1]
PACK_ID = "kz-2015-decree-535"


def pack_with(tmp_path: Path, name: str, value: str):
    """A copy of the shipped pack whose parameter ``name`` has ``value`` (YAML, as written)."""
    folder = copy_pack_into(tmp_path)
    path = folder / "pack.yaml"
    text = path.read_text("utf-8")
    head, _, rest = text.partition(f"\n  {name}:\n    value: ")
    assert rest, name
    path.write_text(f"{head}\n  {name}:\n    value: {value}\n" + rest.split("\n", 1)[1], "utf-8")
    return load_pack_from(folder)


def outcome(application: Application, rule_id: str, pack=PACK_ID):
    result = evaluate(application, competition=valid_competition(application.stage), pack=pack)
    return result, next(r for r in result.results if r.rule_id == rule_id)


# --------------------------------------------------------------------------- Appendix 2 §7


def test_card_years_default_to_the_four_years_whose_figures_were_due_before_registration():
    _, found = outcome(valid_application(1), "contents.participant-cards-filled")
    assert found.outcome == "passed"
    assert found.observed["years"] == [2013, 2014, 2015, 2016]  # registered on 1 June 2017, after 31 March
    assert found.parameters == {"participant_card_years": 4, "participant_card_figures_due": "03-31"}
    february = valid_application(1).model_copy(update={"submitted_at": dt.datetime(2017, 2, 1, 10, tzinfo=ALMATY)})
    _, found = outcome(february, "contents.participant-cards-filled")
    assert found.outcome == "passed" and found.observed["years"] == [2012, 2013, 2014, 2015]  # 2016 is not due yet


def test_card_years_every_ended_year_is_the_other_reading(tmp_path):
    every_year = pack_with(tmp_path, "participant_card_figures_due", '"01-01"')
    february = valid_application(1).model_copy(update={"submitted_at": dt.datetime(2017, 2, 1, 10, tzinfo=ALMATY)})
    _, found = outcome(february, "contents.participant-cards-filled", every_year)
    assert found.observed["years"] == [2013, 2014, 2015, 2016]


def test_a_wrong_due_day_stops_the_pack_with_its_line(tmp_path):
    with pytest.raises(RulePackError) as caught:
        pack_with(tmp_path, "participant_card_figures_due", '"02-30"')
    assert "a day of the year MM-DD" in str(caught.value) and "contents.yaml" in str(caught.value)


def test_card_years_as_printed_on_the_form(tmp_path):
    printed = pack_with(tmp_path, "participant_card_years", "[2010, 2011, 2012, 2013]")
    _, found = outcome(valid_application(1), "contents.participant-cards-filled", printed)
    assert found.outcome == "failed"
    assert found.observed["years"] == [2010, 2011, 2012, 2013]
    assert found.observed["lacking"]["p01"] == ["2010", "2011"]  # founded 2001; the cards give 2012-2016
    assert "p11" not in found.observed["lacking"]  # founded 2011: 2012 and 2013 are there


def test_a_card_with_only_a_name_and_a_bin_fails():
    data = application_data(1)
    first = data["participants"][0]
    data["participants"][0] = {key: first[key] for key in ("id", "name", "bin", "legal_status", "kind")}
    result, found = outcome(Application.model_validate(data), "contents.participant-cards-filled")
    assert found.outcome == "failed" and result.status == "returned"
    assert found.observed["lacking"] == {
        "p01": ["address", "capital_country", "founded", "main_clients", "domestic", "responsible_person",
                "contacts", "activity_codes", "2013", "2014", "2015", "2016"]
    }
    assert "2013 жылғы көрсеткіштер" in evaluate(Application.model_validate(data), competition=valid_competition(1), lang="kk").results[
        [r.rule_id for r in result.results].index("contents.participant-cards-filled")].message


def test_a_year_column_needs_all_seven_indicators():
    data = application_data(1)
    del data["participants"][3]["indicators"][4]["rd_spending"]  # 2016
    _, found = outcome(Application.model_validate(data), "contents.participant-cards-filled")
    assert found.observed["lacking"] == {"p04": ["2016"]}


def test_a_wrong_year_parameter_stops_the_pack_with_its_line(tmp_path):
    with pytest.raises(RulePackError) as caught:
        pack_with(tmp_path, "participant_card_years", "four")
    assert "a number of years" in str(caught.value) and "contents.yaml" in str(caught.value)


# --------------------------------------------------------------------------- Appendix 3


def test_an_absence_of_participants_informs_only_under_the_other_reading(tmp_path):
    data = application_data(1)
    data["akimat_conclusion"]["participants_confirmed"] = False
    application = Application.model_validate(data)
    result, found = outcome(application, "eligibility.akimat-confirms-participants")
    assert (found.outcome, result.status) == ("failed", "returned")
    informing = pack_with(tmp_path, "akimat_participant_findings", "[true, false]")
    result, found = outcome(application, "eligibility.akimat-confirms-participants", informing)
    assert (found.outcome, result.status) == ("passed", "admitted")


def test_the_akimat_table_matches_by_bin_before_the_name():
    data = application_data(1)
    data["akimat_conclusion"]["participants"][0]["name"] = "«Қазақ Өнім 1» ЖШС"  # another spelling, the same BIN
    _, found = outcome(Application.model_validate(data), "documents.akimat-lists-participants")
    assert found.outcome == "passed"
    del data["akimat_conclusion"]["participants"][0]["bin"]  # the same entity by its name (issue 23 a)
    _, found = outcome(Application.model_validate(data), "documents.akimat-lists-participants")
    assert found.outcome == "passed"
    data["akimat_conclusion"]["participants"][0]["name"] = "«Kazakh Onim 1» LLP"  # a transliteration is not guessed
    result, found = outcome(Application.model_validate(data), "documents.akimat-lists-participants")
    assert (found.outcome, found.severity, result.status) == ("failed", "warning", "admitted")
    assert (found.observed["not_listed"], found.observed["unmatched_rows"]) == (["ТОО «Қазақ Өнім 1»"], ["«Kazakh Onim 1» LLP"])


def test_an_individual_entrepreneur_need_not_be_in_the_akimat_table():
    data = application_data(1)
    data["participants"][11].update(legal_status="individual_entrepreneur", bin=None, iin="640513399635")
    data["akimat_conclusion"]["participants"].pop(11)
    _, found = outcome(Application.model_validate(data), "documents.akimat-lists-participants")
    assert (found.outcome, found.observed["checked"]) == ("passed", 11)


def test_an_akimat_conclusion_of_version_0_1_is_undetermined_not_returned():
    data = application_data(1)
    for key in ("level", "region", "cluster_name"):
        del data["akimat_conclusion"][key]
    result = evaluate(Application.model_validate(data), competition=valid_competition(1))
    assert result.status == "undetermined"
    assert result.reasons == ["documents.akimat-conclusion-level", "documents.akimat-conclusion-region", "documents.akimat-conclusion-names-cluster"]


# --------------------------------------------------------------------------- Appendices 1, 4; p.11


def test_a_signatory_written_as_one_text_is_its_full_name():
    data = application_data(2)
    data["applicant"]["signatory"] = "Бекова Сәуле Маратқызы, директор"
    application = Application.model_validate(data)
    assert application.applicant.signatory.full_name == "Бекова Сәуле Маратқызы, директор"
    assert application.applicant.signatory.position is None
    result, found = outcome(application, "documents.signatory")
    assert (found.outcome, result.status) == ("unknown", "undetermined")


def test_a_volume_counts_sheets_and_reads_pages_of_version_0_1_as_sheets():
    binding = Binding.model_validate({"volumes": [{"number": 1, "pages": 57}, {"number": 2, "sheets": 5}]})
    assert [volume.sheets for volume in binding.volumes] == [57, 5]
    assert "pages" not in binding.model_dump()["volumes"][0]


def test_several_volumes_pass_on_their_sheet_counts_alone():
    data = application_data(1)
    data["binding"] = {"volumes": [{"number": 1, "sheets": 120}, {"number": 2, "sheets": 64}],
                       "sheets_numbered": True, "inventory_bound_first": True, "inventory_lists_pages": True}
    _, found = outcome(Application.model_validate(data), "documents.volume-pages-listed")
    assert found.outcome == "passed"
    data["binding"]["volumes"][1]["sheets"] = None
    _, found = outcome(Application.model_validate(data), "documents.volume-pages-listed")
    assert (found.outcome, found.observed["lacking"]) == ("failed", {"2": ["sheets"]})


def test_the_shipped_pack_names_the_strategies_the_roadmap_covers():
    assert load_pack(PACK_ID).parameter("roadmap_strategy_categories") == [
        "market_strategy", "innovation_strategy", "human_resources_strategy",
        "international_cooperation_strategy", "management_and_development_strategy",
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("contents.yaml", "address: [address.street,", "address: [address.stret,", "did you mean 'address.street'"),
        ("contents.yaml", "yearly_fields: [turnover,", "yearly_fields: [turnovr,", "did you mean 'turnover'"),
        ("documents.yaml", "among: akimat_participants", "among: akimat_participant", "does not resolve"),
        ("documents.yaml", "other: cluster_name", "other: cluster_nam", "did you mean 'cluster_name'"),
        ("pack.yaml", "value: [market_strategy, innovation_strategy,", "value: [market_strategi, innovation_strategy,", "did you mean 'market_strategy'"),
    ],
)
def test_a_misspelt_path_or_value_of_the_new_kinds_stops_the_pack(tmp_path, file, old, new, expected):
    folder = copy_pack_into(tmp_path)
    path = folder / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(RulePackError) as caught:
        load_pack_from(folder)
    assert expected in str(caught.value)
