"""Differences between two packs (``clusterpolicy diff``) and the verdicts that rest on a contested
reading of the act (``clusterpolicy sensitivity``), issue 24 parts 3 and 4."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clusterpolicy import load_competition
from clusterpolicy.comparison import compare, sensitivity
from clusterpolicy.core.errors import RulePackError
from clusterpolicy.core.law import Parameter
from clusterpolicy.output.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017"
READINGS = Path(__file__).resolve().parent / "data" / "competition-affiliation-readings"
PACK = "kz-2015-decree-535"
ADMITTED = [f"0{n}-" for n in range(1, 8)]  # the seven admitted applications of the example


def _copy_with_two_paper_copies(tmp_path: Path) -> Path:
    folder = tmp_path / PACK
    shutil.copytree(ROOT / "rules" / PACK, folder)
    header = folder / "pack.yaml"
    text = header.read_text("utf-8")
    value = text.index("value: 1", text.index("  paper_copies:"))
    header.write_text(text[:value] + "value: 2" + text[value + len("value: 1"):], "utf-8")
    return folder


@pytest.mark.slow
def test_diff_against_a_copy_with_two_paper_copies_names_exactly_the_p9_rule(tmp_path, capsys):
    folder = _copy_with_two_paper_copies(tmp_path)
    comparison = compare(load_competition(EXAMPLE), PACK, folder)
    changed = comparison.changed
    assert {rule.rule_id for change in changed for rule in change.rules} == {"documents.paper-copy"}
    assert {rule.provision for change in changed for rule in change.rules} == {"Rules p.9"}
    assert all(change.application_id != "12-zhambyl-phosphorus-chemistry" for change in changed)  # it fails p.9 either way
    status_changed = sorted(c.application_id for c in changed if c.status_before != c.status_after)
    assert [name[:3] for name in status_changed] == ADMITTED
    assert all(c.rank_before is not None and c.rank_after is None for c in changed if c.status_before == "admitted")
    assert (comparison.outcome_before, comparison.outcome_after) == ("held", "failed")
    assert comparison.after.changed_parameters == {"paper_copies": {"act": 1, "used": 2}}
    assert main(["diff", str(EXAMPLE), "--pack", PACK, "--pack", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "01-karaganda-construction  admitted → returned" in out
    assert "    documents.paper-copy (Rules p.9): passed → failed" in out
    assert out.rstrip().endswith("Outcome: held → failed (declared not held)")


@pytest.mark.slow
def test_diff_with_set_equals_diff_with_the_folder(tmp_path, capsys):
    assert main(["diff", str(EXAMPLE), "--set", "paper_copies=2", "--format", "json"]) == 1
    by_set = json.loads(capsys.readouterr().out)
    folder = _copy_with_two_paper_copies(tmp_path)
    by_folder = compare(load_competition(EXAMPLE), PACK, folder)
    assert [a["application_id"] for a in by_set["applications"] if a["status_before"] != a["status_after"]] == [
        c.application_id for c in by_folder.changed if c.status_before != c.status_after
    ]
    assert main(["diff", str(EXAMPLE)]) == 2  # nothing to compare
    assert "diff needs two packs" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "head", "application", "rule"),
    [
        ("ru", "Конкурсный отбор территориальных кластеров 2017 года — первый этап (концепции) — Постановление Правительства РК от 16 июля 2015 года № 535",
         "№ КО-2017/001 Строительный кластер Карагандинской области  допущена → возвращена",
         "    Копия на бумажном носителе (пункт 9 Правил): выполнено → не выполнено"),
        ("kk", "Аумақтық кластерлерді 2017 жылғы конкурстық іріктеу – бірінші кезең (тұжырымдамалар) — ҚР Үкіметінің 2015 жылғы 16 шілдедегі № 535 қаулысы",
         "№ КО-2017/001 Қарағанды облысының құрылыс кластері  жіберілді → қайтарылды",
         "    Қағаз тасығыштағы көшірме (Қағидалардың 9-тармағы): орындалды → орындалмады"),
    ],
    ids=["ru", "kk"],
)
def test_diff_in_kk_and_ru_names_the_competition_the_act_the_applications_and_the_rules(capsys, lang, head, application, rule):
    """No id of the competition, the pack, an application or a rule in a kk or ru diff: the
    competition's title, the act as it is cited (once: both sides apply it), each application by
    registration number and cluster, each rule by its title."""
    assert main(["diff", str(EXAMPLE), "--set", "paper_copies=2", "--lang", lang]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == head and application in lines and rule in lines
    assert not any(word in line for line in lines for word in ("kz-", "documents.", "01-karaganda", "1.0.0"))


def test_the_diff_frame_lists_the_applications_judged_differently():
    pytest.importorskip("pandas")
    from clusterpolicy.output.notebook import to_dataframe

    frame = to_dataframe(compare(load_competition(READINGS), parameters={"affiliation_grouping": "independent_set"}))
    assert list(frame["application_id"]) == ["01-chain-of-holdings"]
    assert list(frame["status_after"]) == ["admitted"] and "eligibility.unaffiliated-legal-entities" in frame["rules"][0]


def test_sensitivity_names_the_application_that_flips_with_criterion_1_1s_reading(capsys):
    found = sensitivity(load_competition(READINGS))
    grouping = next(effect for effect in found.readings if effect.parameter == "affiliation_grouping")
    assert grouping.provision == "Criteria 1.1" and grouping.value == "independent_set"
    assert [(a.application_id, a.status_before, a.status_after) for a in grouping.applications] == [
        ("01-chain-of-holdings", "returned", "admitted")
    ]
    assert found.depends
    assert main(["sensitivity", str(READINGS), "--lang", "ru"]) == 1
    out = capsys.readouterr().out
    assert "«Правило группировки аффилированных юридических лиц» (пункт 1.1 Критериев): Наибольшее множество попарно неаффилированных лиц" in out
    assert "    № КО-2017/001 Строительный кластер Карагандинской области: возвращена → допущена" in out  # as evaluate names it
    assert "01-chain-of-holdings" not in out
    # the head: the competition's title in Russian and the act as it is cited, no id of the competition or the pack
    assert out.splitlines()[0] == "Тестовый конкурс: одна заявка, статус которой зависит от толкования критерия 1.1 — Постановление Правительства РК от 16 июля 2015 года № 535"


def test_no_dependence_is_said_in_the_readers_language(capsys):
    competition = load_competition(READINGS)
    competition = competition.model_copy(update={"applications": [a for a in competition.applications if a.id == "01-chain-of-holdings"]})
    found = sensitivity(competition, lang="kk")
    assert [effect.parameter for effect in found.readings if effect.depends] == ["affiliation_grouping"]
    from clusterpolicy.output.cli import sensitivity_table

    quiet = found.model_copy(update={"readings": [e for e in found.readings if not e.depends]})
    assert sensitivity_table(quiet, "kk").rstrip().endswith("Бұл нәтижелер даулы оқылымдарға тәуелді емес.")
    assert sensitivity_table(quiet, "ru").rstrip().endswith("Эти результаты не зависят от спорных толкований.")


def test_a_choice_declares_its_readings_in_the_pack():
    from clusterpolicy.packs import load_pack

    grouping = load_pack(PACK).parameters["affiliation_grouping"]
    assert [reading.value for reading in grouping.readings] == ["connected_components", "independent_set"]
    assert all(reading.title.get(lang) for reading in grouping.readings for lang in ("kk", "ru", "en"))
    base = {"citation": {"provision": "Rules p.1"}, "title": {"kk": "а", "ru": "б", "en": "c"}, "choice": True}
    reading = lambda value: {"value": value, "title": {"kk": "а", "ru": "б", "en": "c"}}  # noqa: E731
    with pytest.raises(ValueError, match="two readings give the same value"):
        Parameter.model_validate({**base, "value": 1, "readings": [reading(1), reading(1)]})
    with pytest.raises(ValueError, match="choice: true"):
        Parameter.model_validate({**base, "choice": False, "value": 1, "readings": [reading(1), reading(2)]})


def test_a_pack_with_two_readings_alike_is_refused_with_its_line(tmp_path):
    from clusterpolicy.packs import load_pack_from

    folder = tmp_path / PACK
    shutil.copytree(ROOT / "rules" / PACK, folder)
    header = folder / "pack.yaml"
    text = header.read_text("utf-8")
    header.write_text(text.replace("      - value: connected_components\n", "      - value: independent_set\n", 1), "utf-8")
    with pytest.raises(RulePackError) as refused:
        load_pack_from(folder)
    assert "pack.yaml" in str(refused.value) and refused.value.location.line
