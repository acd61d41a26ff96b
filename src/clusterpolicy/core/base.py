"""The one frozen base model of the package, and the default factories of its models' fields."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Frozen, and strict about keys: a misspelt key in a pack or a result is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def new_list() -> list[Any]:
    """A new empty list: a field's ``default_factory`` in place of ``list``.

    pydantic asks every default factory, each time it builds a model's validator, whether it takes
    the validated data (``inspect.signature``); for a built-in type that parses its text signature
    (about 0.2 ms each time), for a Python function it is a lookup: 55 such fields of the
    application's and results' models cost 20 ms of every ``evaluate``."""
    return []


def new_dict() -> dict[Any, Any]:
    """A new empty dict: a field's ``default_factory`` in place of ``dict`` (see :func:`new_list`)."""
    return {}


def new_set() -> set[Any]:
    """A new empty set: a field's ``default_factory`` in place of ``set`` (see :func:`new_list`)."""
    return set()
