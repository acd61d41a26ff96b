"""identifiers.names.name_key against its definition: at each word, the longest legal-form phrase
starting there is a form; any other word is the name's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clusterpolicy.identifiers.names import LEGAL_FORMS, NameKey, _words, name_key

_PHRASES = {tuple(spelling.split()): code for code, spellings in LEGAL_FORMS.items() for spelling in spellings}
_VOCABULARY = sorted({word for phrase in _PHRASES for word in phrase}) + ["алатау", "фарм", "«темір»", "с", "и", "ТОО", "Ао"]


def _by_definition(name: str) -> NameKey:
    words = _words(name)
    forms, rest, index = set(), [], 0
    while index < len(words):
        for length in range(len(words) - index, 0, -1):  # the longest phrase first
            code = _PHRASES.get(tuple(words[index:index + length]))
            if code is not None:
                forms.add(code)
                index += length
                break
        else:
            rest.append(words[index])
            index += 1
    return NameKey(frozenset(forms), " ".join(rest))


@given(st.lists(st.sampled_from(_VOCABULARY), max_size=12))
def test_name_key_reads_the_longest_form_at_each_word(words):
    name = " ".join(words)
    assert name_key(name) == _by_definition(name)


def test_a_long_form_is_read_before_its_first_word_alone():
    assert name_key("Товарищество с ограниченной ответственностью «Алатау»") == NameKey(frozenset({"llp"}), "алатау")
    assert name_key("жауапкершілігі шектеулі серіктестігі Алатау") == name_key("Алатау ЖШС")
    assert name_key("Акционерное общество") == NameKey(frozenset({"jsc"}), "")
