"""The JSON Schema in docs/schema/ matches the models, and the examples validate against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterpolicy.input.decree535_form import SCHEMA_MODELS, json_schema
from clusterpolicy.testing import application_data

DOCS = Path(__file__).resolve().parents[1] / "docs" / "schema"
REGENERATE = "python -m clusterpolicy schema {name} > docs/schema/{name}.schema.json"


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_schema_in_docs_is_current(name):
    current = json.dumps(json_schema(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    stored = (DOCS / f"{name}.schema.json").read_text("utf-8")
    assert stored == current, f"docs/schema/{name}.schema.json is stale: run {REGENERATE.format(name=name)}"


def test_schema_forbids_unknown_fields_and_requires_the_essentials():
    schema = json_schema("application")
    assert schema["additionalProperties"] is False
    assert {"id", "stage", "region", "applicant", "submitted_at"} <= set(schema["required"])
    assert schema["$defs"]["Participant"]["additionalProperties"] is False


@pytest.mark.slow
def test_a_complete_application_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(json.dumps(application_data(2)))
    jsonschema.validate(data, json_schema("application"))
    data["bogus"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema("application"))
