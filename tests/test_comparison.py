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


@pytest.mark.slow
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


# --------------------------------------------------------------------------- the service's face


@pytest.fixture(scope="module")
def app():
    pytest.importorskip("fastapi")
    from clusterpolicy.output import service

    return service.create_app()


def _readings_body(**fields) -> bytes:
    from test_service import encode, whole_competition

    return encode({"competition": whole_competition(READINGS), **fields})


def test_the_service_names_the_application_that_flips_and_the_parameter_it_flips_on(app):
    from test_service import call

    found = call(app, "POST", "/v1/sensitivity", _readings_body(lang="ru")).json()
    grouping = next(effect for effect in found["readings"] if effect["parameter"] == "affiliation_grouping")
    assert grouping["provision"] == "Criteria 1.1" and grouping["value"] == "independent_set"
    assert [(a["application_id"], a["status_before"], a["status_after"]) for a in grouping["applications"]] == [
        ("01-chain-of-holdings", "returned", "admitted")
    ]
    differs = call(app, "POST", "/v1/diff", _readings_body(parameters={"affiliation_grouping": "independent_set"})).json()
    assert differs["after"]["changed_parameters"] == {"affiliation_grouping": {"act": "connected_components", "used": "independent_set"}}
    assert [a["application_id"] for a in differs["applications"] if a["status_before"] != a["status_after"]] == ["01-chain-of-holdings"]


def test_the_service_locates_a_wrong_parameter_a_wrong_pack_and_a_missing_second_pack(app):
    from test_service import assert_problem, call

    wrong = assert_problem(call(app, "POST", "/v1/diff", _readings_body(parameters={"paper_copie": 2})), 422, "unknown_parameter")
    assert wrong["location"]["path"] == "parameters.paper_copie" and wrong["location"]["line"]
    assert "did you mean 'paper_copies'" in wrong["detail"]
    folder = assert_problem(call(app, "POST", "/v1/diff", _readings_body(packs=[PACK, "/etc"])), 422, "unknown_pack")
    assert folder["location"]["pointer"] == "/packs/1" and folder["location"]["line"]
    alone = assert_problem(call(app, "POST", "/v1/diff", _readings_body(packs=[PACK])), 422, "usage")
    assert "parameters" in alone["detail"] and alone["location"]["pointer"] == "/packs"
    assert_problem(call(app, "POST", "/v1/diff", _readings_body(packs=[PACK, PACK, PACK])), 422, "too_long")
    assert_problem(call(app, "POST", "/v1/sensitivity", _readings_body(pack="kz-2099")), 422, "unknown_pack")
    # evaluate's parameters are located in the body alike
    body = json.loads(_readings_body(parameters={"paper_copie": 2}))
    evaluated = assert_problem(call(app, "POST", "/v1/competitions/evaluate", json.dumps(body).encode()), 422, "unknown_parameter")
    assert evaluated["location"]["path"] == "parameters.paper_copie"


def test_the_services_answers_fit_their_schemas(app):
    import jsonschema
    from test_service import call

    document = call(app, "GET", "/openapi.json").json()
    for path, body, schema in [
        ("/v1/diff", _readings_body(parameters={"affiliation_grouping": "independent_set"}, lang="kk"), "Comparison"),
        ("/v1/sensitivity", _readings_body(lang="en"), "Sensitivity"),
    ]:
        assert path in document["paths"]
        root = {"components": document["components"], "$ref": f"#/components/schemas/{schema}"}
        jsonschema.Draft202012Validator(root).validate(call(app, "POST", path, body).json())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_what_diff_and_sensitivity_write_validates_against_their_shipped_schemas(lang, capsys):
    import jsonschema

    from clusterpolicy.output.schemas import shipped_schema

    for argv, name in [
        (["diff", str(READINGS), "--set", "affiliation_grouping=independent_set", "--format", "json", "--lang", lang], "comparison"),
        (["sensitivity", str(READINGS), "--format", "json", "--compact", "--lang", lang], "sensitivity"),
    ]:
        assert main(argv) == 1
        out = capsys.readouterr().out
        assert argv[-3] != "--compact" or out.count("\n") == 1
        jsonschema.Draft202012Validator(shipped_schema(name)).validate(json.loads(out))


