"""A4 PDF of an official document's HTML page through WeasyPrint (the ``pdf`` extra).

WeasyPrint lays the page out with the document's own ``@page`` rule (A4, margins) and embeds
the subset of every font it uses, so the PDF shows the same letters (ә ғ қ ң ө ұ ү һ і) on a
machine that has none of the fonts. It needs Pango (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``) and a serif font with the Kazakh letters (``fonts-dejavu-core`` or
``fonts-liberation2``).
"""

from __future__ import annotations

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
    return HTML(string=page, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str) -> dict:
    raise ValueError(f"an official document fetches nothing: {url}")


__all__ = ["html_to_pdf"]
