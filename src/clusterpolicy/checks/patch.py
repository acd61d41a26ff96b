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
    application of 10,000 participants). A path that does not resolve is a UsageError.

    Consecutive operations below one field or item are applied together (in their order), so a
    list or model on their way is copied once for the run, not once per operation: a remedy that
    fills the cards of 12,000 participants copies the participant list once."""
    found_ops = []
    for operation in ops:
        if isinstance(operation, dict):
            kind, path, value, of = operation["op"], operation["path"], operation.get("value"), operation.get("document", "application")
        else:  # a remedy's PatchOp: read, not dumped (its value is not changed here)
            kind, path, value, of = operation.op, operation.path, operation.value, operation.document
        if of != document:
            continue
        parts = [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]
        if not parts:
            raise UsageError("a patch of a model cannot replace the whole document", code="bad_argument")
        found_ops.append((parts, kind, value, path))
    return _patched(model, type(model), found_ops) if found_ops else model


_UNSET = object()


def _below(ops: list[Any]) -> list[Any]:
    return [(parts[1:], kind, new, path) for parts, kind, new, path in ops]


def _run_end(ops: list[Any], index: int, head: str) -> int:
    """Where the run of operations that begins at ``ops[index]`` and goes below ``head`` ends."""
    end = index + 1
    while end < len(ops) and len(ops[end][0]) > 1 and ops[end][0][0] == head:
        end += 1
    return end


def _patched(value: Any, annotation: Any, ops: list[Any]) -> Any:
    """``value`` with ``ops`` applied in order (each ``parts`` is the path below ``value``, never empty)."""
    from pydantic import BaseModel

    from .form_types import unwrap

    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        updates: dict[str, Any] = {}
        index = 0
        while index < len(ops):
            parts, kind, new, path = ops[index]
            head = parts[0]
            if head not in fields:
                raise UsageError(f"patch path {path!r}: no field {head!r}", code="bad_argument")
            inner = fields[head].annotation
            child = updates.get(head, _UNSET)
            if child is _UNSET:
                child = getattr(value, head)
            if len(parts) == 1:
                child = None if kind == "remove" else _validated(inner, new)
                index += 1
            elif child is None:  # a section not yet stated: made from the value, validated whole
                child_data = apply_patch({}, [{"op": kind, "path": "/" + "/".join(parts[1:]), "value": new}])
                child = _validated(inner, child_data)
                index += 1
            else:  # the run of operations below this field
                end = _run_end(ops, index, head)
                child = _patched(child, inner, _below(ops[index:end]))
                index = end
            updates[head] = child
        return value.model_copy(update=updates)
    if isinstance(value, list):
        args = [arg for arg in getattr(unwrap(annotation), "__args__", ()) if arg is not Ellipsis]
        item = args[0] if args else Any
        items = list(value)
        index = 0
        while index < len(ops):
            parts, kind, new, path = ops[index]
            head, rest = parts[0], parts[1:]
            if head == "-":
                if rest or kind == "remove":
                    raise UsageError(f"patch path {path!r}: nothing at '-'", code="bad_argument")
                items.append(_validated(item, new))
                index += 1
                continue
            if not head.isdigit() or int(head) >= len(items) + (kind == "add" and not rest):
                raise UsageError(f"patch path {path!r}: no item {head!r}", code="bad_argument")
            position = int(head)
            if rest:  # the run of operations below this item
                end = _run_end(ops, index, head)
                items[position] = _patched(items[position], item, _below(ops[index:end]))
                index = end
                continue
            if kind == "add":
                items.insert(position, _validated(item, new))
            elif kind == "replace":
                items[position] = _validated(item, new)
            else:
                del items[position]
            index += 1
        return items
    if isinstance(value, dict):
        for parts, kind, new, path in ops:
            data = apply_patch(value, [{"op": kind, "path": "/" + "/".join(parts), "value": new}])
            value = _validated(annotation, data)
        return value
    raise UsageError(f"patch path {ops[0][3]!r} goes below a value at {ops[0][0][0]!r}", code="bad_argument")


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
