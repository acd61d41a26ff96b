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


__all__ = ["apply_patch", "below", "op", "pointer"]
