"""A4 PDF of an official document's HTML page through WeasyPrint (the ``pdf`` extra), made in
a child process with limits.

WeasyPrint lays the page out with the document's own ``@page`` rule (A4, margins) and embeds
the subset of every font it uses, so the PDF shows the same letters (ә ғ қ ң ө ұ ү һ і) on a
machine that has none of the fonts. It needs Pango (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``) and a serif font with the Kazakh letters (``fonts-dejavu-core`` or
``fonts-liberation2``).

Laying out a long document can take long (automatic hyphenation of a table cell of a thousand
participants took minutes), so the page is rendered by a child Python process that cannot run
away (docs/guarantees.md): at most :data:`CPU_SECONDS` of CPU and :data:`MEMORY_BYTES` of
address space (``resource`` limits set in the child, where the platform has them), and
:data:`WALL_SECONDS` in all (the parent kills it); beyond any of them the error ``pdf_limit``
says which. At most :data:`MAX_RENDERERS` children run at once in one process (the service's
worker); a document waits up to :data:`WAIT_SECONDS` for one (``busy`` after that). Table cells
are never hyphenated automatically in the PDF (``hyphens: manual``): that hyphenation was
the cost, and a name or a number split at a line end reads wrong.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from ..core.errors import UsageError

CPU_SECONDS = 30
"""CPU seconds one PDF may take (a notice of 1,000 participants takes about 4)."""
WALL_SECONDS = 90
"""Seconds one PDF may take in all, waiting for a CPU included (the child is killed then)."""
MEMORY_BYTES = 1024**3
"""Address space of the child (1 GiB; a notice of 1,000 participants peaks at about 75 MB resident)."""
MAX_RENDERERS_ENV = "CLUSTERPOLICY_MAX_PDFS"
"""The environment variable the number of PDFs one process makes at once is read from."""
MAX_RENDERERS = 2
"""PDFs made at once by one process (a service worker), unless the environment says otherwise."""
WAIT_SECONDS = 30.0
"""Seconds a PDF waits for a free renderer before ``busy``."""
PDF_STYLE = "td,th{hyphens:manual!important}"
"""Added to the document's own style for the PDF only: no automatic hyphenation in table cells."""

_EXIT_MEMORY, _EXIT_MISSING, _EXIT_FAILED = 3, 4, 5


