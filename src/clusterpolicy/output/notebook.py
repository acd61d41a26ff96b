"""For analysts in Jupyter: tables (pandas DataFrames), compact HTML views, and pictures.

Needs the ``notebook`` extra (pandas, matplotlib), imported only when a function here needs
it: ``import clusterpolicy`` works without them.

- :func:`to_dataframe` turns results, timelines, scores, rankings and what-if results into a
  DataFrame (one row per rule, application, timeline step, block or weighting summary);
- the result objects show as a compact HTML table in a notebook (:class:`HtmlRepr`, the same
  rows as :func:`to_dataframe`, rendered without pandas);
- :func:`plot_timeline` (Gantt chart of the procedure, late steps marked),
  :func:`plot_scores` (block points per application, stacked) and :func:`plot_stability`
  (how often each application wins across weightings) return matplotlib ``Figure`` objects
  drawn without pyplot or a display (PNG through Agg); :func:`save_png` writes one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.citations import provision_text
from ..core.i18n import DEFAULT_LANGUAGE, Language, gettext
from ..core.tables import MAX_HTML_ROWS, HtmlRepr, rows, to_html  # noqa: F401 (the notebook API)

STATUS_COLOURS = {
    "on_time": "#2e7d32",
    "late": "#c62828",
    "pending": "#9e9e9e",
    "overdue": "#ef6c00",
    "computed": "#1565c0",
}


# --------------------------------------------------------------------------- DataFrames and HTML


def to_dataframe(obj: Any, *, lang: Language | None = None, exact: bool = False) -> Any:
    """A pandas DataFrame of a result, timeline, score (or list of scores), ranking or what-if.

    Decimals and fractions become floats so that the columns sort, sum and plot as numbers;
    ``exact=True`` keeps them exact (object columns). Needs pandas (the ``notebook`` extra).
    """
    pandas = _require("pandas")
    table = rows(obj, lang)
    if not exact:
        table = [{key: _number(value) for key, value in row.items()} for row in table]
    return pandas.DataFrame(table)


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, (Decimal, Fraction)) else value


# --------------------------------------------------------------------------- pictures


def _figure(width: float, height: float) -> Any:
    _require("matplotlib")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def plot_timeline(
    timeline: Any,
    *,
    lang: Language = DEFAULT_LANGUAGE,
    as_of: dt.date | None = None,
    title: str | None = None,
    pack: Any = None,
) -> Any:
    """Gantt chart of the procedure: one bar per step from its start to its due date.

    Colours say the status (late in red; pending past ``as_of`` in orange); a dot marks the
    day the step was actually done. Steps that have not started are left out.
    """
    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.patches import Patch

    entries = [e for e in timeline.entries if e.start_date is not None and e.due_date is not None]
    fig = _figure(11, 1.2 + 0.38 * max(len(entries), 1))
    ax = fig.add_subplot()
    for y, entry in enumerate(entries):
        status = "overdue" if (entry.status == "pending" and as_of and entry.due_date < as_of) else entry.status
        low, high = sorted((entry.start_date, entry.due_date))
        ax.barh(y, max((high - low).days, 1), left=date2num(low), height=0.6, color=STATUS_COLOURS.get(status, "#777"))
        if entry.actual_date is not None:
            ax.plot(date2num(entry.actual_date), y, "o", color="black", markersize=4)
    style = getattr(pack, "citation_style", None)  # the provisions as the pack's act writes them in ``lang``
    labels = [f"{provision_text(e.citation, lang, style)} {_short(e.title.get(lang))}" + (f" [{e.application_id}]" if e.application_id else "") for e in entries]
    ax.set_yticks(range(len(entries)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    ax.tick_params(axis="x", labelsize=8, labelrotation=30)
    if as_of is not None:
        ax.axvline(date2num(as_of), color="#ef6c00", linestyle="--", linewidth=1)
    shown = sorted({("overdue" if e.status == "pending" and as_of and e.due_date < as_of else e.status) for e in entries})
    ax.legend(
        handles=[Patch(color=STATUS_COLOURS.get(s, "#777"), label=gettext(f"timeline.{s}", lang)) for s in shown],
        loc="lower right",
        fontsize=8,
    )
    ax.set_title(title or gettext("chart.timeline", lang))
    ax.grid(axis="x", alpha=0.3)
    return fig


def plot_scores(
    scores: Any,
    *,
    lang: Language = DEFAULT_LANGUAGE,
    minimum_score: Decimal | None = None,
    title: str | None = None,
    pack: Any = None,
) -> Any:
    """Stacked bars: each application's points by block, best total first; the minimum score as a line.

    With ``pack`` (e.g. ``report.pack.rule_pack``) the line's label cites the provision of its
    procedure under which the Commission sets the minimum score.
    """
    scored = sorted((s for s in scores if s.total is not None), key=lambda s: (-s.total, s.application_id))
    fig = _figure(10, 2.2 + 0.42 * max(len(scored), 1))
    ax = fig.add_subplot()
    blocks = [(block.id, block.number, block.title.get(lang)) for block in (scored[0].blocks if scored else [])]
    colours = ["#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#ad1457"]
    left = [0.0] * len(scored)
    for index, (block_id, number, block_title) in enumerate(blocks):
        widths = [float(next(b.points for b in s.blocks if b.id == block_id) or 0) for s in scored]
        ax.barh(range(len(scored)), widths, left=left, color=colours[index % len(colours)], label=f"{number}. {_short(block_title, 60)}")
        left = [a + b for a, b in zip(left, widths)]
    for y, s in enumerate(scored):
        ax.text(float(s.total) + 0.5, y, str(s.total), va="center", fontsize=8)
    ax.set_yticks(range(len(scored)), [f"{s.application_id}" for s in scored], fontsize=8)
    ax.invert_yaxis()
    if minimum_score is not None:
        label = gettext("chart.minimum_score", lang)
        if pack is not None and pack.procedure is not None:
            label += f" ({pack.cite(pack.procedure.citations.minimum_score.provision, lang, short=True)})"
        ax.axvline(float(minimum_score), color="#c62828", linestyle="--", linewidth=1, label=label)
    ax.set_xlabel(gettext("chart.points", lang))
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    ax.set_title(title or gettext("chart.scores", lang))
    ax.grid(axis="x", alpha=0.3)
    return fig


def plot_stability(whatif: Any, *, lang: Language = DEFAULT_LANGUAGE, title: str | None = None) -> Any:
    """Bars: the share of tried weightings under which each application is among the winners."""
    tried = len(whatif.weightings)
    stability = list(whatif.stability)
    fig = _figure(9, 1.4 + 0.38 * max(len(stability), 1))
    ax = fig.add_subplot()
    colours = {"always": "#2e7d32", "sometimes": "#f9a825", "never": "#9e9e9e"}
    shares = [100 * s.wins / tried for s in stability]
    ax.barh(range(len(stability)), shares, color=[colours[s.verdict] for s in stability])
    for y, (s, share) in enumerate(zip(stability, shares)):
        ax.text(share + 1, y, f"{share:.0f}% (#{s.best_rank}–#{s.worst_rank})", va="center", fontsize=8)
    ax.set_yticks(range(len(stability)), [s.application_id for s in stability], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel(gettext("chart.win_share", lang).format(weightings=tried, winners=whatif.winners))
    ax.set_title(title or gettext("chart.stability", lang))
    ax.grid(axis="x", alpha=0.3)
    return fig


def _short(text: str, limit: int = 36) -> str:
    """``text`` cut at a word boundary to about ``limit`` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def save_png(figure: Any, path: str | Path, *, dpi: int = 110) -> Path:
    """Write a figure as PNG (through Agg, no display) and return the path."""
    path = Path(path)
    figure.savefig(path, format="png", dpi=dpi, metadata={"Software": None})
    return path


def _require(module: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise UsageError(
            f"this needs {module}: install the notebook extra, pip install 'clusterpolicy[notebook]'",
            code="missing_extra",
        ) from None


__all__ = ["HtmlRepr", "plot_scores", "plot_stability", "plot_timeline", "rows", "save_png", "to_dataframe", "to_html"]
