"""Work a request does, counted (issue 26): reading a JSON body walks its values once unless the
text gives a reason to look again."""

from __future__ import annotations

import json

import pytest

from clusterpolicy.core import sources
from clusterpolicy.core.errors import InputError
from clusterpolicy.testing import application_data


def counting(monkeypatch, name):
    calls = []
    real = getattr(sources, name)
    monkeypatch.setattr(sources, name, lambda *args: calls.append(1) or real(*args))
    return calls


def test_a_plain_body_is_walked_once(monkeypatch):
    text = json.dumps(application_data(1), ensure_ascii=False, default=str)
    surrogates, lists = counting(monkeypatch, "_unwritable"), counting(monkeypatch, "_long_list")
    assert sources.parse_json(text, "body.json").data["id"]
    assert surrogates == [] and lists == []


def test_a_surrogate_escape_and_a_long_list_are_still_found(monkeypatch):
    with pytest.raises(InputError, match="surrogate"):
        sources.parse_json('{"a": ["x", "\\ud800"]}', "body.json")
    with pytest.raises(InputError, match="surrogate"):
        sources.parse_json('{"a": "\ud800"}', "body.json")  # a text given by a program, not decoded
    lists = counting(monkeypatch, "_long_list")
    with pytest.raises(InputError) as caught:
        sources.parse_json(json.dumps({"a": {"b": [0] * (sources.MAX_ITEMS + 1)}}), "body.json")
    assert caught.value.code == "too_large" and caught.value.location.path == ("a", "b") and lists == [1]


def test_the_forms_parts_used_alone_are_built_before_the_form(monkeypatch):
    """Application's validator is built with Participant's and Conclusion's built first, so that
    the form's schema takes theirs (a participant's card and an observed conclusion use them
    alone): each part's schema is made once, and the form validates as before."""
    from clusterpolicy.input import decree535_form as form
    from clusterpolicy.testing import application_data

    built = []
    real = form.Participant.model_rebuild.__func__
    monkeypatch.setattr(form.Participant, "model_rebuild", classmethod(lambda cls, **kw: built.append(cls) or real(cls, **kw)))
    form.Application.model_rebuild(force=True)
    assert built == [form.Participant]
    assert form.Participant.__pydantic_complete__ and form.Conclusion.__pydantic_complete__ and form.ApplicationRecords.__pydantic_complete__
    application = form.Application.model_validate(application_data(1, participants=12))
    assert len(application.participants) == 12 and isinstance(application.participants[0], form.Participant)
