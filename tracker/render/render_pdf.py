"""The built report as PDF: the printable page drawn by WeasyPrint with the bundled Tinos fonts.

WeasyPrint needs the system libraries pango (≥ 1.44), harfbuzz and fontconfig. It is imported when
a PDF is asked for, so the web app and the other formats work on a machine without pango.
"""

from __future__ import annotations

from tracker.render.document import Report
from tracker.render.layout import FONT_FILES, FONTS_DIR
from tracker.render.render_html import render_page


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads (pango, harfbuzz, fontconfig) are missing."""


def render_pdf(report: Report) -> bytes:
    """Render the report as an A4 PDF with its fonts embedded."""
    weasyprint = load_weasyprint()
    font_urls = {style: (FONTS_DIR / name).as_uri() for style, name in FONT_FILES.items()}
    html = render_page(report, font_urls=font_urls, for_pdf=True)
    document = weasyprint.HTML(string=html, base_url=FONTS_DIR.as_uri() + "/",
                               url_fetcher=_local_fetcher(weasyprint))
    return document.write_pdf()


def load_weasyprint():
    """Import WeasyPrint, or explain which system libraries are missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango or harfbuzz not installed
        raise PdfUnavailable(
            "PDF needs WeasyPrint and the system libraries pango, harfbuzz and fontconfig "
            f"(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}") from exc
    return weasyprint


def _local_fetcher(weasyprint):
    """Return a URL fetcher that reads only the bundled fonts and data: URLs, never the network."""
    allowed = {(FONTS_DIR / name).as_uri() for name in FONT_FILES.values()}

    class LocalFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url in allowed):
                raise ValueError(f"report PDFs load nothing but their fonts: {url[:80]}")
            return super().fetch(url, headers)

    return LocalFetcher(allow_redirects=False, fail_on_errors=True)
