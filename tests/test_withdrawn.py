"""p.10: an application its applicant withdrew in time is ``withdrawn`` everywhere.

«Конкурсқа қатысушы тіркелген конкурстық өтінімге ... конкурстық өтінімдер беру үшін белгіленген
мерзім аяқталғанға дейін ... жазбаша хабардар ету арқылы кері қайтарып ала алады.» A timely
withdrawal takes the application out of the competition: it is not sent on to the expert council,
not scored in the evaluation protocol, not returned (no notice), not counted for p.41 nor ranked;
the evaluate table, the JSON result, both protocols, the notebook's DataFrame and the service all
say «кері қайтарып алынды» / «отозвана» / withdrawn, resting on p.10 (the pack's procedure).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from clusterpolicy import evaluate, run_competition
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.output.reports import completeness_protocol, evaluation_protocol, return_notice, return_notices
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

from _cli import cli_run

PACK = load_pack("kz-2015-decree-535")
SUBS = [sub.id for _, sub in PACK.scoring.sub_criteria()]
WORD = {"kk": "кері қайтарып алынды", "ru": "отозвана", "en": "withdrawn"}


def _data(stage: int = 1, late: bool = False) -> dict:
    """Three marked applications; the second withdrawn before the close (or after it: ``late``),
    the third returned (no paper copies)."""
    header = competition_data(stage)
    header["events"] = [{"event": "competition_failed", "date": "2017-06-20"}] if stage == 1 else []
    applications = []
    for index in range(1, 4):
        data = application_data(stage)
        data["id"] = ["kept", "gone", "back"][index - 1]
        data["applicant"]["name"] = f"ЖШС Өтінім беруші {index}"
        if stage == 1:
            data["expert_marks"] = [
                {"expert_id": f"e{e}", "years_of_experience": "9", "marks": {s: "4" for s in SUBS}} for e in range(3)
            ]
        applications.append(data)
    day = "2017-06-12" if late else "2017-06-01"  # the close of acceptance: 8 June 2017, 18:00 (both stages)
    applications[1]["withdrawal"] = {"at": day, "reasons": "Қатысушылар құрамы өзгерді"}
    applications[2]["submission_format"]["paper_copies"] = 0
    header["applications"] = applications
    return header


def _competition(stage: int = 1, late: bool = False) -> Competition:
    return Competition.model_validate(_data(stage, late))


def test_a_timely_withdrawal_is_the_status_withdrawn_resting_on_p10() -> None:
    competition = _competition()
    gone = competition.applications[1]
    result = evaluate(gone, competition=competition, pack=PACK)
    assert (result.status, result.status_citation, result.reasons) == ("withdrawn", "Rules p.10", ["eligibility.withdrawal-before-close"])
    assert result.withdrawn_at == dt.date(2017, 6, 1)
    # out of the competition: not counted (p.41: one compliant, so failed), not ranked
    report = run_competition(competition, pack=PACK)
    outcome = report.outcome
    assert outcome.withdrawn_ids == ["gone"] and outcome.compliant_count == 1 and outcome.status == "failed"
    assert "gone" not in [entry.application_id for entry in outcome.ranking]


def test_a_late_withdrawal_leaves_the_application_as_the_checks_found_it() -> None:
    competition = _competition(late=True)
    result = evaluate(competition.applications[1], competition=competition, pack=PACK)
    assert result.status == "admitted" and result.withdrawn_at == dt.date(2017, 6, 12)
    assert run_competition(competition, pack=PACK).outcome.withdrawn_ids == []


def test_a_withdrawal_whose_timing_is_unknown_is_undetermined() -> None:
    data = _data()
    data["applications"][1]["withdrawal"]["at"] = "2017-06-08"  # the closing day, against a close at an hour
    competition = Competition.model_validate(data)
    result = evaluate(competition.applications[1], competition=competition, pack=PACK)
    assert result.status == "undetermined" and "eligibility.withdrawal-before-close" in result.reasons


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_protocols_list_it_as_withdrawn_and_nowhere_else(lang) -> None:
    report = run_competition(_competition(), pack=PACK, lang=lang)
    who = "ЖШС Өтінім беруші 2"
    completeness = completeness_protocol(report).to_markdown()
    sections = completeness.split("\n## ")
    admitted = next(s for s in sections if s.startswith("1. "))
    withdrawn = next(s for s in sections if s.startswith("5. "))
    assert who not in admitted and who in withdrawn
    assert {"kk": "10-тармағы", "ru": "п.10", "en": "p.10"}[lang] in withdrawn.splitlines()[0]
    assert {"kk": "2017 жылғы 1 маусым", "ru": "1 июня 2017 г.", "en": "1 June 2017"}[lang] in withdrawn
    evaluation = evaluation_protocol(report).to_markdown()
    scores = next(s for s in evaluation.split("\n## ") if s.startswith("1. "))
    assert who not in scores
    rows = [line for line in evaluation.splitlines() if line.startswith("| ") and who in line]
    # listed once, among those not evaluated, with its status and p.10; never with points
    assert len(rows) == 1 and WORD[lang] in rows[0]
    assert {"kk": "Қағидалардың 10-тармағы", "ru": "пункт 10 Правил", "en": "Rules p.10"}[lang] in rows[0]
    # no return notice: only the returned application gets one
    notices = return_notices(report)
    assert len(notices.sections) == 1 and "ЖШС Өтінім беруші 3" in notices.to_markdown() and who not in notices.to_markdown()
    single = return_notice(next(a for a in report.completeness.applications if a.application_id == "gone"), pack=PACK)
    assert WORD[lang] in single.to_markdown() and "|" not in single.to_markdown()


def test_the_stage_2_review_does_not_review_it() -> None:
    report = run_competition(_competition(stage=2), pack=PACK, lang="ru")
    assert report.status_of("gone") == "withdrawn"
    review = evaluation_protocol(report).to_markdown()
    reviewed = next(s for s in review.split("\n## ") if s.startswith("1. "))
    not_reviewed = next(s for s in review.split("\n## ") if s[:1].isdigit() and "не рассматривавшиеся" in s.splitlines()[0])
    assert "ЖШС Өтінім беруші 2" not in reviewed
    assert "ЖШС Өтінім беруші 2" in not_reviewed and "отозвана" in not_reviewed


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("withdrawn") / "competition"
    where.mkdir()
    (where / "competition.json").write_text(json.dumps(_data(), ensure_ascii=False), "utf-8")
    return where


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_evaluate_table_and_the_json_say_withdrawn(folder, lang) -> None:
    _, table = cli_run("evaluate", str(folder), "--lang", lang)
    statuses = [line for line in table.splitlines() if f"  {WORD[lang]} (" in line]  # the status and the provision it rests on
    assert len(statuses) == 1 and {"kk": "Қағидалардың 10-тармағы", "ru": "пункт 10 Правил", "en": "Rules p.10"}[lang] in statuses[0]
    _, text = cli_run("evaluate", str(folder), "--lang", lang, "--format", "json")
    document = json.loads(text)
    assert document["format_version"] == "4.0"
    gone = next(a for a in document["completeness"]["applications"] if a["application_id"] == "gone")
    assert (gone["status"], gone["status_citation"], gone["withdrawn_at"]) == ("withdrawn", "Rules p.10", "2017-06-01")


@pytest.mark.slow
def test_the_notebook_dataframe_says_withdrawn() -> None:
    pytest.importorskip("pandas")
    from clusterpolicy.output.notebook import to_dataframe

    frame = to_dataframe(run_competition(_competition(), pack=PACK))
    statuses = dict(zip(frame["application_id"], frame["status"]))
    assert statuses == {"kept": "admitted", "gone": "withdrawn", "back": "returned"}
    assert "withdrawn" in list(frame["status"].cat.categories)


@pytest.mark.slow
def test_the_service_says_withdrawn() -> None:
    pytest.importorskip("fastapi")
    from clusterpolicy.output import service

    app = service.create_app()
    body = json.dumps({"competition": _data(), "lang": "ru"}, ensure_ascii=False).encode()
    answers = []
    for path, accept in [("/v1/competitions/evaluate", "application/json"), ("/v1/reports/completeness-protocol", "text/markdown")]:
        answers.append(_post(app, path, body, accept))
    gone = next(a for a in json.loads(answers[0])["completeness"]["applications"] if a["application_id"] == "gone")
    assert gone["status"] == "withdrawn"
    assert "Заявки, отозванные участником конкурса" in answers[1].decode()


def _post(app, path: str, body: bytes, accept: str) -> bytes:
    """One POST to the ASGI application in this process; the body of its answer."""
    from _server import call

    answer = call(app, "POST", path, body, headers=[("content-type", "application/json"), ("accept", accept)])
    assert answer.raised is None, answer.raised
    assert answer.status == 200, answer.body[:500]
    return answer.body


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_ranking_note_names_the_withdrawn_application_as_the_tables_do(folder, lang) -> None:
    """In kk and ru by its registration number and cluster in that language (no file id); in
    English by its id, as the evaluate table names it."""
    _, table = cli_run("evaluate", str(folder), "--lang", lang)
    opening = PACK.scoring.messages.applications_withdrawn.get(lang).split("{ids}")[0]
    (note,) = [line.strip() for line in table.splitlines() if line.strip().startswith(opening)]
    named = {"kk": "№ R-1 Құрылыс кластері", "ru": "№ R-1 Құрылыс кластері", "en": "gone"}[lang]
    assert note == opening + named
    if lang != "en":
        assert "gone" not in note


def test_the_ranking_names_each_withdrawn_application_in_each_language() -> None:
    from clusterpolicy.core.i18n import Text
    from clusterpolicy.scoring import rank_competition, score_application

    scores = [score_application(application, PACK.scoring) for application in _competition().applications]
    names = {"gone": Text(kk="№ 7 Сүт кластері", ru="№ 7 Молочный кластер, Акмола", en="gone")}
    outcome = rank_competition(
        scores, minimum_score=None, compliant_ids=["kept"], withdrawn_ids=["gone", "back"], config=PACK.scoring, names=names
    )
    (note,) = [n for n in outcome.notes if "(п.10)" in n.get("ru")]
    assert note.get("ru").endswith(": back; № 7 Молочный кластер, Акмола")  # a name with a comma: a semicolon between them
    assert note.get("kk").endswith(": back; № 7 Сүт кластері") and note.get("en").endswith(": back, gone")
