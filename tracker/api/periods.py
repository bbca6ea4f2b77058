"""API v1 for reporting periods: read and write a period's TTHC statistics."""

from __future__ import annotations

from typing import Any

from flask import g, request

from tracker.api import bp
from tracker.api.entries import load_object
from tracker.api.responses import json_response
from tracker.domain.stats import FIELD_NAMES, check_stats, shares
from tracker.extensions import db
from tracker.models import ReportingPeriod, User
from tracker.services.access import NotFound
from tracker.services.progress import EntryRefused
from tracker.services.reporting import find_period, periods_of, record_stats, stats_values
from tracker.web import today

TEXTS = ("late_reasons", "override_explanation")


def period_document(period: ReportingPeriod) -> dict[str, Any]:
    """A period's identity and state."""
    return {"id": period.id, "kind": period.kind, "start_date": period.start_date.isoformat(),
            "end_date": period.end_date.isoformat(), "status": period.status,
            "report_number": period.report_number}


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
    """Parse ``{"dossiers_new_total": 65, ...}``: whole numbers or null, known keys only."""
    data = load_object(raw)
    errors: dict[str, str] = {}
    for key, value in data.items():
        if key in TEXTS:
            if value is not None and not isinstance(value, str):
                errors[key] = "Phải là chữ hoặc null."
        elif key not in FIELD_NAMES:
            errors[key] = "Trường không có trong số liệu thống kê."
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            errors[key] = "Phải là số nguyên hoặc null."
    if errors:
        raise EntryRefused(errors)
    return data


def _period(period_id: int) -> ReportingPeriod:
    user: User = g.api_user
    period = find_period(db.session, user.commune_id, period_id)
    if period is None:
        raise NotFound(f"Không có kỳ báo cáo #{period_id}.")
    return period


@bp.get("/periods")
def periods():
    """List the commune's reporting periods, newest first."""
    user: User = g.api_user
    return json_response({"periods": [period_document(p) for p in periods_of(db.session, user.commune_id)]})


@bp.get("/periods/<int:period_id>/stats")
def get_stats(period_id: int):
    """Read a period's TTHC statistics."""
    return json_response(stats_document(_period(period_id)))


@bp.put("/periods/<int:period_id>/stats")
def put_stats(period_id: int):
    """Replace a period's TTHC statistics; the same rules as the form, messages by field."""
    period = _period(period_id)
    record_stats(db.session, g.api_user, period, read_stats_json(request.get_data()), today=today())
    db.session.commit()
    return json_response(stats_document(period))
