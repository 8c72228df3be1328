"""HTML templates rendered to PDF with WeasyPrint (the same templates as on screen).

WeasyPrint is told never to fetch anything over the network: a PDF of patient data must
not make requests that leak it, so only our own static files (by path) are allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_CONTENT_TYPE = "application/pdf"


class ExternalResourceRefused(ValueError):
    pass


class _StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # untyped base class
    """WeasyPrint 70's fetcher API (a URLFetcher subclass; ``default_url_fetcher`` is gone)."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        static_prefix = f"file://{settings.STATIC_URL}"
        if url.startswith(static_prefix):
            found = finders.find(url.removeprefix(static_prefix))
            if isinstance(found, str):
                return super().fetch(Path(found).as_uri(), headers)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ExternalResourceRefused(url)


def render_pdf(template_name: str, context: Mapping[str, object]) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes.

    Links to static files are written as ``{% static %}`` paths; they resolve to files on
    disk. Anything else (http, https, other files) is refused.
    """
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url="file:///", url_fetcher=_StaticOnlyFetcher())
    pdf: bytes | None = document.write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf() without a target returns the bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf
