"""Every code snippet of the docs runs as written.

The pages are README.md, docs/*.md, examples/README.md and the rule packs' README files. From
each page, in order:

- ``python`` blocks run one after the other in one namespace (a later block may use what an
  earlier one made, as a reader typing them into one session would), top-level statement by
  statement; an expression whose comment states a value (an ISO date, ``True`` or ``False``,
  such as ``add_working_days(date(2017, 6, 8), 5)  # 2017-06-15``) must give that value;
- ``sh``/``bash`` lines that call ``clusterpolicy`` run through the command line's ``main`` and
  must not fail (exit code 0, or 1 where the example has findings on purpose; never 2), a
  ``> file`` redirection writing the file;
- ``yaml`` blocks parse.

They run in a scratch folder where ``examples``, ``rules``, ``docs`` and ``benchmarks`` are
links to the repository's, so files they write stay out of it. Not run here (listed in
``NOT_RUN``, each with where it runs): installing the package and running the tests (CI runs
exactly ``pip install '.[test]' && python -m pytest``), mutation testing and the benchmarks
(minutes each; docs/mutation-testing.md and docs/performance.md say how long).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import io
import re
import shlex
from pathlib import Path

import pytest
import yaml

from clusterpolicy.output.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "examples" / "README.md", *(ROOT / "rules").glob("*/README.md")]
)
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUN = {
    "pip install": "CI installs the package and its test extra",
    "python -m pytest": "CI runs the tests",
    "python -m mutmut": "mutation testing takes minutes (docs/mutation-testing.md)",
    "python benchmarks/": "the benchmarks take minutes (docs/performance.md)",
}
# docs/rules.md's own copy of a pack, with the installed command: tests/test_installed_workflow.py
# runs that workflow from a temporary folder against a non-editable install
_WORKFLOW = "tests/test_installed_workflow.py runs it from a temporary folder"
NOT_RUN.update(
    {
        "mkdir -p work/rules": _WORKFLOW,
        "cp -r": _WORKFLOW,
        "cd work": _WORKFLOW,
        "clusterpolicy check rules/": _WORKFLOW,
        "clusterpolicy test rules/": _WORKFLOW,
        "clusterpolicy evaluate ../examples/": _WORKFLOW,
        "python -m clusterpolicy.authoring.traceability": _WORKFLOW,
        # a server runs until stopped (README's "Over HTTP"); tests/test_service.py starts one and asks it
        "clusterpolicy serve": "tests/test_service.py runs the service",
        "curl": "tests/test_service.py asks the service the same questions",
        # getting-started.md's batch reads a file of the reader's own; tests/test_batch.py runs
        # `evaluate --jsonl` on JSON Lines made from the examples
        "clusterpolicy evaluate --jsonl applications.jsonl": "tests/test_batch.py runs the batch command",
        "clusterpolicy evaluate - <": "tests/test_cli.py feeds an application on standard input",
    }
)
# pages whose snippets take more than about a second (a whole competition, charts)
SLOW = {"README.md", "remedies.md", "calendar.md", "for-analysts.md", "for-officials.md", "getting-started.md", "scoring.md"}


def blocks(page: Path) -> list[tuple[str, str, int]]:
    """(language, code, line of the opening fence) of every fenced block of a page."""
    text = page.read_text("utf-8")
    return [(m.group(1).lower(), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)]


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


# pages whose commands talk to a running server: tests/test_service.py starts the service and asks
# it the same questions (health, packs, evaluate, deadlines, reports), comparing with the CLI
NOT_RUN_PAGES = {"service.md": "tests/test_service.py runs the service and asks it what the page shows"}


def _params():
    for page in PAGES:
        if page.name in NOT_RUN_PAGES:
            continue
        if any(language in ("python", "sh", "bash", "yaml") for language, _, _ in blocks(page)):
            marks = [pytest.mark.slow] if page.name in SLOW else []
            yield pytest.param(page, id=_page_id(page), marks=marks)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    for name in ("examples", "rules", "docs", "benchmarks"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


_EXPECTED = re.compile(r"#\s*(?:[^#:]*:\s*)?(\d{4}-\d\d-\d\d|True|False)\b")


def _expected(line: str) -> str | None:
    """The value a snippet's comment states for its line: ``# 2017-06-15 (Rules p.15)``, ``# a working Saturday: True``."""
    match = _EXPECTED.search(line)
    return match.group(1) if match else None


def run_python(code: str, namespace: dict, where: str) -> None:
    tree = ast.parse(code, filename=where)
    lines = code.splitlines()
    for statement in tree.body:
        if isinstance(statement, ast.Expr):
            value = eval(compile(ast.Expression(statement.value), where, "eval"), namespace)
            expected = _expected(lines[statement.end_lineno - 1])
            if expected is not None:
                assert str(value) == expected, f"{where}, line {statement.lineno}: got {value!r}, the page says {expected}"
        else:
            exec(compile(ast.Module([statement], type_ignores=[]), where, "exec"), namespace)


