"""The documents of a competition under the KIRI methodology's pack say plainly which provisions
they cite from the Rules of Decree 535 (repealed in 2016) in place of the authorized body's order,
which is not among the sources (pack.yaml ``stand_ins``): notices, both protocols and
``evaluate --details``, in kk, ru and en; nothing of the kind under the decree's own pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterpolicy.core.i18n import gettext
from clusterpolicy.output.reports import stand_in_notes
from clusterpolicy.packs import load_pack

from _cli import cli_run
from style_kk_ru import by_rule, faults

COMPETITION = str(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
KIRI = "kz-2017-kiri-methodology"
DECREE = "kz-2015-decree-535"
OPENING = {lang: gettext("report.stand_in.repealed", lang).split("(", 1)[0].strip() for lang in ("kk", "ru", "en")}


def _run(*argv: str) -> str:
    return cli_run(*argv)[1]


def _notes(text: str, lang: str) -> list[str]:
    return [line for line in text.splitlines() if OPENING[lang] in line]


def _note(text: str, lang: str) -> str:
    (note,) = _notes(text, lang)  # one note a document (a notice: one for each applicant)
    return note


@pytest.fixture(scope="module")
def kiri():
    return load_pack(KIRI)


@pytest.mark.slow  # three documents in three languages
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_each_document_under_the_methodology_names_the_decrees_stand_ins(kiri, lang):
    stand_in = kiri.header.stand_ins[0]
    repealed_by = kiri.act_of("Rules p.16").repealed_by.get(lang)
    cited = {"notice": ["Rules p.16", "Rules p.9"], "completeness-protocol": ["Rules p.15", "Rules p.6", "Rules p.13"], "evaluation-protocol": ["Rules p.41", "Rules p.42"]}
    for kind, provisions in cited.items():
        notes = _notes(_run("report", COMPETITION, "--kind", kind, "--lang", lang, "--pack", KIRI), lang)
        assert len(notes) == (2 if kind == "notice" else 1)  # a notice to each of the two applicants
        note = "\n".join(notes)
        assert stand_in.source.get(lang) in note and stand_in.stands_for.get(lang) in note
        assert repealed_by in note  # the decree's repeal, said
        assert kiri.cite(stand_in.citation.provision, lang) in note  # where the methodology leaves it to the order
        for provision in provisions:
            assert kiri.cite(provision, lang) in note, (kind, provision)
        assert kiri.cite("Methodology §3.2.2(6)", lang) not in note  # the methodology's own provisions are not stand-ins
        if lang != "en":
            assert by_rule(faults(note, lang)) == {}


def test_the_notice_names_the_provisions_it_cites_and_no_other(kiri):
    text = _run("report", COMPETITION, "--kind", "notice", "--lang", "ru", "--pack", KIRI)
    notices = text.split("\n---\n")
    assert len(notices) == 2
    mangystau, zhambyl = (_note(notice, "ru") for notice in notices)
    assert "(пункт 16 Правил; приложение 2 к Правилам, раздел 5; приложение 2 к Правилам, вводная часть)" in mangystau
    assert "(пункт 16 Правил; пункт 9 Правил)" in zhambyl  # only what this notice cites


@pytest.mark.slow
def test_the_decrees_own_documents_say_nothing_of_stand_ins():
    for kind in ("notice", "completeness-protocol"):
        text = _run("report", COMPETITION, "--kind", kind, "--lang", "ru", "--pack", DECREE)
        assert OPENING["ru"] not in text
    assert stand_in_notes(load_pack(DECREE), ["Rules p.16"], "ru") == []


def test_evaluate_details_names_them_and_the_short_table_does_not():
    details = _run("evaluate", COMPETITION, "--details", "--lang", "kk", "--pack", KIRI)
    note = _note(details, "kk")
    assert "Қағидалардың 13-тармағы" in note and "Қағидалардың 9-тармағы" in note
    assert OPENING["kk"] not in _run("evaluate", COMPETITION, "--lang", "kk", "--pack", KIRI)


def test_only_the_provisions_of_another_act_are_stand_ins(kiri):
    assert stand_in_notes(kiri, ["Methodology §3.2.2", "Methodology §3.2.2(6)"], "ru") == []
    (note,) = stand_in_notes(kiri, ["Rules p.16", "Methodology §3.2.2", "Rules p.16", "Appendix 2 §5"], "en")
    assert note.startswith("Provisions applied in place of another act (Rules p.16; Appendix 2 §5) are cited from: ")
