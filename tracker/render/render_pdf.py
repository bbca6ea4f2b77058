"""The built report as PDF: the printable page drawn by WeasyPrint with the bundled Tinos fonts.

WeasyPrint needs the system libraries pango (≥ 1.44), harfbuzz and fontconfig. It is imported when
a PDF is asked for, so the web app and the other formats work on a machine without pango.

A report with a signer block carries an empty signature field (``SIGNATURE_FIELD``) over that block,
for the commune to sign with its agency certificate (ký số): WeasyPrint lays the page out, the
block's box is read from the laid-out page (the ``signer-block`` anchor of ``print.html``), and
pyHanko adds the field to the page the block is on, as an incremental update of WeasyPrint's file.
That page is the last page of the report's body: the appendix, when there is one, starts on a page
of its own after it.
"""

from __future__ import annotations

from io import BytesIO

from tracker.render.document import Report
from tracker.render.layout import FONT_FILES, FONTS_DIR
from tracker.render.render_html import render_page

SIGNATURE_FIELD = "ChuKySo"
SIGNER_ANCHOR = "signer-block"
PT_PER_PX = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads (pango, harfbuzz, fontconfig) are missing."""


def render_pdf(report: Report) -> bytes:
    """Render the report as an A4 PDF with its fonts embedded."""
    weasyprint = load_weasyprint()
    font_urls = {style: (FONTS_DIR / name).as_uri() for style, name in FONT_FILES.items()}
    html = render_page(report, font_urls=font_urls, for_pdf=True)
    document = weasyprint.HTML(string=html, base_url=FONTS_DIR.as_uri() + "/",
                               url_fetcher=_local_fetcher(weasyprint)).render()
    pdf = document.write_pdf()
    if report.signature is None:
        return pdf
    placed = signer_box(document)
    if placed is None:  # the template always draws the block; a missing anchor is a bug, not a PDF
        raise RuntimeError(f"the laid-out report has no #{SIGNER_ANCHOR} box to put the signature field on")
    return add_signature_field(pdf, *placed)


def signer_box(document) -> tuple[int, tuple[float, float, float, float]] | None:
    """Return the page index of the signer block and its box in PDF points (x1, y1, x2, y2, from the
    page's bottom left), read from WeasyPrint's laid-out pages; None when there is no such block."""
    for index, page in enumerate(document.pages):
        anchor = page.anchors.get(SIGNER_ANCHOR)
        if anchor is None:
            continue
        left, top, right, bottom = anchor  # CSS pixels from the page's top left
        height = page.height
        return index, (left * PT_PER_PX, (height - bottom) * PT_PER_PX,
                       right * PT_PER_PX, (height - top) * PT_PER_PX)
    return None


def add_signature_field(pdf: bytes, page: int, box: tuple[float, float, float, float]) -> bytes:
    """Add the empty signature field ``SIGNATURE_FIELD`` over ``box`` on page ``page`` (incremental)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field, ensure_sig_flags

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    append_signature_field(writer, SigFieldSpec(SIGNATURE_FIELD, on_page=page,
                                                box=tuple(round(v, 2) for v in box)))
    # Append-only (SigFlags 3), as a signed file has: viewers then save the signature as an
    # incremental update, so the signed file still begins with the bytes issued, and the flags
    # the signing sets are no change to the document.
    ensure_sig_flags(writer, lock_sig_flags=True)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


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
