"""Plan pages: thin views over ``tracker.services.views``."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.domain.permissions import LEADER, SECRETARY, UNIT_HEAD, can_log_progress
from tracker.extensions import db
from tracker.request_args import requested_as_of, today
from tracker.services.access import actor_of
from tracker.services.periods import current_period
from tracker.services.scorecard import unit_scorecards
from tracker.services.snapshots import colour_counts_by_date
from tracker.services.views import (
    OverviewFilter,
    build_attention,
    build_item_page,
    build_overview,
    build_unit_page,
)
from tracker.web import render
from tracker.web.lookups import item_or_404, plan_or_404, unit_or_404, viewed_commune
from tracker.web.plan import bp
from tracker.web.prefill import correction_values


@bp.get("/")
@login_required
def home():
    """Send each role to where its work starts (the query, such as ``?as_of=``, goes along).

    A unit head to the unit's desk, a leader to what needs attention, a secretary to the reporting
    period covering today (or the list of periods); everyone else to the whole plan.
    """
    args = request.args.to_dict()
    role = current_user.role
    if current_user.is_province_user:
        return redirect(url_for("plan.overview", **args))
    if role == UNIT_HEAD and current_user.unit is not None:
        return redirect(url_for("progress.my_unit", **args))
    if role == LEADER:
        return redirect(url_for("plan.attention", **args))
    if role == SECRETARY:
        period = current_period(db.session, viewed_commune().id, today())
        return redirect(url_for("reports.period", period_id=period.id, **args) if period
                        else url_for("reports.index", **args))
    return redirect(url_for("plan.overview", **args))


@bp.get("/attention")
@login_required
def attention():
    """Show what needs a leader's attention: red then amber, the week's changes, open directives."""
    page = build_attention(db.session, plan_or_404(), requested_as_of())
    return render_template("plan/attention.html", page=page)


@bp.get("/plan")
@login_required
def overview():
    """Show every target and task of the plan with its light (red and amber first, unless asked)."""
    wanted = OverviewFilter(
        unit=request.args.get("unit") or None, colour=request.args.get("colour") or None,
        group=request.args.get("group") or None, stale=request.args.get("stale") == "1",
        attention_first=request.args.get("sort") != "plan",
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
