"""Issue 23 (legal fidelity III): the akimat's table matched by entity, not spelling; legal
entities without a Kazakh BIN; more than one akimat; the participant card's years; the
organiser's finding under p.16/p.32. The YAML cases of the pack hold the verdicts; these tests
hold what a YAML case cannot state (message texts, the library's functions)."""

from __future__ import annotations

import pytest

from clusterpolicy.evaluation import evaluate
from clusterpolicy.identifiers.names import name_key, same_entity_name
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import valid_application, valid_competition

DECREE = "kz-2015-decree-535"


# --------------------------------------------------------------------------- (a) names


@pytest.mark.parametrize(
    "one, other",
    [
        ("ТОО «Алатау»", "ЖШС «Алатау»"),
        ("ТОО «Алатау»", "«Алатау» ЖШС"),
        ("ТОО «Алатау»", 'Жауапкершілігі шектеулі серіктестігі "Алатау"'),
        ("ТОО «Алатау»", "Товарищество с ограниченной ответственностью «АЛАТАУ»"),
        ("ТОО «Алатау»", "Alatau LLP".replace("Alatau", "Алатау")),
        ("АО «Алатау»", "«Алатау» АҚ"),
        ("АО «Алатау»", "Акционерное общество «Алатау»"),
        ("АО «Алатау»", "Алатау акционерлік қоғамы"),
        ("ИП Сейітова", "Сейітова ЖК"),
        ("ИП Сейітова", "Жеке кәсіпкер Сейітова"),
        ("«Алатау»", "ТОО «Алатау»"),  # a form on one side only does not part them
        ("ТОО «Жұлдыз-Ё»", "тоо жұлдыз-е"),
    ],
)
def test_one_entity_in_its_spellings(one, other):
    assert same_entity_name(one, other), (name_key(one), name_key(other))


@pytest.mark.parametrize(
    "one, other",
    [
        ("ТОО «Алатау»", "АО «Алатау»"),  # two legal forms: two entities
        ("ТОО «Алатау 1»", "ТОО «Алатау 2»"),
        ("ТОО «Алатау»", "ТОО «Alatau»"),  # a transliteration is not guessed
        ("ТОО", "ЖШС"),  # a form alone names nobody
    ],
)
def test_different_names_stay_apart(one, other):
    assert not same_entity_name(one, other)


def test_an_unmatched_name_is_a_warning_with_both_spellings():
    application = valid_application(stage=1)
    table = application.akimat_conclusion.participants
    first = application.participants[0]
    table[0] = table[0].model_copy(update={"name": "ТОО «Другое Имя»", "bin": None})
    result = evaluate(application, competition=valid_competition(stage=1), pack=load_pack(DECREE), lang="ru")
    finding = next(r for r in result.results if r.rule_id == "documents.akimat-lists-participants")
    assert finding.outcome == "failed" and finding.severity == "warning"
    assert first.name in finding.message and "ТОО «Другое Имя»" in finding.message
    assert result.status == "admitted"


# --------------------------------------------------------------------------- (c) legal entities without a BIN


def _count(application):
    from clusterpolicy.checks.affiliation import count_unaffiliated_legal_entities

    return count_unaffiliated_legal_entities(application.participants)


def test_a_legal_entity_without_a_bin_is_identified_by_its_card_and_the_result_says_so():
    application = valid_application(stage=1)
    people = application.participants
    people[0] = people[0].model_copy(update={"bin": None, "capital_country": "DE", "domestic": False})
    result = _count(application)
    members = {m.participant_id: m for m in result.participants}
    assert (members[people[0].id].counted_as, members[people[0].id].identified_by) == ("legal_entity", "card")
    assert members[people[1].id].identified_by == "bin"
    assert result.count_certain == 12 and not [p for p in result.identifier_problems if p.participant_id == people[0].id]


