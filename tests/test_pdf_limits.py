"""PDF documents take bounded time and memory (issue 27, item 4): WeasyPrint runs in a child
process with CPU, memory and time limits, a clear ``pdf_limit`` error beyond them, at most a
few PDFs at once, and no automatic hyphenation in table cells (which took minutes)."""

from __future__ import annotations

import importlib.util
import threading

import pytest

from clusterpolicy.core.errors import UsageError
from clusterpolicy.output import pdf, service

needs_weasyprint = pytest.mark.skipif(importlib.util.find_spec("weasyprint") is None, reason="the pdf extra is not installed")


def notice_html(participants: int) -> str:
    """The return notice of a stage-1 application whose every participant card lacks its phones
    and three years of indicators: one table cell that lists them all."""
    from clusterpolicy.core import l10n
    from clusterpolicy.evaluation import evaluate
    from clusterpolicy.input.decree535_form import Application, Competition
    from clusterpolicy.output.reports import return_notice
    from clusterpolicy.testing import application_data, competition_data

    data = application_data(1, participants=participants, activities=5)
    for participant in data["participants"]:
        participant["responsible_person"].pop("mobile", None)
        participant["indicators"] = participant["indicators"][:1]
    with l10n.every_item_listed():  # as a document's evaluation: every card named, in its annex
        result = evaluate(Application.model_validate(data), competition=Competition.model_validate(competition_data(1)))
    assert result.status == "returned"
    return return_notice(result, competition_title="x").to_html()


@pytest.fixture(scope="module")
def long_notice() -> str:
    return notice_html(1000)


@pytest.mark.slow
@needs_weasyprint
def test_a_notice_of_1000_participants_renders_within_10_cpu_seconds(long_notice):
    """The renderer's own CPU limit set to 10 s: the PDF is made (about 4 s of CPU; it did not
    finish in 300 s with hyphenated table cells). CPU, not the clock: the machine may be shared."""
    made = pdf.html_to_pdf(long_notice, cpu_seconds=10, wall_seconds=600)
    assert made.startswith(b"%PDF-") and len(made) > 10_000


@pytest.mark.slow
@needs_weasyprint
@pytest.mark.parametrize(
    "limits, words",
    [({"cpu_seconds": 1}, "more than 1 s of CPU"), ({"memory_bytes": 50 * 1024**2}, "more than the 50 MiB of memory"), ({"wall_seconds": 0.5}, "not made within 0.5 s")],
)
def test_a_pdf_beyond_its_limits_is_a_clear_error(long_notice, limits, words):
    with pytest.raises(UsageError) as caught:
        pdf.html_to_pdf(long_notice, **limits)
    assert caught.value.code == "pdf_limit"
    assert words in caught.value.message and "HTML or Markdown" in caught.value.message


def test_pdfs_beyond_the_renderers_wait_then_are_busy(monkeypatch):
    monkeypatch.setattr(pdf, "_SLOTS", threading.BoundedSemaphore(1))
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 0.05)
    monkeypatch.setattr(pdf.importlib.util, "find_spec", lambda name: object())
    pdf._SLOTS.acquire()
    try:
        with pytest.raises(UsageError) as caught:
            pdf.html_to_pdf("<p>x</p>")
        assert caught.value.code == "busy"
    finally:
        pdf._SLOTS.release()


def test_the_service_answers_busy_503_and_pdf_limit_422():
    assert service.status_of(UsageError("x", code="busy")) == 503
    assert service.status_of(UsageError("x", code="pdf_limit")) == 422


def test_table_cells_are_not_hyphenated_in_the_pdf():
    assert "hyphens:manual" in pdf.PDF_STYLE.replace(" ", "") and "td" in pdf.PDF_STYLE and "th" in pdf.PDF_STYLE
