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
