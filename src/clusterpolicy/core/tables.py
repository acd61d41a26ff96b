"""Plain rows and a compact HTML table of any result object, without pandas.

The result classes of every layer (application and competition results, timelines, scores,
rankings, what-if) show as a table in a notebook through :class:`HtmlRepr`: each writes its own
rows and caption, so this module, the lowest layer, knows none of them.
"""

from __future__ import annotations

import html
from fractions import Fraction
from typing import Any, ClassVar

from .errors import UsageError
from .i18n import DEFAULT_LANGUAGE, Language

MAX_HTML_ROWS = 60
"""Rows shown by a notebook's HTML view before it says how many more there are."""


class HtmlRepr:
    """Mixin of every result that shows as a table: its rows, its caption, and a compact HTML
    table of them that Jupyter shows. Each result class writes its own :meth:`table_rows` and
    :meth:`table_caption`; :attr:`table_categories` names the columns that hold a closed set of
    values, in a meaningful order (a DataFrame makes them categorical)."""

    table_categories: ClassVar[dict[str, list[str]]] = {}

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:  # pragma: no cover - abstract
        """Plain rows (dicts): the content of the result's table and of its DataFrame."""
        raise NotImplementedError

    def table_caption(self) -> str:
        """A one-line caption of the table."""
        return type(self).__name__

    def _repr_html_(self) -> str:
        return to_html(self)


# --------------------------------------------------------------------------- rows


_PART_LANGUAGE: dict[int, Any] = {}


def keep_language(parts: Any, lang: Language) -> None:
    """Remember that ``parts`` (a score, a timeline, a ranking... of a result) are in ``lang``, so
    that their own tables keep the result's language (``to_dataframe(report.scores)`` in Kazakh
    for a Kazakh result), for as long as each part lives."""
    import weakref

    for part in parts:
        if part is None or isinstance(part, (str, int, float)):
            continue
        key = id(part)
        if key in _PART_LANGUAGE:
            continue
        try:
            weakref.finalize(part, _PART_LANGUAGE.pop, key, None)
        except TypeError:  # an object that takes no weak reference: not remembered
            continue
        _PART_LANGUAGE[key] = lang


def language_of(obj: Any) -> Language | None:
    """The language of a result, or of the result ``obj`` is a part of (see :func:`keep_language`)."""
    return getattr(obj, "language", None) or _PART_LANGUAGE.get(id(obj))


def rows(obj: Any, lang: Language | None = None) -> list[dict[str, Any]]:
    """Plain rows (dicts) of a result object: the content of its table and its DataFrame, in
    ``lang``, else the language of the result (or of the result it is a part of)."""
    if isinstance(obj, (list, tuple)):
        return [row for item in obj for row in rows(item, lang)]
    if not isinstance(obj, HtmlRepr):
        names = sorted(cls.__name__ for cls in _tabled(HtmlRepr))
        raise UsageError(f"no table for {type(obj).__name__}; expected one of: {', '.join(names)}", code="no_table")
    return obj.table_rows(lang or language_of(obj) or DEFAULT_LANGUAGE)


def _tabled(cls: type) -> list[type]:
    """The result classes (loaded so far) that show as a table."""
    found = []
    for sub in cls.__subclasses__():
        found += [sub] + _tabled(sub)
    return found


def to_html(obj: Any, *, lang: Language | None = None, max_rows: int = MAX_HTML_ROWS) -> str:
    """A compact HTML table of ``rows(obj)``, escaped, with a one-line caption; no pandas needed."""
    table = rows(obj, lang)
    caption = html.escape(obj.table_caption() if isinstance(obj, HtmlRepr) else type(obj).__name__)
    if not table:
        return f"<div><strong>{caption}</strong>: —</div>"
    headers = list(dict.fromkeys(key for row in table for key in row))
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(row.get(h)))}</td>" for h in headers) + "</tr>"
        for row in table[:max_rows]
    )
    more = f"<p>… {len(table) - max_rows} more</p>" if len(table) > max_rows else ""
    return (
        f'<div><table style="border-collapse:collapse;font-size:90%">'
        f'<caption style="text-align:left"><strong>{caption}</strong></caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</div>"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        return f"{float(value):.3f}"
    return str(value)