# --------------------------------------------------------------------------- the line in the protocols

NO_DEPENDENCE = {
    "kk": "Бұл нәтижелер даулы оқылымдарға тәуелді емес.",
    "ru": "Эти результаты не зависят от спорных толкований.",
    "en": "These results do not depend on contested readings.",
}
DEPENDENCE = {
    "kk": ("Бұл нәтижелер актінің даулы оқылымдарына тәуелді", "«Үлестес заңды тұлғаларды топтастыру ережесі» (Өлшемшарттардың 1.1-тармағы)",
           "қайтарылды → жіберілді"),
    "ru": ("Эти результаты зависят от спорных толкований акта", "«Правило группировки аффилированных юридических лиц» (пункт 1.1 Критериев)",
           "возвращена → допущена"),
    "en": ("These results depend on contested readings of the act", '"How affiliated legal entities are grouped for the count" (Criteria 1.1)',
           "returned → admitted"),
}
PROTOCOLS = ("completeness-protocol", "evaluation-protocol")


def _sensitivity_part(text: str, lang: str) -> str:
    """The protocol's paragraphs from the sensitivity line to the signature."""
    start = min(text.index(marker) for marker in (NO_DEPENDENCE[lang], DEPENDENCE[lang][0]) if marker in text)
    return text[start:].split("\n\n")[0] if NO_DEPENDENCE[lang] in text[start:start + 200] else text[start:]


def _without_dependence():
    """The 2017 example's three applications not admitted whatever the reading (08 short of ten
    unaffiliated entities under both readings of criterion 1.1, 09 late, 10 without the akimat's conclusion)."""
    competition = load_competition(EXAMPLE)
    kept = ("08-", "09-", "10-")
    return competition.model_copy(update={
        "applications": [a for a in competition.applications if a.id.startswith(kept)],
        "events": [e for e in competition.events if e.application_id is None or e.application_id.startswith(kept)],
    })


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_protocols_say_that_their_verdicts_do_not_depend_on_a_contested_reading(lang):
    from style_kk_ru import faults

    from clusterpolicy.competition import run_competition
    from clusterpolicy.output.reports import make_report

    report = run_competition(_without_dependence(), lang=lang)
    assert not sensitivity(_without_dependence(), lang=lang).depends
    for kind in PROTOCOLS:
        text = make_report(kind, report).to_markdown()
        assert NO_DEPENDENCE[lang] in text and DEPENDENCE[lang][0] not in text, kind
        if lang != "en":
            assert faults(_sensitivity_part(text, lang), lang) == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_protocols_list_which_verdict_depends_on_which_reading(lang):
    from style_kk_ru import faults

    from clusterpolicy.competition import run_competition
    from clusterpolicy.output.reports import make_report

    competition = load_competition(READINGS)
    report = run_competition(competition, lang=lang)
    chain = next(a for a in competition.applications if a.id == "01-chain-of-holdings").cluster_name_in(lang)
    for kind in PROTOCOLS:
        text = make_report(kind, report).to_markdown()
        intro, reading, change = DEPENDENCE[lang]
        assert intro in text and NO_DEPENDENCE[lang] not in text, kind
        line = next(line for line in text.splitlines() if line.startswith(reading))
        assert f"{chain}: {change}" in line  # the application by its cluster, the parameter by its title and provision
        assert "01-chain-of-holdings" not in line and "affiliation_grouping" not in line
        outcome = {"kk": "конкурс: ", "ru": "конкурс: ", "en": "the competition: "}[lang]
        assert (outcome in line) == (kind == "evaluation-protocol")  # the outcome is the evaluation's
        if lang != "en":
            assert faults(_sensitivity_part(text, lang), lang) == []


