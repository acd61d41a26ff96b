"""Patches of an application's JSON: the machine-applicable half of a remedy.

A remedy (:class:`~clusterpolicy.checks.results.Remedy`) states a change to the input as JSON-Patch
operations (RFC 6902's ``add``, ``replace`` and ``remove``) whose ``path`` is a JSON pointer into
the application's JSON, or into the competition's with ``document: competition``. A rule's dotted
field path (``applicant.type``, ``competition.acceptance_closes``) becomes a pointer with
:func:`pointer`; :func:`apply_patch` applies operations to plain data (a copy: the input is left
as it is).
"""
from __future__ import annotations

import copy
from typing import Any, Iterable

from ..core.errors import UsageError


def pointer(path: str) -> tuple[str, str]:
    """``(document, JSON pointer)`` of a rule's dotted path: ``competition.x.y`` is ``/x/y`` of
    the competition, ``application.x`` and ``x`` are ``/x`` of the application."""
    head, _, rest = path.partition(".")
    if head == "competition":
        return "competition", _joined(rest)
    return "application", _joined(rest if head == "application" else path)


def below(base: str, *parts: Any) -> str:
    """A pointer below ``base`` (each part escaped as RFC 6901 says)."""
    return base.rstrip("/") + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _joined(path: str) -> str:
    return below("", *path.split(".")) if path else ""


def op(kind: str, path: str, value: Any = None, document: str = "application") -> dict[str, Any]:
    """One operation as plain data (a remedy's ``ops`` validates it)."""
    found = {"op": kind, "path": path, "document": document}
    if kind != "remove":
        found["value"] = value
    return found


def apply_patch(data: dict[str, Any], ops: Iterable[Any], document: str = "application") -> dict[str, Any]:
    """``data`` (an application's or competition's JSON) with the operations of ``document``
    applied, as a new object; an operation whose path does not resolve is a UsageError."""
    data = copy.deepcopy(data)
    for operation in ops:
        found = operation if isinstance(operation, dict) else operation.model_dump()
        if found.get("document", "application") != document:
            continue
        data = _apply(data, found["op"], found["path"], found.get("value"))
    return data


def _apply(data: Any, kind: str, path: str, value: Any) -> Any:
    if path == "":
        if kind == "remove":
            raise UsageError("a patch cannot remove the whole document", code="bad_argument")
        return copy.deepcopy(value)
    parts = [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]
    parent = data
    for index, part in enumerate(parts[:-1]):
        child = _child(parent, part, path)
        if child is None:  # an ``add`` below a missing mapping makes it (a section not yet stated)
            if kind != "add" and kind != "replace":
                raise UsageError(f"patch path {path!r} does not resolve at {part!r}", code="bad_argument")
            child = [] if parts[index + 1] in ("-", "0") else {}
            _put(parent, part, child, "add", path)
        parent = child
    _put(parent, parts[-1], copy.deepcopy(value), kind, path)
    return data


def _child(parent: Any, part: str, path: str) -> Any:
    if isinstance(parent, list):
        if not part.isdigit() or int(part) >= len(parent):
            raise UsageError(f"patch path {path!r}: no item {part!r}", code="bad_argument")
        return parent[int(part)]
    if isinstance(parent, dict):
        return parent.get(part)
    raise UsageError(f"patch path {path!r} goes below a value at {part!r}", code="bad_argument")


def _put(parent: Any, part: str, value: Any, kind: str, path: str) -> None:
    if isinstance(parent, list):
        if part == "-":
            if kind == "remove":
                raise UsageError(f"patch path {path!r}: nothing to remove at '-'", code="bad_argument")
            parent.append(value)
            return
        if not part.isdigit() or int(part) > len(parent) or (kind != "add" and int(part) == len(parent)):
            raise UsageError(f"patch path {path!r}: no item {part!r}", code="bad_argument")
        if kind == "add":
            parent.insert(int(part), value)
        elif kind == "replace":
            parent[int(part)] = value
        else:
            del parent[int(part)]
        return
    if not isinstance(parent, dict):
        raise UsageError(f"patch path {path!r} goes below a value", code="bad_argument")
    if kind == "remove":
        parent.pop(part, None)
    else:  # replace of an absent key is taken as add: a remedy states a field not yet stated
        parent[part] = value


