"""The one frozen base model of the package, and :func:`made`, a model of values already of its types."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Frozen, and strict about keys: a misspelt key in a pack or a result is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


_set = object.__setattr__
_new = object.__new__
_ORDER: dict[Any, tuple[str, ...]] = {}


def made(cls: Any, fields: dict[str, Any], private: dict[str, Any] | None = None) -> Any:
    """The model ``cls`` of ``fields`` that the library computed, already of the types the model
    declares (frozen citations and results, lists, plain values), taken as they are: the object
    validation would give for them (its ``__dict__``, the fields set, the private attributes),
    without validating them a second time (validating nine rules' results and their
    application's was a third of a small pack's evaluation). Every field of the model, in its
    declared order, or an AttributeError: never a document with a field missing.
    tests/test_compiled.py validates what the engine makes this way and compares."""
    order = _ORDER.get(cls)
    if order is None:
        order = _ORDER[cls] = tuple(cls.model_fields)
    if tuple(fields) != order:
        raise AttributeError(f"{cls.__name__}: made needs every field in order, not {list(fields)}")
    return made_in_order(cls, fields, private)


def made_in_order(cls: Any, fields: dict[str, Any], private: dict[str, Any] | None = None) -> Any:
    """:func:`made` of ``fields`` copied from a layout :func:`made` has checked (every field, in order)."""
    model = _new(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", private)
    return model
