"""Hostile packs stay in their folder (issue 27, items 5, 6, 9, 10, 11, 12).

A pack folder is something someone else wrote. Each test below failed before its fix: a rule
file that is a dangling link, a pipe or a folder was skipped (the pack loaded without its
rules); a link or a case's ``base:`` led anywhere and error messages printed what they found
there; ``extends:`` took a path; the digest followed links out and read whole files of any
size; messages took ``{value.__class__}`` and ``{value:>300000000}``; loading was quadratic
in the number of rules.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from clusterpolicy.authoring.rule_cases import build_application, read_cases
from clusterpolicy.core.errors import RulePackError
from clusterpolicy.core.i18n import Text
from clusterpolicy.packs import load_pack, load_pack_from

DECREE = "kz-2015-decree-535"
SECRET = "token-5f1c9e0a7b3d-SECRET"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and named pipes as POSIX has them")


@pytest.fixture()
def pack(copy_pack) -> Path:
    return copy_pack(DECREE, cases=False)


@pytest.fixture()
def outside(tmp_path) -> Path:
    """A folder beside the pack's, holding what a hostile pack would like to read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.yaml").write_text(f"api_key: {SECRET}\nrules: [{SECRET}]\n", "utf-8")
    (folder / "notes.md").write_text(SECRET, "utf-8")
    return folder


def _refused(folder: Path, code: str, names: str) -> RulePackError:
    with pytest.raises(RulePackError) as caught:
        load_pack_from(folder)
    error = caught.value
    assert error.code == code, (error.code, str(error))
    assert names in str(error.location.file), error.location
    assert SECRET not in str(error) and all(SECRET not in str(detail) for detail in error.details)
    return error


# --------------------------------------------------------------------------- item 5: not a regular file


@posix_only
def test_a_rule_file_that_is_a_dangling_link_is_an_error_naming_it(pack):
    (pack / "documents.yaml").unlink()
    (pack / "documents.yaml").symlink_to(pack / "no-such-file.yaml")
    error = _refused(pack, "unreadable", "documents.yaml")
    assert "not a regular file" in error.message and "leads nowhere" in error.message


@posix_only
def test_a_rule_file_that_is_a_named_pipe_is_an_error_and_is_never_opened(pack):
    (pack / "contents.yaml").unlink()
    os.mkfifo(pack / "contents.yaml")  # opening it for reading would block forever
    error = _refused(pack, "not_a_file", "contents.yaml")
    assert "not a regular file" in error.message


def test_a_folder_named_like_a_rule_file_is_an_error(pack):
    (pack / "records.yaml").unlink()
    (pack / "records.yaml").mkdir()
    _refused(pack, "not_a_file", "records.yaml")


def test_a_pack_without_one_of_its_optional_files_still_loads(pack):
    (pack / "records.yaml").unlink()  # absent is not an error: the pack simply has no such rules
    assert not any(rule.id.startswith("records.") for rule in load_pack_from(pack).rules)


# --------------------------------------------------------------------------- item 6: links and paths out


@posix_only
def test_a_rule_file_linked_out_of_the_folder_is_refused_unread(pack, outside):
    (pack / "eligibility.yaml").unlink()
    (pack / "eligibility.yaml").symlink_to(outside / "secret.yaml")
    error = _refused(pack, "outside_pack", "eligibility.yaml")
    assert "leads out of the pack's folder" in error.message


@posix_only
def test_a_link_inside_the_folder_is_followed(pack):
    (pack / "shared").mkdir()
    (pack / "documents.yaml").rename(pack / "shared" / "documents.yaml")
    (pack / "documents.yaml").symlink_to(Path("shared") / "documents.yaml")
    assert len(load_pack_from(pack).rules) == len(load_pack(DECREE).rules)


@posix_only
def test_any_link_out_of_the_folder_is_refused_by_the_digest(pack, outside):
    (pack / "README.md").symlink_to(outside / "notes.md")  # not a file the loader reads: the digest would
    error = _refused(pack, "outside_pack", "README.md")
    assert "symbolic link" in error.message


@posix_only
def test_a_linked_folder_out_of_the_pack_is_not_walked(pack, outside):
    (pack / "more").symlink_to(outside, target_is_directory=True)
    _refused(pack, "outside_pack", "more")


