"""API v1 endpoints: thin; parsing in ``tracker.api.entries``, the work in the services."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g, request, url_for

from tracker.api import bp
from tracker.api.documents import entry_document, item_detail_document
from tracker.api.entries import read_entry_json
from tracker.api.openapi import openapi_document
from tracker.api.responses import json_response, unauthorized
from tracker.api.scope import token_commune_id
from tracker.domain.permissions import can_log_progress
from tracker.extensions import db
from tracker.models import Plan, User
from tracker.request_args import requested_as_of, today
from tracker.services.access import actor_of, current_plan, find_item
from tracker.services.errors import NotAllowed
from tracker.services.evidence import log_with_evidence
from tracker.services.progress import entry_shape, find_entry_to_correct, refuse_if_derived
from tracker.services.status import item_document, plan_status, status_document
from tracker.services.tokens import TokenRefused, authenticate_token
from tracker.services.views import build_item_page

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate():
    """Resolve the bearer token to its user or answer 401; the session cookie is never read."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, plain = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        return unauthorized("Thiếu mã truy cập: gửi tiêu đề 'Authorization: Bearer <mã>'.",
                            invalid_token=False)
    try:
        user = authenticate_token(db.session, plain.strip())
    except TokenRefused as exc:  # unknown, revoked, expired, or the account is locked
        return unauthorized(str(exc), invalid_token=True)
    # The last use is kept even when the request is then refused: authentication is a unit of work
    # of its own, ended before the view's begins.
    db.session.commit()
    g.api_user = user
    return None


@bp.after_request
def no_store(response):
    """Answers carry a user's data: proxies and browsers must not keep them."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def user_plan() -> Plan:
    """Return the plan of the token user's commune (a province token: ``WrongScope``, a 403)."""
    return current_plan(db.session, token_commune_id())


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI 3.1 document of this API (no token needed)."""
    return json_response(openapi_document())


@bp.get("/items")
def items():
    """List every target and task with its light as of ``?as_of=`` (the ``status`` JSON)."""
    plan, as_of = user_plan(), requested_as_of()
    return json_response(status_document(plan, plan_status(db.session, plan, as_of), as_of))


@bp.get("/items/<code>")
def item(code: str):
    """Show one item's light as of ``?as_of=`` and its whole history."""
    found, as_of = find_item(db.session, user_plan(), code), requested_as_of()
    page = build_item_page(db.session, found, as_of, full_history=True)
    return json_response(item_detail_document(page, as_of))


@bp.post("/items/<code>/entries")
def create_entry(code: str):
    """Log a value or a task state on an item, or correct an entry; answer 201 with the new status."""
    user: User = g.api_user
    found = find_item(db.session, user_plan(), code)
    if not can_log_progress(actor_of(user), found.plan.commune_id, found.lead_unit_id):
        raise NotAllowed(f"{user.username} may not log on {found.code}")  # before reading the body
    refuse_if_derived(found)
    posted = read_entry_json(request.get_data(), entry_shape(found))
    old = find_entry_to_correct(db.session, posted.supersedes)
    day = today()
    entry = log_with_evidence(db.session, user, found, posted.entry, today=day, supersedes=old,
                              upload_dir=Path(current_app.config["UPLOAD_DIR"]),
                              remote_addr=request.remote_addr)
    page = build_item_page(db.session, found, day)
    body = {"as_of": day.isoformat(), "item": item_document(page.row),
            "entry": entry_document(entry, page.superseded_by)}
    return json_response(body, 201, {"Location": url_for("api.item", code=found.code)})
