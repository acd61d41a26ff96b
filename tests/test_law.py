"""The law beside the code: docs/law.html and docs/law.md are current, and every unit of the
decree's Kazakh text has an entry (encoded, or the reason it is not).

The units are the pack's law.yaml over rules/kz-2015-decree-535/source/kk.txt; the entries are
requirements.yaml; docs/generate_law.py writes both files (clusterpolicy.authoring.lawdoc).
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clusterpolicy.authoring import lawdoc, traceability
from clusterpolicy.authoring.lawdoc import collect, problems, render_html, render_markdown
from clusterpolicy.authoring.traceability import Requirement, read_requirements
from clusterpolicy.core.act_text import ActText, TextUnit
from clusterpolicy.core.errors import RulePackError
from clusterpolicy.output.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACK = "kz-2015-decree-535"
TEXT = ROOT / "rules" / PACK / "source" / "kk.txt"


@pytest.fixture(scope="module")
def law():
    return collect(PACK, rules_dir=ROOT / "rules")


def test_the_generated_files_are_current(law):
    for lang, page in lawdoc.PAGES.items():
        current = render_html(law, lang, pages=lawdoc.PAGES)
        assert (ROOT / "docs" / page).read_text("utf-8") == current, f"docs/{page} is stale: run python docs/generate_law.py"
    assert (ROOT / "docs" / "law.md").read_text("utf-8") == render_markdown(law), "docs/law.md is stale: run python docs/generate_law.py"


@pytest.mark.parametrize(
    "page, lang, words",
    [
        ("law.html", "en", ["Requirements", "Checks (the rules)", "Time limits", "Encoded by"]),
        ("law.kk.html", "kk", ["Талаптар", "Тексерулер (ережелер)", "Мерзімдер", "Іске асырылған:"]),
        ("law.ru.html", "ru", ["Требования", "Проверки (правила)", "Сроки", "Реализовано:"]),
    ],
)
def test_the_page_reads_in_kk_ru_and_en_beside_the_acts_own_text(law, page, lang, words):
    text = (ROOT / "docs" / page).read_text("utf-8")
    assert f'<html lang="{lang}">' in text and '<div class="act" lang="kk">' in text and f'<div class="code" lang="{lang}">' in text
    assert all(f">{word}" in text or f"{word} " in text for word in words)
    # the commentary in the page's language: a rule's title and a parameter's note
    rule = next(rule for rule in law.pack.rules if rule.id == "eligibility.withdrawal-before-close")
    assert rule.title.get(lang) in text
    # the requirements are shown in the page's language (every one is worded in kk and ru: no
    # requirement is left in English, so none says it is)
    withdrawal = next(r for r in law.entries if r.unit.provision == "Rules p.10").requirements[-1]
    assert lawdoc.requirement_text(withdrawal, lang)[0] in text
    if lang != "en":
        assert lawdoc._w("in_english", lang) not in text
    others = [other for other in lawdoc.PAGES.values() if other != page]
    assert all(f'href="{other}"' in text for other in others)  # each page links the other two


def test_every_unit_has_an_entry_and_every_citation_names_a_unit(law):
    assert problems(law) == []


@pytest.mark.slow  # collects the whole text again
def test_a_unit_without_an_entry_is_a_problem(monkeypatch):
    kept = [r for r in read_requirements(PACK) if r.provision != "Rules p.30"]
    monkeypatch.setattr(lawdoc, "read_requirements", lambda pack_id: kept)
    assert problems(collect(PACK)) == ["unit rules-p30 (Rules p.30) has no entry in requirements.yaml"]


@pytest.mark.slow  # collects the whole text again
def test_a_requirement_that_names_no_unit_is_a_problem(monkeypatch):
    extra = traceability.Requirement(provision="Rules p.43", text="x", not_encoded="a paragraph the decree does not have")
    monkeypatch.setattr(lawdoc, "read_requirements", lambda pack_id: [*read_requirements(PACK), extra])
    assert problems(collect(PACK)) == ["requirement: 'Rules p.43' names no unit of the text"]
    with pytest.raises(RulePackError, match="names no unit"):
        lawdoc.generate(PACK, ROOT)


def test_the_units_are_every_paragraph_of_the_text_in_order(law):
    """42 paragraphs of the Rules, each beginning with its number; the decree's 2; 14 criteria
    under 4 blocks; the appendices 1-6 with Appendix 2 §1-§8 and Appendix 5 items 1-10; and
    every numbered paragraph line of the Rules starts a unit (none is skipped)."""
    ids = [entry.unit.id for entry in law.entries]
    rules = [entry for entry in law.entries if re.fullmatch(r"rules-p\d+", entry.unit.id)]
    assert [entry.unit.id for entry in rules] == [f"rules-p{n}" for n in range(1, 43)]
    assert all(entry.text.startswith(f"{n}. ") for n, entry in enumerate(rules, start=1))
    assert {f"decree-p{n}" for n in (1, 2)} <= set(ids)
    assert len([i for i in ids if re.fullmatch(r"criteria-\d-\d", i)]) == 15
    assert [i for i in ids if re.fullmatch(r"appendix-\d", i)] == [f"appendix-{n}" for n in range(1, 7)]
    assert len([i for i in ids if i.startswith("appendix-2-s")]) == 8 and len([i for i in ids if i.startswith("appendix-5-i")]) == 10
    text = TEXT.read_text("utf-8")
    rules_part = text[text.index(rules[0].text[:40]) : text.index(rules[-1].text[:40])]
    numbered = [int(m[1]) for m in re.finditer(r"^(\d+)\. ", rules_part, flags=re.M)]
    assert [n for n in numbered if n > 12] == list(range(13, 42))  # after p.12 no sub-item is numbered "N."


def test_the_whole_text_from_the_first_unit_is_shown(law):
    shown = "".join(entry.text for entry in law.entries)
    text = TEXT.read_text("utf-8")
    body = text[text.index(law.entries[0].text[:30]) :]
    assert re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", body)


def test_citations_are_cut_and_ranges_expanded():
    text = ActText(
        source="x.txt",
        split=r", (?=p\.)",
        units=[
            TextUnit(id="p7", provision="Rules p.7", starts="7.", patterns=[r"(?:Rules )?p\.7(?![0-9])"]),
            TextUnit(id="p8", provision="Rules p.8", starts="8.", patterns=[r"(?:Rules )?p\.8(?![0-9])"]),
            TextUnit(id="c21", provision="Criteria 2.1", starts="1)", patterns=[r"Criteria 2\.1(?![0-9])"]),
            TextUnit(id="c22", provision="Criteria 2.2", starts="2)", patterns=[r"Criteria 2\.2(?![0-9])"]),
        ],
    )
    assert [u.id for u in text.units_of("Rules p.7(5), p.8")] == ["p7", "p8"]
    assert [u.id for u in text.units_of("Rules p.7-8")] == ["p7", "p8"]
    assert [u.id for u in text.units_of("Criteria 2.1-2.2")] == ["c21", "c22"]
    assert text.units_of("Rules p.70") == [] and text.units_of("Decree p.7") == []
    with pytest.raises(RulePackError, match="unit 'p8'"):
        text.segments("7. first\n9. third")


def test_explain_names_the_anchor_of_the_rules_paragraph():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["explain", "documents.stage2-akimat-conclusion"]) == 0
    anchors = re.findall(r"^law: +docs/law\.html#([a-z0-9-]+) \((.+)\)$", out.getvalue(), flags=re.M)
    assert anchors == [("rules-p7", "Rules p.7"), ("rules-p8", "Rules p.8")]
    page = (ROOT / "docs" / "law.html").read_text("utf-8")
    assert all(f'id="{anchor}"' in page for anchor, _ in anchors)


def test_the_traceability_table_links_each_provision_to_its_unit():
    table = (ROOT / "docs" / "traceability.md").read_text("utf-8")
    links = set(re.findall(r"\]\(law\.md#([a-z0-9-]+)\)", table))
    page = (ROOT / "docs" / "law.md").read_text("utf-8")
    assert len(links) > 70 and all(f'<a id="{anchor}"></a>' in page for anchor in links)


def test_the_page_is_printable_and_names_fonts_with_every_kazakh_letter():
    page = (ROOT / "docs" / "law.html").read_text("utf-8")
    assert '<div class="act" lang="kk">' in page and "@media print" in page and "break-inside: avoid" in page
    assert '"Noto Serif", "DejaVu Serif"' in page
    assert all(letter in page for letter in "әғқңөұүіӘҚӨҰҮІ")  # the text has no һ, Һ or Ң


@pytest.mark.slow
def test_the_generator_checks_the_files_in_a_fresh_process():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "generate_law.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_requirement_shown_in_kk_or_ru_is_english(law, lang):
    """Every requirement of requirements.yaml, and every reason nothing encodes one, is worded in
    Kazakh and in Russian: the kk and ru pages show none of them in English."""
    text = (ROOT / "docs" / lawdoc.PAGES[lang]).read_text("utf-8")
    requirements = [requirement for entry in law.entries for requirement in entry.requirements]
    assert requirements
    english = [r.provision for r in requirements if lawdoc.requirement_text(r, lang)[1] != lang]
    assert english == []
    english = [r.provision for r in requirements if r.not_encoded and lawdoc.not_encoded_text(r, lang)[1] != lang]
    assert english == []
    for requirement in requirements:
        worded = lawdoc.requirement_text(requirement, lang)[0]
        assert html.escape(worded) in text
        assert html.escape(requirement.text) not in text  # the English text is not shown beside it
        assert re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", worded), (requirement.provision, worded)
        if requirement.not_encoded:
            assert html.escape(lawdoc.not_encoded_text(requirement, lang)[0]) in text
            assert html.escape(requirement.not_encoded) not in text
    # what stays English on the page is a case's description (the test's own words), marked so
    cases = re.findall(r'<span class="cases">[^<]*<code>[^<]*</code> <span lang="en">', text)
    assert cases and len(cases) == text.count('<span lang="en">')


def test_a_requirement_without_its_kk_text_is_shown_in_english_and_says_so(law):
    requirement = Requirement(provision="Rules p.3", text="The organiser decides to hold the competition.", not_encoded="A decision.")
    assert lawdoc.requirement_text(requirement, "kk") == ("The organiser decides to hold the competition.", "en")
    assert lawdoc.not_encoded_text(requirement, "ru") == ("A decision.", "en")
    worded = Requirement(provision="Rules p.3", text="x", ru="у", not_encoded="y", not_encoded_ru="з")
    assert lawdoc.requirement_text(worded, "ru") == ("у", "ru") and lawdoc.not_encoded_text(worded, "ru") == ("з", "ru")
    with pytest.raises(ValueError, match="not_encoded"):
        Requirement(provision="Rules p.3", text="x", encoded_by=["rule:eligibility.submitted-on-time"], not_encoded_kk="себеп")
