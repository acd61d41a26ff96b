"""The style guide of Kazakh and Russian documents (docs/style-kk-ru.md), enforced.

Every kk/ru document of both examples (the return notices, the protocol of the check against
the requirements, the protocol of the review of the materials, in Markdown and HTML;
``evaluate --details``; ``deadlines --all``; ``diff --set``; ``sensitivity``) and every message and title of every rule of both
shipped packs, rendered from the pack's own failing cases, is read by the checks of
``tests/style_kk_ru.py``: no Latin-script id or English word, a decimal comma, Kazakh dates year
first with their case endings, none of the banned words, no doubled punctuation. Each check
fails on the wording the documents had before the style guide (quoted below from them).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from clusterpolicy.core import l10n
from clusterpolicy.evaluation import evaluate
from clusterpolicy.output.cli import main
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import break_rule, breakers, valid_competition

from style_kk_ru import by_rule, faults

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
COMPETITIONS = ("competition-2017", "competition-2017-stage2")
LANGS = ("kk", "ru")
PACKS = ("kz-2015-decree-535", "kz-2017-kiri-methodology")


def _run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(list(argv))
    return out.getvalue() + err.getvalue()


def _documents(folder: str, lang: str) -> dict[str, str]:
    path = str(EXAMPLES / folder)
    commands = {
        f"{kind} {fmt}": ["report", path, "--kind", kind, "--lang", lang, "--format", fmt]
        for kind in ("notice", "completeness-protocol", "evaluation-protocol")
        for fmt in ("md", "html")
    }
    commands["evaluate --details"] = ["evaluate", path, "--details", "--lang", lang]
    commands["deadlines --all"] = ["deadlines", path, "--all", "--lang", lang]
    commands["diff --set"] = ["diff", path, "--set", "paper_copies=2", "--lang", lang]
    commands["sensitivity"] = ["sensitivity", path, "--lang", lang]
    return {name: _run(*argv) for name, argv in commands.items()}


# --------------------------------------------------------------------------- each check fails on the old wording

OLD = {
    # (language, text as the documents printed it before the style guide): the rule that catches it
    ("kk", "10-mangystau-oil-and-gas-services    пысықтауға қайтарылды: contents.concept-conditions"): {"latin", "banned"},
    ("ru", "Жол картасының іс-шараларында міндетті элементтер жоқ: іс-шара a4: мақсатты топ"): {"latin"},
    ("ru", "Протокол оценки заявок (этап 1) | 16.50 | 17.50 | 66.00 | 86.71"): {"decimal"},
    ("kk", "**Күні:** 15 маусым 2017 ж."): {"kk-date"},
    ("kk", "Әкімдік қорытындысы 2017 жылғы 30 мамыр берілген"): {"kk-date", "banned"},  # «әкімдік»: the decree's «жергілікті атқарушы орган»
    ("ru", "Уведомление о возврате заявки на доработку"): {"banned"},
    ("ru", "Протокол проверки заявок на полноту (этап 1)"): {"banned"},
    ("kk", "Өтінімдерді толықтығына тексеру хаттамасы"): {"banned"},
    ("kk", "Қағидалар пакеті: kz-2015-decree-535"): {"banned", "latin"},
    ("ru", "Пакет правил: «Критерии и Правила» (1.0.0)"): {"banned"},
    ("ru", "передаётся в Комиссию: не позднее 4 декабря 2017 г.."): {"punctuation"},
    ("ru", "примечание: The Rules do not say what a finding does"): {"latin"},
    ("ru", "Экспертное заключение есть, но в записях заявки нет заключения уполномоченного органа"): {"banned"},
    ("kk", "Сарапшылық қорытынды бар, бірақ өтінімнің жазбаларында онымен бірге"): {"banned"},
    ("kk", "Облыстың, республикалық маңызы бар қаланың, астананың әкімдігінің қорытындысы"): {"banned"},
}


@pytest.mark.parametrize(("lang", "text"), sorted(OLD))
def test_each_check_fails_on_the_old_wording(lang, text):
    assert set(by_rule(faults(text, lang))) == OLD[(lang, text)]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("kk", "Қазақстан Республикасы Үкіметінің 2015 жылғы 16 шілдедегі № 535 қаулысымен бекітілген Аумақтық кластерлерге конкурстық іріктеу жүргізу қағидаларының 16-тармағына сәйкес өтінім қайтарылады"),
        ("kk", "Жергілікті атқарушы органның қорытындысы 2017 жылғы 30 мамырда берілген; 2017 жылғы 7 желтоқсаннан кешіктірілмей"),
        ("kk", "**Күні:** 2017 жылғы 15 маусым, сағат 19:30; Өлшемшарттардың 1.1-тармағы; 08.06.2017; 86,71"),
        ("kk", "Конкурсқа қатысушы конкурстық өтінімде берілетін ақпараттың толықтығы және анықтығы үшін жауаптылықта болады"),
        ("ru", "В соответствии с пунктом 16 Правил … № 535, заявка возвращается; 8 июня 2017 г., 19:30; пункт 1.1 Критериев; 89,50 балла"),
        ("ru", "Ожидается... 1.0.0"),
    ],
)
def test_the_style_of_the_act_passes(lang, text):
    assert faults(text, lang) == []


def test_the_html_is_read_as_its_visible_text():
    page = '<html><head><style>body{font-family:serif}</style></head><body><p>Барлығы: 86,71 &amp; 2017 жылғы 1 маусым</p></body></html>'
    assert faults(page, "kk") == []


# --------------------------------------------------------------------------- every document of both examples


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("folder", COMPETITIONS)
def test_every_document_of_the_examples_follows_the_style_guide(folder, lang):
    documents = _documents(folder, lang)
    assert all(len(text) > 200 for text in documents.values())  # each command ran and said something
    found = {name: by_rule(faults(text, lang)) for name, text in documents.items()}
    assert {name: rules for name, rules in found.items() if rules} == {}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_the_documents_of_the_2017_example_under_the_methodology_follow_the_style_guide(lang):
    """The same documents under the KIRI methodology's pack: its own provisions, its stand-in
    paragraph and the records' findings (an expert conclusion whose points differ from the marks)."""
    path = str(EXAMPLES / "competition-2017")
    commands = {kind: ["report", path, "--kind", kind, "--lang", lang] for kind in ("notice", "completeness-protocol", "evaluation-protocol")}
    commands["evaluate --details"] = ["evaluate", path, "--details", "--lang", lang]
    commands["sensitivity"] = ["sensitivity", path, "--lang", lang]
    documents = {name: _run(*argv, "--pack", PACKS[1]) for name, argv in commands.items()}
    assert all(len(text) > 200 for text in documents.values())
    assert {"ru": "Противоречия в записях процедуры", "kk": "Процедура жазбаларындағы қайшылықтар"}[lang] in documents["evaluate --details"]
    found = {name: by_rule(faults(text, lang)) for name, text in documents.items()}
    assert {name: rules for name, rules in found.items() if rules} == {}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pack_id", PACKS)