def _renderers() -> int:
    text = os.environ.get(MAX_RENDERERS_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else MAX_RENDERERS


_SLOTS = threading.BoundedSemaphore(_renderers())


def html_to_pdf(page: str, *, cpu_seconds: float = CPU_SECONDS, wall_seconds: float = WALL_SECONDS, memory_bytes: int = MEMORY_BYTES) -> bytes:
    """The PDF of a standalone HTML page (no external assets are fetched), made by a child
    process within the limits; a :class:`UsageError` ``pdf_limit`` beyond them, ``busy`` when
    every renderer stayed taken for :data:`WAIT_SECONDS`, ``missing_extra`` without WeasyPrint."""
    if importlib.util.find_spec("weasyprint") is None:
        raise UsageError(
            "PDF output needs WeasyPrint and Pango: pip install 'clusterpolicy[pdf]' (weasyprint is not installed)",
            code="missing_extra",
        )
    if not _SLOTS.acquire(timeout=WAIT_SECONDS):
        raise UsageError(f"every PDF renderer stayed busy for {WAIT_SECONDS:g} s; try again later", code="busy")
    try:
        return _render(page, cpu_seconds, wall_seconds, memory_bytes)
    finally:
        _SLOTS.release()


def _render(page: str, cpu_seconds: float, wall_seconds: float, memory_bytes: int) -> bytes:
    package_root = str(Path(__file__).resolve().parents[2])  # the folder clusterpolicy is imported from
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-c", "from clusterpolicy.output.pdf import _child; _child()", str(int(cpu_seconds)), str(int(memory_bytes))]
    try:
        done = subprocess.run(command, input=page.encode("utf-8"), capture_output=True, timeout=wall_seconds, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise UsageError(
            f"the PDF was not made within {wall_seconds:g} s and was abandoned; the document is available as HTML or Markdown",
            code="pdf_limit",
        ) from None
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = said[-1][:300] if said else ""
    if done.returncode == 0 and done.stdout.startswith(b"%PDF-"):
        return done.stdout
    if done.returncode == _EXIT_MISSING:
        raise UsageError(f"PDF output needs WeasyPrint and Pango: pip install 'clusterpolicy[pdf]' ({reason})", code="missing_extra")
    if done.returncode in (-getattr(signal, "SIGXCPU", 24), -signal.SIGKILL):
        raise UsageError(
            f"the PDF took more than {cpu_seconds:g} s of CPU and was stopped; the document is available as HTML or Markdown",
            code="pdf_limit",
        )
    if done.returncode == _EXIT_MEMORY or done.returncode < 0:  # MemoryError, or a C library that could not allocate
        raise UsageError(
            f"the PDF needed more than the {memory_bytes // 1024**2} MiB of memory allowed and was stopped; "
            "the document is available as HTML or Markdown",
            code="pdf_limit",
        )
    raise UsageError(f"the PDF could not be made ({reason or f'exit status {done.returncode}'})", code="pdf_limit")


def _child() -> None:
    """The child process: limits first, then WeasyPrint; the HTML on standard input, the PDF on
    standard output."""
    cpu_seconds, memory_bytes = int(sys.argv[1]), int(sys.argv[2])
    try:
        import resource
    except ImportError:  # Windows: only the parent's time limit applies
        resource = None  # type: ignore[assignment]
    if resource is not None:
        _limit(resource, resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 2)  # SIGXCPU, then SIGKILL
    page = sys.stdin.buffer.read().decode("utf-8")
    try:
        from weasyprint import CSS, HTML  # type: ignore[import-not-found]
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    except (ImportError, OSError) as exc:  # OSError: the package is there, Pango is not
        print(f"{exc.__class__.__name__}: {exc}", file=sys.stderr)
        sys.exit(_EXIT_MISSING)
    # The memory limit is set once the libraries are loaded: under a limit too small for them the
    # dynamic loader says "cannot open shared object file", which would read as a missing Pango.
    # The limit bounds the whole address space, libraries included, as before.
    if resource is not None:
        _limit(resource, resource.RLIMIT_AS, memory_bytes, memory_bytes)
    try:
        data = HTML(string=page, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(string=PDF_STYLE)], **document_options(page))
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    except Exception as exc:  # noqa: BLE001 - reported by the parent as a located message
        print(f"{exc.__class__.__name__}: {exc}", file=sys.stderr)
        sys.exit(_EXIT_FAILED)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _limit(resource: object, which: int, soft: int, hard: int) -> None:
    current_hard = resource.getrlimit(which)[1]  # type: ignore[attr-defined]
    infinity = resource.RLIM_INFINITY  # type: ignore[attr-defined]
    if current_hard != infinity:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    try:
        resource.setrlimit(which, (soft, hard))  # type: ignore[attr-defined]
    except (ValueError, OSError):
        pass


PDF_VARIANT = "pdf/a-3b"
"""Archival PDF (PDF/A-3, level B): fonts embedded, sRGB output intent, XMP metadata, and the
decision record embedded as a file (PDF/A-3 allows attached files)."""

_META = re.compile(r'<meta name="(DecisionRecord|dcterms\.created)" content="([^"]*)">')


def document_options(page: str) -> dict[str, Any]:
    """WeasyPrint's options for an official document's page: PDF/A, the page's metadata in the
    PDF's (``custom_metadata``: the decision record, the result digest), and the record as an
    embedded ``decision-record.json`` dated with the document's date. Nothing depends on the
    clock or on chance: the PDF's dates are the document's own (the page's ``dcterms.created``),
    its identifier is the digest of its content."""
    from weasyprint import Attachment  # type: ignore[import-not-found]

    found = {name: html.unescape(value) for name, value in _META.findall(page.split("</head>", 1)[0])}
    options: dict[str, Any] = {"pdf_variant": PDF_VARIANT, "custom_metadata": True}
    record, created = found.get("DecisionRecord"), found.get("dcterms.created")
    if record is not None and created is not None:
        day = dt.datetime.combine(dt.date.fromisoformat(created), dt.time(), tzinfo=dt.timezone.utc)
        options["attachments"] = [
            Attachment(string=record, name="decision-record.json", description="clusterpolicy decision record", created=day, modified=day, relationship="Data")
        ]
    return options


def _no_fetch(url: str) -> dict:
    raise ValueError(f"an official document fetches nothing: {url}")


__all__ = ["html_to_pdf"]
