"""Packs from a folder (issue 14, compliance teams): ``--pack DIR`` everywhere, documents made
from a result evaluated under such a pack, the pack's identity (a digest of its files), and the
``clusterpolicy test`` / ``clusterpolicy check`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterpolicy.output import cli
from clusterpolicy.authoring.suite import check_pack, run_suite
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.loading import load_competition
from clusterpolicy.output.reports import make_report, return_notice
from clusterpolicy.packs import load_pack, load_pack_from

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
DECREE = "kz-2015-decree-535"
EXAMPLE = ROOT / "examples" / "competition-2017"

pytestmark = pytest.mark.slow  # each loads a pack from a folder, most evaluate a competition under it


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def copy(copy_pack) -> Path:
    """An unchanged copy of the Decree 535 pack, in a folder of another name."""
    return copy_pack(name="my-pack")


def replace_in(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), "utf-8")


def set_paper_copies(pack: Path, value: int) -> None:
    text = (pack / "pack.yaml").read_text("utf-8")
    start = text.index("\n  paper_copies:\n")
    at = text.index("    value: 1\n", start)
    assert at < text.index("\n  ", start + 20) + 40  # the value of paper_copies, not of the next parameter
    (pack / "pack.yaml").write_text(text[:at] + f"    value: {value}\n" + text[at + len("    value: 1\n"):], "utf-8")


# --------------------------------------------------------------------------- identity


def test_an_unchanged_copy_is_the_shipped_pack_and_a_changed_one_is_not(copy):
    shipped = load_pack(DECREE)
    same = load_pack_from(copy)
    assert shipped.digest.startswith("sha256:") and len(shipped.digest) == 7 + 64
    assert (same.digest, same.official, same.reported_version, same.origin) == (shipped.digest, True, "1.0.0", "folder")
    set_paper_copies(copy, 2)
    changed = load_pack_from(copy)
    assert changed.digest != shipped.digest and not changed.official
    assert changed.reported_version == f"1.0.0+sha256.{changed.digest[7:19]}"


def test_a_copy_that_extends_a_changed_parent_is_not_the_shipped_pack(packs_copy):
    tmp_path = packs_copy
    child = load_pack_from(tmp_path / "kz-2017-kiri-methodology")
    assert child.official and child.digest == load_pack("kz-2017-kiri-methodology").digest
    set_paper_copies(tmp_path / DECREE, 2)
    child = load_pack_from(tmp_path / "kz-2017-kiri-methodology")
    assert not child.official and child.reported_version.startswith("1.1.0+sha256.")


def test_a_line_end_change_is_not_a_change(copy):
    file = copy / "documents.yaml"
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    assert load_pack_from(copy).digest == load_pack(DECREE).digest


def test_results_and_report_headers_of_a_changed_copy_never_claim_the_shipped_version(copy, capsys):
    set_paper_copies(copy, 2)
    code, out, err = run(capsys, "evaluate", EXAMPLE, "--pack", copy, "--format", "json")
    assert code == 1, err
    pack = json.loads(out)["pack"]
    assert pack["id"] == DECREE and pack["version"].startswith("1.0.0+sha256.") and pack["digest"] == load_pack_from(copy).digest
    code, out, err = run(capsys, "report", EXAMPLE, "--pack", copy, "--kind", "completeness-protocol")
    assert code == 0, err
    assert f"{DECREE} {pack['version']}" in out and f"{DECREE} 1.0.0 " not in out
    code, out, _ = run(capsys, "evaluate", EXAMPLE, "--pack", copy)
    assert out.splitlines()[0].endswith(f"{DECREE} {pack['version']} (Government Decree No. 535 of 2015-07-16)")


def test_the_shipped_pack_reports_its_digest():
    competition = load_competition(EXAMPLE)
    result = evaluate(competition.applications[0], competition=competition, pack=DECREE)
    assert json.loads(result.to_json())["pack"] == {
        "id": DECREE,
        "version": "1.0.0",
        "act": "Government Decree No. 535 of 2015-07-16",
        "digest": load_pack(DECREE).digest,
        "changed_parameters": {},  # the shipped pack as shipped: no parameter differs from the act's
    }


# --------------------------------------------------------------------------- --pack DIR everywhere


def test_every_command_takes_a_pack_folder(copy, capsys):
    set_paper_copies(copy, 2)
    version = load_pack_from(copy).reported_version
    code, out, err = run(capsys, "evaluate", EXAMPLE / "02-almaty-furniture.yaml", "--pack", copy, "--details")
    assert code == 1 and "documents.paper-copy" in out, err
    code, out, err = run(capsys, "deadlines", EXAMPLE, "--pack", copy)
    assert code in (0, 1) and "error" not in err, err
    code, out, err = run(capsys, "report", EXAMPLE / "02-almaty-furniture.yaml", "--pack", copy, "--kind", "notice")
    assert code == 0 and "2 required" in out, err
    code, out, err = run(capsys, "explain", "documents.paper-copy", "--pack", copy)
    assert code == 0 and f"pack:      {DECREE} {version}" in out and "paper_copies = 2" in out, err
    code, out, err = run(capsys, "packs", "show", copy)
    assert code == 0 and out.startswith(f"{DECREE} {version}:") and "not the shipped pack" in out, err
    assert "paper_copies = 2" in out


def test_a_notice_is_made_from_a_result_evaluated_under_a_folder(copy):
    set_paper_copies(copy, 2)
    competition = load_competition(EXAMPLE)
    pack = load_pack_from(copy)
    result = evaluate(competition.applications[1], competition=competition, pack=pack)
    assert result.status == "returned"
    notice = return_notice(result).to_markdown()
    assert "2 required" in notice
    assert "2 required" in make_report("notice", result).to_markdown()


def test_a_misspelt_field_path_in_a_copy_exits_2_with_file_and_line(copy, capsys):
    replace_in(copy / "documents.yaml", "field: submission_format.paper_copies", "field: submission_format.paper_copis")
    code, out, err = run(capsys, "evaluate", EXAMPLE, "--pack", copy)
    assert code == 2 and out == ""
    assert f"{copy}/documents.yaml:" in err and "did you mean 'submission_format.paper_copies'" in err
    assert "Traceback" not in err


def test_a_folder_that_is_not_a_pack_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "evaluate", EXAMPLE, "--pack", tmp_path)
    assert code == 2 and "needs a pack.yaml" in err


# --------------------------------------------------------------------------- clusterpolicy test


def test_test_passes_on_an_unchanged_copy(copy, capsys):
    code, out, err = run(capsys, "test", copy, "-q")
    assert code == 0, out + err
    assert out.splitlines()[-1].endswith(" passed, 0 failed, 0 error(s)")


def test_test_fails_on_paper_copies_2_naming_the_p9_cases(copy, capsys):
    set_paper_copies(copy, 2)
    code, out, err = run(capsys, "test", copy)
    assert code == 1, err
    failing = [line for line in out.splitlines() if line.startswith("FAIL")]
    cases = (copy / "tests" / "documents.yaml").read_text("utf-8").splitlines()
    for stage in (1, 2):
        name = f"a complete stage-{stage} application passes every documents rule of stage {stage}"
        line = cases.index(f"- name: {name}") + 1  # the case's own line, wherever the file puts it
        assert f"FAIL  {copy}/tests/documents.yaml:{line}: {name}" in failing
    assert "      documents.paper-copy (Rules p.9): expected passed, got failed: 1 paper copies; 2 required." in out
    assert "ok    " in out  # the cases that still hold are listed too
    run_ = run_suite(load_pack_from(copy))
    assert run_.exit_code == 1 and len(run_.failed) == sum(line.startswith("FAIL") for line in out.splitlines())


def test_test_takes_a_case_file_and_runs_only_its_cases(copy, capsys):
    set_paper_copies(copy, 2)
    code, out, _ = run(capsys, "test", copy / "tests" / "eligibility.yaml", "-q")
    assert code == 1 and "documents.yaml" not in out and "eligibility.yaml" in out


def test_test_of_a_bad_case_exits_2(copy, capsys):
    replace_in(copy / "tests" / "documents.yaml", "submission_format.paper_copies: 0", "submission_formt.paper_copies.x: 0")
    code, out, _ = run(capsys, "test", copy, "-q")
    assert code == 2
    assert "ERROR " in out and "no paper copy" in out


def test_test_of_what_is_not_a_pack_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "test", tmp_path)
    assert code == 2 and "neither a pack folder" in err
    code, _, err = run(capsys, "test", tmp_path / "nothing")
    assert code == 2 and "no such file or folder" in err


# --------------------------------------------------------------------------- clusterpolicy check


def test_check_a_shipped_copy_is_ok(copy, capsys):
    code, out, _ = run(capsys, "check", copy)
    assert code == 0 and out.endswith("ok\n") and "note:" not in out


def test_check_fails_on_a_changed_quote(copy, capsys):
    """Issue 23: a quote changed to words that are not in the decree passed `check` (exit 0)."""
    code, out, _ = run(capsys, "check", copy)
    assert code == 0 and "quotes: " in out and "unchecked" not in out
    pack_yaml = copy / "pack.yaml"
    text = pack_yaml.read_text("utf-8")
    pack_yaml.write_text(text.replace('quote: "үлестес емес кемінде 10 заңды тұлға"', 'quote: "үлестес емес кемінде 12 заңды тұлға"', 1), "utf-8")
    code, out, _ = run(capsys, "check", copy)
    assert code == 2
    assert f"error: parameter min_unaffiliated_legal_entities.citation: quote not found in {copy}/source/kk.txt: 'үлестес емес кемінде 12 заңды тұлға'" in out
    # the value no longer agrees with the number its quote writes
    assert "error: parameter min_unaffiliated_legal_entities = 10, while its quote writes 12" in out


def test_check_flags_a_parameter_whose_value_its_quote_contradicts(copy, capsys):
    pack_yaml = copy / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text("utf-8").replace("value: 10\n", "value: 7\n", 1), "utf-8")
    code, out, _ = run(capsys, "check", copy)
    assert code == 2 and "error: parameter min_unaffiliated_legal_entities = 7, while its quote writes 10" in out


def test_check_reports_a_pack_without_its_text_as_unchecked(copy, capsys):
    import shutil

    shutil.rmtree(copy / "source")
    code, out, _ = run(capsys, "check", copy)
    assert code == 0 and "quotes: 0 checked" in out
    assert f"unchecked: pack {DECREE} ships no text of its act ({copy}/source/kk.txt)" in out


def test_check_reports_load_errors_and_case_errors_without_running(copy, capsys):
    replace_in(copy / "tests" / "documents.yaml", "      documents.paper-copy: failed\n", "      documents.paper-copi: failed\n")
    found = check_pack(copy)
    assert found.exit_code == 2
    assert any("expects an outcome of 'documents.paper-copi', which is not a rule" in error for error in found.errors)
    assert any("rule documents.paper-copy has no case where it is failed" in error for error in found.errors)
    assert any("documents.paper-copy has no case that breaks it alone" in note for note in found.notes)
    replace_in(copy / "documents.yaml", "severity: return\n    stages: [1, 2]\n    check:\n      kind: number_between\n      field: submission_format.paper_copies",
               "severity: retrun\n    stages: [1, 2]\n    check:\n      kind: number_between\n      field: submission_format.paper_copies")
    code, out, _ = run(capsys, "check", copy)
    assert code == 2 and f"{copy}/documents.yaml:" in out and "severity" in out