def test_one_entity_known_by_its_card_listed_twice_counts_once():
    application = valid_application(stage=1)
    people = application.participants
    first = people[0].model_copy(update={"bin": None, "name": "ТОО «Қазақ Өнім 1»"})
    twice = people[0].model_copy(update={"id": people[1].id, "bin": None, "name": "«Қазақ Өнім 1» ЖШС"})
    people[0], people[1] = first, twice
    result = _count(application)
    assert result.count_certain == 11
    assert [m.participant_id for m in result.members(result.groups[0])] == [people[0].id, people[1].id]


def test_without_a_bin_nor_the_cards_identity_the_entity_stays_unverified():
    application = valid_application(stage=1)
    people = application.participants
    people[0] = people[0].model_copy(update={"bin": None, "founded": None})
    result = _count(application)
    assert (result.count_certain, result.count_if_all_unknown_counted) == (11, 12)
    assert [p.code for p in result.identifier_problems] == ["missing_bin"]


# --------------------------------------------------------------------------- (d) one conclusion per region


def _two_region_data():
    from clusterpolicy.testing import application_data

    data = application_data(1)
    second = dict(data["akimat_conclusion"], issued_by="Ақмола облысы әкімдігі", region="akmola", participants=[])
    return data, second


def test_every_conclusion_given_as_one_list_is_read_as_the_regions_and_the_others():
    from clusterpolicy.input.decree535_form import Application

    data, second = _two_region_data()
    first = data.pop("akimat_conclusion")
    data.update(other_regions=["akmola"], akimat_conclusions=[first, second])
    application = Application.model_validate(data)
    assert application.akimat_conclusion.region == "karaganda"
    assert [c.region for c in application.akimat_conclusions] == ["karaganda", "akmola"]
    result = evaluate(application, competition=valid_competition(stage=1), pack=load_pack(DECREE))
    found = {r.rule_id: r.outcome for r in result.results}
    assert found["documents.akimat-conclusion-each-region"] == "passed" and result.status == "admitted"


def test_a_single_conclusion_is_still_accepted_as_before():
    from clusterpolicy.input.decree535_form import Application

    data, _ = _two_region_data()
    application = Application.model_validate(data)
    assert application.other_akimat_conclusions == [] and len(application.akimat_conclusions) == 1
    data["akimat_conclusions"] = data.pop("akimat_conclusion")  # one conclusion, not in a list
    assert Application.model_validate(data).akimat_conclusion == application.akimat_conclusion


def test_both_forms_at_once_are_refused_with_the_reason():
    from pydantic import ValidationError

    from clusterpolicy.input.decree535_form import Application

    data, second = _two_region_data()
    data["akimat_conclusions"] = [second]
    with pytest.raises(ValidationError, match="not both"):
        Application.model_validate(data)


def test_the_regions_without_a_conclusion_are_counted_in_the_message_and_named_in_the_values():
    from clusterpolicy.input.decree535_form import Application

    data, _ = _two_region_data()
    data["other_regions"] = ["akmola", "pavlodar"]
    application = Application.model_validate(data)
    for lang in ("en", "ru"):
        result = evaluate(application, competition=valid_competition(stage=1), pack=load_pack(DECREE), lang=lang)
        finding = next(r for r in result.results if r.rule_id == "documents.akimat-conclusion-each-region")
        assert finding.outcome == "failed" and finding.observed["not_listed"] == ["akmola", "pavlodar"]
        assert "(2)" in finding.message and "akmola" not in finding.message


# --------------------------------------------------------------------------- item 5: the organiser's finding (p.16, p.32)


@pytest.mark.parametrize("lang, words", [("kk", "дәйектелмегенін"), ("ru", "необоснованность"), ("en", "not substantiated")])
def test_the_organisers_finding_returns_the_application_in_its_own_words(lang, words):
    from clusterpolicy.input.decree535_form import Application
    from clusterpolicy.testing import application_data

    data = application_data(1)
    data["records"] = dict(data.get("records") or {}, organiser_findings=[
        {"document": "Тұжырымдама, 4-бөлім", "information": "экспорт 12 млрд теңге", "reason": "карточкаларда 3 млрд теңге"}
    ])
    result = evaluate(Application.model_validate(data), competition=valid_competition(stage=1), pack=load_pack(DECREE), lang=lang)
    finding = next(r for r in result.results if r.rule_id == "documents.information-substantiated")
    assert (finding.outcome, finding.severity, result.status) == ("failed", "return", "returned")
    assert words in finding.message and "Тұжырымдама, 4-бөлім: «экспорт 12 млрд теңге» (карточкаларда 3 млрд теңге)" in finding.message
    assert finding.citation.provision == "Rules p.16, p.32"