def test_every_message_and_title_of_a_pack_follows_the_style_guide(pack_id, lang):
    """Each rule's title and the message its own failing case makes (the pack's cases)."""
    pack = load_pack(pack_id)
    found = {}
    kept = {rule.id for rule in pack.rules}
    for rule_id, (stage, _case) in sorted(breakers().items()):
        if rule_id not in kept or stage not in pack.procedure.stages:  # a decree rule or stage the methodology does not keep (issue 23)
            continue
        result = evaluate(break_rule(rule_id), competition=valid_competition(stage), pack=pack, lang=lang)
        finding = next(r for r in result.results if r.rule_id == rule_id)
        assert finding.outcome == "failed" and finding.message
        problems = by_rule(faults(f"{finding.title}\n{finding.message}", lang))
        if problems:
            found[rule_id] = problems
    for rule in pack.rules:
        problems = by_rule(faults(rule.title.get(lang), lang))
        if problems:
            found[f"{rule.id} title"] = problems
    assert found == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pack_id", PACKS)
def test_every_rules_title_message_and_note_as_explain_prints_them_follows_the_style_guide(pack_id, lang):
    """``explain`` and ``packs show`` print each rule's title, message and note: «в материалах
    заявки», not «в записях заявки» (issue 22, item 5), and every other rule of the guide."""
    found = {}
    for rule in load_pack(pack_id).rules:
        texts = [rule.title.get(lang)] + [text.get(lang) for text in (rule.message, getattr(rule, "note", None)) if text is not None]
        problems = by_rule(faults(re.sub(r"\{[^{}]*\}", "…", "\n".join(texts)), lang))  # placeholders aside
        if problems:
            found[rule.id] = problems
    assert found == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pack_id", PACKS)
def test_packs_show_cites_every_provision_and_marks_choices_in_the_language(pack_id, lang):
    """``packs show`` in kk/ru: every provision of a rule or a parameter cited as the act is cited
    («приложение 3 к Правилам, пункт 16 Правил», «статья 64 Закона «Об акционерных обществах»»),
    never as the pack writes it («Appendix 3, Rules p.16», «Article 64 (affiliated persons)»), and
    a choice marked in the language, not «[choice]»; ids and values stay as they are."""
    text = _run("packs", "show", pack_id, "--lang", lang)
    english = re.findall(r"\[choice\]|\bextends\b|\b(?:Rules|Appendix|Article|Criteria|preamble|affiliated)\b", text)
    assert english == []
    assert {"kk": "[таңдау]", "ru": "[выбор]"}[lang] in text


