"""API v1 for province users: the roll-up of every commune of the token user's province."""

from __future__ import annotations

from typing import Any

from tracker.api import bp
from tracker.api.responses import json_response
from tracker.api.scope import token_province
from tracker.domain.province import figure_text, goal_text
from tracker.extensions import db
from tracker.request_args import requested_as_of
from tracker.services.province import ProvinceRollup, build_rollup


def rollup_document(page: ProvinceRollup) -> dict[str, Any]:
    """The roll-up as JSON: the province's figure per target, each commune's counts and lights."""
    return {
        "as_of": page.as_of.isoformat(),
        "province": {"code": page.province.code, "name": page.province.name},
        "totals": page.totals,
        "targets": [{
            "code": column.code, "title": column.title, "measure": column.measure,
            "unit_label": column.unit_label,
            "province": {
                "value": column.figure.value, "target": column.figure.target,
                "numerator": column.figure.numerator, "denominator": column.figure.denominator,
                "reporting": column.figure.reporting, "communes": column.figure.communes,
                "method": column.figure.method,
                "text": figure_text(column.figure, column.unit_label),
                "goal_text": goal_text(column.figure, column.unit_label),
            },
        } for column in page.columns],
        "communes": [{
            "code": row.commune.code, "name": row.commune.name,
            "plan": row.plan.code if row.plan else None,
            "counts": row.counts,
            "targets": {code: {"status": status.colour, "current": status.actual,
                               "expected": status.expected, "pace": status.pace, "stale": status.stale,
                               "last_update": status.last_update.isoformat() if status.last_update else None}
                        for code, status in row.cells.items()},
        } for row in page.rows],
    }


@bp.get("/province/rollup")
def province_rollup():
    """Every commune of the token user's province with its targets' lights as of ``?as_of=``, and the
    province's figure per target (province tokens only; a commune's token gets 403)."""
    province, as_of = token_province(), requested_as_of()
    return json_response(rollup_document(build_rollup(db.session, province, as_of)))
