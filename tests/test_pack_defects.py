"""Defects of issue 21 (items 5 and 6): stage numbers from the pack, a sibling parent loaded once,
``PackRef.act`` in the result's language, regions by date, and the law page in the act's language.
Each test failed before its fix."""

from __future__ import annotations

import dataclasses
import re

import pytest

from clusterpolicy.authoring import lawdoc
from clusterpolicy.core.errors import InputError, RulePackError
from clusterpolicy.evaluation import evaluate, evaluate_competition
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.input.loading import load_application
from clusterpolicy.packs import finding, load_pack, load_pack_from
from clusterpolicy.testing import application_data, competition_data, valid_competition

DECREE = "kz-2015-decree-535"
METHODOLOGY = "kz-2017-kiri-methodology"


# --------------------------------------------------------------------------- stage numbers


def test_an_application_at_a_stage_the_act_does_not_have_is_a_located_error():
    data = application_data(1)
    data["stage"] = 3
    with pytest.raises(InputError, match=r"stage 3 is not a stage of the act of pack kz-2015-decree-535 \(its stages: 1, 2\)") as caught:
        evaluate(Application.model_validate(data), pack=DECREE)
    assert caught.value.code == "unknown_stage" and caught.value.location.path == ("stage",)


def test_a_competition_at_a_stage_the_act_does_not_have_names_the_field():
    data = competition_data(1)
    data["stage"] = 4
    with pytest.raises(InputError, match="stage 4 is not a stage") as caught:
        evaluate_competition(Competition.model_validate(data), pack=DECREE)
    assert caught.value.location.path == ("stage",)


def test_both_stages_of_the_act_still_evaluate():
    for stage in (1, 2):
        result = evaluate(Application.model_validate(application_data(stage)), competition=valid_competition(stage), pack=DECREE)
        assert result.stage == stage and result.status == "admitted"


def test_stage_zero_is_refused_when_read():
    data = application_data(1)
    data["stage"] = 0
    with pytest.raises(Exception, match="greater than or equal to 1"):
        Application.model_validate(data)


def test_a_rule_at_a_stage_the_procedure_does_not_have_is_refused_at_its_line(decree_copy):
    path = decree_copy / "contents.yaml"
    text = path.read_text("utf-8")
    first = re.search(r"^    stages: \[1\]$", text, re.M)
    assert first is not None
    line = text[: first.start()].count("\n") + 1
    path.write_text(text[: first.start()] + "    stages: [1, 3]" + text[first.end() :], "utf-8")
    with pytest.raises(RulePackError, match=r"applies at stage 3, which is not a stage of procedure.yaml \(its stages: 1, 2\)") as caught:
        load_pack_from(decree_copy)
    assert caught.value.code == "unknown_stage"
    assert caught.value.location.file.endswith("contents.yaml") and caught.value.location.line <= line


def test_a_stage_parameter_naming_a_stage_the_procedure_does_not_have_is_refused(decree_copy):
    path = decree_copy / "pack.yaml"
    text = path.read_text("utf-8")
    assert "  criteria_1_1_stages:\n    value: [1]\n" in text
    path.write_text(text.replace("  criteria_1_1_stages:\n    value: [1]\n", "  criteria_1_1_stages:\n    value: [2, 5]\n"), "utf-8")
    with pytest.raises(RulePackError, match=r"stage 5 \(from parameter 'criteria_1_1_stages'\)") as caught:
        load_pack_from(decree_copy)
    assert caught.value.location.file.endswith("eligibility.yaml")


# --------------------------------------------------------------------------- a sibling parent


def test_a_folder_pack_extending_a_sibling_folder_loads_it_once(copy_pack, monkeypatch):
    copy_pack(DECREE, cases=False)
    child = copy_pack(METHODOLOGY, cases=False)
    loaded = []
    original = finding.load_pack_from

    def counting(folder):
        loaded.append(str(folder))
        return original(folder)

    monkeypatch.setattr(finding, "load_pack_from", counting)
    pack = original(child)
    assert [name.rsplit("/", 1)[-1] for name in loaded] == [DECREE]
    assert pack.procedure is not None and sorted(pack.procedure.stages) == [1]  # the methodology's one selection


