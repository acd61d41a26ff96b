"""The workflow of docs/rules.md with a non-editable install (issue 14).

The package is built into a wheel from a copy of the project and installed into a temporary
folder; everything below runs that installed copy (never this checkout) from a temporary working
folder holding a copy of the Decree 535 pack, as a compliance team works: a new rule is found by
``clusterpolicy test``, a changed parameter is caught, and the traceability table of the edited
pack shows its cases. Before, ``python -m pytest tests/test_rule_cases.py`` tested the installed
copy, not the edit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACK = "kz-2015-decree-535"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The package built (pip wheel, isolated build) from a copy of the project and installed with
    ``pip install --target``; its command is ``<site>/bin/clusterpolicy``."""
    tmp = tmp_path_factory.mktemp("installed")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    shutil.copytree(ROOT / "rules", source / "rules", ignore=ignore)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    built = subprocess.run([*pip, "wheel", "-q", "--no-deps", "-w", str(tmp / "wheel"), str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "wheel").glob("clusterpolicy-*.whl")
    installed = subprocess.run([*pip, "install", "-q", "--no-deps", "--target", str(tmp / "site"), str(wheel)], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return tmp / "site"


def env(site: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(site), "PYTHONNOUSERSITE": "1", "PYTHONIOENCODING": "utf-8"}


def run(site: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    command = [str(site / "bin" / "clusterpolicy"), *argv] if argv and argv[0] != "-m" else [sys.executable, *argv]
    return subprocess.run(command, cwd=cwd, env=env(site), capture_output=True, text=True, timeout=600)


NEW_RULE = """
  - id: documents.draft-electronic-copy
    title: {kk: "Электрондық көшірме", ru: "Электронная копия", en: "Electronic copy (draft)"}
    citation:
      provision: Rules p.9
    severity: warning
    stages: [1, 2]
    check:
      kind: condition
      condition: {field: submission_format.electronic_copy, equals: true}
    message:
      kk: "Электрондық көшірме жоқ."
      ru: "Электронной копии нет."
      en: "No electronic copy."
"""

NEW_CASES = """cases:
- name: the draft rule passes on a complete application
  base: base/complete-stage1.yaml
  competition: base/competition-stage1.yaml
  expect:
    outcomes:
      documents.draft-electronic-copy: passed
- name: the draft rule fails without an electronic copy
  base: base/complete-stage1.yaml
  competition: base/competition-stage1.yaml
  set:
    submission_format.electronic_copy: false
  expect:
    outcomes:
      documents.draft-electronic-copy: failed
"""


def test_the_documented_workflow_tests_the_edit_not_the_installed_copy(site, tmp_path):
    where = run(site, tmp_path, "-m", "clusterpolicy", "--version")
    assert where.returncode == 0, where.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import clusterpolicy; print(clusterpolicy.__file__)"], env=env(site), cwd=tmp_path, capture_output=True, text=True
    )
    assert probe.stdout.strip().startswith(str(site)), probe.stdout + probe.stderr

    # Copy the installed pack into a working folder (docs/rules.md, "Your own copy of a pack").
    work = tmp_path / "work"
    pack = work / "rules" / PACK
    shutil.copytree(site / "clusterpolicy" / "rules" / PACK, pack)
    done = run(site, work, "test", f"rules/{PACK}", "-q")
    assert done.returncode == 0, done.stdout + done.stderr

    # A new rule is found: without cases, test says the rule has none.
    with (pack / "documents.yaml").open("a", encoding="utf-8") as stream:
        stream.write(NEW_RULE)
    done = run(site, work, "check", f"rules/{PACK}")
    assert done.returncode == 2 and "rule documents.draft-electronic-copy has no case where it is failed or passed" in done.stdout
    done = run(site, work, "test", f"rules/{PACK}", "-q")
    assert done.returncode == 1 and "rule documents.draft-electronic-copy has no case where it is failed or passed" in done.stdout
    (pack / "tests" / "draft.yaml").write_text(NEW_CASES, "utf-8")
    done = run(site, work, "test", f"rules/{PACK}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok    rules/{PACK}/tests/draft.yaml:2: the draft rule passes on a complete application" in done.stdout
    assert f"ok    rules/{PACK}/tests/draft.yaml:8: the draft rule fails without an electronic copy" in done.stdout
    assert f"{PACK} 1.0.0+sha256." in done.stdout  # the edited pack is not the shipped one
    done = run(site, work, "explain", "documents.draft-electronic-copy", "--pack", f"rules/{PACK}")
    assert done.returncode == 0 and f"defined:   rules/{PACK}/documents.yaml:" in done.stdout, done.stderr

    # A changed parameter is caught, naming the cases of p.9.
    text = (pack / "pack.yaml").read_text("utf-8")
    start = text.index("\n  paper_copies:\n")
    changed = text[:start] + text[start:].replace("    value: 1\n", "    value: 2\n", 1)
    (pack / "pack.yaml").write_text(changed, "utf-8")
    done = run(site, work, "test", f"rules/{PACK}", "-q")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"FAIL  rules/{PACK}/tests/documents.yaml:6: a complete stage-1 application passes every documents rule of stage 1" in done.stdout
    assert "documents.paper-copy (Rules p.9): expected passed, got failed" in done.stdout
    (pack / "pack.yaml").write_text(text, "utf-8")

    # Traceability of the edited pack: its cases, the new rule's included.
    with (pack / "requirements.yaml").open("a", encoding="utf-8") as stream:
        stream.write('  - {provision: Rules p.9, text: "An electronic copy (draft).", encoded_by: [rule:documents.draft-electronic-copy]}\n')
    done = run(site, work, "-m", "clusterpolicy.authoring.traceability")
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if "rule:documents.draft-electronic-copy" in line)
    assert "draft.yaml:2 (passed)" in row and "draft.yaml:8 (failed)" in row
    paper = next(line for line in done.stdout.splitlines() if "`rule:documents.paper-copy`" in line)
    assert "documents.yaml:" in paper and "**none**" not in paper