def _case_file(pack: Path, base: str) -> Path:
    tests = pack / "tests"
    tests.mkdir(exist_ok=True)
    file = tests / "hostile.yaml"
    file.write_text(
        f"cases:\n  - name: reads outside\n    base: {base}\n    expect: {{status: admitted}}\n", "utf-8"
    )
    return file


@pytest.mark.parametrize("base", ["../../outside/secret.yaml", "{outside}/secret.yaml"])
def test_a_case_base_outside_the_pack_is_refused_unread(pack, outside, base):
    file = _case_file(pack, base.format(outside=outside))
    (loaded,) = read_cases(file, pack=DECREE)
    with pytest.raises(RulePackError) as caught:
        build_application(loaded)
    error = caught.value
    assert error.code == "outside_pack" and SECRET not in str(error)
    assert error.location.file == str(file) and error.location.line == 2 and error.location.path == ("base",)


@posix_only
def test_a_case_base_linked_out_of_the_pack_is_refused_unread(pack, outside):
    (pack / "tests").mkdir()
    (pack / "tests" / "base").symlink_to(outside, target_is_directory=True)
    (loaded,) = read_cases(_case_file(pack, "base/secret.yaml"), pack=DECREE)
    with pytest.raises(RulePackError, match="leads out of the pack's folder") as caught:
        build_application(loaded)
    assert SECRET not in str(caught.value)


def test_a_case_base_inside_the_pack_is_read(pack, copy_pack):
    shipped = copy_pack(DECREE, name="with-cases")
    (loaded, *_) = read_cases(sorted((shipped / "tests").glob("*.yaml"))[0], pack=DECREE)
    assert build_application(loaded).id


# --------------------------------------------------------------------------- item 10: extends takes an id


@pytest.mark.parametrize("extends", ["../kz-2015-decree-535", "/tmp/kz-2015-decree-535", "KZ-2015", "a/b"])
def test_extends_takes_an_id_never_a_path(copy_pack, extends):
    child = copy_pack("kz-2017-kiri-methodology", cases=False)
    header = child / "pack.yaml"
    header.write_text(header.read_text("utf-8").replace("extends: kz-2015-decree-535", f"extends: {extends!r}"), "utf-8")
    with pytest.raises(RulePackError, match="extends takes the id of a pack") as caught:
        load_pack_from(child)
    assert caught.value.code == "bad_extends" and caught.value.location.file.endswith("pack.yaml")
    assert caught.value.location.line is not None


# --------------------------------------------------------------------------- item 11: the digest's reads


def test_the_digest_checks_sizes_before_reading(pack):
    with open(pack / "big.txt", "wb") as handle:  # sparse: 3 GiB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    error = _refused(pack, "too_large", "big.txt")
    assert "larger than the limit" in error.message


@posix_only
def test_the_digest_refuses_a_pipe_among_the_pack_files(pack):
    os.mkfifo(pack / "notes.md")
    _refused(pack, "not_a_file", "notes.md")


def test_the_digest_of_the_shipped_packs_is_unchanged_by_the_checks():
    """The identity of a pack is that of its files as the digest read them before the checks
    (names and contents of every .yaml, .yml, .md and .txt below the folder, CRLF as LF)."""
    import hashlib

    from clusterpolicy.packs.folder import digest

    folder = Path(__file__).resolve().parents[1] / "rules" / DECREE
    files = sorted(
        (path.relative_to(folder).as_posix(), path.read_bytes().replace(b"\r\n", b"\n"))
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in (".yaml", ".yml", ".md", ".txt")
        and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts)
    )
    hasher = hashlib.sha256()
    for name, data in files:
        encoded = name.encode("utf-8")
        hasher.update(len(encoded).to_bytes(4, "big") + encoded + len(data).to_bytes(8, "big") + data)
    assert digest(folder) == f"sha256:{hasher.hexdigest()}" == load_pack(DECREE).digest


# --------------------------------------------------------------------------- item 9: placeholders


