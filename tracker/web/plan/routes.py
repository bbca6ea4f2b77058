"""Plan pages: thin views over ``tracker.services.views``."""

from flask import render_template, request
from flask_login import current_user, login_required

from tracker.domain.permissions import can_log_progress
from tracker.extensions import db
from tracker.request_args import requested_as_of
from tracker.services.access import actor_of
from tracker.services.scorecard import unit_scorecards
from tracker.services.snapshots import colour_counts_by_date
from tracker.services.views import OverviewFilter, build_item_page, build_overview, build_unit_page
from tracker.web import render
from tracker.web.lookups import item_or_404, plan_or_404, unit_or_404
from tracker.web.plan import bp
from tracker.web.prefill import correction_values


@bp.get("/")
@login_required
def overview():
    """Show every target and task of the plan with its light."""
    wanted = OverviewFilter(
        unit=request.args.get("unit") or None, colour=request.args.get("colour") or None,
        group=request.args.get("group") or None, stale=request.args.get("stale") == "1",
        attention_first=request.args.get("sort") == "attention",
    )
    plan, as_of = plan_or_404(), requested_as_of()
    page = build_overview(db.session, plan, as_of, wanted)
    return render("plan/overview.html", "plan/_overview_items.html", page=page, wanted=wanted,
                  history=colour_counts_by_date(db.session, plan, as_of))


@bp.get("/units/<code>")
@login_required
def unit(code: str):
    """Show what one unit leads and supports."""
    plan = plan_or_404()
    unit = unit_or_404(code)
    page = build_unit_page(db.session, plan, unit, requested_as_of())
    return render_template("plan/unit.html", page=page, plan=plan)


@bp.get("/items/<code>")
@login_required
def item(code: str):
    """Show a target's or task's light, explanation and history."""
    plan = plan_or_404()
    item = item_or_404(plan, code)
    as_of = requested_as_of()
    full_history = request.args.get("history") == "all"
    page = build_item_page(db.session, item, as_of, full_history=full_history)
    can_log = can_log_progress(actor_of(current_user), plan.commune_id, item.lead_unit_id)
    correcting = page.correctable(request.args.get("correct", type=int)) if can_log else None
    return render_template("plan/item.html", page=page, plan=plan, as_of=as_of, can_log=can_log,
                           saved=request.args.get("saved") == "1", correcting=correcting,
                           values=correction_values(correcting) if correcting else {},
                           full_history=full_history)


@bp.get("/scorecard")
@login_required
def scorecard():
    """Show each lead unit's items due, done on time, done late, overdue, and updates on time."""
    as_of = requested_as_of()
    scores = unit_scorecards(db.session, plan_or_404(), as_of)
    return render_template("plan/scorecard.html", scores=scores, as_of=as_of)
