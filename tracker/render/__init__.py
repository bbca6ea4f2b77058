"""Renderings of the plan's figures: charts, and the built report as HTML, PDF and DOCX.

``render(report, fmt)`` is the one entry point for the CLI and the web: every format lays out the
same built ``Report``, so they cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.render.document import Report
    from tracker.render.render_html import Toolbar

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


def render(report: Report, fmt: str, toolbar: Toolbar | None = None) -> tuple[bytes, str, str]:
    """Render a built report as ``(content, mimetype, file extension)``; fmt is html, pdf or docx.

    ``toolbar``: screen-only controls above the HTML page (the other formats have none).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {tuple(FORMATS)}")
    # Imported on demand: the PDF renderer loads pango, which a machine may lack.
    if fmt == "html":
        from tracker.render.render_html import render_html

        content = render_html(report, toolbar).encode("utf-8")
    elif fmt == "pdf":
        from tracker.render.render_pdf import render_pdf

        content = render_pdf(report)
    else:
        from tracker.render.render_docx import render_docx

        content = render_docx(report)
    mimetype, extension = FORMATS[fmt]
    return content, mimetype, extension
