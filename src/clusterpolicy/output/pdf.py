"""A4 PDF of an official document's HTML page through WeasyPrint (the ``pdf`` extra).

WeasyPrint lays the page out with the document's own ``@page`` rule (A4, margins) and embeds
the subset of every font it uses, so the PDF shows the same letters (ә ғ қ ң ө ұ ү һ і) on a
machine that has none of the fonts. It needs Pango (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``) and a serif font with the Kazakh letters (``fonts-dejavu-core`` or
``fonts-liberation2``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from ..core.errors import UsageError


def html_to_pdf(page: str) -> bytes:
    """The PDF of a standalone HTML page (no external assets are fetched)."""
    try:
        from weasyprint import HTML  # type: ignore[import-not-found]
    except (ImportError, OSError) as exc:  # OSError: the package is there, Pango is not
        raise UsageError(
            f"PDF output needs WeasyPrint and Pango: pip install 'clusterpolicy[pdf]' ({exc.__class__.__name__}: {exc})",
            code="missing_extra",
        ) from None
    return HTML(string=page, url_fetcher=_no_fetch).write_pdf(**document_options(page))


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
