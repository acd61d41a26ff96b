"""The output contract (docs/output.md): the JSON Schemas of the result documents ship with the
package and in docs/schema/, match the models, and validate the real outputs of every example in
every language; a text has one shape (a string in the document's language); warnings carry codes."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest

from clusterpolicy.output import cli
from clusterpolicy.checks.results import FORMAT_VERSION, WarningCode
from clusterpolicy.competition import procedure_events, run_competition
from clusterpolicy.core.errors import UsageError
from clusterpolicy.core.i18n import LANGUAGES
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.loading import load_competition
from clusterpolicy.output.schemas import RESULT_NAMES, result_schema, schema_text, shipped_schema, timeline_result
from clusterpolicy.procedure.timeline import compute_timeline

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(path for path in (ROOT / "examples").iterdir() if (path / "competition.yaml").is_file())
SOURCE = ROOT / "src" / "clusterpolicy" / "output" / "schemas"


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = shipped_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid(name: str, document: dict) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])


def texts_in_three_languages(value, path="") -> list[str]:
    """Paths of every kk/ru/en mapping left in a document (a text must be a string)."""
    if isinstance(value, dict):
        if {"kk", "ru", "en"} <= set(value):
            return [path]
        return [found for key, item in value.items() for found in texts_in_three_languages(item, f"{path}/{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in texts_in_three_languages(item, f"{path}/{index}")]
    return []


@pytest.mark.parametrize("name", RESULT_NAMES)
def test_schemas_ship_in_the_package_and_in_docs_and_are_current(name):
    current = schema_text(name)
    regenerate = f"python -m clusterpolicy schema {name} > src/clusterpolicy/output/schemas/{name}.schema.json (and docs/schema/)"
    assert (SOURCE / f"{name}.schema.json").read_text("utf-8") == current, f"stale: {regenerate}"
    assert (ROOT / "docs" / "schema" / f"{name}.schema.json").read_text("utf-8") == current, f"stale: {regenerate}"
    assert shipped_schema(name) == result_schema(name)


def documents(example: Path, lang: str) -> list[tuple[str, dict]]:
    """Every result document of an example in ``lang``: the competition, each application alone, the timeline."""
    competition = load_competition(example)
    report = run_competition(competition, lang=lang)
    found = [("competition-result", json.loads(report.to_json()))]
    header = competition.model_copy(update={"applications": []})
    for application in competition.applications:
        result = evaluate(application, competition=header, lang=lang)
        found.append(("application-result", json.loads(result.to_json())))
    pack = report.pack.rule_pack
    events = procedure_events(competition, pack)
    timeline = timeline_result(compute_timeline(pack.time_limits, events), pack=pack, lang=lang, events=events)
    found.append(("timeline", json.loads(timeline.to_json())))
    return found


def check_documents(example: Path, lang: str) -> None:
    for name, document in documents(example, lang):
        assert document["format_version"] == FORMAT_VERSION and document["language"] == lang
        assert_valid(name, document)
        assert texts_in_three_languages(document) == [], name
        for warning in document.get("warnings", []):
            assert set(warning) == {"code", "message"} and warning["code"] in WarningCode.__args__


@pytest.mark.slow
def test_the_2017_competition_in_english_validates():
    check_documents(ROOT / "examples" / "competition-2017", "en")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_every_example_in_every_language_validates(example, lang):
    check_documents(example, lang)


@pytest.mark.slow
def test_what_the_command_writes_validates(capsys):
    for argv, name in [
        (["evaluate", str(ROOT / "examples" / "competition-2017-stage2"), "--format", "json", "--lang", "kk"], "competition-result"),
        (["evaluate", str(ROOT / "examples" / "competition-2017" / "02-almaty-furniture.yaml"), "--format", "json"], "application-result"),
        (["deadlines", str(ROOT / "examples" / "competition-2017"), "--format", "json", "--lang", "ru", "--as-of", "2017-12-31"], "timeline"),
    ]:
        code = cli.main(argv)
        out = capsys.readouterr().out
        assert code in (0, 1)
        assert_valid(name, json.loads(out))


@pytest.mark.slow
def test_the_schemas_refuse_what_the_contract_excludes():
    competition = load_competition(ROOT / "examples" / "competition-2017-stage2")
    document = json.loads(run_competition(competition).to_json())
    assert_valid("competition-result", document)
    broken = json.loads(json.dumps(document))
    del broken["pack"]["version"]
    assert list(validator("competition-result").iter_errors(broken))
    broken = json.loads(json.dumps(document))
    broken["warnings"] = ["a warning without a code"]
    assert list(validator("competition-result").iter_errors(broken))
    broken = json.loads(json.dumps(document))
    broken["timeline"]["entries"][0]["title"] = {"kk": "а", "ru": "б", "en": "c"}  # a text in three languages
    assert list(validator("competition-result").iter_errors(broken))


def test_an_unknown_document_name_is_a_usage_error():
    with pytest.raises(UsageError, match="the result documents are: application-result, competition-result, timeline"):
        result_schema("result")


@pytest.mark.parametrize("submitted_at", ["2017-06-08", "2017-06-08T10:15:00+06:00"])
def test_a_day_or_a_moment_of_submission_is_written_and_read_back_as_given(submitted_at):
    """An application may give its submission as a day; the result writes the day (not a midnight),
    its schema allows it, and reading the document back gives the same document (the result model
    once declared a moment only: pydantic warned on writing, and read the day back as midnight)."""
    import warnings

    from clusterpolicy.checks.results import ApplicationResult
    from clusterpolicy.input.decree535_form import Application
    from clusterpolicy.testing import application_data

    application = Application.model_validate({**application_data(1), "submitted_at": submitted_at})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = evaluate(application, pack="kz-2015-decree-535")
        written = result.to_json(compact=True)
    document = json.loads(written)
    assert document["submitted_at"] == submitted_at
    assert_valid("application-result", document)
    assert ApplicationResult.model_validate_json(written).to_json(compact=True) == written