def patch_model(model: Any, ops: Iterable[Any], document: str = "application") -> Any:
    """``model`` (a validated application or competition) with the operations of ``document``
    applied: only the values on each operation's path are copied, and only the new values are
    validated (by the type of the field they go in); the rest is shared with ``model``. What
    :func:`apply_patch` does to the JSON, without dumping and validating the whole document (an
    application of 10,000 participants). A path that does not resolve is a UsageError."""
    for operation in ops:
        found = operation if isinstance(operation, dict) else operation.model_dump()
        if found.get("document", "application") != document:
            continue
        parts = [part.replace("~1", "/").replace("~0", "~") for part in found["path"].split("/")[1:]]
        if not parts:
            raise UsageError("a patch of a model cannot replace the whole document", code="bad_argument")
        model = _patched(model, type(model), parts, found["op"], found.get("value"), found["path"])
    return model


def _patched(value: Any, annotation: Any, parts: list[str], kind: str, new: Any, path: str) -> Any:
    from pydantic import BaseModel

    from .form_types import unwrap

    head, rest = parts[0], parts[1:]
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        if head not in fields:
            raise UsageError(f"patch path {path!r}: no field {head!r}", code="bad_argument")
        inner = fields[head].annotation
        if not rest:
            replaced = None if kind == "remove" else _validated(inner, new)
            return value.model_copy(update={head: replaced})
        child = getattr(value, head)
        if child is None:  # a section not yet stated: made from the value, validated whole
            child_data = apply_patch({}, [{"op": kind, "path": "/" + "/".join(rest), "value": new}])
            return value.model_copy(update={head: _validated(inner, child_data)})
        return value.model_copy(update={head: _patched(child, inner, rest, kind, new, path)})
    if isinstance(value, list):
        args = [arg for arg in getattr(unwrap(annotation), "__args__", ()) if arg is not Ellipsis]
        item = args[0] if args else Any
        items = list(value)
        if head == "-":
            if rest or kind == "remove":
                raise UsageError(f"patch path {path!r}: nothing at '-'", code="bad_argument")
            items.append(_validated(item, new))
            return items
        if not head.isdigit() or int(head) >= len(items) + (kind == "add" and not rest):
            raise UsageError(f"patch path {path!r}: no item {head!r}", code="bad_argument")
        index = int(head)
        if rest:
            items[index] = _patched(items[index], item, rest, kind, new, path)
        elif kind == "add":
            items.insert(index, _validated(item, new))
        elif kind == "replace":
            items[index] = _validated(item, new)
        else:
            del items[index]
        return items
    if isinstance(value, dict):
        data = apply_patch(dict(value) if not isinstance(value, dict) else value, [{"op": kind, "path": "/" + "/".join(parts), "value": new}])
        return _validated(annotation, data)
    raise UsageError(f"patch path {path!r} goes below a value at {head!r}", code="bad_argument")


_ADAPTERS: dict[Any, Any] = {}


def _validated(annotation: Any, value: Any) -> Any:
    """``value`` validated as a field of type ``annotation`` holds it (an InputError-free pydantic ValidationError if not)."""
    from pydantic import TypeAdapter

    try:
        adapter = _ADAPTERS.get(annotation)
    except TypeError:  # an annotation that cannot be a key
        adapter = None
    if adapter is None:
        adapter = TypeAdapter(annotation)
        try:
            _ADAPTERS[annotation] = adapter
        except TypeError:
            pass
    return adapter.validate_python(value)


__all__ = ["apply_patch", "below", "op", "patch_model", "pointer"]
