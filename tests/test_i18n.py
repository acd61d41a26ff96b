"""Provisions are cited in the reader's language; unknown forms are left as written."""

from __future__ import annotations

import doctest

import pytest

from clusterpolicy import i18n
from clusterpolicy.core.i18n import provision_text


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
        ("Appendix 6", "Қағидаларға 6-қосымша", "приложение 6 к Правилам"),
    ],
)
def test_provisions_in_kazakh_and_russian(provision, kk, ru):
    assert provision_text(provision, "kk") == kk
    assert provision_text(provision, "ru") == ru
    assert provision_text(provision, "en") == provision


def test_unknown_forms_are_left_as_written():
    assert provision_text("Article 64 (affiliated persons)", "ru") == "Article 64 (affiliated persons)"


def test_every_provision_of_the_shipped_rules_is_rendered():
    from clusterpolicy.packs import load_pack

    for rule in load_pack("kz-2015-decree-535").rules:
        for lang in ("kk", "ru"):
            assert provision_text(rule.citation.provision, lang) != rule.citation.provision, rule.id


def test_doctests():
    assert doctest.testmod(i18n).failed == 0
