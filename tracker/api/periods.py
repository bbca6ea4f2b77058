"""API v1 for reporting periods: read and write a period's TTHC statistics.

Writes are conditional: ``GET`` answers the period's ``ETag`` and ``PUT`` must send it back in
``If-Match`` (``428`` without it, ``412`` when the period changed since, saying who saved what and
when), so a script never overwrites what someone saved after it read. ``If-Match: *`` replaces
knowingly. Every save bumps the period's version, so the forms opened before it are refused too.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, g, request

from tracker.api import bp
from tracker.api.documents import iso_utc
from tracker.api.entries import load_object
from tracker.api.responses import json_error, json_response
from tracker.api.scope import token_commune_id
from tracker.domain.permissions import can_report
from tracker.domain.schemas import JSON, PeriodStats, Refused, read
from tracker.domain.stats import FIELD_NAMES, check_stats, shares
from tracker.extensions import db
from tracker.models import ReportingPeriod, User
from tracker.request_args import today
from tracker.services.access import actor_of
from tracker.services.errors import EntryRefused, NotAllowed, NotFound
from tracker.services.figures import save_figures, stats_values
from tracker.services.periods import StaleEdit, find_period, last_change, periods_of

TEXTS = ("late_reasons", "override_explanation")


def period_document(period: ReportingPeriod) -> dict[str, Any]:
    """A period's identity and state."""
    return {"id": period.id, "kind": period.kind, "start_date": period.start_date.isoformat(),
            "end_date": period.end_date.isoformat(), "status": period.status,
            "report_number": period.report_number,
            "due_at": iso_utc(period.due_at)}


def stats_document(period: ReportingPeriod) -> dict[str, Any]:
    """A period's statistics, the ratios as the reports print them, and any rule they break."""
    values = stats_values(period.stats)
    counts = {name: values.get(name) for name in FIELD_NAMES}
    return {
        "period": period_document(period),
        "stats": counts,
        **{name: values.get(name) for name in TEXTS},
        "shares": shares(counts),
        "problems": [{"fields": list(p.fields), "message": p.message, "overridable": p.overridable}
                     for p in check_stats(counts)] if period.stats else [],
    }


def read_stats_json(raw: bytes) -> dict[str, Any]:
    """Parse ``{"dossiers_new_total": 65, ...}`` strictly (``Stats``): whole numbers or null, known keys."""
    try:
        return read(PeriodStats, load_object(raw), JSON).model_dump()
    except Refused as refused:
        raise EntryRefused(refused.errors) from None


def _period(period_id: int) -> ReportingPeriod:
    period = find_period(db.session, token_commune_id(), period_id)
    if period is None:
        raise NotFound(f"Không có kỳ báo cáo #{period_id}.")
    return period


@bp.get("/periods")
def periods():
    """List the commune's reporting periods, newest first."""
    found = periods_of(db.session, token_commune_id())
    return json_response({"periods": [period_document(p) for p in found]})


_ETAG = re.compile(r"period-(\d{1,12})-v(\d{1,12})")


def period_etag(period: ReportingPeriod) -> str:
    """The period's entity tag (unquoted): it changes with every save of its figures, texts or state."""
    return f"period-{period.id}-v{period.version}"


def _with_etag(response: Response, period: ReportingPeriod) -> Response:
    response.set_etag(period_etag(period))
    return response


def expected_version(period: ReportingPeriod) -> int | None:
    """Return the version ``If-Match`` names (None for ``*``); raise for a missing or foreign one."""
    if_match = request.if_match
    if if_match.star_tag:
        return None
    # Werkzeug reads an empty quoted tag (``If-Match: ""``) as None: it names no version.
    versions = sorted({int(m[2]) for tag in if_match
                       if tag and (m := _ETAG.fullmatch(tag)) and int(m[1]) == period.id})
    if not versions:
        raise _Precondition(428 if not request.headers.get("If-Match") else 412)
    return period.version if period.version in versions else versions[0]


class _Precondition(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _precondition_failed(period: ReportingPeriod, since: str) -> Response:
    message = (f"Kỳ báo cáo đã thay đổi sau khi bạn đọc số liệu (If-Match không khớp ETag hiện tại "
               f"\"{period_etag(period)}\"). {since} Không lưu gì: đọc lại số liệu (GET) để có ETag mới, "
               "xem thay đổi rồi gửi lại.")
    return _with_etag(json_error(412, message), period)


@bp.get("/periods/<int:period_id>/stats")
def get_stats(period_id: int):
    """Read a period's TTHC statistics, with the ``ETag`` a ``PUT`` sends back in ``If-Match``."""
    period = _period(period_id)
    return _with_etag(json_response(stats_document(period)), period)


@bp.put("/periods/<int:period_id>/stats")
def put_stats(period_id: int):
    """Replace a period's TTHC statistics if unchanged since read; the same rules as the form."""
    period = _period(period_id)
    user: User = g.api_user
    if not can_report(actor_of(user), period.commune_id):
        raise NotAllowed(f"{user.username} may not keep reports")
    try:
        expected = expected_version(period)
    except _Precondition as refused:
        if refused.status == 428:
            return _with_etag(json_error(428, (
                "Thiếu tiêu đề If-Match: đọc số liệu (GET) rồi gửi lại với If-Match là ETag nhận được, để "
                "không ghi đè thay đổi của người khác (If-Match: * để cố ý thay thế).")), period)
        return _precondition_failed(period, last_change(db.session, period))
    values = read_stats_json(request.get_data())
    try:
        save_figures(db.session, user, period, stats=values, today=today(), expected_version=expected,
                     via="api")
    except StaleEdit as stale:
        return _precondition_failed(period, stale.since)
    return _with_etag(json_response(stats_document(period)), period)
