"""API v1 for the province: the completeness board of a period kind and start, for a province
user's token (a commune user's token is refused with 403, as the page is)."""

from __future__ import annotations

from flask import current_app, g, request

from tracker.api import bp
from tracker.api.responses import json_response
from tracker.domain.dates import parse_iso_date
from tracker.domain.review import CALENDAR_KINDS
from tracker.extensions import db
from tracker.request_args import BadArgument
from tracker.services.access import actor_of
from tracker.services.province import province_for
from tracker.services.review import board_document, board_start, build_board


@bp.get("/province/reports")
def province_reports():
    """Every commune of the token user's province for ``?kind=`` and ``?start=`` (default: the
    latest period that is due): its state, submit time, lateness, broken rules; and the rate."""
    province = province_for(db.session, actor_of(g.api_user))
    timezone = current_app.config["TIMEZONE"]
    kind = request.args.get("kind", "week")
    if kind not in CALENDAR_KINDS:
        raise BadArgument("kind", "Loại kỳ phải là week, month hoặc quarter.")
    try:
        start = parse_iso_date(request.args.get("start"), "start")
    except ValueError as exc:
        raise BadArgument("start", str(exc)) from None
    start = board_start(db.session, province, kind, start, timezone=timezone)
    return json_response(board_document(build_board(db.session, province, kind, start, timezone=timezone)))
