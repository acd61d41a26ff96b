"""The one frozen base model of the package, the default factories of its models' fields, and
:func:`made`, a model of values already of its types."""

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


_new = object.__new__
# the slots every pydantic model has, set through their descriptors (object.__setattr__ would look
# each name up on the type first: a fifth of making a result)
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_ORDER: dict[Any, tuple[str, ...]] = {}
_NAMES: dict[Any, set[str]] = {}


def made(cls: Any, fields: dict[str, Any], private: dict[str, Any] | None = None) -> Any:
    """The model ``cls`` of ``fields`` that the library computed, already of the types the model
    declares (frozen citations and results, lists, plain values), taken as they are: the object
    validation would give for them (its ``__dict__``, the fields set, the private attributes),
    without validating them a second time (validating nine rules' results and their
    application's was a third of a small pack's evaluation). Every field of the model, **in the
    order of their names** (the canonical order: :func:`canonical_order`), or an AttributeError:
    never a document with a field missing. A model so made holds its fields in the order its
    canonical JSON writes them (pydantic writes a model's fields in the order of its ``__dict__``:
    :mod:`clusterpolicy.core.record`). tests/test_compiled.py validates what the engine makes
    this way and compares."""
    order = _ORDER.get(cls)
    if order is None:
        order = _ORDER[cls] = canonical_order(cls)
    if tuple(fields) != order:
        raise AttributeError(f"{cls.__name__}: made needs every field in the order of their names, not {list(fields)}")
    return made_in_order(cls, fields, private)


def canonical_order(cls: Any) -> tuple[str, ...]:
    """The names of the fields of the model ``cls``, sorted by code point: the order :func:`made` takes them in."""
    return tuple(sorted(cls.model_fields))


def made_in_order(cls: Any, fields: dict[str, Any], private: dict[str, Any] | None = None) -> Any:
    """:func:`made` of ``fields`` copied from a layout :func:`made` has checked (every field, in the order of their names)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = set(cls.model_fields)
    model = _new(cls)
    _set_dict(model, fields)
    _set_fields_set(model, names.copy())  # every field (made's promise): a copy of the set, not a new one hashed again
    _set_extra(model, None)
    _set_private(model, private)
    return model
