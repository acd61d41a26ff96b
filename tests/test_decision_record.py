"""The decision record every result carries, and ``verify`` (issue 25, items 1 and 2).

Another system recomputes the digests from docs/output.md alone: here with ``hashlib`` and
``json``, never with the library's own helpers. ``verify`` says "the same" for every example,
and "different" when the document, the input or the pack is not the one recorded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from clusterpolicy.competition import run_competition
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.loading import load, load_competition
from clusterpolicy.output import operations

from _cli import cli_run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STAGE1 = EXAMPLES / "competition-2017"
APPLICATION = STAGE1 / "01-karaganda-construction.yaml"
PACK = "kz-2015-decree-535"


def canonical(data: object) -> bytes:
    """Canonical JSON as docs/output.md defines it."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest_of(data: object) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


@pytest.fixture(scope="module")
def competition():
    return load_competition(STAGE1)


@pytest.fixture(scope="module")
def report_json(competition) -> dict:
    return json.loads(run_competition(competition, lang="ru").to_json())


@pytest.fixture(scope="module")
def changed_pack(tmp_path_factory) -> Path:
    """A copy of the shipped pack that asks for 12 unaffiliated legal entities, not 10."""
    folder = tmp_path_factory.mktemp("pack") / PACK
    shutil.copytree(ROOT / "rules" / PACK, folder)
    header = folder / "pack.yaml"
    text = header.read_text("utf-8")
    old = "  min_unaffiliated_legal_entities:\n    value: 10\n"
    assert old in text
    header.write_text(text.replace(old, "  min_unaffiliated_legal_entities:\n    value: 12\n"), "utf-8")
    return folder


# --------------------------------------------------------------------------- the record


def test_a_competition_result_records_its_input_pack_and_versions(report_json, competition):
    record = report_json["decision_record"]
    assert report_json["format_version"] == "4.0"
    assert record["canonicalization"] == "clusterpolicy-canonical-json/1"
    assert record["input"] == {"document": "competition", "digest": digest_of(competition.model_dump(mode="json"))}
    assert record["pack"] == {key: report_json["pack"][key] for key in ("id", "version", "digest")}
    assert record["changed_parameters"] == []
    assert record["versions"]["library"] == report_json["library_version"]
    assert record["versions"]["tzdata"] == report_json["tzdata_version"]
    from importlib.metadata import version

    assert record["versions"]["holidays"] == version("holidays")
    # the document's own digest: over everything it says, its record's digest left out
    unsealed = {**report_json, "decision_record": {k: v for k, v in record.items() if k != "digest"}}
    assert record["digest"] == digest_of(unsealed)
    assert report_json["completeness"]["decision_record"] is None  # the outer record covers what is nested


def test_an_application_in_its_competition_records_both(competition):
    application = load(APPLICATION)
    header = competition.model_copy(update={"applications": []})
    result = json.loads(operations.evaluate_application(application, header, lang="kk").to_json())
    both = {"application": application.model_dump(mode="json"), "competition": header.model_dump(mode="json")}
    assert result["decision_record"]["input"] == {"document": "application_in_competition", "digest": digest_of(both)}
    alone = json.loads(evaluate(application).to_json())
    assert alone["decision_record"]["input"] == {"document": "application", "digest": digest_of(application.model_dump(mode="json"))}


def test_the_record_is_the_same_bytes_every_time_and_differs_with_the_verdicts(competition, changed_pack):
    application = load(APPLICATION)
    first, second = evaluate(application).to_json(), evaluate(application).to_json()
    assert first == second
    changed = json.loads(evaluate(application, pack=changed_pack).to_json())
    record = changed["decision_record"]
    assert record["changed_parameters"] == [{"name": "min_unaffiliated_legal_entities", "shipped": 10, "value": 12}]
    assert record["pack"]["digest"] != json.loads(first)["decision_record"]["pack"]["digest"]
    assert record["digest"] != json.loads(first)["decision_record"]["digest"]


# --------------------------------------------------------------------------- verify


def test_verify_says_the_same_of_the_competition_and_of_the_document_alone(report_json, competition):
    found = operations.verify(report_json, competition)
    assert (found.status, found.exit_code) == ("same", 0), found.to_dict()
    assert found.checked == ["document_digest", "record_consistent", "input_digest", "verdicts", "document"]
    assert found.reasons == []
    alone = operations.verify(report_json)
    assert alone.status == "same" and alone.checked == ["document_digest", "record_consistent"]


def test_a_changed_document_is_different(report_json):
    changed = json.loads(json.dumps(report_json))
    changed["completeness"]["applications"][0]["status"] = "returned"
    found = operations.verify(changed)
    assert found.status == "different" and found.differences[0].what == "document digest"
    changed = json.loads(json.dumps(report_json))
    changed["pack"]["digest"] = "sha256:" + "0" * 64
    changed["decision_record"]["pack"]["digest"] = changed["pack"]["digest"]  # consistent, but not sealed so
    assert operations.verify(changed).status == "different"


