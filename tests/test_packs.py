"""Rule packs load only when valid; every error names the file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import copy_pack_into
import yaml

from clusterpolicy.core.errors import RulePackError, UsageError
from clusterpolicy.packs import available_packs, choose_pack, load_pack, load_pack_from

RULES = Path(__file__).resolve().parents[1] / "rules"
DECREE = "kz-2015-decree-535"
SOURCES = Path(__file__).parent / "data" / "sources"


@pytest.fixture()
def pack_copy(copy_pack):
    """A writable copy of the Decree 535 pack, to break on purpose."""
    return copy_pack(cases=False)


def replace_in(file: Path, old: str, new: str) -> int:
    """Replace the first occurrence; return its 1-based line."""
    text = file.read_text("utf-8")
    index = text.index(old)
    file.write_text(text[:index] + new + text[index + len(old):], "utf-8")
    return text[:index].count("\n") + 1


def test_shipped_packs():
    assert available_packs() == ["kz-2015-decree-535", "kz-2017-kiri-methodology"]


def test_packs_are_cached():
    assert load_pack(DECREE) is load_pack(DECREE)


def test_unmodified_copy_loads(pack_copy):
    assert len(load_pack_from(pack_copy).rules) == len(load_pack(DECREE).rules)


def test_misspelled_key_is_reported_at_its_line(pack_copy):
    line = replace_in(pack_copy / "documents.yaml", "    severity: return", "    severty: return")
    with pytest.raises(RulePackError) as error:
        load_pack_from(pack_copy)
    assert error.value.location.line == line
    assert str(error.value).startswith(f"{pack_copy}/documents.yaml:{line}: rules[0].severty: unknown field (did you mean 'severity'?)")


def test_unknown_rule_kind_is_reported(pack_copy):
    line = replace_in(pack_copy / "eligibility.yaml", "kind: value_in_set", "kind: value_in_sets")
    with pytest.raises(RulePackError) as error:
        load_pack_from(pack_copy)
    assert error.value.location.line == line
    assert "value_in_sets" in str(error.value)


def test_missing_russian_message_is_reported(pack_copy):
    text = (pack_copy / "contents.yaml").read_text("utf-8")
    first_ru = re.search(r"\n      ru: \".*\n", text)  # the first rule's Russian message
    (pack_copy / "contents.yaml").write_text(text[: first_ru.start()] + "\n" + text[first_ru.end():], "utf-8")
    with pytest.raises(RulePackError) as error:
        load_pack_from(pack_copy)
    assert "rules[0].message.ru" in str(error.value)
    assert error.value.location.file.endswith("contents.yaml")


def test_duplicate_rule_id_names_both_places(pack_copy):
    replace_in(pack_copy / "documents.yaml", "id: documents.paper-copy", "id: documents.paper-original")
    with pytest.raises(RulePackError, match=r"duplicate rule id 'documents.paper-original', first defined at .*documents.yaml:\d+"):
        load_pack_from(pack_copy)


def test_missing_citation_is_reported(pack_copy):
    replace_in(pack_copy / "documents.yaml", "    citation:\n      provision: Rules p.9\n    severity: return\n    stages: [1, 2]\n    check:\n      kind: number_between\n      field: submission_format.paper_copies",
               "    severity: return\n    stages: [1, 2]\n    check:\n      kind: number_between\n      field: submission_format.paper_copies")
    with pytest.raises(RulePackError, match=r"citation: Field required"):
        load_pack_from(pack_copy)


def test_undefined_parameter_is_reported(pack_copy):
    replace_in(pack_copy / "documents.yaml", "{param: paper_copies}", "{param: paper_copiez}")
    with pytest.raises(RulePackError, match="parameter 'paper_copiez', which pack.yaml does not define"):
        load_pack_from(pack_copy)


def test_duplicate_yaml_key_is_reported(pack_copy):
    line = replace_in(pack_copy / "pack.yaml", "version: 1.0.0\n", "version: 1.0.0\nversion: 1.0.1\n")
    with pytest.raises(RulePackError, match="duplicate key 'version'") as error:
        load_pack_from(pack_copy)
    assert error.value.location.line == line + 1


def test_unknown_pack_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown rule pack 'kz-1999'"):
        load_pack("kz-1999")


class TestChoiceByDate:
    def test_decree_in_force_in_2015(self):
        pack, warnings = choose_pack(dt.date(2015, 9, 1))
        assert (pack.id, warnings) == (DECREE, [])

    def test_methodology_in_2017(self):
        pack, warnings = choose_pack(dt.date(2017, 4, 10))
        assert (pack.id, warnings) == ("kz-2017-kiri-methodology", [])

    def test_explicit_repealed_pack_warns(self):
        pack, warnings = choose_pack(dt.date(2017, 4, 10), DECREE)
        assert pack.id == DECREE
        assert [(w.code, w.message) for w in warnings] == [("pack_repealed", f"pack {DECREE} was repealed by Government Decree No. 73 of 18 February 2016 on 2016-02-18, before 2017-04-10")]

    def test_gap_between_packs_uses_the_last_repealed_with_a_warning(self):
        pack, warnings = choose_pack(dt.date(2016, 6, 1))
        assert pack.id == DECREE
        assert len(warnings) == 1

    def test_before_any_pack_is_an_error(self):
        with pytest.raises(UsageError, match="no rule pack covers 2010-01-01"):
            choose_pack(dt.date(2010, 1, 1))


def test_methodology_takes_over_the_decree_rules():
    methodology, decree = load_pack("kz-2017-kiri-methodology"), load_pack(DECREE)
    kept = [r.id for r in methodology.rules]
    # the decree's rules the methodology keeps, in their order: its declared stand-ins (issue 23)
    assert kept == [r.id for r in decree.rules if r.id in kept]
    assert set(kept) == {name for stand_in in methodology.header.stand_ins for name in stand_in.rules}
    assert "eligibility.unaffiliated-legal-entities" not in kept and "documents.stage1-akimat-conclusion" not in kept
    assert methodology.scoring is not decree.scoring


def _squeeze(text: str) -> str:
    """The decree text has letter-spaced words ("к а р т а с ы н"): compare without any spaces."""
    return re.sub(r"[\s\\*_]+", "", text).replace("«", "").replace("»", "")


def _yaml_quotes(folder: Path):
    """Every `quote:` anywhere in a pack's YAML files (time limits, scoring, documents, ...)."""

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    yield where, value
                else:
                    yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, f"{where}[{index}]")

    for file in sorted(folder.glob("*.yaml")):
        for where, quote in walk(yaml.safe_load(file.read_text("utf-8")), ""):
            yield file, where, quote


