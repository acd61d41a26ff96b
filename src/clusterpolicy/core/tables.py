"""Plain rows and a compact HTML table of any result object, without pandas.

The result classes of every layer (application and competition results, timelines, scores,
rankings, what-if) show as a table in a notebook through :class:`HtmlRepr`. Rows are read by
attribute, keyed by the class name, so this module imports none of them.
"""

from __future__ import annotations

import html
from fractions import Fraction
from typing import Any

from .errors import UsageError
from .i18n import DEFAULT_LANGUAGE, Language

MAX_HTML_ROWS = 60
"""Rows shown by a notebook's HTML view before it says how many more there are."""


class HtmlRepr:
    """Mixin: a compact HTML table of the object's rows, shown by Jupyter."""

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
    kind = type(obj).__name__
    if isinstance(obj, (list, tuple)):
        return [row for item in obj for row in rows(item, lang)]
    handler = _ROWS.get(kind)
    if handler is None:
        raise UsageError(f"no table for {kind}; expected one of: {', '.join(sorted(_ROWS))}", code="no_table")
    return handler(obj, lang or language_of(obj) or DEFAULT_LANGUAGE)


def _application_result_rows(result: Any, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "application_id": result.application_id,
            "rule_id": r.rule_id,
            "outcome": r.outcome,
            "severity": r.severity,
            "provision": r.citation.provision,
            "title": r.title,
            "message": r.message,
        }
        for r in result.results
    ]


def _competition_result_rows(result: Any, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "application_id": a.application_id,
            "cluster_name": a.cluster_name,
            "stage": a.stage,
            "status": a.status,
            "provision": a.status_citation,
            "reasons": ", ".join(a.reasons),
            "failed": sum(r.outcome == "failed" for r in a.results),
            "unknown": sum(r.outcome == "unknown" for r in a.results),
        }
        for a in result.applications
    ]


def _report_rows(report: Any, lang: Language) -> list[dict[str, Any]]:
    totals = {score.application_id: score.total for score in report.scores}
    ranking = {entry.application_id: entry for entry in (report.outcome.ranking if report.outcome else [])}
    result = []
    for row in _competition_result_rows(report.completeness, lang):
        entry = ranking.get(row["application_id"])
        total = totals.get(row["application_id"])
        result.append(
            {
                **row,
                "total": total,
                # the marks of an application not admitted (returned, not accepted) do not count:
                # its total is marked, so that no one sums or ranks it with the others
                "total_counts": None if total is None else row["status"] == "admitted",
                "rank": entry.rank if entry else None,
                "above_minimum": entry.admitted if entry else None,
            }
        )
    return result


def _timeline_rows(timeline: Any, lang: Language) -> list[dict[str, Any]]:
    return [
        {key: value for key, value in row.items() if key != "warnings"}
        | {"start": entry.start_date, "due": entry.due_date, "actual": entry.actual_date}  # dates, not ISO strings
        | {"warnings": row["warnings"] or None}
        for entry, row in zip(timeline.entries, timeline.to_rows(lang))
    ]


def _score_rows(score: Any, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "application_id": score.application_id,
            "cluster_name": score.cluster_name,
            "block": block.number,
            "block_id": block.id,
            "block_title": block.title.get(lang),
            "weight": block.weight,
            "mark": block.mark,
            "points": block.points,
            "total": score.total,
            "valid": score.valid,
        }
        for block in score.blocks
    ]


def _outcome_rows(outcome: Any, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "rank": entry.rank,
            "application_id": entry.application_id,
            "cluster_name": entry.cluster_name,
            "total": entry.total,
            "tied": entry.tied,
            "above_minimum": entry.admitted,
            "score_valid": entry.score_valid,
        }
        for entry in outcome.ranking
    ] + [
        {"rank": None, "application_id": entry.application_id, "unranked": entry.reason} for entry in outcome.unranked
    ]


def _whatif_rows(result: Any, lang: Language) -> list[dict[str, Any]]:
    tried = len(result.weightings)
    return [
        {
            "application_id": s.application_id,
            "cluster_name": s.cluster_name,
            "baseline_rank": s.baseline_rank,
            "best_rank": s.best_rank,
            "worst_rank": s.worst_rank,
            "wins": s.wins,
            "weightings": tried,
            "win_share": Fraction(s.wins, tried),
            "verdict": s.verdict,
        }
        for s in result.stability
    ]


def _weighted_rows(result: Any, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "rank": move.rank,
            "application_id": move.application_id,
            "cluster_name": move.cluster_name,
            "total": move.total,
            "pack_rank": move.pack_rank,
            "pack_total": move.pack_total,
            "moved": move.moved,
            "above_minimum": move.admitted,
            "pack_above_minimum": move.pack_admitted,
        }
        for move in result.moves
    ]


_ROWS = {
    "ApplicationResult": _application_result_rows,
    "CompetitionResult": _competition_result_rows,
    "CompetitionReport": _report_rows,
    "Timeline": _timeline_rows,
    "ApplicationScore": _score_rows,
    "CompetitionOutcome": _outcome_rows,
    "WhatIfResult": _whatif_rows,
    "WeightedRanking": _weighted_rows,
}


def to_html(obj: Any, *, lang: Language | None = None, max_rows: int = MAX_HTML_ROWS) -> str:
    """A compact HTML table of ``rows(obj)``, escaped, with a one-line caption; no pandas needed."""
    table = rows(obj, lang)
    caption = html.escape(_caption(obj))
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


def _caption(obj: Any) -> str:
    kind = type(obj).__name__
    if kind == "ApplicationResult":
        return f"{obj.application_id} — {obj.cluster_name}: {obj.status} ({obj.pack.id})"
    if kind in ("CompetitionResult", "CompetitionReport"):
        return f"{obj.competition_id} ({obj.pack.id})"
    if kind == "WeightedRanking":
        return f"ranking under chosen weights (changed: {', '.join(obj.changed) or 'none'}) beside the pack's"
    if kind == "CompetitionOutcome":
        return f"{obj.status}: {obj.compliant_count} compliant, minimum score {obj.minimum_score}"
    return kind


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        return f"{float(value):.3f}"
    return str(value)


