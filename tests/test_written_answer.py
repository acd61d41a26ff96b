"""The size of a written answer (issue 26): a message or a remedy's text names at most
``l10n.MAX_LISTED`` items of a list, then how many more, while the full list stays in the
structured data; the compact JSON is encoded once and the record's digest covers exactly it."""

from __future__ import annotations

import json

import pytest

from clusterpolicy import evaluate, load_pack
from clusterpolicy.core import l10n, record
from clusterpolicy.core.record import document_digest
from clusterpolicy.input.decree535_form import Application
from clusterpolicy.testing import application_data, make_bin

PACK = "kz-2015-decree-535"
CARDS = "contents.participant-cards-filled"
AKIMAT = "documents.akimat-lists-participants"


def lean(count: int) -> Application:
    """A stage-1 application of ``count`` participants stating no card (each fails the card rule)."""
    data = application_data(1)
    data["participants"] = [
        {"id": f"q{i:04d}", "name": f"Company {i} LLP", "bin": make_bin(2010, 1 + i % 12, 20000 + i * 7), "legal_status": "legal_entity", "kind": "producer"}
        for i in range(count)
    ]
    return Application.model_validate(data)


def rule(result, rule_id):
    return next(r for r in result.results if r.rule_id == rule_id)


def test_a_short_list_is_written_whole():
    assert l10n.listed(["a", "b"], "en") == "a, b" and l10n.listed([], "ru") == "-"
    assert l10n.listed(iter(["a", "b"]), "kk", separator="; ") == "a; b"


@pytest.mark.parametrize("lang, more", [("en", "and 50 more"), ("ru", "и ещё 50"), ("kk", "тағы 50")])
def test_a_long_list_names_the_first_and_counts_the_rest(lang, more):
    items = [f"i{n}" for n in range(l10n.MAX_LISTED + 50)]
    shown = []
    text = l10n.listed(items, lang, show=lambda item: shown.append(item) or item.upper())
    assert text == ", ".join(item.upper() for item in items[: l10n.MAX_LISTED]) + ", " + more
    assert len(shown) == l10n.MAX_LISTED  # the items beyond are counted, not rendered
    assert l10n.listed(iter(items), lang).endswith(", " + more)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_messages_and_remedies_of_many_items_are_bounded_the_data_is_whole(lang):
    count = l10n.MAX_LISTED + 20
    result = evaluate(lean(count), pack=load_pack(PACK), lang=lang)
    cards = rule(result, CARDS)
    assert cards.outcome == "failed" and len(cards.observed["lacking"]) == count
    more = l10n.t("list.more", lang, n=20)
    for text in (cards.message, cards.remedy.text):
        assert "Company 99 LLP" in text and "Company 100 LLP" not in text and more in text
    akimat = rule(result, AKIMAT)
    assert akimat.outcome == "failed" and len(akimat.observed["not_listed"]) == count
    assert akimat.message.count("LLP") == l10n.MAX_LISTED and more in akimat.message
    assert more in akimat.remedy.text
    patched = {op.path.split("/")[2] for op in cards.remedy.ops}  # the patch fills every card
    assert patched == {str(index) for index in range(count)}


def test_few_items_are_all_named():
    result = evaluate(lean(12), pack=load_pack(PACK), lang="en")
    cards = rule(result, CARDS)
    assert all(f"Company {i} LLP" in cards.message for i in range(12)) and "more" not in cards.message


def test_the_compact_answer_is_encoded_once_and_its_digest_covers_it(monkeypatch):
    application = lean(30)
    pack = load_pack(PACK)
    encodings = []
    real = record._compact
    monkeypatch.setattr(record, "_compact", lambda data: encodings.append(1) or real(data))
    text = evaluate(application, pack=pack, lang="ru").to_json(compact=True)
    assert len(encodings) == 0  # made in canonical order: written by pydantic's serializer (core.record.written_in_order)
    usual = evaluate(application, pack=pack, lang="ru")
    record.forget_order(usual)  # the usual way (the reference): the standard encoder, once
    assert usual.to_json(compact=True) == text
    assert len(encodings) == 1
    data = json.loads(text)
    assert data["decision_record"]["digest"] == document_digest(data)
    monkeypatch.setattr(record, "_compact", real)
    # the same document as the indented form, whose digest is computed from the dump
    indented = json.loads(evaluate(application, pack=pack, lang="ru").to_json())
    assert indented == data
    assert text == json.dumps(indented, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def test_an_input_quoting_the_stand_in_still_gets_its_digest():
    data = application_data(1)
    data["cluster_name"] = f'"digest":"{record._MARK}"'
    result = evaluate(Application.model_validate(data), pack=load_pack(PACK), lang="en")
    written = json.loads(result.to_json(compact=True))
    assert written["cluster_name"] == data["cluster_name"]
    assert written["decision_record"]["digest"] == document_digest(written) == result.decision_record.digest


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_document_names_every_item_in_its_annex_while_the_json_answer_counts_the_rest(lang, tmp_path):
    """Issue 22: a list too long for a table continues in full in an annex of the same document,
    never only in the JSON. The notice's evaluation lists every card (``every_item_listed``); the
    JSON answer of the same file keeps its bound."""
    from _cli import cli_run

    count = l10n.MAX_LISTED + 20
    source = tmp_path / "many.json"
    source.write_text(lean(count).model_dump_json(), "utf-8")
    code, notice = cli_run("report", str(source), "--kind", "notice", "--lang", lang)
    assert code == 0  # the notice is made
    assert all(f"Company {i} LLP" in notice for i in range(count))
    assert l10n.t("list.more", lang, n=20) not in notice
    code, answer = cli_run("evaluate", str(source), "--format", "json", "--lang", lang)
    cards = next(r for r in json.loads(answer)["results"] if r["rule_id"] == CARDS)
    assert "Company 119 LLP" not in cards["message"] and l10n.t("list.more", lang, n=20) in cards["message"]
    with l10n.every_item_listed():
        assert l10n.listed(["a"] * (count), lang).count("a") == count
    assert l10n.t("list.more", lang, n=20) in l10n.listed(["a"] * count, lang)  # the bound is back outside