def test_a_document_without_a_record_cannot_be_checked(report_json):
    old = {k: v for k, v in report_json.items() if k != "decision_record"}
    assert operations.verify(old).status == "cannot_check"
    assert operations.verify([1, 2]).status == "cannot_check"


def test_verify_says_different_once_the_pack_is_changed(changed_pack):
    application = load(APPLICATION)
    made = json.loads(evaluate(application, pack=PACK).to_json())
    found = operations.verify(made, application, pack=changed_pack)
    assert found.status == "different" and found.exit_code == 1
    assert {d.what for d in found.differences} >= {"01-karaganda-construction eligibility.unaffiliated-legal-entities"}
    assert {d.what for d in found.reasons} == {"pack digest", "changed parameters"}
    # and the other way: a result made under the changed pack, checked under the shipped one
    made = json.loads(evaluate(application, pack=changed_pack).to_json())
    back = operations.verify(made, application)
    assert made["decision_record"]["changed_parameters"] == [{"name": "min_unaffiliated_legal_entities", "shipped": 10, "value": 12}]
    assert back.status == "different" and "pack digest" in {d.what for d in back.reasons}


def test_verify_with_another_input_names_it(competition):
    application = load(APPLICATION)
    header = competition.model_copy(update={"applications": []})
    made = json.loads(operations.evaluate_application(application, header).to_json())
    found = operations.verify(made, application)  # without the header it was evaluated with
    assert found.status == "different"
    assert [d.what for d in found.reasons] == ["input digest"]
    assert operations.verify(made, application, header).status == "same"


def test_the_command_exits_0_1_2(tmp_path, changed_pack):
    code, text = cli_run("evaluate", str(APPLICATION), "--format", "json", "--lang", "ru", "--pack", PACK)
    result = tmp_path / "result.json"
    result.write_text(text, "utf-8")
    assert cli_run("verify", str(result), str(APPLICATION))[0] == 0
    code, shown = cli_run("verify", str(result), str(APPLICATION), "--pack", str(changed_pack))
    assert code == 1 and "eligibility.unaffiliated-legal-entities: recorded passed, now failed" in shown
    code, shown = cli_run("verify", str(result), "--format", "json")
    assert code == 0 and json.loads(shown)["status"] == "same"
    stripped = tmp_path / "old.json"
    stripped.write_text(json.dumps({k: v for k, v in json.loads(text).items() if k != "decision_record"}), "utf-8")
    assert cli_run("verify", str(stripped))[0] == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    assert cli_run("verify", str(broken))[0] == 2


def _examples() -> list[tuple[str, Path, Path | None]]:
    cases = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if (p / "competition.yaml").is_file()):
        cases.append((folder.name, folder, None))
        cases += [(f"{folder.name}/{p.stem}", p, folder / "competition.yaml") for p in sorted(folder.glob("*.yaml")) if p.stem != "competition"]
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(("name", "path", "header"), _examples(), ids=[case[0] for case in _examples()])
def test_verify_says_the_same_for_every_example(name, path, header):
    argv = [str(path), *(["--competition", str(header)] if header else [])]
    for lang in ("kk", "ru", "en"):
        code, text = cli_run("evaluate", *argv, "--format", "json", "--lang", lang)
        subject = load(path)
        found = operations.verify(json.loads(text), subject, load_competition(header) if header else None)
        assert found.status == "same" and "document" in found.checked, (lang, found.to_dict())


# --------------------------------------------------------------------------- the service


def test_the_service_verifies_as_the_command_does(competition):
    from clusterpolicy.output import service

    from _server import call

    app = service.create_app()

    def post(body: dict) -> tuple[int, dict]:
        answer = call(app, "POST", "/v1/verify", body, headers=[("content-type", "application/json")])
        assert answer.raised is None, answer.raised
        return answer.status, answer.json()

    application = load(APPLICATION)
    header = competition.model_copy(update={"applications": []})
    made = json.loads(operations.evaluate_application(application, header, lang="ru").to_json())
    inputs = {"application": application.model_dump(mode="json"), "competition": header.model_dump(mode="json")}
    status, answer = post({"result": made, **inputs})
    assert status == 200 and answer["status"] == "same" and "document" in answer["checked"]
    changed = {**made, "status": "returned"}
    status, answer = post({"result": changed, **inputs})
    assert status == 200 and answer["status"] == "different"
    status, answer = post({"result": made, "application": {"id": 1}})
    assert status == 422 and answer["code"]
