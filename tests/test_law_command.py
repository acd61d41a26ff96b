"""``clusterpolicy law DIR -o FILE [--lang kk|ru|en]``: the law beside the code of a pack folder of
one's own (a compliance team's copy), so that a changed rule shows on its own page."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from clusterpolicy.output import operations
from clusterpolicy.output.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "rules" / "kz-2015-decree-535"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def copy(tmp_path) -> Path:
    """The shipped Decree 535 pack copied into a folder of one's own."""
    folder = tmp_path / "my-pack"
    shutil.copytree(PACK, folder)
    return folder


@pytest.mark.slow  # loads the copied pack and its text
def test_a_changed_rule_shows_on_the_page_of_the_copy(copy, tmp_path) -> None:
    rules = copy / "eligibility.yaml"
    text = rules.read_text("utf-8")
    assert "ru: Заявка отозвана до окончания срока приёма" in text
    rules.write_text(text.replace("ru: Заявка отозвана до окончания срока приёма", "ru: Заявка отозвана не позднее дня окончания приёма"), "utf-8")
    target = tmp_path / "law.ru.html"
    code, out, err = _run("law", str(copy), "-o", str(target), "--lang", "ru")
    assert (code, out) == (0, "") and f"wrote {target}" in err
    page = target.read_text("utf-8")
    assert "Заявка отозвана не позднее дня окончания приёма" in page and "Заявка отозвана до окончания срока приёма" not in page
    assert '<html lang="ru">' in page and "<h4>Требования</h4>" in page and '<div class="act" lang="kk">' in page
    assert "clusterpolicy law my-pack --lang ru" in page  # says what made it (not the project's generator)
    # the shipped pack's own page is unchanged
    assert "Заявка отозвана до окончания срока приёма" in (ROOT / "docs" / "law.ru.html").read_text("utf-8")


def test_a_unit_left_without_an_entry_is_a_warning_and_the_page_is_made(copy) -> None:
    requirements = copy / "requirements.yaml"
    lines = requirements.read_text("utf-8").splitlines(keepends=True)
    requirements.write_text("".join(line for line in lines if "provision: Rules p.30," not in line), "utf-8")
    code, out, err = _run("law", str(copy), "--lang", "kk")
    assert code == 1 and "warning: unit rules-p30 (Rules p.30) has no entry in requirements.yaml" in err
    assert out.startswith("<!DOCTYPE html>") and '<html lang="kk">' in out and 'id="rules-p30"' in out


def test_a_folder_without_the_acts_text_is_refused_with_its_place(copy) -> None:
    (copy / "law.yaml").unlink()
    code, out, err = _run("law", str(copy))
    assert (code, out) == (2, "") and "law.yaml" in err and str(copy) in err and "Traceback" not in err
    code, _, err = _run("law", "kz-2015-decree-535")
    assert code == 2 and "not a pack folder" in err


def test_the_operation_gives_the_page_of_the_shipped_text_as_the_docs_do(copy) -> None:
    page, problems = operations.law_page(copy, "en")
    assert problems == []
    docs = (ROOT / "docs" / "law.html").read_text("utf-8")
    # the same units and entries; only the header (folder, command, links to the other pages) and
    # the links to the rules' files (the folder's own, as given) differ
    assert f'href="{copy}/eligibility.yaml#L' in page
    mine = page[page.index("<main>") :].replace(f'href="{copy}/', 'href="../rules/kz-2015-decree-535/')
    assert mine == docs[docs.index("<main>") :]