def test_a_finding_needs_its_document_information_and_reason():
    from pydantic import ValidationError

    from clusterpolicy.input.decree535_form import OrganiserFinding

    with pytest.raises(ValidationError, match="reason"):
        OrganiserFinding.model_validate({"document": "Тұжырымдама", "information": "экспорт"})


# --------------------------------------------------------------------------- p.28: the authorized body's terms, by hand


def _p28_timeline():
    import datetime as dt

    from clusterpolicy.input.decree535_form import ProcedureEvent
    from clusterpolicy.procedure.timeline import compute_timeline

    day = dt.date
    events = [
        ProcedureEvent(event="strategy_registered", date=day(2017, 12, 15), application_id="a1"),  # Friday
        ProcedureEvent(event="roadmap_forwarded", date=day(2017, 12, 21), application_id="a1"),
        ProcedureEvent(event="roadmap_receipt_registered", date=day(2017, 12, 22), application_id="a1"),  # Friday
        ProcedureEvent(event="roadmap_agreed", date=day(2018, 1, 3), application_id="a1"),
        ProcedureEvent(event="strategy_reviewed", date=day(2018, 1, 5), application_id="a1"),
    ]
    timeline = compute_timeline(load_pack(DECREE).time_limits, events)
    return {entry.limit_id: entry for entry in timeline.entries if entry.limit_id.startswith("rules-p28")}


def test_p28_1_terms_are_counted_in_working_days_over_independence_day_and_new_year():
    """p.28(1): «тіркелген күнінен бастап 3 (үш) жұмыс күні ішінде ... жібереді»; «келіп түскені
    тіркелген күннен бастап 5 (бес) жұмыс күні ішінде келіседі». Independence Day (16-17 December
    2017) fell on a weekend, so Monday 18 and Tuesday 19 December were days off: three working days
    after Friday 15 December are Wed 20, Thu 21, Fri 22. Five after Friday 22 December are Mon 25 to
    Fri 29; 30-31 December are a weekend and 1-2 January holidays, so the agreement of Wednesday
    3 January 2018 is late by one working day (five calendar days)."""
    import datetime as dt

    entries = _p28_timeline()
    forwarded, agreed = entries["rules-p28-1-roadmap-forwarded"], entries["rules-p28-1-roadmap-agreed"]
    assert (forwarded.due_date, forwarded.status) == (dt.date(2017, 12, 22), "on_time")
    assert (agreed.due_date, agreed.status) == (dt.date(2017, 12, 29), "late")
    assert (agreed.late_working_days, agreed.late_calendar_days) == (1, 5)


def test_p28_2_term_is_counted_in_calendar_days():
    """p.28(2): «келіп түскені тіркелген күннен бастап күнтізбелік 20 (жиырма) күн ішінде ... қарайды»:
    20 calendar days after Friday 15 December 2017 is Thursday 4 January 2018, a working day."""
    import datetime as dt

    review = _p28_timeline()["rules-p28-2-strategy-review"]
    assert (review.due_date, review.status, review.late_calendar_days) == (dt.date(2018, 1, 4), "late", 1)


# --------------------------------------------------------------------------- the KIRI methodology on its own terms

METHODOLOGY = "kz-2017-kiri-methodology"