@pytest.mark.parametrize(
    "placeholder", ["{value.__class__.__mro__}", "{value.nonexistent}", "{value:>300000000}", "{value!r}", "{values[0]}"]
)
def test_a_message_placeholder_is_a_plain_name_only(pack, placeholder):
    path = pack / "documents.yaml"
    text = path.read_text("utf-8")
    found = re.search(r"\{value\}", text)
    assert found is not None
    line = text[: found.start()].count("\n") + 1
    path.write_text(text[: found.start()] + placeholder + text[found.end() :], "utf-8")
    with pytest.raises(RulePackError, match=r"is not a plain \{name\}") as caught:
        load_pack_from(pack)
    error = caught.value
    assert error.code == "bad_placeholder" and error.location.file.endswith("documents.yaml")
    assert error.location.line == line


def test_a_scoring_message_is_checked_too(pack):
    path = pack / "scoring.yaml"
    text = path.read_text("utf-8")
    assert "{count}" in text
    path.write_text(text.replace("{count}", "{count:,}", 1), "utf-8")
    with pytest.raises(RulePackError, match="is not a plain") as caught:
        load_pack_from(pack)
    assert caught.value.location.file.endswith("scoring.yaml") and caught.value.location.line is not None


def test_the_one_format_spec_a_pack_may_use_is_a_date_s_case_ending(pack):
    from clusterpolicy.core import l10n
    from clusterpolicy.core.i18n import CASE_SPECS

    assert tuple(l10n.CASES) == CASE_SPECS
    path = pack / "documents.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("{value}", "{value:dat}", 1), "utf-8")
    assert load_pack_from(pack).rules  # {name:loc}, {name:dat}, {name:abl}: the Kazakh case of a date
    day = l10n.dated(__import__("datetime").date(2017, 6, 8), "kk")
    assert Text(kk="{day:loc} берілген", ru="-", en="-").format("kk", day=day) == format(day, "loc") + " берілген"
    path.write_text(text.replace("{value}", "{value:loc2}", 1), "utf-8")
    with pytest.raises(RulePackError, match="is not a plain"):
        load_pack_from(pack)


def test_texts_are_filled_without_attribute_access_or_format_specs():
    text = Text(kk="{value} {value.__class__} {value:>30} {{x}} {missing}", ru="-", en="-")
    assert text.format("kk", value=7) == "7 {value.__class__} {value:>30} {x} {missing}"


# --------------------------------------------------------------------------- item 12: linear loading


def _pack_with_rules(root: Path, name: str, count: int) -> Path:
    from conftest import copy_pack_into

    folder = copy_pack_into(root, DECREE, name=name, cases=False)
    file = folder / "contents.yaml"
    head, _, body = file.read_text("utf-8").partition("rules:\n")
    items = [item for item in re.split(r"(?m)^(?=  - id: )", body) if item.startswith("  - id: ")]
    first = items[0]
    rule_id = re.match(r"  - id: (\S+)", first).group(1)
    extra = [first.replace(f"  - id: {rule_id}", f"  - id: {rule_id}-copy{k}", 1) for k in range(count - len(items))]
    file.write_text(head + "rules:\n" + "".join(items + extra), "utf-8")
    return folder


def _lines_run_in_the_pack_loader(folder: Path) -> int:
    """Lines executed in the pack loader's own modules (a count of work, not a time)."""
    counted = 0
    loader = os.sep.join(("", "clusterpolicy", "packs"))  # packs.py, or the modules of packs/

    def local(frame, event, arg):
        nonlocal counted
        if event == "line":
            counted += 1
        return local

    def calls(frame, event, arg):
        return local if loader in frame.f_code.co_filename else None

    sys.settrace(calls)
    try:
        load_pack_from(folder)
    finally:
        sys.settrace(None)
    return counted


@pytest.mark.slow
def test_loading_is_linear_in_the_number_of_rules(tmp_path):
    """Four times the rules, about four times the work of the loader's own code (the time is
    measured in benchmarks/bench_linear.py); placing each rule by a scan of those before it
    made it about nine times."""
    small = _lines_run_in_the_pack_loader(_pack_with_rules(tmp_path, "small", 200))
    large = _lines_run_in_the_pack_loader(_pack_with_rules(tmp_path, "large", 800))
    assert large / small < 5, (small, large)
