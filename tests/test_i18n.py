"""Provisions are cited in the reader's language; unknown forms are left as written."""

from __future__ import annotations

import doctest

import pytest

from clusterpolicy.core import citations
from clusterpolicy.packs import load_pack

STYLE = load_pack("kz-2015-decree-535").citation_style


def provision_text(provision: str, lang: str) -> str:
    return citations.provision_text(provision, lang, STYLE)


@pytest.mark.parametrize(
    ("provision", "kk", "ru"),
    [
        ("Rules p.13", "Қағидалардың 13-тармағы", "пункт 13 Правил"),
        ("Rules p.6(3)", "Қағидалардың 6-тармағының 3) тармақшасы", "подпункт 3) пункта 6 Правил"),
        ("Rules p.6, last part", "Қағидалардың 6-тармағы, соңғы бөлігі", "пункт 6 Правил, последняя часть"),
        ("Rules p.28(1), p.29", "Қағидалардың 28-тармағының 1) тармақшасы, Қағидалардың 29-тармағы", "подпункт 1) пункта 28 Правил, пункт 29 Правил"),
        ("Decree p.2", "Қаулының 2-тармағы", "пункт 2 постановления"),
        ("Criteria 1.1", "Өлшемшарттардың 1.1-тармағы", "пункт 1.1 Критериев"),
        ("Appendix 2 §3(1)", "Қағидаларға 2-қосымша, 3-бөлім, 1) тармақ", "приложение 2 к Правилам, раздел 3, пункт 1)"),
        ("Appendix 2, introduction", "Қағидаларға 2-қосымша, кіріспе", "приложение 2 к Правилам, вводная часть"),
        ("Appendix 5 items 1-7", "Қағидаларға 5-қосымша, 1-7-тармақтар", "приложение 5 к Правилам, пункты 1-7"),
        ("Appendix 5 item 9(4)", "Қағидаларға 5-қосымша, 9-тармағының 4) тармақшасы", "приложение 5 к Правилам, подпункт 4) пункта 9"),
        ("Appendix 5 item 8(1)-(5)", "Қағидаларға 5-қосымша, 8-тармағының 1)-5) тармақшалары", "приложение 5 к Правилам, подпункты 1)-5) пункта 8"),
        ("Rules p.20-21", "Қағидалардың 20-21-тармақтары", "пункты 20-21 Правил"),
        ("Appendix 6", "Қағидаларға 6-қосымша", "приложение 6 к Правилам"),
    ],
)
def test_provisions_in_kazakh_and_russian(provision, kk, ru):
    assert provision_text(provision, "kk") == kk
    assert provision_text(provision, "ru") == ru
    assert provision_text(provision, "en") == provision


def test_unknown_forms_are_left_as_written():
    # (the pack now reads «Article 64 (affiliated persons)» of the Law on joint stock companies: an unread form here)
    assert provision_text("Article 7 (definitions)", "ru") == "Article 7 (definitions)"


def test_every_provision_of_the_shipped_rules_is_rendered():
    from clusterpolicy.packs import load_pack

    for rule in load_pack("kz-2015-decree-535").rules:
        for lang in ("kk", "ru"):
            assert provision_text(rule.citation.provision, lang) != rule.citation.provision, rule.id


def test_doctests():
    assert doctest.testmod(citations).failed == 0
