"""The web face's one error handler: every error of a page becomes the error page.

The request's work was already rolled back by the transaction boundary (``tracker.transaction``)
before a handler runs. ``NotAllowed`` is a 403 and ``NotFound`` a 404 wherever a service raised
them, so views never catch them only to abort; a refused form is the view's own answer (its 4xx
page or fragment), not an error.
"""

from __future__ import annotations

from flask import Flask, current_app, redirect, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, HTTPException
from werkzeug.exceptions import NotFound as NotFoundPage
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.extensions import db
from tracker.services.audit import record_denial
from tracker.services.errors import NotAllowed, NotFound
from tracker.transaction import roll_back

ERROR_TEXTS = {
    400: _l("The request is not valid."),
    403: _l("You are not allowed to do this."),
    404: _l("The page or item you asked for was not found."),
    405: _l("This action is not supported at this address."),
    409: _l("The data changed while you were saving; nothing was saved. Please reload and try again."),
    413: _l("The upload is too large (at most 10 MB per file and 30 MB per submission)."),
    500: _l("Something went wrong in the system. Please try again later."),
}


# Form addresses whose page is not the one above them: the endpoint that takes the POST → its page.
FORM_PAGES = {"auth.language": "auth.password"}  # the language choice is on the password page


def page_above(path: str) -> str:
    """The nearest address above ``path`` that opens with GET (``/reports/5/stats`` → ``/reports/5``)."""
    adapter = current_app.create_url_adapter(request)
    try:
        endpoint, _values = adapter.match(path, method="POST")
    except HTTPException:
        endpoint = None
    if endpoint in FORM_PAGES:
        return adapter.build(FORM_PAGES[endpoint])
    while path not in ("", "/"):
        path = path.rstrip("/").rsplit("/", 1)[0] or "/"
        try:
            adapter.match(path, method="GET")
        except RequestRedirect:
            return path
        except HTTPException:
            continue
        return path
    return "/"


def error_page(exc: HTTPException) -> tuple[str, int] | Response:
    """The error page for ``exc``; a 403 is audited (its record is a unit of work of its own).

    A GET on an address that only takes a form's POST is not an error for the person who opens it:
    it is the address a failed save answered at, reloaded, bookmarked or reached with Back. It goes
    to the page above it (``page_above``), where the form is.
    """
    if exc.code == 405 and request.method in ("GET", "HEAD"):
        query = request.query_string.decode("latin-1")
        return redirect(page_above(request.path) + (f"?{query}" if query else ""), 303)
    # A failed statement leaves PostgreSQL's transaction aborted; the page itself reads the user.
    roll_back()
    if exc.code == 403:
        record_denial(db.session, current_user if current_user.is_authenticated else None,
                      request.method, request.path, request.remote_addr)
        db.session.commit()
    # Our own abort(400, description=...) messages are Vietnamese; Werkzeug's defaults are not.
    own = exc.code in (400, 503) and exc.description != type(exc).description
    text = exc.description if own else ERROR_TEXTS.get(exc.code or 500, exc.name)
    return render_template("error.html", code=exc.code, text=text), exc.code or 500


def register_error_pages(app: Flask) -> None:
    """Map the service errors and CSRF failures of the pages to error pages."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        text = _("Your session has expired or the form is not valid. Please reload the page and try again.")
        return render_template("error.html", code=400, text=text), 400

    @app.errorhandler(NotAllowed)
    def not_allowed(exc: NotAllowed) -> tuple[str, int]:
        return error_page(Forbidden())

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[str, int]:
        return error_page(NotFoundPage())