def test_the_methodology_pack_declares_every_stand_in_and_nothing_else():
    from clusterpolicy.authoring.stand_ins import foreign, stand_in_problems

    pack = load_pack(METHODOLOGY)
    assert stand_in_problems(pack) == []
    [stand_in] = pack.header.stand_ins
    assert stand_in.citation.provision == "Methodology §3.2.2" and "1212" in stand_in.stands_for.en
    for rule in pack.rules:  # every rule is the methodology's own or a declared stand-in of the decree
        assert foreign(pack, rule.citation) and pack.stand_in("rules", rule.id) is stand_in, rule.id
    assert all(not limit.citation.provision.startswith("Rules") and limit.indicative for limit in pack.time_limits)


@pytest.mark.slow  # loads both packs from a folder
def test_the_methodology_pack_without_its_declaration_fails_check(packs_copy):
    from clusterpolicy.authoring.suite import check_pack

    pack_yaml = packs_copy / METHODOLOGY / "pack.yaml"
    text = pack_yaml.read_text("utf-8")
    pack_yaml.write_text(text.replace("      - documents.stage1-concept\n", "", 1), "utf-8")
    found = check_pack(packs_copy / METHODOLOGY)
    assert any(
        error.startswith("rule documents.stage1-concept cites Rules p.6(2) of Government Decree No. 535") for error in found.errors
    ), found.errors


def test_the_2017_selection_under_the_methodology_is_judged_by_it_and_its_declared_stand_ins():
    from clusterpolicy.authoring.stand_ins import foreign
    from clusterpolicy.evaluation import evaluate_competition
    from clusterpolicy.input.loading import load_competition
    from pathlib import Path

    pack = load_pack(METHODOLOGY)
    competition = load_competition(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
    result = evaluate_competition(competition, pack=pack)
    for application in result.applications:
        for finding in application.results:
            rule = pack.rule(finding.rule_id)
            assert not foreign(pack, rule.citation) or pack.stand_in("rules", rule.id), rule.id
    statuses = {a.application_id: a.status for a in result.applications}
    # no akimat conclusion, applicant type or ten-entity gate of the decree returns anyone
    assert [a for a, s in statuses.items() if s == "returned"] == ["10-mangystau-oil-and-gas-services", "12-zhambyl-phosphorus-chemistry"]


def test_the_methodology_has_one_stage_and_its_procedure_cites_it():
    pack = load_pack(METHODOLOGY)
    assert sorted(pack.procedure.stages) == [1]
    assert pack.procedure.stages[1].next_step.provision == "Methodology §3.2.2(5)"
    assert pack.procedure.citations.criteria.provision == "Methodology §3.2.1"
    assert pack.header.act.adopted is None and pack.header.act.repealed_by is None


def test_about_two_months_of_acceptance_is_indicative_both_ways():
    import datetime as dt

    from clusterpolicy.input.decree535_form import ProcedureEvent
    from clusterpolicy.procedure.timeline import compute_timeline

    pack = load_pack(METHODOLOGY)
    events = [ProcedureEvent(event="announcement", date=dt.date(2017, 4, 10)),
              ProcedureEvent(event="acceptance_closed", date=dt.date(2017, 6, 8))]
    entries = {e.limit_id: e for e in compute_timeline(pack.time_limits, events).entries}
    longest, shortest = entries["methodology-3-2-2-4-acceptance"], entries["methodology-3-2-2-4-acceptance-period"]
    assert longest.indicative and shortest.indicative
    assert longest.status == "on_time"  # 8 June is within two months of 10 April
    assert shortest.status == "late"  # but 59 days, a day short of «ориентировочно ... 2 месяцев»: indicatively
    assert not any(limit_id.startswith("rules-") for limit_id in entries)


def test_the_methodology_scoring_says_what_it_changes():
    scoring = load_pack(METHODOLOGY).scoring
    assert "1/32" in scoring.weights_note.en and "1/12" in scoring.weights_note.en
    impact = next(block for block in scoring.blocks if block.id == "socio-economic-impact")
    assert impact.note is not None and "стратегиям" in impact.note.ru
    group = next(sub for block in scoring.blocks for sub in block.sub_criteria if sub.id == "value-chain-group")
    assert "критикалық масса" in group.title.kk and "сыни" not in group.title.kk
    assert scoring.minimum_experience_years.value == 0
