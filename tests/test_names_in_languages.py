"""The applicant's name and its signatory's position, like the competition's title and the
cluster's name (issue 22, item 7), may be given in Kazakh and Russian: a Kazakh notice addresses
«««Павлодар» арнайы экономикалық аймағының басқарушы компаниясы» АҚ», «Басқарма төрағасы», not
the Russian «АО «Управляющая компания …»», «Председатель правления». One text given is shown in
every language; the organiser's signatory's name may differ by language too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from clusterpolicy import Application, Competition
from clusterpolicy.input.organiser import Organiser

from _cli import cli_run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
APPLICATIONS = sorted(EXAMPLES.glob("competition-2017*/[0-9s]*.yaml"))


def _given(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))["applicant"]


@pytest.mark.parametrize("path", APPLICATIONS, ids=lambda path: path.stem)
def test_every_example_names_its_applicant_and_signatory_position_in_kk_and_ru(path):
    applicant = _given(path)
    assert set(applicant["name"]) == {"kk", "ru"}
    assert set(applicant["signatory"]["position"]) == {"kk", "ru"}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_result_names_the_applicant_and_its_head_in_the_readers_language(lang):
    code, out = cli_run("evaluate", str(EXAMPLES / "competition-2017"), "--lang", lang, "--format", "json")
    by_id = {result["application_id"]: result for result in json.loads(out)["completeness"]["applications"]}
    for path in sorted((EXAMPLES / "competition-2017").glob("[0-9]*.yaml")):
        given = _given(path)
        result = by_id[path.stem]
        shown = "kk" if lang == "kk" else "ru"  # English is not given: the Russian, first of ru, kk, en
        assert result["applicant"] == given["name"][shown]
        assert result["signatory"] == {"full_name": given["signatory"]["full_name"], "position": given["signatory"]["position"][shown]}


@pytest.mark.slow
def test_a_kazakh_notice_addresses_the_applicant_and_its_head_in_kazakh():
    code, kk = cli_run("report", str(EXAMPLES / "competition-2017"), "--kind", "notice", "--lang", "kk")
    assert "Кімге: ««Павлодар» арнайы экономикалық аймағының басқарушы компаниясы» АҚ" in kk
    assert "Басқарма төрағасы Кузнецова Марина Юрьевна" in kk
    # participants keep their registered names («АО «Ертіс Химиндастри Холдинг»»)
    for russian in ("Палата предпринимателей", "Председатель правления", "Исполнительный директор", "АО «Управляющая", "ОЮЛ «"):
        assert russian not in kk, russian
    code, ru = cli_run("report", str(EXAMPLES / "competition-2017"), "--kind", "notice", "--lang", "ru")
    assert "Кому: АО «Управляющая компания специальной экономической зоны «Павлодар»»" in ru
    assert "Председатель правления Кузнецова Марина Юрьевна" in ru


def _application(**applicant) -> Application:
    data = yaml.safe_load((EXAMPLES / "competition-2017" / "01-karaganda-construction.yaml").read_text("utf-8"))
    data["applicant"] = {**data["applicant"], **applicant}
    return Application.model_validate(data)


def test_one_text_given_is_shown_in_every_language():
    application = _application(name="ТОО «Бір ғана атау»", signatory={"full_name": "Ахметов А.", "position": "Директор"})
    assert {application.applicant.name_in(lang) for lang in ("kk", "ru", "en")} == {"ТОО «Бір ғана атау»"}
    assert application.applicant.signatory.in_language("kk").position == "Директор"


def test_only_kazakh_given_is_shown_in_russian_too():
    application = _application(name={"kk": "Кәсіпкерлер палатасы"}, signatory={"position": {"kk": "Төраға"}, "full_name": "Ахметов А."})
    assert application.applicant.name == "Кәсіпкерлер палатасы"  # what checks see: the first given
    assert application.applicant.name_in("ru") == "Кәсіпкерлер палатасы"
    assert application.applicant.signatory.in_language("ru").position == "Төраға"


@pytest.mark.parametrize(
    "applicant, where",
    [
        ({"name": {}}, ("applicant", "names")),
        ({"name": {"de": "Kammer"}}, ("applicant", "names", "de")),
        ({"signatory": {"position": {"ru": ""}}}, ("applicant", "signatory", "positions", "ru")),
    ],
)
def test_a_name_in_no_language_is_a_located_error(applicant, where):
    with pytest.raises(ValidationError) as raised:
        _application(**applicant)
    assert any(tuple(error["loc"][: len(where)]) == where for error in raised.value.errors()), raised.value.errors()


def test_the_organisers_signatory_may_be_named_per_language():
    organiser = Organiser.model_validate({"name": "Министрлік", "signatory": {"full_name": {"kk": "А.Б. Серікұлы", "ru": "А.Б. Сериков"}}})
    assert organiser.signatory.full_name.get("kk") == "А.Б. Серікұлы"
    assert organiser.signatory.full_name.get("ru") == "А.Б. Сериков"
    assert Organiser.model_validate({"name": "M", "signatory": {"full_name": "А.Б. Сериков"}}).signatory.full_name.get("kk") == "А.Б. Сериков"


@pytest.mark.slow
def test_a_kazakh_protocol_is_signed_with_the_kazakh_name(tmp_path):
    competition = yaml.safe_load((EXAMPLES / "competition-2017" / "competition.yaml").read_text("utf-8"))
    competition["organiser"]["signatory"]["full_name"] = {"kk": "А.Б. Серікұлы", "ru": "А.Б. Сериков"}
    folder = tmp_path / "c"
    folder.mkdir()
    for path in (EXAMPLES / "competition-2017").glob("*.yaml"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (folder / "competition.yaml").write_text(yaml.safe_dump(competition, allow_unicode=True), "utf-8")
    Competition.model_validate(competition)  # valid as given
    _, kk = cli_run("report", str(folder), "--kind", "completeness-protocol", "--lang", "kk")
    _, ru = cli_run("report", str(folder), "--kind", "completeness-protocol", "--lang", "ru")
    assert "А.Б. Серікұлы" in kk and "А.Б. Сериков" not in kk
    assert "А.Б. Сериков" in ru and "Серікұлы" not in ru


@pytest.mark.slow
def test_the_p22_protocol_names_the_conclusions_issuers_in_its_language():
    """The records' conclusions (p.17) may name their issuer per language: the Kazakh protocol of the
    review of the materials shows «Қазақстан Республикасының Ұлттық экономика министрлігі»."""
    _, kk = cli_run("report", str(EXAMPLES / "competition-2017"), "--kind", "evaluation-protocol", "--lang", "kk")
    _, ru = cli_run("report", str(EXAMPLES / "competition-2017"), "--kind", "evaluation-protocol", "--lang", "ru")
    assert "Қазақстан Республикасының Ұлттық экономика министрлігі" in kk and "Министерство" not in kk
    assert "Министерство национальной экономики Республики Казахстан" in ru


def test_a_conclusions_issuer_given_once_is_shown_in_every_language():
    data = yaml.safe_load((EXAMPLES / "competition-2017" / "01-karaganda-construction.yaml").read_text("utf-8"))
    data["records"]["regional_conclusion"]["body"] = "Министерство национальной экономики Республики Казахстан"
    conclusion = Application.model_validate(data).records.regional_conclusion
    assert conclusion.body.get("kk") == conclusion.body.get("ru") == "Министерство национальной экономики Республики Казахстан"
