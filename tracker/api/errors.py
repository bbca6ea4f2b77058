"""The API's one error handler: refusals with field messages, missing rows, HTTP errors, as JSON.

The request's work was already rolled back by the transaction boundary (``tracker.transaction``)
before a handler runs.
"""

from __future__ import annotations

from flask import Response, g, request
from werkzeug.exceptions import HTTPException

from tracker.api import bp
from tracker.api.entries import json_fields
from tracker.api.responses import BEARER_CHALLENGE, json_error
from tracker.api.scope import WrongScope
from tracker.extensions import db
from tracker.services.audit import record_denial
from tracker.services.errors import AlreadySuperseded, DerivedEntryRefused, EntryRefused, NotAllowed, NotFound
from tracker.transaction import roll_back


def http_error(exc: HTTPException) -> Response:
    """Answer an HTTP error under /api/ as JSON (the web face calls this for unrouted API URLs)."""
    status = exc.code or 500
    own = exc.description != type(exc).description  # our own abort(..., description=...)
    headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "www-authenticate")}
    if status == 401:
        headers.setdefault("WWW-Authenticate", BEARER_CHALLENGE)
    field = getattr(exc, "field", None)  # a BadArgument names the part of the request at fault
    fields = {field: exc.description} if field and own else None
    return json_error(status, exc.description if own else None, fields, headers=headers)


@bp.errorhandler(HTTPException)
def handle_http_error(exc: HTTPException) -> Response:
    """Every HTTP error of a routed API request, 500 included, as JSON."""
    roll_back()  # a failed statement before the view (authentication) leaves the transaction aborted
    return http_error(exc)


@bp.errorhandler(EntryRefused)
def handle_refused(exc: EntryRefused) -> Response:
    """A refused entry: 400 naming each field, or 409 for a correction of a corrected entry."""
    if isinstance(exc, AlreadySuperseded):
        return json_error(409, "Số liệu này đã được điều chỉnh trước đó; không lưu gì.",
                          json_fields(exc.errors))
    if isinstance(exc, DerivedEntryRefused):
        return json_error(422, exc.errors["item"], json_fields(exc.errors))
    return json_error(400, "Số liệu không hợp lệ; không lưu gì.", json_fields(exc.errors))


@bp.errorhandler(NotAllowed)
def handle_not_allowed(exc: NotAllowed) -> Response:
    """The token's user may not do this: 403, nothing saved (the refusal itself is audited)."""
    record_denial(db.session, g.get("api_user"), request.method, request.path, request.remote_addr)
    db.session.commit()  # the audit record is a unit of work of its own
    return json_error(403, str(exc) if isinstance(exc, WrongScope) else None)


@bp.errorhandler(NotFound)
def handle_not_found(exc: NotFound) -> Response:
    """No such plan or item in the user's commune: 404 with the reason."""
    return json_error(404, str(exc))
