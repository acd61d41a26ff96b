"""PDF documents against WeasyPrint's own floor (issue 26): the library's official documents as
A4 PDF/A beside WeasyPrint laying out **the same text as plain paragraphs** on the same page
(same fonts, page size, margins and PDF/A options), and where the difference goes.

Every document is rendered in this process with the calls the renderer's child process makes
(``output.pdf._child``: ``HTML(...).write_pdf`` with ``PDF_STYLE`` and ``document_options``),
so the rows are WeasyPrint's layout and drawing alone, not the child's start-up or the limits.
The HTML pages are made once, before timing.

Rows (CPU time, ``common.paired``: interleaved rounds, median ratio, spread):

- the Russian evaluation protocol of the 2017 competition (five tables, 5 pages) and the Kazakh
  completeness protocol, each against its plain text;
- the evaluation protocol with ``table-layout:fixed`` against the document as it is: what
  WeasyPrint's automatic table layout costs (each cell's text is broken into lines three times:
  for its narrowest and widest widths, then at the column's width). A fixed layout takes the
  column widths from the first row and changes how the pages look (the pages differ pixel for
  pixel at 60 dpi), so the documents keep the automatic layout;
- layout alone (``HTML.render``) against layout and writing (``write_pdf``).

Needs the ``pdf`` extra (WeasyPrint and Pango); without it the module gives no row.
Run: ``python benchmarks/bench_pdf.py`` (or ``python benchmarks/run.py pdf``).
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
ROOT = Path(__file__).resolve().parents[1]


def _pages() -> dict[str, str]:
    from clusterpolicy.input.loading import load_competition
    from clusterpolicy.output.operations import evaluate_input, make_document

    competition = load_competition(ROOT / "examples" / "competition-2017")
    pages = {}
    for name, kind, lang in (("evaluation protocol, ru", "evaluation-protocol", "ru"), ("completeness protocol, kk", "completeness-protocol", "kk")):
        evaluated = evaluate_input(competition, None, lang=lang, for_document=True)  # as `clusterpolicy report` does
        pages[name] = make_document(kind, evaluated).to_html()
    return pages


def plain(page: str) -> str:
    """The page's text as plain paragraphs under the page's own style (fonts, @page)."""
    head, body = page.split("<body>", 1)
    style = re.search(r"<style>(.*?)</style>", head, re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.split("\n") if line.strip())
    return f"<!DOCTYPE html><html><head><style>{style.group(1) if style else ''}</style></head><body>{paragraphs}</body></html>"


def rows() -> list[Row]:
    if importlib.util.find_spec("weasyprint") is None:
        print("(bench_pdf: WeasyPrint is not installed: pip install '.[pdf]')")
        return []
    from weasyprint import CSS, HTML  # type: ignore[import-not-found]

    from clusterpolicy.output.pdf import PDF_STYLE, document_options

    number, rounds = (1, 3) if QUICK else (2, 7)

    def pdf(page: str, extra: str = "") -> bytes:
        return HTML(string=page).write_pdf(stylesheets=[CSS(string=PDF_STYLE + extra)], **document_options(page))

    found = []
    pages = _pages()
    for name, page in pages.items():
        text = plain(page)
        timed = paired(lambda page=page: pdf(page), lambda text=text: pdf(text), number=number, rounds=rounds)
        found.append(timed.row(f"PDF, {name} ({len(pdf(page)) // 1024} KiB)", "WeasyPrint, the same text as paragraphs"))
    page = pages["evaluation protocol, ru"]
    fixed = paired(lambda: pdf(page, "table{table-layout:fixed}"), lambda: pdf(page), number=number, rounds=rounds)
    found.append(fixed.row("  the same, table-layout:fixed (looks different)", "the document as it is", "(automatic layout's price)"))
    render = paired(lambda: HTML(string=page).render(stylesheets=[CSS(string=PDF_STYLE)]), lambda: pdf(page), number=number, rounds=rounds)
    found.append(render.row("  layout alone (HTML.render)", "layout and writing (write_pdf)", "(writing's share: 1 - ratio)"))
    return found


if __name__ == "__main__":
    print_rows(rows)
