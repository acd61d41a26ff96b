"""Everything an act says lives in its pack: no Python module names a paragraph of an act.

The paragraphs, event ids, stages and citation grammar of Decree 535 are data of its pack
(``procedure.yaml``); the code reads them from the pack it evaluates under. These tests scan
the library's code and string literals (docstrings, comments and documentation strings of
fields and options are not code), check the procedure against the Kazakh text, and check
that the methodology pack cites the Rules as Decree 535's, by its declared inheritance.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import copy_pack_into

from clusterpolicy.core.errors import RulePackError
from clusterpolicy.evaluation import evaluate
from clusterpolicy.output.reports import return_notice
from clusterpolicy.packs import available_packs, load_pack, load_pack_from
from clusterpolicy.testing import break_rule, valid_competition

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "clusterpolicy"
RULES = ROOT / "rules"
SOURCES = Path(__file__).parent / "data" / "sources"
DECREE = "kz-2015-decree-535"
METHODOLOGY = "kz-2017-kiri-methodology"

FORBIDDEN = [
    (re.compile(r"\bp\.\s?\d"), "a paragraph (p.N)"),
    (re.compile(r"п\.\s?\d"), "a paragraph (п.N)"),
    (re.compile(r"\bRules\b"), "the Rules"),
    (re.compile(r"Правил"), "the Rules (ru)"),
    (re.compile(r"Қағидалар"), "the Rules (kk)"),
    (re.compile(r"тармағ|тармақ"), "a paragraph (kk)"),
    (re.compile(r"\bCriteria \d"), "a criterion"),
    (re.compile(r"\bAppendix \d"), "an appendix"),
    (re.compile(r"§\s?\d"), "a section (§N)"),
]
"""What names a provision of an act, in English, Russian or Kazakh."""

DOCUMENTATION_KEYWORDS = {"description", "help", "epilog"}
"""Keyword arguments whose strings document an interface (a field, a command-line option)."""


def _event_ids() -> set[str]:
    events = set()
    for pack_id in available_packs():
        pack = load_pack(pack_id)
        events |= set(pack.time_limit_events)
    return events


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            # a docstring, and an attribute's docstring (a string statement after an assignment)
            for statement in body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str):
                    found.add(id(statement.value))
        if isinstance(node, ast.keyword) and node.arg in DOCUMENTATION_KEYWORDS:
            for inner in ast.walk(node.value):
                found.add(id(inner))
    return found


def code_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a module that is not documentation."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
    ]


def findings(path: Path, events: set[str]) -> list[str]:
    found = []
    for line, text in code_strings(path):
        for pattern, what in FORBIDDEN:
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: names {what}: {text!r}")
        if text in events:
            found.append(f"{path.relative_to(ROOT)}:{line}: names the event {text!r} of an act")
    return found


@pytest.mark.slow
def test_no_module_names_a_provision_or_an_event_of_an_act():
    events = _event_ids()
    assert {"acceptance_closed", "completeness_protocol_signed", "competition_failed"} <= events
    problems = [problem for path in sorted(PACKAGE.rglob("*.py")) for problem in findings(path, events)]
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        'RETURN = {1: "Rules p.16", 2: "Rules p.32"}',
        'text = "На основании п.16 Правил"',
        'text = "Қағидалардың 16-тармағы"',
        'event = "completeness_protocol_signed"',
        'where = f"Appendix 2 §{n}"',
    ],
)
def test_the_scan_finds_what_it_looks_for(tmp_path, source):
    module = tmp_path / "module.py"
    module.write_text(f'"""Rules p.1 in a docstring is documentation."""\n{source}\n', "utf-8")
    problems = _scan(module)
    assert problems and all(problem.startswith("module.py:2:") for problem in problems)


def _scan(module: Path) -> list[str]:
    events = _event_ids()
    found = []
    for line, text in code_strings(module):
        if any(pattern.search(text) for pattern, _ in FORBIDDEN) or text in events:
            found.append(f"{module.name}:{line}: {text!r}")
    return found


def test_documentation_strings_are_not_code(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        '"""Rules p.16."""\n'
        "x: int = Field(description='Set by the Commission (Rules p.24).')\n"
        "def f():\n    '''Returned under p.16.'''\n    return 1\n",
        "utf-8",
    )
    assert _scan(module) == []


# --------------------------------------------------------------------------- the procedure is the act's


def _paragraphs() -> dict[int, str]:
    """The Rules' paragraphs of the Kazakh text, by number: numbered in sequence from the
    Rules' paragraph 1 (which defines "Қағидалар") to the first appendix."""
    lines = (SOURCES / "decree-535-kk.txt").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("1. ") and "(бұдан әрі – Қағидалар)" in line)
    paragraphs: dict[int, str] = {}
    current = 0
    for line in lines[start:]:
        match = re.match(r"^(\d+)\. ", line)
        if match and int(match.group(1)) == current + 1:
            current += 1
            paragraphs[current] = ""
        paragraphs[current] += " " + line
    return paragraphs


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _procedure_citations(pack_id: str) -> list[tuple[str, object]]:
    procedure = load_pack(pack_id).procedure
    cited = [(f"citations.{name}", citation) for name, citation in procedure.citations]
    for number, stage in procedure.stages.items():
        cited += [(f"stages.{number}.{name}", getattr(stage, name)) for name in ("requirements", "completeness_check", "next_step")]
        cited += [(f"stages.{number}.status.{name}", citation) for name, citation in stage.status]
    return cited