def test_every_quote_is_the_decree_own_words():
    decree = _squeeze((SOURCES / "decree-535-kk.txt").read_text("utf-8"))
    pack = load_pack(DECREE)
    quotes = [(rule.id, rule.citation.quote) for rule in pack.rules if rule.citation.quote]
    quotes += [(name, p.citation.quote) for name, p in pack.parameters.items() if p.citation.quote]
    quotes += [(f"{file.name}:{where}", quote) for file, where, quote in _yaml_quotes(RULES / DECREE)]
    assert len(quotes) > 20
    for owner, quote in quotes:
        for fragment in quote.split("..."):
            assert _squeeze(fragment) in decree, f"{owner}: quote not found in the decree: {fragment!r}"


def test_shipped_packs_read_by_libyaml_equal_the_pure_python_reading():
    shipped, reread = load_pack(DECREE), load_pack_from(RULES / DECREE)
    assert [rule.model_dump() for rule in shipped.rules] == [rule.model_dump() for rule in reread.rules]
    assert {rule_id: line for rule_id, (_, line) in shipped.lines.items()} == {
        rule_id: line for rule_id, (_, line) in reread.lines.items()
    }
    assert shipped.header == reread.header


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_repealing_act_is_named_in_the_warnings_language(lang):
    """It was an English string («... (Government Decree No. 73 of 18 February 2016)») in every language."""
    import datetime as dt
    import re

    from clusterpolicy.packs import choose_pack

    pack, warnings = choose_pack(dt.date(2017, 4, 10), "kz-2015-decree-535", lang=lang)
    assert len(warnings) == 1
    assert re.findall(r"[A-Za-z]+", warnings[0].message.replace(pack.id, "")) == []


def test_each_word_of_the_vocabulary_names_its_provision(tmp_path):
    """A label of a document kind or applicant type says which provision defines the value."""

    from clusterpolicy.core.errors import RulePackError
    from clusterpolicy.packs import load_pack, load_pack_from

    assert all(word.provision.startswith("Rules p.") for words in load_pack("kz-2015-decree-535").vocabulary.values() for word in words.values())
    folder = copy_pack_into(tmp_path)
    vocabulary = folder / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text("utf-8").replace("    provision: Rules p.6(2)\n", "", 1), "utf-8")
    with pytest.raises(RulePackError) as caught:
        load_pack_from(folder)
    assert "vocabulary.yaml" in str(caught.value) and "provision" in str(caught.value)


def test_the_pack_in_force_is_chosen_from_the_headers_and_only_it_is_loaded(monkeypatch):
    """Issue 26: choosing by date reads each shipped pack's pack.yaml once; only the chosen pack
    is loaded (a day only Decree 535 covers does not load the methodology)."""
    from clusterpolicy.packs import finding

    loaded = []

    def recording(pack_id):
        loaded.append(pack_id)
        return load_pack(pack_id)

    monkeypatch.setattr(finding, "load_pack", recording)
    assert choose_pack(dt.date(2016, 1, 1))[0].id == DECREE and loaded == [DECREE]
    loaded.clear()
    assert choose_pack(dt.date(2017, 6, 1))[0].id == "kz-2017-kiri-methodology"
    assert loaded[0] == "kz-2017-kiri-methodology" and set(loaded) <= {"kz-2017-kiri-methodology", DECREE}  # and its parent


def test_evaluating_under_a_pack_folder_does_no_file_system_work(pack_copy, monkeypatch):
    """Issue 26: whether a folder's pack is the official one is answered once per pack, not by
    listing the rules folder on every evaluation."""
    from clusterpolicy import evaluate
    from clusterpolicy.input.decree535_form import Application
    from clusterpolicy.packs import folder
    from clusterpolicy.testing import application_data

    pack = load_pack_from(pack_copy)
    application = Application.model_validate(application_data(2))
    first = evaluate(application, pack=pack)
    assert first.pack.version.startswith(pack.version + "+sha256.")  # a copy without the cases is not official

    def no_listing(*args, **kwargs):
        raise AssertionError("the rules folder was read during an evaluation")

    monkeypatch.setattr(folder, "packs_root", no_listing)
    monkeypatch.setattr(folder, "digest", no_listing)
    assert evaluate(application, pack=pack).to_json() == first.to_json()
