"""For analysts in Jupyter: tables (pandas DataFrames), compact HTML views, and pictures.

Needs the ``notebook`` extra (pandas, matplotlib), imported only when a function here needs
it: ``import clusterpolicy`` works without them.

- :func:`to_dataframe` turns results, timelines, scores, rankings and what-if results into a
  DataFrame (one row per rule, application, timeline step, block or weighting summary);
- the result objects show as a compact HTML table in a notebook (:class:`HtmlRepr`, the same
  rows as :func:`to_dataframe`, rendered without pandas);
- :func:`plot_timeline` (Gantt chart of the procedure, late steps marked),
  :func:`plot_scores` (block points per application, stacked) and :func:`plot_stability`
  (how often each application wins across weightings) and :func:`plot_sensitivity`
  (applications × the contested readings: which verdict changes) return matplotlib ``Figure`` objects
  drawn without pyplot or a display (PNG through Agg); :func:`save_png` writes one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from ..core import l10n
from ..core.errors import UsageError
from ..core.citations import provision_text
from ..core.i18n import DEFAULT_LANGUAGE, Language, gettext
from ..core.tables import MAX_HTML_ROWS, HtmlRepr, rows, to_html  # noqa: F401 (the notebook API)

TERM_COLOUR = "#cfd8dc"
"""The term a late or overdue step was allowed, drawn pale so that the slip stands out."""

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
    frame = pandas.DataFrame(table)
    first = obj[0] if isinstance(obj, (list, tuple)) and obj else obj
    categories_of = first.table_categories if isinstance(first, HtmlRepr) else {}
    for column in frame.columns:
        values = [row[column] for row in table if row.get(column) is not None]
        if values and all(isinstance(value, (dt.date, dt.datetime)) for value in values):
            frame[column] = _dates(pandas, frame[column])
        elif values and len(values) < len(table) and all(isinstance(value, bool) for value in values):
            frame[column] = frame[column].astype("boolean")  # yes, no, or not known (<NA>)
        elif values and all(isinstance(value, int) and not isinstance(value, bool) for value in values):
            frame[column] = frame[column].astype("Int64")  # whole numbers, <NA> where there is none
    for column, categories in categories_of.items():
        if column in frame.columns:
            frame[column] = pandas.Categorical(frame[column], categories=categories)
    return frame


def _dates(pandas: Any, column: Any) -> Any:
    """A column of dates (datetime64, day precision) or of moments (in Asia/Almaty, as the act counts them)."""
    if any(isinstance(value, dt.datetime) for value in column if value is not None):
        return pandas.to_datetime(column, utc=True).dt.tz_convert("Asia/Almaty")
    return pandas.to_datetime(column).astype("datetime64[s]")


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
    lang: Language | None = None,
    as_of: dt.date | None = None,
    title: str | None = None,
    pack: Any = None,
) -> Any:
    """Gantt chart of the procedure: one bar per step over the term the act allows it.

    ``timeline`` is a :class:`~clusterpolicy.procedure.timeline.Timeline` or a competition's report
    (``run_competition``), which also gives ``as_of``, the pack (provisions as its act writes
    them) and the language unless they are passed. Colours say the status: on time in green,
    pending in grey; a late step keeps its term in pale grey and shows its **actual slip** in
    red, from the due date to the day it was done, with how late it was written beside it; a
    step pending past ``as_of`` shows the time past its due date in orange. A dot marks the day
    a step was done; the dashed line is ``as_of`` (dated in the legend). Steps that have not
    started are left out. Titles, labels and dates follow ``lang``.
    """
    from matplotlib.dates import MonthLocator, date2num, num2date
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    names: dict[str, str] = {}
    if hasattr(timeline, "timeline"):  # a competition's report
        report = timeline
        timeline = report.timeline
        as_of = as_of if as_of is not None else report.as_of
        pack = pack if pack is not None else getattr(report.pack, "rule_pack", None)
        lang = lang or report.language
        names = {a.application_id: a.cluster_name for a in report.completeness.applications}
    lang = lang or _language_of(timeline) or DEFAULT_LANGUAGE
    entries = [e for e in timeline.entries if e.start_date is not None and e.due_date is not None]
    style = getattr(pack, "citation_style", None)  # the provisions as the pack's act writes them in ``lang``
    labels = [
        _wrap(f"{provision_text(e.citation, lang, style)} {e.title.get(lang)}" + (f" [{names.get(e.application_id, e.application_id)}]" if e.application_id else ""), 70)
        for e in entries
    ]
    # each step gets the height its wrapped label needs: one line is 1 unit, the bar 0.6 of it
    heights = [max(label.count("\n") + 1, 2) * 0.5 + 0.2 for label in labels]
    rows_at = [sum(heights[:index]) + height / 2 for index, height in enumerate(heights)]
    fig = _figure(12, 1.6 + 0.3 * max(sum(heights), 1))
    ax = fig.add_subplot()
    shown: set[str] = set()
    for y, entry in zip(rows_at, entries):
        status = "overdue" if (entry.status == "pending" and as_of and entry.due_date < as_of) else entry.status
        shown.add(status)
        low, high = sorted((entry.start_date, entry.due_date))
        slipped = status in ("late", "overdue")
        colour = TERM_COLOUR if slipped else STATUS_COLOURS.get(status, "#777")
        ax.barh(y, max((high - low).days, 1), left=date2num(low), height=0.6, color=colour)
        end = max(high, entry.actual_date or high)
        if status == "late":
            slip_end = entry.actual_date
        elif status == "overdue":
            slip_end = as_of
        else:
            slip_end = None
        if slip_end is not None:
            width = max((slip_end - entry.due_date).days, 1)
            ax.barh(y, width, left=date2num(entry.due_date), height=0.6, color=STATUS_COLOURS[status])
            end = max(end, slip_end)
        if status == "late":
            note = "+" + l10n.count(entry.late_working_days or 0, "unit.working_days", lang)
            ax.text(date2num(end) + 2, y, note, va="center", fontsize=7, color=STATUS_COLOURS["late"])
        if entry.actual_date is not None:
            ax.plot(date2num(entry.actual_date), y, "o", color="black", markersize=4)
    ax.set_yticks(rows_at, labels, fontsize=7)
    ax.set_ylim(-0.2, sum(heights) + 0.2)
    ax.invert_yaxis()
    if "late" in shown:  # room on the right for the "late by" notes
        low_x, high_x = ax.get_xlim()
        ax.set_xlim(low_x, high_x + 0.15 * (high_x - low_x))
    ax.xaxis.set_major_locator(MonthLocator(interval=_months_between_ticks(ax)))  # ticks at the first of a month
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: l10n.date(num2date(x).date(), lang, short=True)))
    ax.tick_params(axis="x", labelsize=8, labelrotation=30)
    handles = []
    for status in ("on_time", "pending", "computed"):
        if status in shown:
            handles.append(Patch(color=STATUS_COLOURS[status], label=gettext(f"timeline.{status}", lang)))
    if shown & {"late", "overdue"}:
        handles.append(Patch(color=TERM_COLOUR, label=gettext("chart.term", lang)))
    if "late" in shown:
        handles.append(Patch(color=STATUS_COLOURS["late"], label=gettext("chart.slip", lang)))
    if "overdue" in shown:
        handles.append(Patch(color=STATUS_COLOURS["overdue"], label=gettext("timeline.overdue", lang)))
    if any(e.actual_date is not None for e in entries):
        handles.append(Line2D([], [], marker="o", color="black", linestyle="none", markersize=4, label=gettext("chart.done", lang)))
    if as_of is not None:
        ax.axvline(date2num(as_of), color=STATUS_COLOURS["overdue"], linestyle="--", linewidth=1)
        handles.append(
            Line2D([], [], color=STATUS_COLOURS["overdue"], linestyle="--", linewidth=1,
                   label=gettext("chart.as_of", lang).format(date=l10n.date(as_of, lang)))
        )
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), fontsize=8)
    ax.set_title(title or gettext("chart.timeline", lang))
    ax.grid(axis="x", alpha=0.3)
    return fig


def plot_scores(
    scores: Any,
    *,
    lang: Language | None = None,
    minimum_score: Decimal | None = None,
    title: str | None = None,
    pack: Any = None,
    ranking: Any = None,
    unranked: Literal["omit", "mark"] = "omit",
) -> Any:
    """Stacked bars: each ranked application's points by block, in ranking order; the minimum score as a line.

    Applications are named by their cluster (``cluster_name``), long names wrapped, not cut.
    ``scores`` is a competition's report (``run_competition``: its scores, ranking, statuses,
    minimum score, pack and language are used unless passed) or a list of
    :class:`~clusterpolicy.scoring.ApplicationScore`. Applications that are not ranked (returned,
    not accepted: their marks do not count) are left out by default, and the legend says how
    many; ``unranked="mark"`` draws them after the ranked ones, grey and hatched, each
    with its status. Given a bare list of scores without ``ranking`` (a
    :class:`~clusterpolicy.scoring.CompetitionOutcome`), the chart cannot tell them apart and
    shows every score with a total, best first.

    With a pack (e.g. ``report.pack.rule_pack``) the line's label cites the provision of its
    procedure under which the Commission sets the minimum score.
    """
    if unranked not in ("omit", "mark"):
        raise UsageError(f"unranked must be 'omit' or 'mark', got {unranked!r}", code="invalid_argument")
    statuses: dict[str, str] = {}
    if hasattr(scores, "completeness"):  # a competition's report
        report = scores
        scores = report.scores
        ranking = ranking if ranking is not None else report.outcome
        minimum_score = minimum_score if minimum_score is not None else report.minimum_score
        pack = pack if pack is not None else getattr(report.pack, "rule_pack", None)
        lang = lang or report.language
        statuses = {a.application_id: a.status for a in report.completeness.applications}
    lang = lang or next((_language_of(s) for s in scores if _language_of(s)), None) or DEFAULT_LANGUAGE
    with_total = [s for s in scores if s.total is not None]
    left_out: list[Any] = []
    if ranking is not None:
        order = {entry.application_id: entry.rank for entry in ranking.ranking}
        ranked = sorted((s for s in with_total if s.application_id in order), key=lambda s: order[s.application_id])
        others = sorted((s for s in with_total if s.application_id not in order), key=lambda s: (-s.total, s.application_id))
        if unranked == "omit":
            left_out, others = others, []
        labels = [_wrap(f"{order[s.application_id]}. {s.cluster_name}", 40) for s in ranked]
        for s in others:
            status = statuses.get(s.application_id)
            word = gettext(f"status.{status}", lang) if status else gettext("chart.not_ranked", lang)
            labels.append(_wrap(f"{s.cluster_name} — {word}", 40))
    else:
        ranked, others = sorted(with_total, key=lambda s: (-s.total, s.application_id)), []
        labels = [_wrap(s.cluster_name, 40) for s in ranked]
    shown = [*ranked, *others]
    fig = _figure(10, 2.4 + 0.42 * max(sum(label.count("\n") + 1 for label in labels), 1))
    ax = fig.add_subplot()
    blocks = [(block.id, block.number, block.title.get(lang)) for block in (shown[0].blocks if shown else [])]
    colours = ["#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#ad1457"]
    left = [0.0] * len(shown)
    for index, (block_id, number, block_title) in enumerate(blocks):
        widths = [float(next(b.points for b in s.blocks if b.id == block_id) or 0) for s in shown]
        colour = colours[index % len(colours)]
        ax.barh(range(len(ranked)), widths[: len(ranked)], left=left[: len(ranked)], color=colour, label=_wrap(f"{number}. {block_title}", 60))
        if others:
            ax.barh(
                range(len(ranked), len(shown)), widths[len(ranked):], left=left[len(ranked):],
                color=colour, alpha=0.25, hatch="//", edgecolor="#616161", linewidth=0.3,
            )
        left = [a + b for a, b in zip(left, widths)]
    for y, s in enumerate(shown):
        ax.text(float(s.total) + 0.5, y, str(s.total), va="center", fontsize=8, color="#000" if y < len(ranked) else "#616161")
    ax.set_yticks(range(len(shown)), labels, fontsize=8)
    ax.invert_yaxis()
    if others:
        ax.axhline(len(ranked) - 0.5, color="#616161", linewidth=0.8)
    if minimum_score is not None:
        label = gettext("chart.minimum_score", lang)
        if pack is not None and pack.procedure is not None:
            label += f" ({pack.cite(pack.procedure.citations.minimum_score.provision, lang, short=True)})"
        ax.axvline(float(minimum_score), color="#c62828", linestyle="--", linewidth=1, label=label)
    ax.set_xlabel(gettext("chart.points", lang))
    from matplotlib.patches import Patch

    handles, _ = ax.get_legend_handles_labels()
    if others:
        handles.append(Patch(facecolor="#e0e0e0", hatch="//", edgecolor="#616161", label=gettext("chart.not_ranked", lang)))
    if left_out:
        handles.append(Patch(color="none", label=gettext("chart.left_out", lang).format(count=len(left_out))))
    fig.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=2)
    widest = max([float(s.total) for s in shown] + [float(minimum_score or 0)], default=0)
    ax.set_xlim(0, widest * 1.08 + 1)  # room for the totals written after the bars
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
    ax.set_yticks(range(len(stability)), [_wrap(s.cluster_name, 40) for s in stability], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel(gettext("chart.win_share", lang).format(weightings=tried, winners=whatif.winners))
    ax.set_title(title or gettext("chart.stability", lang))
    ax.grid(axis="x", alpha=0.3)
    return fig


SENSITIVITY_COLOURS = {"unchanged": "#eceff1", "rank": "#f9a825", "status": "#c62828"}
"""The cells of :func:`plot_sensitivity`: judged alike, ranked otherwise, given another status."""

STEPS_COLOUR = "#90caf9"
"""The cells of :func:`plot_sensitivity`'s timeline strip where a reading moves a step of the procedure."""


