"""The contents the act gives the organiser's two review protocols (issue 22).

- p.22 (stage 1, «өтінімдер материалдарын қарау хаттамасы»): the protocol records the review of the
  materials, of the two conclusions of p.17 and of the expert conclusions (p.21: with the points):
  the evaluation protocol lists them, number, date and finding, for every application it evaluates.
- p.36 (stage 2): «Конкурстың бірінші кезеңіне қатыспаған конкурсқа қатысушылардың ... материалдарын,
  ... қорытындыларын ..., ... талдауды конкурсты ұйымдастырушы хаттамамен ресімдейді»: the review
  concerns only the participants that did not take part in stage 1, and lists the regional body's
  conclusions and the expert council's analyses; the others go to the Commission with the check.

Both are the pack's data (procedure.yaml: ``protocol_records``, ``review_scope``).
"""

from __future__ import annotations

import pytest

from clusterpolicy import evaluate, run_competition
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.output.reports import evaluation_protocol
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

PACK = load_pack("kz-2015-decree-535")
SUBS = [sub.id for _, sub in PACK.scoring.sub_criteria()]


def _sections(document: str) -> dict[str, str]:
    """The numbered sections of a Markdown protocol by their number («1», «2», ...)."""
    found = {}
    for part in document.split("\n## ")[1:]:
        number = part.split(".", 1)[0]
        if number.isdigit():
            found[number] = part
    return found


def _stage1() -> Competition:
    header = competition_data(1)
    applications = []
    for index in (1, 2):
        data = application_data(1)
        data["id"] = f"app-{index}"
        data["applicant"]["name"] = f"ЖШС Өтінім беруші {index}"
        data["expert_marks"] = [
            {"expert_id": f"e{e}", "years_of_experience": "9", "marks": {s: "4" for s in SUBS}} for e in range(3)
        ]
        if index == 1:
            data["records"] = {
                "sector_conclusion": {"body": "Министерство по инвестициям и развитию РК", "number": "17-1/301", "date": "2017-06-16", "fits": True},
                "regional_conclusion": {"body": "Министерство национальной экономики РК", "number": "21-04/701", "date": "2017-06-16", "fits": False},
                "expert_conclusion": {"number": "ЭС-1", "date": "2017-08-04", "points": "80.00"},
            }
        applications.append(data)
    header["applications"] = applications
    return Competition.model_validate(header)


@pytest.mark.parametrize(
    "lang, wanted",
    [
        ("ru", ["п.22 Правил", "№ 17-1/301 от 16 июня 2017 г.", "Соответствует Программе развития регионов до 2020 года: нет", "№ ЭС-1 от 4 августа 2017 г.", "80,00 балла"]),
        ("kk", ["Қағидалардың 22-тармағы", "2017 жылғы 16 маусымдағы № 17-1/301", "2017 жылғы 4 тамыздағы № ЭС-1", "80,00 балл"]),
        ("en", ["Rules p.22", "No. 17-1/301 of 16 June 2017", "No. ЭС-1 of 4 August 2017", "80.00 points"]),
    ],
)
def test_the_p22_protocol_lists_the_p17_conclusions_and_the_expert_conclusions(lang, wanted) -> None:
    document = evaluation_protocol(run_competition(_stage1(), pack=PACK, lang=lang)).to_markdown()
    records = _sections(document)["2"]
    for text in wanted:
        assert text in records, (text, records)
    first, second = (line for line in records.splitlines() if line.startswith("| 1 ") or line.startswith("| 2 "))
    assert "Министерство по инвестициям и развитию РК" in first
    assert second.count("| — ") == 3  # the second application's records are not stated: a dash each, nothing made up


def _stage2() -> Competition:
    header = competition_data(2)
    applications = []
    for index, kind in enumerate(["went", "skipped", "unsaid"], start=1):
        data = application_data(2)
        data["id"] = kind
        data["applicant"]["name"] = f"ЖШС Өтінім беруші {index}"
        if kind == "skipped":  # an association that did not take part in stage 1, with the akimat's conclusion (p.7(5))
            data["took_part_in_stage1"] = False
            data["applicant"]["stage1_winner"] = False
            data["akimat_conclusion"] = {
                "issued_by": "Қарағанды облысы әкімдігі", "level": "oblast", "region": "karaganda", "cluster_name": "Құрылыс кластері",
                "number": "12-3/789", "date": "2017-05-19", "request_registered_on": "2017-05-15",
                "participants": [{"name": p["name"]} for p in data["participants"]], "participants_confirmed": True, "expedient": True,
            }
            data["documents"].append({"kind": "akimat_conclusion", "registration_number": "R-5", "date": "2017-05-19", "volume": 1})
            data["records"] = {
                "regional_conclusion": {"body": "Министерство национальной экономики РК", "number": "21-04/901", "date": "2017-11-20", "fits": True},
                "expert_analysis": {"number": "ЭС-А-1", "date": "2017-11-27", "summary": "Стратегия и дорожная карта согласованы"},
            }
        elif kind == "unsaid":  # a stage 1 winner that does not state whether it took part
            del data["took_part_in_stage1"]
        applications.append(data)
    header["applications"] = applications
    return Competition.model_validate(header)


def test_the_p36_review_concerns_only_those_who_skipped_stage_1() -> None:
    competition = _stage2()
    report = run_competition(competition, pack=PACK, lang="ru")
    assert [a.status for a in report.completeness.applications] == ["admitted"] * 3
    assert [a.under_review for a in report.completeness.applications] == [False, True, None]
    sections = _sections(evaluation_protocol(report).to_markdown())
    reviewed, others = sections["1"], sections["2"]
    assert "участников конкурса, не участвовавших в первом этапе" in reviewed.splitlines()[0] and "п.36 Правил" in reviewed.splitlines()[0]
    assert "ЖШС Өтінім беруші 2" in reviewed and "ЖШС Өтінім беруші 1" not in reviewed and "ЖШС Өтінім беруші 3" not in reviewed
    for text in ("№ 21-04/901 от 20 ноября 2017 г.", "Соответствует Программе развития регионов до 2020 года: да", "№ ЭС-А-1 от 27 ноября 2017 г.", "Стратегия и дорожная карта согласованы"):
        assert text in reviewed, text
    assert "п.37 Правил" in others.splitlines()[0]
    assert "ЖШС Өтінім беруші 1" in others and "ЖШС Өтінім беруші 3" in others and "ЖШС Өтінім беруші 2" not in others
    unsaid = next(line for line in others.splitlines() if "ЖШС Өтінім беруші 3" in line)
    assert "не указано: участвовал в первом этапе конкурса" in unsaid  # said, not assumed


def test_under_review_is_none_where_the_stage_has_no_review() -> None:
    competition = _stage1()
    assert evaluate(competition.applications[0], competition=competition, pack=PACK).under_review is None