def test_each_cited_paragraph_holds_its_quote_in_the_kazakh_text():
    paragraphs = {number: _squeeze(text) for number, text in _paragraphs().items()}
    assert len(paragraphs) >= 42
    cited = _procedure_citations(DECREE)
    assert len(cited) == 18  # the 14 of the protocols, p.21 (expert conclusion), p.38 (winners) and p.10 (withdrawn) at both stages
    for where, citation in cited:
        match = re.fullmatch(r"Rules p\.(\d+)(?:-(\d+))?", citation.provision)
        assert match, (where, citation.provision)
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        text = " ".join(paragraphs[n] for n in range(first, last + 1))
        assert citation.quote and _squeeze(citation.quote) in text, (where, citation.provision, citation.quote)


def test_the_procedure_says_which_provision_each_status_rests_on():
    procedure = load_pack(DECREE).procedure
    assert [procedure.status_citation("returned", stage).provision for stage in (1, 2)] == ["Rules p.16", "Rules p.32"]
    assert [procedure.status_citation("withdrawn", stage).provision for stage in (1, 2)] == ["Rules p.10", "Rules p.10"]
    assert [procedure.status_citation("not_accepted", stage).provision for stage in (1, 2)] == ["Rules p.13", "Rules p.13"]
    assert procedure.status_citation("admitted", 1) is None
    assert procedure.stage(2).events.acceptance_closed == "stage2_acceptance_closed"


def test_a_child_pack_inherits_the_procedure_of_its_parent():
    decree, methodology = load_pack(DECREE), load_pack(METHODOLOGY)
    # stage 1 as the decree's, but where its applications go next and who decides (one selection: issue 23)
    assert sorted(methodology.procedure.stages) == [1] and sorted(decree.procedure.stages) == [1, 2]
    mine, theirs = methodology.procedure.stages[1], decree.procedure.stages[1]
    assert (mine.requirements, mine.completeness_check, mine.status) == (theirs.requirements, theirs.completeness_check, theirs.status)
    assert mine.next_step.provision == "Methodology §3.2.2(5)"
    assert methodology.procedure.events == decree.procedure.events
    assert methodology.procedure.record_events == decree.procedure.record_events
    assert (methodology.procedure.citations.failed, methodology.procedure.citations.reannouncement) == (
        decree.procedure.citations.failed, decree.procedure.citations.reannouncement)
    assert methodology.citation_style.parent is decree.citation_style


# --------------------------------------------------------------------------- the methodology cites the Rules as Decree 535's


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_methodology_notice_cites_the_rules_as_decree_535s(lang):
    decree, methodology = load_pack(DECREE), load_pack(METHODOLOGY)
    application = break_rule("documents.paper-copy")
    result = evaluate(application, competition=valid_competition(1), pack=methodology, lang=lang)
    assert result.status == "returned" and result.status_citation == "Rules p.16"
    text = return_notice(result).to_markdown()
    decree_title, methodology_title = decree.header.act.title.get(lang), methodology.header.act.title.get(lang)
    # the Rules are cited with the act that approved them, in the decree's own phrase
    according = decree.citation_style.phrase("according", "Rules p.16", lang)
    assert according and according in text and "535" in according
    assert methodology_title not in text
    finding = next(r for r in result.results if r.rule_id == "documents.paper-copy")
    assert finding.citation.act == decree_title


def test_the_methodology_cites_its_own_provisions_as_its_own():
    methodology = load_pack(METHODOLOGY)
    assert methodology.act_of("Methodology §3.2.2(3)") is methodology.header.act
    assert methodology.act_of("Rules p.16") is load_pack(DECREE).header.act
    assert methodology.cite("Methodology §3.2.2(3)", "ru") == "подпункт 3) раздела 3.2.2 Методологии"
    assert methodology.cite("Methodology §3.2.2(3)", "kk") == "Әдістеменің 3.2.2-бөлімінің 3) тармақшасы"
    assert methodology.cite("Methodology §3.2.1(1.1)", "ru") == "раздел 3.2.1 Методологии, критерий 1, подпункт 1)"
    assert methodology.cite("Methodology §3.2.1(4)", "ru") == "раздел 3.2.1 Методологии, критерий 4"
    assert methodology.cite("Methodology §3.2.2(3)", "en") == "Methodology §3.2.2(3)"
    # the parent does not read the child's provisions
    assert load_pack(DECREE).cite("Methodology §3.2.2(3)", "ru") == "Methodology §3.2.2(3)"


