"""User YAML is read from libyaml's event stream when it is plain data; anything else goes to the
pure-Python parser. The two must agree: same data (types included) and the same line for every
value, and the fast path must never accept a text the pure-Python parser refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy.core import sources
from clusterpolicy.core.errors import ClusterPolicyError

ROOT = Path(__file__).resolve().parents[1]

def pure_python(text: str):
    saved = sources._CLoader
    sources._CLoader = None
    try:
        return sources.parse_yaml(text, "f.yaml")
    finally:
        sources._CLoader = saved


def fast(text: str):
    return sources._parse_with_libyaml(text, "f.yaml")


def assert_agree(text: str) -> bool:
    """True if the fast path read ``text``; then it read it as the pure-Python parser does."""
    try:
        document = fast(text)
    except sources._Unusual:
        return False
    reference = pure_python(text)  # raises if the fast path accepted what this refuses
    assert repr(document.data) == repr(reference.data)
    assert document.lines == reference.lines
    return True


def test_libyaml_is_there():
    """CI installs PyYAML's wheel, which has libyaml: the fast path must not silently go missing."""
    assert sources._CLoader is not None


@pytest.mark.slow
def test_every_yaml_file_of_the_repository_reads_the_same():
    files = [p for p in sorted(ROOT.glob("**/*.y*ml")) if ".git" not in p.parts and p.suffix in (".yaml", ".yml")]
    read = [assert_agree(p.read_text("utf-8").removeprefix("\ufeff")) for p in files]
    assert len(files) > 40 and all(read)  # none of them needs the slow path (aliases included)


def test_example_application_is_read_by_the_fast_path(monkeypatch):
    calls = []
    monkeypatch.setattr(sources, "_CountingLoader", lambda *a: calls.append(a) or yaml.SafeLoader(*a))
    text = (ROOT / "examples" / "competition-2017" / "01-karaganda-construction.yaml").read_text("utf-8")
    assert sources.parse_yaml(text, "x.yaml").data["id"]
    assert calls == []


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [*x]\n",  # recursive alias
        "a: &x 1\nb: &x 2\n",  # duplicate anchor
        "a: *nowhere\n",
        "base: &b {name: A}\napplicant:\n  <<: *b\n  name: B\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "? [1]\n: x\n",
        "a: .nan\n",
        'a: "\\ud800"\n',
        "a: 1\n---\nb: 2\n",
        "a:\tb\n",
        "a: |#\n  x\n",
        "=: x\n",
        "a: \x07\n",
        "[" * (sources.MAX_DEPTH + 2) + "]" * (sources.MAX_DEPTH + 2),
    ],
)
def test_what_is_not_plain_goes_to_the_pure_python_parser(text):
    with pytest.raises(sources._Unusual):
        fast(text)


def test_aliases_are_copies_with_the_anchors_lines():
    text = "a: &x\n  k: [1, 2]\n  d: 2017-01-02\nb: *x\nc:\n- *x\n- &y 5\n- *y\n"
    assert assert_agree(text)
    document = fast(text)
    assert document.data["b"] == document.data["a"] and document.data["b"] is not document.data["a"]
    assert document.data["a"]["d"] == dt.date(2017, 1, 2)


@pytest.mark.slow
def test_alias_expansion_counts_against_the_value_limit():
    levels = ["l0: &l0 [" + ", ".join(["x"] * 9) + "]"]
    levels += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 7)]
    with pytest.raises(sources._Unusual):
        fast("\n".join(levels) + "\n")


SOUP = st.lists(
    st.sampled_from(list("ab:- \n\t[]{},&*!#'\"|>?%@`<=~.0123456789eE+xyTtrueflsNn\\é") + ["yes", "null", "2017-01-02", "<<", ": ", "- ", "&a ", "*a", "Ө"]),
    max_size=60,
).map("".join)
PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    | st.sampled_from(["yes", "1e3", "~", "0o7", "2017-01-02", "a: b", "- x", "Өскемен"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(text=SOUP)
def test_punctuation_soup_reads_the_same_or_falls_back(text):
    try:
        fast(text)
    except sources._Unusual:
        return
    try:
        pure_python(text)
    except ClusterPolicyError as exc:
        pytest.fail(f"the fast path read {text!r}, which the pure-Python parser refuses: {exc}")
    assert_agree(text)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(data=PLAIN, shared=PLAIN, flow=st.sampled_from([None, True, False]))
def test_dumped_documents_read_the_same(data, shared, flow):
    document = {"data": data, "one": shared, "two": shared}  # the same object twice: an anchor and an alias
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    assert assert_agree(text)


def test_a_key_written_like_the_readers_place_of_a_key_keeps_its_line():
    """Found by the test above: the pure-Python reader wrote a key's place in a path as the text
    ``<key>`` while reading it, and then forgot the line of a real key of that name."""
    text = "data: null\none:\n  <key>: null\n"
    assert assert_agree(text)
    assert sources.parse_yaml(text, "f.yaml").location(("one", "<key>")).line == 3


@pytest.mark.parametrize("text", ["---", "--- \n", "---\n...\n"])
def test_an_empty_document_is_read_by_the_pure_python_parser(text):
    """libyaml puts the empty root a line lower than the composer does (found by the soup above)."""
    assert assert_agree(text) is False
    assert sources.parse_yaml(text, "f.yaml").data is None


@pytest.mark.parametrize(
    "scalar",
    ["0", "7", "12", "012", "0012", "1_000", "123456789012345678", "1234567890123456789", "-5", "+5", "0x1F", "0o17", "1:30",
     "0.5", "12.50", "00.5", "1.", ".5", "1.5e+3", "1_0.5", "-0.0", "-12.50", "+1.5", "123456789012345678.123456789012345678",
     "2017-05-30", "2017-5-30", "2017-02-29", "2016-02-29", "0000-01-01", "2017-05-30 10:00:00", "2017-05-30T10:00:00+06:00",
     "12a", "1 2", "1.2.3", "2017-05-30x"],
)
def test_a_number_or_a_date_reads_as_the_pure_python_parser_reads_it(scalar):
    """The forms read directly (a decimal integer, a decimal fraction, a day) and their near misses."""
    text = f"a: {scalar}\nb: [{scalar}, x]\n"
    try:
        reference = pure_python(text)
    except ClusterPolicyError:  # refused (a day that does not exist): the fast path refuses it too
        with pytest.raises((sources._Unusual, ValueError)):
            fast(text)
        return
    if assert_agree(text):
        assert type(fast(text).data["a"]) is type(reference.data["a"])