def run_shell(code: str, where: str) -> int:
    ran = 0
    for line in code.splitlines():
        for command in line.split("&&"):
            words = shlex.split(command, comments=True)
            if not words:
                continue
            text = " ".join(words)
            if any(text.startswith(prefix) for prefix in NOT_RUN):
                continue
            assert words[0] == "clusterpolicy", f"{where}: a command this test does not know how to run: {text}"
            target = None
            if ">" in words:
                at = words.index(">")
                words, target = words[:at], words[at + 1]
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code_ = main(words[1:])
            assert code_ in (0, 1), f"{where}: `{text}` exited {code_}: {err.getvalue()}"
            assert out.getvalue() or target is None
            if target:
                Path(target).write_text(out.getvalue(), "utf-8")
            ran += 1
    return ran


@pytest.mark.parametrize("page", list(_params()))
def test_every_snippet_of_the_page_runs(page, scratch):
    namespace: dict = {"__name__": "__snippet__"}
    ran = 0  # blocks run, or whose commands were all looked at (some only listed in NOT_RUN)
    for language, code, line in blocks(page):
        where = f"{_page_id(page)}:{line}"
        if language == "python":
            with contextlib.redirect_stdout(io.StringIO()):
                run_python(code, namespace, where)
            ran += 1
        elif language in ("sh", "bash"):
            run_shell(code, where)
            ran += 1
        elif language == "yaml":
            yaml.safe_load(code)
            ran += 1
    assert ran > 0


def test_the_expected_value_reader():
    assert _expected("add_working_days(date(2017, 6, 8), 5)        # 2017-06-15  (Rules p.15)") == "2017-06-15"
    assert _expected("clusterpolicy.is_working_day(dt.date(2016, 3, 5))          # a working Saturday: True") == "True"
    assert _expected("clusterpolicy.add_working_days(dt.date(2017, 6, 8), 5)     # Rules p.15: 2017-06-15") == "2017-06-15"
    assert _expected("report                      # one row per application") is None


def test_a_broken_snippet_fails(scratch):
    with pytest.raises(AssertionError, match="the page says 2017-06-16"):
        run_python("import datetime as dt\nfrom clusterpolicy import add_working_days\n"
                   "add_working_days(dt.date(2017, 6, 8), 5)  # 2017-06-16\n", {}, "x.md:1")
    with pytest.raises(AssertionError, match="exited 2"):
        run_shell("clusterpolicy evaluate examples/no-such-folder", "x.md:1")
    with pytest.raises(NameError):
        run_python("competition.events", {}, "x.md:1")


@pytest.mark.slow
def test_the_readme_first_run_is_what_the_command_prints(capsys):
    """The lines the README quotes and explains are the command's own (the excerpt leaves lines out, never changes one)."""
    text = (ROOT / "README.md").read_text("utf-8")
    excerpt = next(code for language, code, _ in blocks(ROOT / "README.md") if language == "text")
    quoted = [line for line in excerpt.splitlines() if line.strip() and line.strip() != "..."]
    assert len(quoted) >= 5
    code = main(["evaluate", str(ROOT / "examples" / "competition-2017")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line for line in quoted if line not in out] == []
    for mark in ("`≥`", "`<`", "`~`", "repealed", "late announcement"):
        assert mark in text


LEFTOVERS = re.compile(r"/work/|\bDOMAIN\.md\b|search tool|the brief\b|shared machine|cited from memory", re.IGNORECASE)


def test_no_development_leftovers_in_the_docs():
    """The pages speak to users: no developers' shared folder, no tools used while writing them."""
    pages = [*PAGES, *(ROOT / "examples").glob("*.yaml"), *(ROOT / "examples").glob("*/*.yaml")]
    found = {
        f"{page.relative_to(ROOT)}:{number}": line.strip()
        for page in pages
        for number, line in enumerate(page.read_text("utf-8").splitlines(), start=1)
        if LEFTOVERS.search(line)
    }
    assert found == {}


def test_the_affiliation_page_and_the_pack_agree_on_the_10_and_6_rules():
    from clusterpolicy.packs import load_pack

    parameter = load_pack("kz-2015-decree-535").header.parameters["min_interconnected_companies"]
    note = parameter.note if isinstance(parameter.note, str) else str(parameter.note)
    page = (ROOT / "docs" / "affiliation.md").read_text("utf-8")
    assert "does not contradict" in note and "Contradicts" not in note
    assert "do not contradict each other" in page
    assert parameter.value == 6 and not getattr(parameter, "choice", False)  # a rule of the act, not a choice
