"""The generic merge of one YAML document into another, by key, keeping where every part was written.

A pack that ``extends`` another states only what it changes; :mod:`.loading` merges each of its
files into the parent's with the functions here. Nothing here knows what a rule pack is: the
data are :class:`~clusterpolicy.core.sources.Document` trees, and errors name the child's file
and line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Location, RulePackError
from ..core.sources import Document, Path_

# --------------------------------------------------------------------------- inheritance (extends)
#
# A pack that ``extends`` another states only what it changes, merged by key as OpenFisca merges
# parameter nodes (docs/rules.md, "A pack that extends another"):
#
# - rules by ``id`` (over all its rule files), parameters by name, time limits and events by
#   ``id``, and every mapping of ``scoring.yaml`` and ``time-limits.yaml`` recursively;
# - a list whose inherited items all carry an ``id`` (blocks, sub-criteria, ...) merges by that
#   id: the parent's order is kept and new items are appended; other lists and scalars replace;
# - an item with an inherited id says ``override: true`` (then only the fields it changes) or
#   ``drop: true`` (and nothing else); one without either is new, and must not reuse an id;
# - ``replace: [key, ...]`` in a mapping replaces those keys' values whole instead of merging them.
#
# The merged data is an ``Assembled`` document: every part remembers the file, line and path it
# was written at, so validation errors of the merged data name the child's or the parent's line.

DROP, OVERRIDE, REPLACE = "drop", "override", "replace"
KEY = "id"
ITEM_NAMES = {
    "rules": "rule",
    "parameters": "parameter",
    "time_limits": "time limit",
    "events": "event",
    "blocks": "block",
    "sub_criteria": "sub-criterion",
}


@dataclass
class Assembled(Document):
    """Data merged from several documents; each part knows the document and path it came from."""

    origins: dict[Path_, tuple[Document, Path_]] = field(default_factory=dict)
    inherits: str = ""
    """The id of the pack merged into."""
    dropped: dict[Any, Location] = field(default_factory=dict)
    """Keys of the inherited items the child dropped, with where it says so."""

    def _origin(self, path: Path_) -> tuple[Document, Path_] | None:
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            found = self.origins.get(path[:cut])
            if found is not None:
                return found[0], found[1] + path[cut:]
        return None

    def line_of(self, path: Path_) -> int | None:
        found = self._origin(path)
        return found[0].line_of(found[1]) if found else None

    def location(self, path: Path_ = ()) -> Location:
        """Where the value at ``path`` of the merged data was written: its file, line and path there."""
        found = self._origin(path)
        return found[0].location(found[1]) if found else Location(self.file, None, tuple(path))


def value_at(document: Document, path: Path_) -> Any:
    data = document.data
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data



def merge(parent: Document, p: Path_, child: Document, c: Path_, out: Assembled, o: Path_) -> Any:
    """The child's value at ``c`` merged into the parent's at ``p``; it goes to ``o`` of ``out``."""
    old, new = value_at(parent, p), value_at(child, c)
    out.origins[o] = (child, c)
    if isinstance(old, dict) and isinstance(new, dict):
        return merge_fields(parent, p, child, c, out, o)
    if isinstance(old, list) and isinstance(new, list) and _keyed(old):
        return merge_items(parent, p, child, c, out, o)
    return new


def _keyed(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and isinstance(item.get(KEY), str) for item in items)


def merge_fields(
    parent: Document, p: Path_, child: Document, c: Path_, out: Assembled, o: Path_, *, item: bool = False
) -> dict[Any, Any]:
    """A mapping: the child's keys merged into the parent's, new keys appended."""
    old, new = value_at(parent, p), value_at(child, c)
    out.origins[o] = (child, c)
    for mark in (DROP, OVERRIDE):
        if mark in new and not item:
            raise directive_error(f"{mark}: marks an inherited item of a list merged by id, or a parameter", child, c + (mark,))
    replace = _replace_keys(child, c)
    merged: dict[Any, Any] = {}
    for key, value in old.items():
        if key not in new:
            merged[key] = value
            out.origins[o + (key,)] = (parent, p + (key,))
        elif key in replace:
            merged[key] = new[key]
            out.origins[o + (key,)] = (child, c + (key,))
        else:
            merged[key] = merge(parent, p + (key,), child, c + (key,), out, o + (key,))
    for key, value in new.items():
        if key not in old and key not in (DROP, OVERRIDE, REPLACE):
            merged[key] = value
    return merged


def _replace_keys(child: Document, c: Path_) -> set[Any]:
    new = value_at(child, c)
    keys = new.get(REPLACE, [])
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise directive_error("replace: takes a list of the keys whose values replace the inherited ones", child, c + (REPLACE,))
    for key in keys:
        if key not in new or key in (DROP, OVERRIDE, REPLACE):
            raise directive_error(f"replace: names {key!r}, which this mapping does not state", child, c + (REPLACE,))
    return set(keys)


def merge_items(parent: Document, p: Path_, child: Document, c: Path_, out: Assembled, o: Path_) -> Any:
    """A list merged by id, or a mapping of named items (parameters): kept, changed, dropped, added."""
    old, new = value_at(parent, p), value_at(child, c)
    named = isinstance(old, dict) or (old is None and isinstance(new, dict))
    if named:
        inherited = [(key, parent, p + (key,)) for key in old or {}]
    else:
        inherited = [(item[KEY], parent, p + (index,)) for index, item in enumerate(old)]
    out.origins[o] = (child, c) if new is not None else (parent, p)
    kept: dict[Any, tuple[str, Document, Path_]] = {key: ("keep", doc, path) for key, doc, path in inherited}
    added: list[tuple[Any, Path_]] = []
    for kind, key, at, _source in match(inherited, child, c, out):
        if kind == DROP:
            del kept[key]
        elif kind == OVERRIDE:
            kept[key] = (OVERRIDE, child, at)
        else:
            added.append((key, at))
    merged: Any = {} if named else []
    sources = {key: (doc, path) for key, doc, path in inherited}
    for key, (kind, doc, at) in kept.items():
        target = o + ((key,) if named else (len(merged),))
        if kind == OVERRIDE:
            value = merge_fields(sources[key][0], sources[key][1], child, at, out, target, item=True)
        else:
            value = value_at(doc, at)
            out.origins[target] = (doc, at)
        _put(merged, key, value)
    for key, at in added:
        out.origins[o + ((key,) if named else (len(merged),))] = (child, at)
        _put(merged, key, value_at(child, at))
    return merged


def _put(merged: Any, key: Any, value: Any) -> None:
    if isinstance(merged, dict):
        merged[key] = value
    else:
        merged.append(value)


def match(
    inherited: list[tuple[Any, Document, Path_]],
    child: Document,
    c: Path_,
    out: Assembled,
    own: dict[Any, Location] | None = None,
) -> list[tuple[str, Any, Path_, tuple[Document, Path_] | None]]:
    """What each item the child writes at ``c`` does to the inherited ones, in the child's order:
    ``(drop | override | new, key, where the child writes it, where the inherited item is)``.

    ``own`` holds the keys the child has already defined elsewhere (rules over several files)."""
    written = value_at(child, c)
    named = isinstance(written, dict)
    entries = list(written.items()) if named else list(enumerate(written or []))
    sources = {key: (doc, path) for key, doc, path in inherited}
    what = ITEM_NAMES.get(next((part for part in reversed(c) if isinstance(part, str)), ""), "item")
    seen: dict[Any, Path_] = {}
    decisions: list[tuple[str, Any, Path_, tuple[Document, Path_] | None]] = []
    for name_or_index, value in entries:
        at = c + (name_or_index,)
        marks = value if isinstance(value, dict) else {}
        key = name_or_index if named else marks.get(KEY)
        if key is None or isinstance(key, (dict, list)):
            decisions.append(("new", None, at, None))  # no id: validation of the merged data says so
            continue
        where = at if named else at + (KEY,)
        if key in seen or (own is not None and key in own):
            first = child.location(seen[key]) if key in seen else own[key]  # type: ignore[index]
            raise RulePackError(
                f"duplicate {what} id {key!r}, first written at {first.file}:{first.line}",
                location=child.location(where),
                code="duplicate_id",
            )
        seen[key] = where
        drop, override = marks.get(DROP), marks.get(OVERRIDE)
        for mark, flag in ((DROP, drop), (OVERRIDE, override)):
            if flag is not None and flag is not True:
                raise directive_error(f"{mark}: takes true (got {flag!r})", child, at + (mark,))
        if drop and override:
            raise directive_error("an item is either dropped or overridden, not both", child, at + (DROP,))
        if drop or override:
            if key not in sources:
                verb = "drop" if drop else "override"
                guess = difflib.get_close_matches(str(key), [str(k) for k in sources], n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ""
                raise RulePackError(
                    f"cannot {verb} {what} {key!r}: {out.inherits} has no such {what}{hint}",
                    location=child.location(where),
                    code="unknown_inherited",
                )
            if drop:
                extra = sorted(str(k) for k in marks if k not in (DROP, KEY))
                if extra:
                    raise directive_error(
                        f"a dropped {what} states nothing but drop: true (here also: {', '.join(extra)})", child, at
                    )
                out.dropped[key] = child.location(where)
            decisions.append((DROP if drop else OVERRIDE, key, at, sources[key]))
            continue
        if key in sources:
            first = sources[key][0].location(sources[key][1])
            raise RulePackError(
                f"{what} {key!r} is inherited from {out.inherits} ({first.file}:{first.line}): "
                f"write override: true to change it, drop: true to remove it, or choose another id",
                location=child.location(where),
                code="inherited_id",
            )
        decisions.append(("new", key, at, None))
    return decisions


def directive_error(message: str, child: Document, path: Path_) -> RulePackError:
    return RulePackError(message, location=child.location(path), code="merge_directive")
