"""API v1 for the province: the completeness board of a period kind and start, for a province
user's token (a commune user's token is refused with 403, as the page is)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from tracker.api import bp
from tracker.api.documents import iso_utc
from tracker.api.responses import json_response
from tracker.api.scope import token_province
from tracker.domain.dates import parse_iso_date
from tracker.domain.review import CALENDAR_KINDS
from tracker.extensions import db
from tracker.request_args import BadArgument
from tracker.services.review import Board, board_start, build_board


def board_document(board: Board) -> dict[str, Any]:
    """The board as JSON (the API's ``/province/reports``)."""
    return {
        "province": board.province.name, "kind": board.kind, "start": board.start.isoformat(),
        "end": board.end.isoformat(), "due_at": iso_utc(board.due_at),
        "rate": {"expected": board.rate.expected, "submitted": board.rate.submitted,
                 "on_time": board.rate.on_time},
        "counts": board.counts,
        "communes": [{
            "code": row.code, "name": row.name, "state": row.state, "period_id": row.period_id,
            "due_at": iso_utc(row.due_at), "submitted_at": iso_utc(row.submitted_at), "late": row.late,
            "overdue": row.overdue, "return_reason": row.return_reason,
            "problems": [{"fields": list(p.fields), "message": p.message, "overridable": p.overridable}
                         for p in row.problems],
            "explanation": row.explanation,
        } for row in board.rows],
    }


@bp.get("/province/reports")
def province_reports():
    """Every commune of the token user's province for ``?kind=`` and ``?start=`` (default: the
    latest period that is due): its state, submit time, lateness, broken rules; and the rate."""
    province = token_province()
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