def _pack_cases_competition(folder: Path, stage: int) -> None:
    """The pack's own failing cases of ``stage`` as the applications of one competition (ids case-NN)."""
    import yaml

    from clusterpolicy.testing import break_rule, breakers, valid_competition

    competition = valid_competition(stage).model_dump(mode="json", exclude_none=True)
    competition.pop("applications", None)
    (folder / "competition.yaml").write_text(yaml.safe_dump(competition, allow_unicode=True), "utf-8")
    for number, rule_id in enumerate(sorted(rule for rule, (st, _case) in breakers().items() if st == stage), start=1):
        application = break_rule(rule_id).model_dump(mode="json", exclude_none=True)
        application["id"] = f"case-{number:02d}"
        (folder / f"case-{number:02d}.yaml").write_text(yaml.safe_dump(application, allow_unicode=True), "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("stage", [1, 2])
def test_the_documents_of_the_packs_cases_follow_the_style_guide(tmp_path, stage):
    """Every failing case of the pack, as one competition: its notices, protocols and ``evaluate
    --details`` (with the remedies: a region by its name «Ақмола облысы», an akimat's level in
    words, a record by its label, never «akmola», «oblast», «body: -»; an application without its
    registering document «№ ____», never its file id). Latin the input itself carries (the cases'
    «R-1», «EC-3», an English body's name) is the input's own, not the library's."""
    _pack_cases_competition(tmp_path, stage)
    given = set(re.findall(r"[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*", "".join(p.read_text("utf-8") for p in sorted(tmp_path.glob("*.yaml")))))
    found = {}
    for lang in LANGS:
        commands = {kind: ["report", str(tmp_path), "--kind", kind, "--lang", lang] for kind in ("notice", "completeness-protocol", "evaluation-protocol")}
        commands["evaluate --details"] = ["evaluate", str(tmp_path), "--details", "--lang", lang]
        for name, argv in commands.items():
            problems = by_rule([(rule, excerpt) for rule, excerpt in faults(_run(*argv), lang) if not (rule == "latin" and excerpt in given and not excerpt.startswith("case-"))])
            if problems:
                found[f"{lang} {name}"] = problems
    assert found == {}


# --------------------------------------------------------------------------- the words of the decree


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_the_documents_use_the_decrees_own_words(lang):
    stage1 = _documents("competition-2017", lang)
    stage2 = _documents("competition-2017-stage2", lang)
    expected = {
        "kk": {
            "notice md": ["Конкурстық өтінімді қайтару туралы хабарлама", "қаулысымен бекітілген Аумақтық кластерлерге конкурстық іріктеу жүргізу қағидаларының 16-тармағына сәйкес өтінім қайтарылады, себебі ол мына талаптарға сай келмейді:", "Сай келмеген талаптар", "жергілікті атқарушы органның қорытындысы"],
            "completeness-protocol md": ["Қағидалардың 6-тармағында белгіленген талаптарға сәйкестігін тексеру хаттамасы", "Қолданылған акт", "2017 жылғы 8 маусым, сағат 18:00"],
            "evaluation-protocol md": ["Өтінімдер материалдарын қарау хаттамасы", "86,71"],
        },
        "ru": {
            "notice md": ["Уведомление о возврате конкурсной заявки", "В соответствии с пунктом 16 Правил проведения конкурсного отбора территориальных кластеров, утверждённых постановлением Правительства Республики Казахстан от 16 июля 2015 года № 535, заявка возвращается", "Несоответствия требованиям"],
            "completeness-protocol md": ["на соответствие требованиям пункта 6 Правил", "Применённый акт", "(первый этап)"],
            "evaluation-protocol md": ["Протокол рассмотрения материалов заявок", "86,71"],
        },
    }[lang]
    for name, phrases in expected.items():
        for phrase in phrases:
            assert phrase in stage1[name], (name, phrase)
    review = stage2["evaluation-protocol md"]
    if lang == "ru":
        assert "в течение 3 рабочих дней" in review and "Протокол рассмотрения конкурсных заявок (второй этап)" in review
        assert "«Дуальное обучение станочников и сварщиков»" in stage2["notice md"]
    else:
        assert "3 жұмыс күні ішінде, 2017 жылғы 7 желтоқсаннан кешіктірілмей" in review
        assert "«Дуальное обучение станочников и сварщиков» іс-шарасы" in stage2["notice md"]


# --------------------------------------------------------------------------- numbers and dates are functions of the language


def test_numbers_are_written_as_the_language_writes_them():
    assert [l10n.number("86.71", lang) for lang in ("kk", "ru", "en")] == ["86,71", "86,71", "86.71"]
    assert l10n.number(10, "ru") == "10" and l10n.number("1.0.0", "ru") == "1.0.0"
    assert l10n.points("89.50", "ru") == "89,50 балла"  # a fraction takes the genitive singular
    assert [l10n.points(n, "ru") for n in (1, 3, 5, 21)] == ["1 балл", "3 балла", "5 баллов", "21 балл"]
    assert l10n.points("89.50", "kk") == "89,50 балл"
    assert l10n.term(3, "working_days", "ru", case="gen") == "3 рабочих дней"
    assert l10n.term(1, "working_days", "ru", case="gen") == "1 рабочего дня"


@pytest.mark.parametrize(
    ("case", "day", "expected"),
    [
        (None, "2017-06-15", "2017 жылғы 15 маусым"),
        ("loc", "2017-05-30", "2017 жылғы 30 мамырда"),
        ("dat", "2017-06-15", "2017 жылғы 15 маусымға"),
        ("abl", "2017-12-07", "2017 жылғы 7 желтоқсаннан"),
        ("loc", "2017-09-01", "2017 жылғы 1 қыркүйекте"),
        ("loc", "2017-06-08T19:30:00+06:00", "2017 жылғы 8 маусымда, сағат 19:30-да"),
        ("loc", "2017-06-08T18:00:00+06:00", "2017 жылғы 8 маусымда, сағат 18:00-де"),
        ("abl", "2017-06-08T18:40:00+06:00", "2017 жылғы 8 маусымнан, сағат 18:40-тан"),
        ("attr", "2017-05-02", "2017 жылғы 2 мамырдағы"),  # before the number it dates: «… № КО-2017/001»
        ("attr", "2015-07-16", "2015 жылғы 16 шілдедегі"),
    ],
)
def test_kazakh_dates_are_year_first_with_the_case_the_sentence_needs(case, day, expected):
    assert l10n.written(day, "kk", case=case) == expected


def test_a_number_with_its_date_is_written_date_first_in_kazakh():
    from clusterpolicy.output.reports import _numbered

    assert _numbered("КО-2017/001", "2017-05-02", "kk") == "2017 жылғы 2 мамырдағы № КО-2017/001"
    assert _numbered("КО-2017/001", "2017-05-02", "ru") == "№ КО-2017/001 от 2 мая 2017 г."
    assert l10n.written("2017-05-02", "ru", case="attr") == "2 мая 2017 г."


def test_a_message_asks_for_the_case_of_a_date():
    day = l10n.dated("2017-05-30", "kk")
    assert f"{day:loc} берілген" == "2017 жылғы 30 мамырда берілген"
    assert f"{l10n.dated('2017-05-30', 'ru'):loc}" == "30 мая 2017 г."  # Russian: the same in every case
    assert str(day) == "2017 жылғы 30 мамыр"


def test_no_message_of_a_pack_puts_a_nominative_kazakh_date_before_a_verb():
    """A date placeholder directly before a word in a kk message asks for its case (``{end:loc}``)."""
    dates = re.compile(r"\{(?:end|due|start|timestamp|submitted_at|closes_at)\} [а-яәғқңөұүһі]")
    for pack_id in PACKS:
        for rule in load_pack(pack_id).rules:
            assert not dates.search(rule.message.kk), (rule.id, rule.message.kk)


# --------------------------------------------------------------------------- no English note for kk/ru readers


def _notes(pack_id: str):
    """(where, kk/ru text) of every note of a pack: its rules', its parameters', its scoring's."""
    pack = load_pack(pack_id)
    found = []
    for rule in pack.rules:
        found.append((f"rule {rule.id}", rule.note))
    for name, parameter in pack.parameters.items():
        found.append((f"parameter {name}", parameter.note))
    return [(where, note) for where, note in found if note is not None]


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_note_is_written_in_kazakh_and_russian_without_raw_values(pack_id):
    """No English note is shown to a kk or ru reader, and no kk/ru note quotes a raw value
    (``median``, ``no_rolling``) or a parameter's id: the notes are Texts with Latin-free kk and ru."""
    problems = {}
    for where, note in _notes(pack_id):
        if isinstance(note, str):
            problems[where] = "English only"
            continue
        for lang in LANGS:
            latin = by_rule(faults(note.get(lang), lang)).get("latin")
            if latin:
                problems[f"{where} {lang}"] = latin
    assert problems == {}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_explain_and_packs_show_print_no_english_note(lang):
    shown = _run("packs", "show", PACKS[0], "--lang", lang)
    for pack_id in PACKS:
        for rule in load_pack(pack_id).rules[:: 5]:  # every fifth rule: the notes are checked as data above
            shown += _run("explain", rule.id, "--pack", pack_id, "--lang", lang)
    label = {"kk": "ескертпе", "ru": "примечание"}[lang]
    notes = [line.split(":", 1)[1] for line in shown.splitlines() if line.strip().startswith((f"{label}:", "note:"))]
    assert notes and all(not by_rule(faults(note, lang)).get("latin") for note in notes), [n for n in notes if faults(n, lang)][:3]