# --------------------------------------------------------------------------- PackRef.act


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_result_names_the_act_in_its_language(lang):
    pack = load_pack(DECREE)
    result = evaluate_competition(valid_competition(1), pack=pack, lang=lang)
    act = pack.header.act
    expected = act.title.get(lang) if lang != "en" else f"{act.kind} No. {act.number} of {act.adopted.isoformat()}"
    assert result.pack.act == expected
    assert f'"act": "{expected}"' in result.to_json()
    if lang != "en":
        assert "Government Decree" not in result.pack.act


# --------------------------------------------------------------------------- regions by date


def _application(region: str, submitted_at: str, **conclusion: object) -> dict:
    data = application_data(1)
    data["region"] = region
    data["submitted_at"] = submitted_at
    data["akimat_conclusion"] = {**data["akimat_conclusion"], "region": region, **conclusion}
    return data


def test_a_region_formed_later_is_a_located_error(tmp_path):
    import yaml

    file = tmp_path / "app.yaml"
    file.write_text(yaml.safe_dump(_application("turkestan", "2017-06-01T10:00:00+06:00", date="2017-05-19"), allow_unicode=True), "utf-8")
    with pytest.raises(InputError, match=r"turkestan \(Turkestan region\) did not exist yet on 2017-06-01: it exists from 2018-06-19") as caught:
        load_application(file)
    region_line = next(i for i, line in enumerate(file.read_text("utf-8").splitlines(), 1) if line.startswith("region:"))
    assert caught.value.location.line == region_line and caught.value.location.path == ("region",)


def test_a_region_that_had_ceased_is_a_located_error():
    with pytest.raises(Exception, match=r"south-kazakhstan \(South Kazakhstan region\) no longer existed on 2019-03-01: it existed until 2018-06-18"):
        Application.model_validate(_application("south-kazakhstan", "2019-03-01T10:00:00+06:00", date="2019-02-20"))


def test_regions_that_existed_on_the_day_pass():
    Application.model_validate(_application("south-kazakhstan", "2017-06-01T10:00:00+06:00", date="2017-05-19"))
    Application.model_validate(_application("turkestan", "2019-03-01T10:00:00+06:00", date="2019-02-20"))
    Application.model_validate(_application("ulytau", "2022-06-08T10:00:00+05:00", date="2022-06-08"))


def test_the_akimat_conclusion_region_is_judged_on_the_conclusion_date():
    # issued by South Kazakhstan region's akimat on 2018-06-01, registered after the renaming: that was its name then
    data = _application("turkestan", "2018-07-02T10:00:00+06:00", date="2018-06-01")
    data["akimat_conclusion"]["region"] = "south-kazakhstan"
    Application.model_validate(data)
    data["akimat_conclusion"]["date"] = "2018-06-20"
    with pytest.raises(Exception, match=r"akimat_conclusion\.region[\s\S]*no longer existed on 2018-06-20"):
        Application.model_validate(data)


# --------------------------------------------------------------------------- the law page


def test_the_law_page_is_in_the_act_s_own_language():
    law = lawdoc.collect(DECREE)
    assert law.lang == "kk" and '<html lang="kk">' in lawdoc.render_html(law)
    pack = law.pack
    act = pack.header.act.model_copy(update={"source_language": "ru"})
    russian = dataclasses.replace(law, pack=dataclasses.replace(pack, header=pack.header.model_copy(update={"act": act})))
    page, markdown = lawdoc.render_html(russian), lawdoc.render_markdown(russian)
    assert '<html lang="ru">' in page and 'lang="kk"' not in page
    assert "the act's Russian text" in page and "the act's Russian text" in markdown
    assert markdown.startswith(f"# {act.title.get('ru')}")
    rule = next(entry.rules[0] for entry in law.entries if entry.rules)
    assert rule.title.get("ru") in page and rule.title.get("ru") in markdown