def plot_sensitivity(found: Any, *, lang: Language | None = None, title: str | None = None) -> Any:
    """A grid, applications × choices: for each application (named by its cluster) and each
    reading the pack declares besides its default (named by the choice's title and the
    reading's name, :func:`clusterpolicy.sensitivity`), whether the application is judged alike
    (pale), ranked otherwise (amber, the ranks written) or given another status (red, the
    status written); a last row for the competition's outcome where a reading changes it. With
    ``sensitivity(..., all_combinations=True)``, a column per combination of readings that changes
    a verdict together (its readings joined by « + »), after the single readings.
    Where a reading moves a step of the procedure's timeline (p.5's rolling: a due date, on time
    or late), a strip under the grid (the figure's second axes) says how many steps, and how
    their status changes (blue)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    lang = lang or found.language
    style = found.pack.rule_pack.citation_style if found.pack.rule_pack is not None else None
    effects = list(found.readings) + list(getattr(found, "combinations", []))
    clusters = dict(found.clusters) or {a.application_id: a.application_id for e in effects for a in e.applications}
    ids = list(clusters)
    kinds = list(SENSITIVITY_COLOURS)
    outcome_row = any(e.outcome_before != e.outcome_after for e in effects)
    steps_row = any(getattr(e, "steps", None) for e in effects)
    rows_shown = len(ids) + (1 if outcome_row else 0)
    grid = [[0] * len(effects) for _ in range(rows_shown)]
    texts: list[tuple[int, int, str]] = []
    for column, effect in enumerate(effects):
        changes = {a.application_id: a for a in effect.applications}
        for row, application_id in enumerate(ids):
            change = changes.get(application_id)
            if change is None:
                continue
            if change.status_before != change.status_after:
                grid[row][column] = kinds.index("status")
                texts.append((row, column, _wrap(gettext(f"status.{change.status_after}", lang), 14)))
            else:
                grid[row][column] = kinds.index("rank")
                texts.append((row, column, f"{change.rank_before or '—'} → {change.rank_after or '—'}"))
        if outcome_row and effect.outcome_before != effect.outcome_after:
            grid[-1][column] = kinds.index("status")
            texts.append((rows_shown - 1, column, _wrap(gettext(f"competition.{effect.outcome_after}", lang), 14)))
    width = 3.2 + 1.6 * max(len(effects), 1)
    fig = _figure(width, 1.8 + 0.45 * (max(rows_shown, 1) + (1.2 if steps_row else 0)) + 0.5)
    if steps_row:
        ax, strip = fig.subplots(2, 1, gridspec_kw={"height_ratios": [max(rows_shown, 1), 1.2]})
    else:
        ax, strip = fig.add_subplot(), None
    ax.imshow(grid or [[0]], cmap=ListedColormap(list(SENSITIVITY_COLOURS.values())), vmin=0, vmax=len(kinds) - 1, aspect="auto")
    for row, column, text in texts:
        ax.text(column, row, text, ha="center", va="center", fontsize=7, color="white" if grid[row][column] == kinds.index("status") else "black")
    labels = [_wrap(clusters[i], 40) for i in ids] + ([gettext("chart.sensitivity.outcome", lang)] if outcome_row else [])
    ax.set_yticks(range(rows_shown), labels, fontsize=8)
    columns = [_wrap(_reading_label(effect, lang, style), 22) for effect in found.readings]
    columns += [_wrap(" + ".join(_reading_label(part, lang, style) for part in effect.readings), 30)
                for effect in getattr(found, "combinations", [])]
    ax.set_xticks(range(len(effects)), columns, fontsize=7)
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(effects))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, rows_shown)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(color=colour, label=gettext(f"chart.sensitivity.{kind}", lang)) for kind, colour in SENSITIVITY_COLOURS.items()]
    if strip is not None:
        _steps_strip(strip, effects, lang)
        handles.append(Patch(color=STEPS_COLOUR, label=gettext("chart.sensitivity.steps", lang)))
    fig.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=len(handles))
    fig.suptitle(title or gettext("chart.sensitivity.combined" if len(effects) > len(found.readings) else "chart.sensitivity", lang), fontsize=10)
    return fig


def _reading_label(effect: Any, lang: Language, style: Any) -> str:
    """A reading as a column names it: the choice's title, its provision and the reading's name."""
    return f"{effect.title} ({provision_text(effect.provision, lang, style)}): {effect.reading}"


def _steps_strip(ax: Any, effects: list[Any], lang: Language) -> None:
    """One row under the grid, a cell per reading: how many steps of the timeline it moves, and
    their status before and after where they all change alike (late → on time)."""
    from matplotlib.colors import ListedColormap

    ax.imshow([[1 if getattr(effect, "steps", None) else 0 for effect in effects]], cmap=ListedColormap([SENSITIVITY_COLOURS["unchanged"], STEPS_COLOUR]),
              vmin=0, vmax=1, aspect="auto")
    for column, effect in enumerate(effects):
        if not getattr(effect, "steps", None):
            continue
        text = gettext("chart.sensitivity.steps_moved", lang).format(count=len(effect.steps))
        changes = {(step.status_before, step.status_after) for step in effect.steps}
        if len(changes) == 1:
            before, after = next(iter(changes))
            if before != after:
                text += "\n" + _wrap(f"{gettext(f'timeline.{before}', lang)} → {gettext(f'timeline.{after}', lang)}", 18)
        ax.text(column, 0, text, ha="center", va="center", fontsize=7)
    ax.set_yticks([0], [_wrap(gettext("chart.sensitivity.timeline", lang), 40)], fontsize=8)
    ax.set_xticks([])
    ax.set_xticks([x - 0.5 for x in range(1, len(effects))], minor=True)
    ax.grid(which="minor", axis="x", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)


def _wrap(text: str, width: int = 36) -> str:
    """``text`` on lines of about ``width`` characters, broken between words: a long title is
    wrapped, never cut (the whole name of a cluster or a step stays readable)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _months_between_ticks(ax: Any) -> int:
    """Month ticks for the span shown: every month up to a year, then every 2, 3, 6 or 12 months."""
    low, high = ax.get_xlim()
    months = (high - low) / 30.4
    return next((step for step in (1, 2, 3, 6, 12) if months / step <= 12), 12)


def _language_of(obj: Any) -> Language | None:
    """The language of the result ``obj`` is a part of (its scores, its timeline), if known."""
    from ..core.tables import language_of

    return language_of(obj)


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


__all__ = ["HtmlRepr", "plot_scores", "plot_sensitivity", "plot_stability", "plot_timeline", "rows", "save_png", "to_dataframe", "to_html"]