def test_a_protocol_shares_its_report_and_evaluates_only_the_readings_that_can_matter(monkeypatch):
    """The protocol's report is the baseline (not evaluated again); a reading whose rules judge
    every application alike is not evaluated in full."""
    import clusterpolicy.comparison as comparison
    from clusterpolicy.competition import run_competition

    competition = load_competition(READINGS)
    report = run_competition(competition)
    runs = []
    real = comparison.run_competition
    monkeypatch.setattr(comparison, "run_competition", lambda *a, **k: runs.append(k["pack"].changed_parameters) or real(*a, **k))
    found = comparison.sensitivity(competition, baseline=report)
    assert len(found.readings) == 10  # six readings of parameters read by rules, two of p.5's rolling, two of the aggregation
    # the aggregation's readings are read by the scores (scored and ranked again, on the same statuses);
    # p.5's rolling by the timeline alone: neither is evaluated in full
    assert sorted(name for changed in runs for name in changed) == ["affiliation_grouping", "participant_card_years"]


# --------------------------------------------------------------------------- the notebook's chart


@pytest.mark.slow  # matplotlib's import and a PNG: over a second
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_chart_of_applications_and_choices_marks_the_application_that_flips(lang, tmp_path):
    pytest.importorskip("matplotlib")
    from clusterpolicy.output.notebook import SENSITIVITY_COLOURS, plot_sensitivity, save_png

    competition = load_competition(READINGS)
    found = sensitivity(competition, lang=lang)
    figure = plot_sensitivity(found)
    ax = figure.axes[0]
    rows = [label.get_text().replace("\n", " ") for label in ax.get_yticklabels()]
    clusters = [a.cluster_name_in(lang) for a in competition.applications]
    assert rows[:2] == clusters and len(rows) == 3  # the applications by cluster, then the outcome
    columns = [label.get_text().replace("\n", " ") for label in ax.get_xticklabels()]
    grouping = load_pack_title("affiliation_grouping", lang)
    column = next(i for i, text in enumerate(columns) if text.startswith(grouping))
    grid = ax.images[0].get_array()
    kinds = list(SENSITIVITY_COLOURS)
    assert kinds[int(grid[0][column])] == "status" and kinds[int(grid[2][column])] == "status"  # 01 flips, and the outcome
    assert kinds[int(grid[1][column])] == "unchanged"
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert cells[(0, column)] == {"ru": "допущена", "en": "admitted"}[lang]
    png = save_png(figure, tmp_path / "sensitivity.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def load_pack_title(parameter: str, lang: str) -> str:
    from clusterpolicy.packs import load_pack

    return load_pack(PACK).parameters[parameter].title.get(lang)


# --------------------------------------------------------------------------- the choices of time limits and scoring


@pytest.mark.slow
def test_p5_rolling_and_the_panels_aggregation_are_readings_too():
    found = sensitivity(load_competition(EXAMPLE))
    rolling = {effect.value: effect for effect in found.readings if effect.parameter == "rules_p5_rolling"}
    assert set(rolling) == {"earlier_working_day", "next_working_day"}  # besides the default no_rolling
    later = rolling["next_working_day"]
    assert later.provision == "Rules p.5" and not later.depends and later.moves_steps  # no verdict rests on the timeline
    assert [(s.limit_id, str(s.due_before), str(s.due_after), s.status_before, s.status_after) for s in later.steps] == [
        ("rules-p5-announcement", "2017-04-09", "2017-04-10", "late", "on_time")
    ]
    assert [(s.due_after.isoformat(), s.status_after) for s in rolling["earlier_working_day"].steps] == [("2017-04-07", "late")]
    median = next(e for e in found.readings if e.parameter == "panel_aggregation" and e.value == "median")
    assert median.provision == "Rules p.19" and median.default == "mean" and median.depends
    assert {(a.application_id, a.rank_before, a.rank_after) for a in median.applications} == {
        ("02-almaty-furniture", 4, 3), ("06-almaty-tourism", 3, 4)
    }
    assert all(a.status_before == a.status_after for a in median.applications)


@pytest.mark.slow
def test_the_choices_of_time_limits_and_scoring_are_set_like_any_parameter(capsys):
    from clusterpolicy.competition import run_competition
    from clusterpolicy.core.errors import UsageError
    from clusterpolicy.packs import load_pack, with_parameters

    pack = load_pack(PACK)
    assert {"rules_p5_rolling": "no_rolling", "panel_aggregation": "mean"}.items() <= pack.parameter_values().items()
    report = run_competition(load_competition(EXAMPLE), parameters={"rules_p5_rolling": "next_working_day", "panel_aggregation": "median"})
    assert report.pack.changed_parameters == {
        "panel_aggregation": {"act": "mean", "used": "median"}, "rules_p5_rolling": {"act": "no_rolling", "used": "next_working_day"},
    }
    announcement = next(e for e in report.timeline.entries if e.limit_id == "rules-p5-announcement")
    assert announcement.status == "on_time"
    assert [c.name for c in report.decision_record.changed_parameters] == ["panel_aggregation", "rules_p5_rolling"]
    with pytest.raises(UsageError) as wrong:
        with_parameters(pack, {"rules_p5_rolling": "sideways"})
    assert wrong.value.code == "bad_parameter" and "no_rolling" in wrong.value.message
    with pytest.raises(UsageError) as wrong:
        with_parameters(pack, {"panel_aggregation": "mode"})
    assert wrong.value.code == "bad_parameter" and "median" in wrong.value.message
    assert main(["diff", str(EXAMPLE), "--set", "panel_aggregation=median"]) == 1
    out = capsys.readouterr().out
    assert "parameter changed: panel_aggregation = median (the act's pack: mean)" in out
    assert "02-almaty-furniture  admitted → admitted" in out


def test_a_time_limits_readings_are_values_of_the_field_it_sets():
    from clusterpolicy.procedure.timeline import LimitParameter

    title = {"kk": "а", "ru": "б", "en": "c"}
    base = {"name": "x", "sets": "rolling", "note": title, "title": title}
    with pytest.raises(ValueError, match="one of"):
        LimitParameter.model_validate({**base, "readings": [{"value": "sideways", "title": title}]})
    with pytest.raises(ValueError, match="title"):
        LimitParameter.model_validate({**{k: v for k, v in base.items() if k != "title"}, "readings": [{"value": "no_rolling", "title": title}]})


def test_the_services_evaluate_takes_changed_parameters_as_the_command_lines_set(app, tmp_path, capsys):
    from test_service import call, encode, whole_competition

    body = {"competition": whole_competition(READINGS), "parameters": {"paper_copies": 2, "rules_p5_rolling": "next_working_day"}}
    answer = call(app, "POST", "/v1/competitions/evaluate", encode(body))
    assert answer.status == 200
    result = answer.json()
    assert result["pack"]["changed_parameters"] == {
        "paper_copies": {"act": 1, "used": 2}, "rules_p5_rolling": {"act": "no_rolling", "used": "next_working_day"}
    }
    assert [c["name"] for c in result["decision_record"]["changed_parameters"]] == ["paper_copies", "rules_p5_rolling"]
    main(["evaluate", str(READINGS), "--set", "paper_copies=2", "--set", "rules_p5_rolling=next_working_day", "--format", "json", "--compact"])
    assert capsys.readouterr().out.encode("utf-8") == answer.body  # the same bytes as --set


# --------------------------------------------------------------------------- the whole product of the readings, on request

COMBINED = Path(__file__).resolve().parent / "data" / "competition-combined-readings"
TOGETHER = {
    "en": ("affiliation_grouping (Criteria 1.1) = independent_set + akimat_participant_findings (Appendix 3) = [true, false]",
           "    01-chain-of-holdings: returned → admitted; rank — → 2", "    Outcome: failed (declared not held) → held"),
    "ru": ("«Правило группировки аффилированных юридических лиц» (пункт 1.1 Критериев): Наибольшее множество попарно неаффилированных лиц + "
           "«Заключения местного исполнительного органа о наличии участников, с которыми заявка рассматривается дальше» (приложение 3 к Правилам): "
           "Заключение местного исполнительного органа лишь информирует экспертов",
           "    № КО-2017/001 Строительный кластер Карагандинской области: возвращена → допущена; место — → 2",
           "    Итог: признан несостоявшимся → состоялся"),
    "kk": ("«Үлестес заңды тұлғаларды топтастыру ережесі» (Өлшемшарттардың 1.1-тармағы): Бір-бірімен үлестес емес тұлғалардың ең үлкен жиыны + "
           "«Өтінім одан әрі қаралатын жергілікті атқарушы органның қорытындысы (қатысушылардың болуы)» (Қағидаларға 3-қосымша): "
           "Жергілікті атқарушы органның қорытындысы сарапшыларға ғана мәлімет береді",
           "    № КО-2017/001 Строительный кластер Карагандинской области: қайтарылды → жіберілді; орын — → 2",
           "    Қорытынды: өтпеді деп танылды → өтті"),
}


@pytest.mark.slow
def test_one_reading_at_a_time_misses_what_two_readings_decide_together():
    """The first application is returned for criterion 1.1's count and for the akimat's finding:
    neither reading alone admits it, both together do; the product names that combination alone."""
    competition = load_competition(COMBINED)
    alone = sensitivity(competition)
    assert not any(a.application_id == "01-chain-of-holdings" for effect in alone.readings for a in effect.applications)
    found = sensitivity(competition, all_combinations=True)
    assert found.combinations_tried == 192 and "panel_aggregation" in found.combined and "rules_p5_rolling" not in found.combined
    [together] = found.combinations
    assert [(part.parameter, part.value) for part in together.readings] == [
        ("affiliation_grouping", "independent_set"), ("akimat_participant_findings", [True, False])
    ]
    assert [(a.application_id, a.status_before, a.status_after, a.rank_before, a.rank_after) for a in together.applications] == [
        ("01-chain-of-holdings", "returned", "admitted", None, 2)
    ]
    assert (together.outcome_before, together.outcome_after) == ("failed", "held")
    assert found.depends and together.depends
    from clusterpolicy.core.tables import rows

    assert [(row["parameter"], row["application_id"]) for row in rows(found) if "+" in row["parameter"]] == [
        ("affiliation_grouping + akimat_participant_findings", "01-chain-of-holdings")
    ]


@pytest.mark.parametrize("lang", [pytest.param("kk", marks=pytest.mark.slow), "ru", pytest.param("en", marks=pytest.mark.slow)])
def test_the_command_line_names_the_combination_in_the_readers_language(lang, capsys):
    assert main(["sensitivity", str(COMBINED), "--all-combinations", "--lang", lang]) == 1
    lines = capsys.readouterr().out.splitlines()
    combination, application, outcome = TOGETHER[lang]
    at = lines.index(combination)
    assert lines[at + 1:at + 3] == [application, outcome]
    assert "192" in lines[at - 1]
    if lang != "en":
        assert not any(word in line for line in lines for word in ("01-chain", "affiliation_grouping", "independent_set"))
    assert main(["sensitivity", str(COMBINED), "--all-combinations", "--format", "json", "--compact", "--lang", lang]) == 1
    import jsonschema

    from clusterpolicy.output.schemas import shipped_schema

    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(shipped_schema("sensitivity")).validate(document)
    assert document["combinations_tried"] == 192 and len(document["combinations"]) == 1


@pytest.mark.slow
def test_the_2017_example_depends_on_no_combination_that_its_readings_alone_do_not_explain(capsys):
    found = sensitivity(load_competition(EXAMPLE), all_combinations=True)
    assert found.combinations_tried == 192 and found.combinations == []
    assert main(["sensitivity", str(EXAMPLE), "--all-combinations", "--lang", "ru"]) == 1  # the card years, alone
    out = capsys.readouterr().out
    assert "    ни одно сочетание не меняет статус, место или итог иначе, чем одно из его толкований" in out
    # the JSON of one reading at a time says that no combination was tried
    quiet = sensitivity(load_competition(EXAMPLE))
    assert (quiet.combined, quiet.combinations_tried, quiet.combinations) == ([], 0, [])


@pytest.mark.slow
def test_the_product_is_bounded_and_names_only_the_choices_asked_for(monkeypatch, capsys):
    from clusterpolicy import comparison
    from clusterpolicy.core.errors import UsageError

    competition = load_competition(COMBINED)
    monkeypatch.setattr(comparison, "MAX_COMBINATIONS", 100)
    with pytest.raises(UsageError) as refused:
        sensitivity(competition, all_combinations=True)
    assert refused.value.code == "too_many_combinations" and "192 combinations, more than 100" in refused.value.message
    assert main(["sensitivity", str(COMBINED), "--all-combinations"]) == 2
    assert "name fewer choices" in capsys.readouterr().err
    two = sensitivity(competition, all_combinations=True, choices=["akimat_participant_findings", "affiliation_grouping"])
    assert two.combined == ["affiliation_grouping", "akimat_participant_findings"] and two.combinations_tried == 4
    assert len(two.combinations) == 1
    other = sensitivity(competition, all_combinations=True, choices=["affiliation_grouping", "panel_aggregation"])
    assert other.combinations_tried == 6 and other.combinations == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--all-combinations", "--choice", "affiliation_grupping"], "has no choice 'affiliation_grupping' (did you mean 'affiliation_grouping'?)"),
        (["--all-combinations", "--choice", "rules_p5_rolling"], "moves the timeline alone and decides no verdict"),
        (["--choice", "affiliation_grouping"], "--choice names the choices to combine: add --all-combinations"),
    ],
    ids=["unknown", "timeline", "without-all-combinations"],
)
def test_a_wrong_choice_is_a_clear_error(argv, message, capsys):
    assert main(["sensitivity", str(COMBINED), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.slow
def test_the_service_combines_the_readings_on_request_and_locates_a_wrong_choice(app):
    import jsonschema
    from test_service import assert_problem, call, encode, whole_competition

    body = {"competition": whole_competition(COMBINED), "lang": "kk"}
    found = call(app, "POST", "/v1/sensitivity", encode({**body, "all_combinations": True})).json()
    assert [[part["parameter"] for part in c["readings"]] for c in found["combinations"]] == [
        ["affiliation_grouping", "akimat_participant_findings"]
    ]
    document = call(app, "GET", "/openapi.json").json()
    root = {"components": document["components"], "$ref": "#/components/schemas/Sensitivity"}
    jsonschema.Draft202012Validator(root).validate(found)
    assert call(app, "POST", "/v1/sensitivity", encode(body)).json()["combinations_tried"] == 0
    wrong = assert_problem(call(app, "POST", "/v1/sensitivity", encode({**body, "all_combinations": True, "choices": ["paper_copies"]})),
                           422, "unknown_parameter")
    assert wrong["location"]["path"] == "choices" and wrong["location"]["line"]


@pytest.mark.slow  # matplotlib's import and a PNG: over a second
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_chart_shows_the_readings_that_move_a_step_of_the_timeline(lang, tmp_path):
    """p.5's rolling changes no verdict but moves the announcement's due date (and, to the next
    working day, makes it on time): the strip under the grid says so; without such a reading
    there is no strip."""
    pytest.importorskip("matplotlib")
    from clusterpolicy.core.i18n import gettext
    from clusterpolicy.output.notebook import STEPS_COLOUR, plot_sensitivity, save_png

    found = sensitivity(load_competition(EXAMPLE), lang=lang)
    figure = plot_sensitivity(found)
    assert len(figure.axes) == 2
    strip = figure.axes[1]
    assert [label.get_text() for label in strip.get_yticklabels()] == [gettext("chart.sensitivity.timeline", lang)]
    moved = [i for i, effect in enumerate(found.readings) if effect.steps]
    assert [found.readings[i].parameter for i in moved] == ["rules_p5_rolling", "rules_p5_rolling"]
    cells = {round(t.get_position()[0]): t.get_text() for t in strip.texts}
    assert sorted(cells) == moved
    later = next(i for i in moved if found.readings[i].value == "next_working_day")
    assert cells[later].replace("\n", " ") == (
        gettext("chart.sensitivity.steps_moved", lang).format(count=1) + " "
        + f"{gettext('timeline.late', lang)} → {gettext('timeline.on_time', lang)}"
    )
    assert [int(v) for v in strip.images[0].get_array()[0]] == [1 if i in moved else 0 for i in range(len(found.readings))]
    from matplotlib.colors import to_hex

    assert STEPS_COLOUR in [to_hex(handle.get_facecolor()) for handle in figure.legends[0].legend_handles]
    assert save_png(figure, tmp_path / "steps.png").read_bytes().startswith(b"\x89PNG")
    quiet = found.model_copy(update={"readings": [e.model_copy(update={"steps": []}) for e in found.readings]})
    assert len(plot_sensitivity(quiet).axes) == 1


def test_the_sensitivity_frame_has_a_row_per_application_and_reading_or_combination():
    pytest.importorskip("pandas")
    from clusterpolicy.output.notebook import to_dataframe

    frame = to_dataframe(sensitivity(load_competition(COMBINED), lang="ru", all_combinations=True))
    together = frame[frame["combined"]]
    assert list(together["parameter"]) == ["affiliation_grouping + akimat_participant_findings"]
    assert list(together["cluster"]) == ["Строительный кластер Карагандинской области"]
    assert list(together["status_after"]) == ["admitted"] and list(together["rank_after"]) == [2]
    assert str(frame["rank_after"].dtype) == "Int64"
    alone = frame[~frame["combined"]]
    assert set(alone["parameter"]) == {"participant_card_years"} and list(alone["application_id"]) == ["02-unchanged"]
    # one reading at a time: no combined row; nothing judged otherwise: an empty frame
    quiet = sensitivity(load_competition(READINGS)).model_copy(update={"readings": []})
    assert to_dataframe(quiet).empty


@pytest.mark.slow
def test_sensitivity_on_the_2017_example_says_which_statuses_depend_on_which_reading(capsys):
    """Done when: the 2017 example's statuses depend on the card years' reading alone (its cards
    give the four years before 2017, not the form's 2010-2013); the aggregation moves ranks only."""
    found = sensitivity(load_competition(EXAMPLE))
    statuses = {(e.parameter, str(e.value)): sorted(a.application_id[:3] for a in e.applications if a.status_before != a.status_after)
                for e in found.readings}
    assert {key: ids for key, ids in statuses.items() if ids} == {("participant_card_years", "[2010, 2011, 2012, 2013]"): ADMITTED}
    assert main(["sensitivity", str(EXAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "participant_card_years (Appendix 2 §7) = [2010, 2011, 2012, 2013]: The years printed in the form (2010-2013)" in out
    assert "    01-karaganda-construction: admitted → returned; rank 2 → —" in out
    assert out.rstrip().endswith("Some of these results depend on a contested reading: see above.")


@pytest.mark.slow  # matplotlib's import and a PNG: over a second
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_chart_has_a_column_for_the_combination_that_decides_together(lang, tmp_path):
    pytest.importorskip("matplotlib")
    from clusterpolicy.core.i18n import gettext
    from clusterpolicy.output.notebook import SENSITIVITY_COLOURS, plot_sensitivity, save_png

    found = sensitivity(load_competition(COMBINED), lang=lang, all_combinations=True)
    figure = plot_sensitivity(found)
    ax = figure.axes[0]
    columns = [label.get_text().replace("\n", " ") for label in ax.get_xticklabels()]
    assert len(columns) == len(found.readings) + 1
    [together] = found.combinations
    assert all(part.reading in columns[-1] and part.title in columns[-1] for part in together.readings) and " + " in columns[-1]
    kinds = list(SENSITIVITY_COLOURS)
    grid = ax.images[0].get_array()
    assert kinds[int(grid[0][-1])] == "status" and kinds[int(grid[-1][-1])] == "status"  # 01 admitted, the competition held
    assert figure._suptitle.get_text() == gettext("chart.sensitivity.combined", lang)
    assert save_png(figure, tmp_path / "combined.png").read_bytes().startswith(b"\x89PNG")
    assert plot_sensitivity(sensitivity(load_competition(COMBINED), lang=lang))._suptitle.get_text() == gettext("chart.sensitivity", lang)