# --------------------------------------------------------------------------- a faulty procedure.yaml fails to load, located


def _copy(tmp_path: Path, pack_id: str = DECREE) -> Path:
    return copy_pack_into(tmp_path, pack_id)


def _edit(folder: Path, old: str, new: str) -> int:
    path = folder / "procedure.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_unchanged_copy_loads(tmp_path):
    pack = load_pack_from(_copy(tmp_path))
    assert pack.procedure == load_pack(DECREE).procedure


@pytest.mark.parametrize(
    ("old", "new", "expected", "offset"),
    [
        ("      acceptance_closed: acceptance_closed", "      acceptance_closed: acceptance_closd", "did you mean 'acceptance_closed'", 0),
        ("    completeness_check:", "    completness_check:", "completness_check", 0),
        ("  failed: competition_failed", "  failed: competition_faild", "did you mean 'competition_failed'", 0),
        # a template's fault is reported at its form (the line of its pattern)
        ("      text: {kk: \"{doc} {n}-тармағы\"", "      text: {kk: \"{doc} {number}-тармағы\"", "{number}", -1),
        ("    - pattern: 'Criteria (?P<n>\\d+(?:\\.\\d+)?)'", "    - pattern: 'Criteria (?P<n>\\d+(?:\\.\\d+)?'", "regular expression", 0),
    ],
)
def test_a_fault_in_procedure_yaml_is_reported_with_file_and_line(tmp_path, old, new, expected, offset):
    folder = _copy(tmp_path)
    line = _edit(folder, old, new) + offset
    with pytest.raises(RulePackError) as caught:
        load_pack_from(folder)
    message = str(caught.value)
    assert f"procedure.yaml:{line}" in message and expected in message, message


def test_a_missing_stage_key_is_reported(tmp_path):
    folder = _copy(tmp_path)
    line = _edit(folder, "    next_step:\n      provision: \"Rules p.20\"", "    nxt_step:\n      provision: \"Rules p.20\"")
    with pytest.raises(RulePackError) as caught:
        load_pack_from(folder)
    assert "procedure.yaml:" in str(caught.value) and "next_step" in str(caught.value)
    assert f":{line}" in str(caught.value) or "stages.1" in str(caught.value)


def test_a_child_overrides_one_key_of_its_parents_procedure(tmp_path):
    folder = _copy(tmp_path, METHODOLOGY)
    _copy(tmp_path, DECREE)
    path = folder / "procedure.yaml"
    path.write_text(path.read_text("utf-8") + "\nevents:\n  failed: reannouncement\n", "utf-8")
    pack = load_pack_from(folder)
    assert pack.procedure.events.failed == "reannouncement"
    assert pack.procedure.events.announcement == "announcement"
    assert pack.procedure.stages == load_pack(METHODOLOGY).procedure.stages


def test_explain_names_the_act_a_provision_belongs_to():
    from clusterpolicy.output.cli import main
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["explain", "documents.paper-copy", "--pack", METHODOLOGY, "--lang", "ru"])
    assert "citation:  Rules p.9, Постановление Правительства РК от 16 июля 2015 года № 535" in out.getvalue()


@pytest.mark.slow
def test_the_chart_cites_the_minimum_score_from_the_pack():
    pytest.importorskip("matplotlib")
    from clusterpolicy.output.notebook import plot_scores
    from clusterpolicy import load_competition, run_competition

    report = run_competition(load_competition(ROOT / "examples" / "competition-2017"), lang="ru")
    figure = plot_scores(report.scores, minimum_score=50, lang="ru", pack=report.pack.rule_pack)
    assert "минимальный балл (п.24 Правил)" in figure.axes[0].get_legend_handles_labels()[1]
    figure = plot_scores(report.scores, minimum_score=50, lang="ru")
    assert "минимальный балл" in figure.axes[0].get_legend_handles_labels()[1]


def test_the_librarys_own_words_name_no_provision():
    """The catalogues (core/locale) are the library's words: a provision comes from the pack."""
    patterns = [re.compile(p) for p in (r"\bp\.\s?\d", r"п\.\s?\d", r"\bRules\b", r"Правил", r"тармағ|тармақ")]
    problems = []
    for path in sorted((PACKAGE / "core" / "locale").glob("*.yaml")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if any(pattern.search(line) for pattern in patterns):
                problems.append(f"{path.name}:{number}: {line}")
    assert problems == []


def test_a_result_read_back_from_json_makes_documents_with_the_pack_given():
    from clusterpolicy.checks.results import ApplicationResult
    from clusterpolicy.core.errors import UsageError

    result = evaluate(break_rule("documents.paper-copy"), competition=valid_competition(1), pack=DECREE, lang="ru")
    again = ApplicationResult.model_validate_json(result.to_json())
    assert again.to_json() == result.to_json() and again.pack.rule_pack is None
    with pytest.raises(UsageError, match="pass pack="):
        return_notice(again)
    assert return_notice(again, pack=load_pack(DECREE)).to_markdown() == return_notice(result).to_markdown()
