"""Answering with a built report or a chart picture: the headers, the caching and the 304.

Shared by the blueprints that send documents and pictures (reports, charts, province), so that
none imports another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from flask import Response, abort, current_app, request
from werkzeug.utils import secure_filename

from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.domain.i18n import gettext as _
from tracker.render import render
from tracker.render.render_html import PRINT_PAGE_CSP, TOOLBAR_PAGE_CSP, Toolbar
from tracker.render.render_pdf import PdfUnavailable
from tracker.services.charts import Chart
from tracker.services.province_files import KeptFile
from tracker.web.language import speaking

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png"}
MAX_AGE = 300


def send_report(report, fmt: str, toolbar: Toolbar | None = None):
    """Answer a built report in ``fmt``: HTML inline (to print, under ``toolbar`` if given), the
    others as downloads."""
    try:
        data, mimetype, extension = render(report, fmt, toolbar if fmt == "html" else None)
    except PdfUnavailable:
        _no_pdf()
    response = current_app.response_class(data, mimetype=mimetype)
    if fmt == "html":  # a standalone print page: its own styles inline, nothing else loaded
        response.headers["Content-Security-Policy"] = TOOLBAR_PAGE_CSP if toolbar else PRINT_PAGE_CSP
    else:
        response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}.{extension}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _no_pdf() -> NoReturn:
    abort(503, description=_("The server lacks the PDF library (pango); download the Word (DOCX) "
                             "version or use the print view, and ask the administrator to install it."))


def send_kept_pdf(get: Callable[[], KeptFile]) -> Response:
    """Answer a PDF kept by ``services.province_files`` (``get`` returns it, drawing it if missing)."""
    try:
        kept = get()
    except PdfUnavailable:
        _no_pdf()
    response = current_app.response_class(kept.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{kept.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_chart(chart: Chart, fmt: str, name: str) -> Response:
    """Answer with the picture, or with 304 when the browser holds this very one."""
    etag = f"{chart.fingerprint}-{fmt}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        # One cached picture per fingerprint, the one the reports print: its words stay Vietnamese.
        with speaking(DEFAULT_LANGUAGE):
            picture = chart.render(fmt)
        response = Response(picture, mimetype=MIMETYPES[fmt])
        response.headers["Content-Disposition"] = f'inline; filename="{secure_filename(name)}.{fmt}"'
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = MAX_AGE
    return response
