"""Is a model what validation would have built? (asked only when something went wrong)

A model changed with ``model_copy(update=...)`` or built with ``model_construct`` skips
validation: a string where a moment belongs, a list replaced by text. The engine then fails
deep inside a check with a ``TypeError`` that would read as a fault of the rule pack. Before
such a failure is reported, :func:`unvalidated_problem` validates the model's data again and
names the first field that validation refuses or would have built differently, so that the
caller gets an :class:`~clusterpolicy.core.errors.InputError` about the input instead.
"""

from __future__ import annotations

import warnings
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.errors import InputError, Location, format_path
from ..core.sources import Document, validation_error

_HINT = "changed without validation (model_copy(update=...) or model_construct?)"


def unvalidated_problem(model: Any, name: str = "<input>") -> InputError | None:
    """The located error that validation gives for ``model``'s data, or ``None`` if it holds.

    >>> from clusterpolicy.testing import valid_application
    >>> application = valid_application(1)
    >>> unvalidated_problem(application) is None
    True
    >>> broken = application.model_copy(update={"submitted_at": "2017-06-01"})
    >>> print(unvalidated_problem(broken))
    <input>: submitted_at: holds str '2017-06-01', which validation would not give: changed without validation (model_copy(update=...) or model_construct?)
    """
    if not isinstance(model, BaseModel):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = model.model_dump(round_trip=True, warnings=False)
        except Exception as exc:  # noqa: BLE001 - a value pydantic cannot even dump
            return InputError(f"cannot be read: {exc} ({_HINT})", location=Location(name, None, ()), code="not_validated")
    try:
        again = type(model).model_validate(data)
    except ValidationError as exc:
        error = validation_error(exc, Document(data, name))
        return InputError(f"{error.message} ({_HINT})", location=error.location, code="not_validated")
    path = _first_difference(model, again, ())
    if path is None:
        return None
    value = _at(model, path)
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return InputError(
        f"holds {type(value).__name__} {shown}, which validation would not give: {_HINT}",
        location=Location(name, None, path),
        code="not_validated",
    )


def _first_difference(given: Any, valid: Any, path: tuple) -> tuple | None:
    if type(given) is not type(valid):
        return path
    if isinstance(given, BaseModel):
        for key in type(given).model_fields:
            found = _first_difference(getattr(given, key, None), getattr(valid, key, None), path + (key,))
            if found is not None:
                return found
        return None
    if isinstance(given, (list, tuple)):
        if len(given) != len(valid):
            return path
        for index, (a, b) in enumerate(zip(given, valid)):
            found = _first_difference(a, b, path + (index,))
            if found is not None:
                return found
        return None
    if isinstance(given, dict):
        if list(given) != list(valid):
            return path
        for key in given:
            found = _first_difference(given[key], valid[key], path + (key,))
            if found is not None:
                return found
        return None
    return None if given == valid else path


def _at(model: Any, path: tuple) -> Any:
    for part in path:
        model = getattr(model, part) if isinstance(part, str) and isinstance(model, BaseModel) else model[part]
    return model


__all__ = ["unvalidated_problem", "format_path"]
