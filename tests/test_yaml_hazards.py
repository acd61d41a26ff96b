"""Hostile YAML and JSON files are refused with a located message, never read half-way.

Every hazard listed in :mod:`clusterpolicy.core.sources`: the size limit, alias expansion bombs,
non-standard tags, duplicate keys, deep nesting, bytes that are not UTF-8, a BOM, NaN and
Infinity. Each test writes the hostile file and asserts the error's code, file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterpolicy.core.errors import InputError, RulePackError
from clusterpolicy.input.loading import load_application, parse_application
from clusterpolicy.core.sources import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_json, parse_yaml, read_document


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def refused(path: Path, code: str, line: int | None) -> InputError:
    """Read ``path`` and return the error, asserting its code and that it names file and line."""
    with pytest.raises(InputError) as caught:
        read_document(path)
    error = caught.value
    assert error.code == code, str(error)
    assert error.location is not None and error.location.file == str(path)
    assert error.location.line == line, str(error)
    assert str(error).startswith(f"{path}:{line}:" if line is not None else f"{path}:")
    assert "\n" not in str(error) and len(str(error)) < 300
    return error


# --------------------------------------------------------------------------- size


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, "big.yaml", b"id: x\n" + b"#" * MAX_BYTES)
    error = refused(path, "too_large", None)
    assert str(MAX_BYTES) in error.message


@pytest.mark.slow
def test_file_at_the_size_limit_is_read(tmp_path):
    head = b"id: x\n"
    path = write(tmp_path, "full.yaml", head + b"#" * (MAX_BYTES - len(head)))
    assert read_document(path).data == {"id": "x"}


def test_size_limit_can_be_lowered(tmp_path):
    path = write(tmp_path, "small.yaml", "id: x\n" * 100)
    with pytest.raises(InputError) as caught:
        read_document(path, max_bytes=100)
    assert caught.value.code == "too_large"


# --------------------------------------------------------------------------- alias bombs


def billion_laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_billion_laughs_is_refused(tmp_path):
    path = write(tmp_path, "bomb.yaml", billion_laughs())
    error = refused(path, "too_large", error_line(path))
    assert "alias" in error.message


def error_line(path: Path) -> int | None:
    with pytest.raises(InputError) as caught:
        read_document(path)
    return caught.value.location.line


@pytest.mark.slow
def test_billion_laughs_is_refused_quickly_on_the_node_count(tmp_path):
    """The expansion stops at MAX_NODES values: the error comes from the count, not memory."""
    with pytest.raises(InputError) as caught:
        parse_yaml(billion_laughs(12), "bomb.yaml")
    assert str(MAX_NODES) in caught.value.message


def test_a_few_aliases_are_fine():
    document = parse_yaml("base: &b {city: Qaraǵandy}\nx: *b\ny: *b\n", "ok.yaml")
    assert document.data["y"] == {"city": "Qaraǵandy"}


def test_recursive_alias_is_refused():
    with pytest.raises(InputError) as caught:
        parse_yaml("a: &x [*x]\n", "loop.yaml")
    assert caught.value.code == "too_deep" and caught.value.location.line == 1


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize(
    "text, line",
    [
        ("id: x\nrun: !!python/object/apply:os.system ['echo pwned']\n", 2),
        ("id: x\nobj: !!python/object:builtins.dict {}\n", 2),
        ("id: x\nname: !!python/name:os.system\n", 2),
        ("id: x\n\nb: !custom value\n", 3),
        ("id: x\nb: !!binary aGVsbG8=\n", 2),
        ("id: x\nb: !!set {a, b}\n", 2),
        ("--- !!omap\n- a: 1\n", 1),
        ("%TAG ! tag:example.com,2000:\n---\na: !x 1\n", 3),
    ],
)
def test_non_standard_tags_are_refused(tmp_path, text, line):
    path = write(tmp_path, "tagged.yaml", text)
    error = refused(path, "tag", line)
    assert "not allowed" in error.message


def test_tagged_file_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = write(tmp_path, "evil.yaml", f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(InputError):
        read_document(path)
    assert not marker.exists()


def test_explicit_standard_tags_are_plain_data():
    assert parse_yaml("a: !!str 12\nb: !!int '7'\n", "f").data == {"a": "12", "b": 7}


# --------------------------------------------------------------------------- duplicate keys


@pytest.mark.parametrize(
    "text, line, path",
    [
        ("id: a\nstage: 1\nid: b\n", 3, ("id",)),
        ("applicant:\n  name: A\n  type: other\n  name: B\n", 4, ("applicant", "name")),
        ("base: &b {name: A}\napplicant:\n  <<: *b\n  name: B\n", 4, ("applicant", "name")),
        ("1: a\n1.0: b\n", 2, (1.0,)),
        ("true: a\nyes: b\n", 2, (True,)),
    ],
)
def test_duplicate_keys_are_refused_at_the_second(tmp_path, text, line, path):
    file = write(tmp_path, "dup.yaml", text)
    error = refused(file, "duplicate_key", line)
    assert error.location.path == path


def test_duplicate_key_through_the_application_loader(tmp_path):
    file = write(tmp_path, "app.yaml", "id: a\ncluster_name: Qazaqstan\ncluster_name: Shymkent\n")
    with pytest.raises(InputError) as caught:
        load_application(file)
    assert caught.value.code == "duplicate_key" and caught.value.location.line == 3


def test_duplicate_key_in_a_rule_pack_file_is_a_rule_pack_error(tmp_path):
    from clusterpolicy.core.sources import read_document as read

    file = write(tmp_path, "pack.yaml", "id: a\nid: b\n")
    with pytest.raises(RulePackError) as caught:
        read(file, error=RulePackError)
    assert caught.value.code == "duplicate_key" and caught.value.location.line == 2


# --------------------------------------------------------------------------- nesting


def test_deep_yaml_flow_nesting_is_refused(tmp_path):
    path = write(tmp_path, "deep.yaml", "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    refused(path, "too_deep", 1)


def test_deep_yaml_block_nesting_is_refused(tmp_path):
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v: 1\n"
    path = write(tmp_path, "deep-block.yaml", text)
    error = refused(path, "too_deep", error_line(path))
    assert error.location.line > MAX_DEPTH


def test_nesting_at_the_limit_is_read():
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_yaml(text, "f").data is not None
    assert parse_json(text, "f").data is not None


@pytest.mark.slow
def test_extremely_deep_yaml_does_not_overflow_the_stack(tmp_path):
    path = write(tmp_path, "abyss.yaml", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.code == "too_deep"


def test_extremely_deep_json_does_not_overflow_the_stack(tmp_path):
    path = write(tmp_path, "abyss.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.code == "too_deep"


# --------------------------------------------------------------------------- encodings


def test_latin1_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, "latin.yaml", "id: x\ncluster_name: Öskemen\n".encode("latin-1"))
    error = refused(path, "not_utf8", 2)
    assert "UTF-8" in error.message and "0xd6" in error.message


def test_utf16_without_bom_is_refused(tmp_path):
    path = write(tmp_path, "utf16.yaml", "cluster_name: Өскемен\n".encode("utf-16-le"))
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.code == "not_utf8" and "UTF-8" in caught.value.message


def test_utf16_with_bom_is_refused(tmp_path):
    path = write(tmp_path, "utf16bom.yaml", "cluster_name: Өскемен\n".encode("utf-16"))
    refused(path, "not_utf8", 1)


def test_cp1251_cyrillic_is_refused(tmp_path):
    path = write(tmp_path, "cp1251.yaml", "id: x\ncluster_name: Караганда\n".encode("cp1251"))
    refused(path, "not_utf8", 2)


@pytest.mark.parametrize("name", ["bom.yaml", "bom.json"])
def test_utf8_bom_is_accepted_and_dropped(tmp_path, name):
    text = '{"cluster_name": "Өскемен"}' if name.endswith(".json") else "cluster_name: Өскемен\n"
    path = write(tmp_path, name, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_document(path).data == {"cluster_name": "Өскемен"}


# --------------------------------------------------------------------------- JSON specifics


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(tmp_path, constant):
    path = write(tmp_path, "nan.json", '{"id": "x",\n "key_project_cost_mln_tenge": ' + constant + "}")
    error = refused(path, "syntax", error_line(path))
    assert constant in error.message


def test_json_syntax_error_has_its_line(tmp_path):
    path = write(tmp_path, "bad.json", '{"id": "x",\n "stage": }')
    refused(path, "syntax", 2)


def test_json_is_not_read_as_yaml(tmp_path):
    """A .json file is parsed strictly: YAML-only syntax is a JSON error."""
    path = write(tmp_path, "yamlish.json", "id: x\n")
    refused(path, "syntax", 1)


# --------------------------------------------------------------------------- missing and odd files


def test_missing_file(tmp_path):
    refused(tmp_path / "nowhere.yaml", "file_not_found", None)


def test_folder_instead_of_file(tmp_path):
    refused(tmp_path, "not_a_file", None)


def test_several_yaml_documents_are_refused(tmp_path):
    path = write(tmp_path, "two.yaml", "id: a\n---\nid: b\n")
    refused(path, "syntax", 2)


def test_empty_application_file_is_refused(tmp_path):
    path = write(tmp_path, "empty.yaml", "")
    with pytest.raises(InputError) as caught:
        load_application(path)
    assert caught.value.code == "model_type" and "nothing" in caught.value.message


def test_parse_application_names_the_source():
    with pytest.raises(InputError) as caught:
        parse_application("id: a\nid: b\n", name="upload-17")
    assert str(caught.value).startswith("upload-17:2:")


# --------------------------------------------------------------------------- errors that used to escape


@pytest.mark.parametrize(
    "text, line",
    [
        ('id: x\nname: "a\x00b"\n', 2),
        ("id: x\nname: bell\x07\n", 2),
        ("x: &x 1\n<<: *x\n", 2),
        ("x: &x [1]\n<<: *x\n", 2),
        ("<<: 1\n", 1),
    ],
)
def test_control_characters_and_bad_merge_keys_are_located_errors(tmp_path, text, line):
    path = write(tmp_path, "odd.yaml", text)
    refused(path, "syntax", line)


@pytest.mark.parametrize("text", ["id: x\nflag: !!bool maybe\n", "id: x\nwhen: !!timestamp someday\n", "id: x\nn: !!int x\n"])
def test_explicit_tags_on_impossible_values_are_located_errors(tmp_path, text):
    path = write(tmp_path, "tagged.yaml", text)
    refused(path, "syntax", 2)


def test_huge_invalid_value_is_not_echoed_whole(tmp_path):
    path = write(tmp_path, "long.yaml", "id: x\nn: !!int " + "x" * 5000 + "\n")
    refused(path, "syntax", 2)


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.Inf", "+.INF"])
def test_yaml_nan_and_infinity_are_refused_like_json(tmp_path, value):
    path = write(tmp_path, "nan.yaml", f"id: x\nkey_project_cost_mln_tenge: {value}\n")
    error = refused(path, "syntax", 2)
    assert error.location.path == ("key_project_cost_mln_tenge",)


def test_json_number_out_of_range_is_refused(tmp_path):
    """1e400 is read as the number written (not a float's infinity) and refused for its size."""
    path = write(tmp_path, "inf.json", '{"id": "x",\n "key_project_cost_mln_tenge": 1e400}')
    error = refused(path, "number_too_large", 2)
    assert "out of range" in error.message


@pytest.mark.parametrize("name, text", [("s.json", '{"id": "x",\n "name": "\\ud800"}'), ("s.yaml", 'id: x\nname: "\\ud800"\n')])
def test_lone_surrogates_are_refused(tmp_path, name, text):
    """A lone surrogate cannot be written back as UTF-8: refuse it on reading, not on output."""
    path = write(tmp_path, name, text)
    refused(path, "syntax", 2)


def test_escaped_surrogate_pairs_are_fine():
    assert parse_json('{"a": "\\ud83d\\ude00"}', "f").data == {"a": "\U0001F600"}


def test_json_errors_carry_their_line(tmp_path):
    nan = write(tmp_path, "nan.json", '{"id": "x",\n "note": "NaN here is text",\n "stage": NaN}')
    refused(nan, "syntax", 3)
    dup = write(tmp_path, "dup.json", '{"id": "x",\n "stage": 1,\n "stage": 2}')
    refused(dup, "duplicate_key", 3)
    deep = write(tmp_path, "deep.json", '{"id": "x",\n "a": ' + "[" * 100 + "]" * 100 + "}")
    refused(deep, "too_deep", 2)


def test_key_that_looks_like_a_type_name_is_kept_in_the_error_path():
    with pytest.raises(InputError) as caught:
        parse_application('{"[": null}', name="odd.json", json=True)
    assert ("[",) in [detail.location.path for detail in caught.value.details]


@pytest.mark.slow
def test_the_value_limit_means_the_same_in_json_and_yaml(tmp_path):
    """60,000 participants were evaluated from JSON but refused from YAML as an "alias bomb?"."""
    import json

    import yaml

    data = {"items": [{"a": index, "b": "x"} for index in range(MAX_NODES // 4)]}  # 1 + 1 + n * 5 values
    messages = []
    for name, text in (("a.json", json.dumps(data)), ("a.yaml", yaml.safe_dump(data))):
        file = tmp_path / name
        file.write_text(text, "utf-8")
        with pytest.raises(InputError) as caught:
            read_document(file)
        messages.append(caught.value.message)
    assert messages[0] == messages[1] and f"more than {MAX_NODES} values" in messages[0] and "alias bomb" not in messages[0]


@pytest.mark.slow
def test_a_10_mib_yaml_flood_is_refused_in_bounded_memory(tmp_path):
    """It took two minutes and 3.4 GB (the whole node tree was composed before the limit was checked);
    now composition stops at the limit. Run under a 1 GiB address-space limit."""
    import subprocess
    import sys

    flood = tmp_path / "flood.yaml"
    flood.write_text("- 1\n" * (10 * 1024 * 1024 // 4 - 1), "utf-8")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from clusterpolicy.core.errors import InputError\n"
        "from clusterpolicy.core.sources import read_document\n"
        "try:\n"
        f"    read_document({str(flood)!r})\n"
        "except InputError as exc:\n"
        "    print(exc.code, exc.location.line)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    code_name, line = done.stdout.split()
    assert code_name == "too_large" and 499_990 <= int(line) <= 500_001  # stops where the limit is passed


@pytest.mark.parametrize("read", [read_document, load_application, __import__("clusterpolicy").load_competition])
def test_a_file_name_with_a_nul_is_the_librarys_error(read):
    """Found by hypothesis: a rule case with ``base: "\\x00"`` raised ValueError (embedded null byte)."""
    with pytest.raises(InputError, match="not a valid file name"):
        read("competition\x00.yaml")


LONG_LISTS = {
    "the root": ("- 1\n- 2\n- 3\n- 4\n", 1, ()),
    "a nested list": ("a:\n  b: [1, 2, 3, 4, 5]\nc: [1, 2, 3, 4]\n", 2, ("a", "b")),
    "the outer list first in document order": ("x:\n  - [1, 2, 3, 4, 5]\n  - 2\n  - 3\n  - 4\n", 2, ("x",)),
    "a duplicate key after it": ("x: [1, 2, 3, 4]\ny: 1\ny: 2\n", 1, ("x",)),
    "an alias repeating it": ("a: &A [1, 2, 3, 4]\nb: *A\n", 1, ("a",)),
}


@pytest.mark.parametrize("name", sorted(LONG_LISTS))
def test_a_list_over_the_limit_is_refused_alike_by_both_readers(monkeypatch, name):
    """libyaml's event loop refuses a list over MAX_ITEMS itself, at the node and line where the
    pure-Python builder stops (it used to hand the whole text to the pure-Python parser: 400,000
    items took 23 s); a document that is not plain otherwise still goes to the pure-Python path."""
    from clusterpolicy.core import sources

    text, line, path = LONG_LISTS[name]
    monkeypatch.setattr(sources, "MAX_ITEMS", 3)
    plain = name not in ("a duplicate key after it", "an alias repeating it")
    if plain:  # refused by the event loop: the pure-Python reader is never started
        monkeypatch.setattr(sources, "_CountingLoader", None)
    with pytest.raises(InputError) as fast:
        parse_yaml(text, "f.yaml")
    monkeypatch.undo()
    monkeypatch.setattr(sources, "MAX_ITEMS", 3)
    monkeypatch.setattr(sources, "_CLoader", None)  # the pure-Python reader alone
    with pytest.raises(InputError) as slow:
        parse_yaml(text, "f.yaml")
    assert (fast.value.code, str(fast.value)) == (slow.value.code, str(slow.value))
    assert fast.value.code == "too_large" and (fast.value.location.line, fast.value.location.path) == (line, path)
