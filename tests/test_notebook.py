"""Notebook support: lazy imports, DataFrames, HTML views, the three pictures, and the analyst notebook."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from clusterpolicy.core.i18n import gettext
from clusterpolicy import run_competition, what_if_weights
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.output.notebook import plot_scores, plot_stability, plot_timeline, rows, save_png, to_dataframe, to_html
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "analyst.ipynb"
PACK = load_pack("kz-2015-decree-535")
SUBS = [sub.id for _, sub in PACK.scoring.sub_criteria()]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def report(lang: str = "en"):
    header = competition_data(1)
    header["events"] = [
        {"event": "completeness_protocol_signed", "date": "2017-06-19"},  # late: due 15 June
        {"event": "review_protocol_signed", "date": "2017-08-01"},
    ]
    applications = []
    for index, base in enumerate([5, 4, 3, 4]):
        data = application_data(1)
        data["id"] = f"app-{index + 1}"
        data["expert_marks"] = [
            {"expert_id": f"e{e}", "years_of_experience": "9", "marks": {s: str(max(0, base - (e + i) % 2)) for i, s in enumerate(SUBS)}}
            for e in range(3)
        ]
        applications.append(data)
    applications[3]["submission_format"]["paper_copies"] = 0
    header["applications"] = applications
    return run_competition(Competition.model_validate(header), lang=lang, as_of=dt.date(2017, 9, 30))


@pytest.mark.slow
def test_import_works_without_pandas_and_matplotlib():
    code = (
        "import sys\n"
        "for name in ('pandas', 'matplotlib', 'matplotlib.figure', 'numpy'):\n"
        "    sys.modules[name] = None\n"
        "import clusterpolicy\n"
        "from clusterpolicy.output import notebook\n"
        "from clusterpolicy.testing import valid_application\n"
        "result = clusterpolicy.evaluate(valid_application(), pack='kz-2015-decree-535')\n"
        "assert '<table' in result._repr_html_()\n"
        "try:\n"
        "    notebook.to_dataframe(result)\n"
        "except clusterpolicy.UsageError as exc:\n"
        "    assert 'notebook extra' in str(exc)\n"
        "else:\n"
        "    raise SystemExit('pandas was imported')\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_dataframes_of_every_result():
    pandas = pytest.importorskip("pandas")
    result = report()
    frames = {
        "report": to_dataframe(result),
        "completeness": to_dataframe(result.completeness),
        "application": to_dataframe(result.completeness.applications[0]),
        "timeline": to_dataframe(result.timeline),
        "scores": to_dataframe(result.scores),
        "ranking": to_dataframe(result.outcome),
    }
    assert all(isinstance(frame, pandas.DataFrame) for frame in frames.values())
    assert list(frames["report"].application_id) == ["app-1", "app-2", "app-3", "app-4"]
    assert list(frames["report"].status) == ["admitted", "admitted", "admitted", "returned"]
    assert len(frames["scores"]) == 4 * len(PACK.scoring.blocks)
    assert frames["scores"].points.dtype.kind == "f"  # numbers, not Decimal objects
    assert to_dataframe(result.scores, exact=True).points.map(type).eq(Decimal).all()
    assert list(frames["ranking"].dropna(subset=["total"]).application_id) == [e.application_id for e in result.outcome.ranking]
    late = frames["timeline"].query("status == 'late'")
    assert "rules-p15-completeness-check" in list(late.limit)


def test_html_views_are_compact_escaped_tables():
    result = report()
    for obj in (result, result.completeness, result.completeness.applications[0], result.timeline, result.outcome, result.scores[0]):
        page = obj._repr_html_()
        assert page.startswith("<div><table") and "<th>" in page
    hostile = result.completeness.applications[0].model_copy(update={"cluster_name": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in to_html(hostile)
    assert "more</p>" in to_html(result.timeline, max_rows=3)
    assert rows([]) == []


@pytest.mark.slow
def test_three_pictures_are_real_pngs(tmp_path):
    pytest.importorskip("matplotlib")
    result = report()
    whatif = what_if_weights(
        [s for s in result.scores if s.application_id in {e.application_id for e in result.outcome.ranking}],
        PACK.scoring,
        winners=2,
        samples=200,
        seed=1,
    )
    pictures = {
        "timeline.png": plot_timeline(result.timeline, as_of=result.as_of),
        "scores.png": plot_scores(result.scores, minimum_score=result.minimum_score, lang="kk"),
        "stability.png": plot_stability(whatif, lang="ru"),
    }
    for name, figure in pictures.items():
        path = save_png(figure, tmp_path / name)
        data = path.read_bytes()
        assert data[:8] == PNG_SIGNATURE, name
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert 400 <= width <= 3000 and 200 <= height <= 4000, (name, width, height)
        assert 10_000 < len(data) < 2_000_000, (name, len(data))


@pytest.mark.slow
@pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("nbclient", "nbformat", "ipykernel")),
    reason="running the analyst notebook needs nbclient, nbformat and ipykernel (the test extra)",
)
def test_analyst_notebook_runs_top_to_bottom():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3  # timeline, scores, stability
    assert any("text/html" in o.get("data", {}) for o in outputs)


def test_dataframes_carry_real_dates_and_categorical_statuses():
    pandas = pytest.importorskip("pandas")
    result = report()
    timeline = to_dataframe(result.timeline)
    for column in ("start", "due", "actual"):
        assert pandas.api.types.is_datetime64_any_dtype(timeline[column]), column
    late = timeline[(timeline.status == "late") & (timeline.limit == "rules-p15-completeness-check")].iloc[0]
    assert late.due == pandas.Timestamp("2017-06-15") and late.actual == pandas.Timestamp("2017-06-19")
    assert (late.actual - late.due).days == 4 and late.late_working_days == 2
    assert isinstance(timeline.status.dtype, pandas.CategoricalDtype)
    assert "not_started" in timeline.status.cat.categories and timeline.late_working_days.dtype == "Int64"
    frame = to_dataframe(result)
    assert isinstance(frame.status.dtype, pandas.CategoricalDtype)
    assert list(frame.status.cat.categories) == ["admitted", "returned", "not_accepted", "undetermined"]
    assert frame["rank"].dtype == "Int64" and frame.above_minimum.dtype == "boolean"
    rules = to_dataframe(result.completeness.applications)
    assert isinstance(rules.outcome.dtype, pandas.CategoricalDtype) and isinstance(rules.severity.dtype, pandas.CategoricalDtype)
    assert to_dataframe(result.outcome).unranked.dropna().tolist() == ["not_compliant"]


def _bars(figure):
    from matplotlib.colors import to_hex
    from matplotlib.dates import num2date

    ax = figure.axes[0]
    return [
        (to_hex(p.get_facecolor()), num2date(p.get_x()).date(), round(p.get_width()), round(p.get_y() + p.get_height() / 2))
        for p in ax.patches
    ]


@pytest.mark.slow
def test_the_timeline_draws_the_actual_slip_and_dates_as_of():
    pytest.importorskip("matplotlib")
    from clusterpolicy.output.notebook import STATUS_COLOURS, TERM_COLOUR

    result = report()
    figure = plot_timeline(result, lang="ru")
    bars = _bars(figure)
    red = [bar for bar in bars if bar[0] == STATUS_COLOURS["late"]]
    # the announcement (p.5, at least 60 days before the close) due Sunday 9 April (no rolling: an
    # announcement needs no working day), made 10 April: a 1-day slip, not the two months of its term; the completeness protocol (p.15) due 15 June, signed 19 June
    assert [(day, width) for _, day, width, _ in red] == [(dt.date(2017, 4, 9), 1), (dt.date(2017, 6, 15), 4)]
    row = red[1][3]
    term = [bar for bar in bars if bar[3] == row and bar[0] == TERM_COLOUR]
    assert term and term[0][1] == dt.date(2017, 6, 8) and term[0][2] == 7  # the 5 working days allowed
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "по состоянию на 30 сентября 2017 г." in legend
    assert figure.axes[0].get_title() == "Сроки процедуры"
    ticks = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert any(tick.startswith("пункт 15 Правил") for tick in ticks), ticks  # the pack's citation style, in Russian
    notes = [text.get_text() for text in figure.axes[0].texts]
    assert notes == ["+1 рабочий день", "+2 рабочих дня"]
    english = plot_timeline(result.timeline, as_of=result.as_of)
    assert "as of 2017-09-30" in [text.get_text() for text in english.legends[0].get_texts()]


@pytest.mark.slow
def test_the_score_chart_keeps_unranked_applications_apart():
    pytest.importorskip("matplotlib")
    result = report(lang="kk")
    ranked = [entry.application_id for entry in result.outcome.ranking]
    assert "app-4" not in ranked  # returned: its marks do not count
    figure = plot_scores(result)
    ticks = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    names = {a.application_id: a.cluster_name for a in result.completeness.applications}
    # each application by its cluster's name, wrapped (never cut) when long
    assert [tick.replace("\n", " ") for tick in ticks] == [f"{rank}. {names[a]}" for rank, a in enumerate(ranked, start=1)]
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "Рейтингке енгізілмеген, көрсетілмеген: 1" in legend
    assert figure.axes[0].get_title() == "Блоктар бойынша балдар" and figure.axes[0].get_xlabel() == "балл"
    marked = plot_scores(result, unranked="mark", lang="en")
    ticks = [label.get_text() for label in marked.axes[0].get_yticklabels()]
    assert ticks[-1].replace("\n", " ") == f"{names['app-4']} — {gettext('status.returned', 'en')}" and len(ticks) == len(ranked) + 1
    hatched = [p for p in marked.axes[0].patches if p.get_hatch() == "//"]
    assert len(hatched) == len(PACK.scoring.blocks)  # one faded segment per block, for app-4 only
    with pytest.raises(Exception, match="unranked"):
        plot_scores(result, unranked="hide")
