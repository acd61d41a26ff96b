"""Reforms (issue 24, part 2): evaluating under changed parameters.

A pack derived with changed parameters is checked as the pack is when it loads (a wrong name or
type is a located error), is never taken for the shipped pack, and its results say which
parameters differ from the act's pack.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clusterpolicy import evaluate, load_competition
from clusterpolicy.core.errors import RulePackError, UsageError
from clusterpolicy.output.cli import main
from clusterpolicy.packs import load_pack, load_pack_from, with_parameters

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017"
PACK = "kz-2015-decree-535"


def test_a_derived_pack_has_the_values_and_says_it_is_not_the_shipped_pack():
    shipped = load_pack(PACK)
    derived = with_parameters(shipped, {"paper_copies": 2})
    assert derived.parameter("paper_copies") == 2 and shipped.parameter("paper_copies") == 1  # the shipped pack is untouched
    assert not derived.official and derived.digest != shipped.digest
    assert derived.reported_version.startswith(f"{shipped.version}+sha256.")
    assert derived.changed_parameters == {"paper_copies": {"act": 1, "used": 2}}
    assert shipped.changed_parameters == {}
    assert with_parameters(shipped, {"paper_copies": 1}) is shipped  # nothing differs: the pack itself
    twice = with_parameters(derived, {"min_unaffiliated_legal_entities": 8})
    assert twice.changed_parameters == {
        "min_unaffiliated_legal_entities": {"act": 10, "used": 8},
        "paper_copies": {"act": 1, "used": 2},
    }


def test_a_wrong_name_or_type_is_a_located_error():
    shipped = load_pack(PACK)
    with pytest.raises(UsageError) as wrong_name:
        with_parameters(shipped, {"paper_copie": 2})
    assert wrong_name.value.code == "unknown_parameter" and "did you mean 'paper_copies'" in str(wrong_name.value)
    assert str(wrong_name.value.location) == "parameters: paper_copie"
    with pytest.raises(RulePackError) as wrong_type:
        with_parameters(shipped, {"paper_copies": "two"})
    located = wrong_type.value.location
    assert located.file.endswith("documents.yaml") and located.line and "minimum must be a number" in str(wrong_type.value)
    with pytest.raises(RulePackError) as wrong_gate:
        with_parameters(shipped, {"criteria_1_1_severity": "fatal"})
    assert wrong_gate.value.location.file.endswith("eligibility.yaml")


def test_results_under_changed_parameters_say_which_differ():
    competition = load_competition(EXAMPLE)
    header = competition.model_copy(update={"applications": []})
    application = competition.applications[0]
    result = evaluate(application, competition=header, parameters={"paper_copies": 2})
    assert result.outcome("documents.paper-copy") == "failed"
    assert result.pack.changed_parameters == {"paper_copies": {"act": 1, "used": 2}}
    assert "+sha256." in result.pack.version
    plain = evaluate(application, competition=header)
    assert plain.outcome("documents.paper-copy") == "passed" and plain.pack.changed_parameters == {}
    assert json.loads(result.to_json())["pack"]["changed_parameters"] == {"paper_copies": {"act": 1, "used": 2}}


def test_a_changed_copy_of_a_shipped_pack_lists_what_differs(tmp_path):
    folder = tmp_path / PACK
    shutil.copytree(ROOT / "rules" / PACK, folder)
    header = folder / "pack.yaml"
    text = header.read_text("utf-8")
    start = text.index("  paper_copies:")
    value = text.index("value: 1", start)
    header.write_text(text[:value] + "value: 2" + text[value + len("value: 1"):], "utf-8")
    pack = load_pack_from(folder)
    assert pack.changed_parameters == {"paper_copies": {"act": 1, "used": 2}}


@pytest.mark.slow
def test_evaluate_set_in_the_command_line(capsys):
    code = main(["evaluate", str(EXAMPLE), "--set", "paper_copies=2", "--set", "min_unaffiliated_legal_entities=8"])
    out = capsys.readouterr().out
    assert code == 1
    assert "parameter changed: paper_copies = 2 (the act's pack: 1)" in out
    assert "parameter changed: min_unaffiliated_legal_entities = 8 (the act's pack: 10)" in out
    assert "08-pavlodar-chemical                 returned (Rules p.16): documents.paper-copy" in out  # 8 suffice now
    assert main(["evaluate", str(EXAMPLE), "--set", "paper_copie=2"]) == 2
    err = capsys.readouterr().err
    assert "--set: paper_copie: pack kz-2015-decree-535 has no parameter 'paper_copie' (did you mean 'paper_copies'?)" in err
    assert "Traceback" not in err
    assert main(["evaluate", str(EXAMPLE), "--set", "paper_copies=two"]) == 2
    assert "documents.yaml:" in capsys.readouterr().err
