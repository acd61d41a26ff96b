"""The types of the form's paths: what a dotted path of an application (or its competition) leads to.

Read from the input models (:class:`~clusterpolicy.input.decree535_form.Application`,
:class:`~clusterpolicy.input.decree535_form.Competition`) with the same path semantics as
:func:`clusterpolicy.checks.fields.resolve` at run time: through optional values, nested models,
dictionaries and list indexes. Used when a pack loads (a misspelt path, a value a field cannot
take) and when a message names an enumeration's value (:func:`family`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel

from ..input import decree535_form as models
from ..input.decree535_form import Application, Competition
from ..input.regions import RegionId

ANY = object()
"""The type of a value the models do not describe (``Any``): nothing below it is checked."""


class PathProblem(Exception):
    """A path that does not resolve: what is wrong, and a close name if there is one."""

    def __init__(self, message: str, guess: str | None = None) -> None:
        super().__init__(message)
        self.message, self.guess = message, guess


# --------------------------------------------------------------------------- types of the models


def unwrap(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``; a union of several types stays a union."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        elif annotation is Any:
            return ANY
        else:
            return annotation


def cores(annotation: Any) -> set[Any]:
    """The types a field may hold: one, or each member of a union (a deadline: a moment or a day)."""
    core = unwrap(annotation)
    if typing.get_origin(core) in (Union, types.UnionType):
        return {unwrap(arg) for arg in typing.get_args(core) if arg is not type(None)}
    return {core}


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _names(model: type[BaseModel]) -> list[str]:
    """What ``getattr`` reaches on a model instance: its fields and its properties."""
    properties = [name for name in dir(model) if isinstance(getattr(model, name, None), property)]
    return list(model.model_fields) + [name for name in properties if not name.startswith("_")]


def describe(annotation: Any) -> str:
    core = unwrap(annotation)
    if is_model(core):
        return f"a {core.__name__}"
    origin = typing.get_origin(core)
    if origin in (list, tuple):
        return "a list"
    if origin is dict:
        return "a mapping"
    if origin is Literal or (isinstance(core, type) and issubclass(core, Enum)):
        return "one of a fixed set of values"
    if core is bool:
        return "yes/no"
    if isinstance(core, type):
        return {str: "a text", int: "a number", Decimal: "a number", float: "a number", dt.date: "a date",
                dt.datetime: "a moment"}.get(core, f"a {core.__name__}")
    return "a value"


def step(annotation: Any, part: str) -> Any:
    """The type one step below ``annotation``, as :func:`~clusterpolicy.checks.fields.resolve` takes it."""
    core = unwrap(annotation)
    origin = typing.get_origin(core)
    if core is ANY or origin in (Union, types.UnionType):  # not described, or one of several types
        return ANY
    if origin in (list, tuple):
        if not (part.isascii() and part.isdigit()):
            raise PathProblem(f"{part!r} is read on a list, whose items are reached by number (e.g. '0', '1')")
        args = [arg for arg in typing.get_args(core) if arg is not Ellipsis]
        return args[0] if args else ANY
    if origin is dict:
        args = typing.get_args(core)
        return args[1] if len(args) == 2 else ANY
    if is_model(core):
        if part in core.model_fields:
            return core.model_fields[part].annotation
        attribute = getattr(core, part, None)
        if isinstance(attribute, property) and not part.startswith("_"):
            return typing.get_type_hints(attribute.fget).get("return", ANY)
        guess = difflib.get_close_matches(part, _names(core), n=1)
        raise PathProblem(f"{core.__name__} has no field {part!r}", guess[0] if guess else None)
    raise PathProblem(f"{part!r} is read on {describe(core)}, which has no fields")


@lru_cache(maxsize=None)
def field_type(root: type[BaseModel], path: str, in_context: bool = True) -> Any:
    """The type a dotted ``path`` leads to, read from ``root`` (``PathProblem`` if it does not resolve).

    ``in_context``: the path is read as a rule reads it from an application and its competition
    (``competition.`` prefix, optional ``application.``); otherwise plainly, below ``root``.
    """
    parts = path.split(".") if path else []
    if in_context:
        head = parts[0] if parts else ""
        if head == "competition":
            root, parts = Competition, parts[1:]
        elif head == "application":
            parts = parts[1:]
    annotation: Any = root
    written = path.split(".")
    offset = len(written) - len(parts)
    for index, part in enumerate(parts):
        try:
            annotation = step(annotation, part)
        except PathProblem as problem:
            guess = None
            if problem.guess is not None:  # the whole path, with the misspelt step corrected
                guess = ".".join(written[: offset + index] + [problem.guess] + written[offset + index + 1 :])
            raise PathProblem(problem.message, guess) from None
    return annotation


def choices(annotation: Any) -> tuple[Any, ...] | None:
    """The values a field of this type can take when a rule compares it (an enum's values), or None."""
    core = unwrap(annotation)
    if isinstance(core, type) and issubclass(core, Enum):
        return tuple(member.value for member in core)
    if typing.get_origin(core) is Literal:
        return typing.get_args(core)
    if core is bool:
        return (True, False)
    return None


def yaml_text(value: Any) -> str:
    """A value as a pack writes it (``true``, not ``True``)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def is_member(value: Any, allowed: tuple[Any, ...]) -> bool:
    return any(value == item and isinstance(value, bool) == isinstance(item, bool) for item in allowed)


def item_type(annotation: Any) -> Any:
    """The item type of a list, ``ANY`` if unknown, None if ``annotation`` is not a list."""
    core = unwrap(annotation)
    if core is ANY:
        return ANY
    if typing.get_origin(core) in (list, tuple):
        args = [arg for arg in typing.get_args(core) if arg is not Ellipsis]
        return args[0] if args else ANY
    return None


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def is_numeric(annotation: Any) -> bool:
    """Whether a field of this type holds a number (or is not described)."""
    core = unwrap(annotation)
    return core in (int, Decimal, float, ANY) or (
        typing.get_origin(core) is Literal and all(is_number(value) for value in typing.get_args(core))
    )


_FAMILIES = {
    models.ApplicantType: "applicant_types",
    models.DocumentKind: "document_kinds",
    models.ParticipantKind: "participant_kind",
    models.LegalStatus: "legal_status",
    models.ActivityCategory: "activity_category",
    models.FundingSource: "funding_source",
    models.AkimatLevel: "akimat_level",
    RegionId: "region",
}
"""Enumeration of the form -> the family of its values' words (a pack's vocabulary, or the catalogue)."""


@lru_cache(maxsize=None)
def family(path: str) -> str | None:
    """The family of the values of a field path of the application (``applicant.type`` -> ``applicant_types``)."""
    path = path[len("application."):] if path.startswith("application.") else path
    model: Any = Competition if path.startswith("competition.") else Application
    annotation: Any = None
    for part in path.split(".")[1:] if path.startswith("competition.") else path.split("."):
        if part.isascii() and part.isdigit():
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        while True:  # unwrap Optional, list and dict to the model or type inside
            if annotation in _FAMILIES:
                return _FAMILIES[annotation]
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if typing.get_origin(annotation) is None or not args or typing.get_origin(annotation) is Literal:
                break
            annotation = args[-1]
        model = annotation
    return _FAMILIES.get(annotation)
