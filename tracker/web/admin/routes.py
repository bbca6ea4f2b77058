"""User and unit administration."""

from datetime import UTC, datetime
from functools import wraps
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from tracker.domain.activity import KIND_LABELS
from tracker.domain.collation import sort_vietnamese
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_manage_users, can_read_audit, can_run_jobs, can_see_jobs
from tracker.domain.seed_file import SeedError
from tracker.extensions import db
from tracker.services.access import actor_of
from tracker.services.audit import (
    activity_page,
    audit_csv,
    audit_events,
    describe_events,
    filter_choices,
)
from tracker.services.jobs import ask_to_run, job_label, job_rows, recent_runs, set_paused
from tracker.services.plan_template import plan_from_template, preview_template
from tracker.services.seeding import read_plan_seed
from tracker.services.users import (
    UserError,
    create_user,
    units_of,
    users_of,
)
from tracker.transaction import undo
from tracker.web.account_actions import lock_or_unlock, password_settings, reset_account_password
from tracker.web.activity_args import audit_filter, page_number
from tracker.web.admin import bp
from tracker.web.admin.forms import UserForm


def allowed_if(check):
    """Decorate a view: signed in, and ``check(actor)`` true, else 403."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not check(actor_of(current_user)):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


admin_required = allowed_if(can_manage_users)  # only a commune's admins manage its users and units
jobs_reader_required = allowed_if(can_see_jobs)  # admins, of a commune or the province, see jobs
jobs_admin_required = allowed_if(can_run_jobs)  # a province's admins pause and run them
audit_reader_required = allowed_if(can_read_audit)  # admins and leaders read the audit log


@bp.route("/plan-template", methods=["GET", "POST"])
@admin_required
def plan_template():
    """Create the commune's plan from the province's template plan; units are matched by code."""
    try:
        template = read_plan_seed(Path(current_app.root_path).parent / current_app.config["SEED_FILE"])
    except SeedError as exc:
        abort(503, description=_("Could not read the province's template plan: %(problems)s",
                                 problems="; ".join(exc.problems)))
    errors: dict[str, str] = {}
    if request.method == "POST":
        code = (request.form.get("plan_code") or "").strip()
        try:
            if not code:
                raise SeedError([_("Enter the plan code (for example KH-CDS-XA).")])
            plan, _created = plan_from_template(db.session, template, current_user.commune, code,
                                                actor=current_user)
        except SeedError as exc:
            undo()
            errors["plan_code"] = " ".join(exc.problems)
        else:
            flash(_("Plan %(code)s created from the province's template plan.", code=plan.code))
            return redirect(url_for("plan.overview"))
    preview = preview_template(db.session, template, current_user.commune)
    return render_template("admin/plan_template.html", preview=preview, errors=errors,
                           values=request.form), 422 if errors else 200


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    """List the commune's users and create new ones."""
    form = UserForm()
    units = units_of(db.session, current_user.commune_id)
    form.unit.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(u.code, u.name) for u in sort_vietnamese(units, lambda u: u.name)]
    if form.validate_on_submit():
        try:
            user = create_user(
                db.session, commune=current_user.commune, username=form.username.data,
                password=form.password.data, role=form.role.data, full_name=form.full_name.data,
                unit_code=form.unit.data or None, actor=current_user, **password_settings(),
            )
        except UserError as exc:
            undo()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("Account %(username)s created.", username=user.username))
            return redirect(url_for("admin.users"))
    people = users_of(db.session, current_user.commune_id)
    status = 422 if form.errors else 200
    return render_template("admin/users.html", form=form, people=people), status


@bp.post("/users/<int:user_id>/active")
@admin_required
def toggle_active(user_id: int):
    """Lock or unlock an account of the admin's commune."""
    return lock_or_unlock(user_id, "admin.users")

@bp.get("/units")
@admin_required
def units():
    """Show the commune's unit tree."""
    roots = [u for u in units_of(db.session, current_user.commune_id) if u.parent_id is None]
    return render_template("admin/units.html", roots=roots)


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_user_password(user_id: int):
    """Set a new password for a user of the admin's commune; their sessions end."""
    return reset_account_password(user_id, "admin.users")

@bp.get("/audit")
@audit_reader_required
def audit():
    """The activity log: each event as a sentence, filtered by person, item, kind and dates, 50 a page."""
    wanted = audit_filter()
    shown = activity_page(db.session, current_user.commune_id, wanted, page_number())
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("audit/index.html", shown=shown, wanted=wanted, filters=filters,
                           choices=filter_choices(db.session, current_user.commune_id), kinds=KIND_LABELS)


@bp.get("/audit.csv")
@audit_reader_required
def audit_export():
    """The filtered audit log as CSV (up to 100.000 events), each with its sentence."""
    events = audit_events(db.session, current_user.commune_id, audit_filter(), limit=100_000)
    sentences = describe_events(db.session, current_user.commune_id, events)
    response = current_app.response_class(audit_csv(events, sentences), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="nhat-ky.csv"'
    return response


@bp.get("/jobs")
@jobs_reader_required
def jobs():
    """Scheduled jobs: next run, last run and outcome; run now and pause for a province's admins.

    A commune's admin sees them read-only, without what each run did (that spans every commune).
    """
    now = datetime.now(UTC)
    return render_template("admin/jobs.html", rows=job_rows(db.session, now, current_app.config["TIMEZONE"]),
                           runs=recent_runs(db.session), control=can_run_jobs(actor_of(current_user)))


@bp.post("/jobs/<name>/run")
@jobs_admin_required
def run_job_now(name: str):
    """Ask the scheduler to run a job now (it picks the request up within 30 seconds)."""
    job_label(name)  # NotFound (a 404) for a name no job has
    ask_to_run(db.session, current_user, name)
    flash(_("The run was requested; the scheduler will run it within 30 seconds."))
    return redirect(url_for("admin.jobs"))


@bp.post("/jobs/<name>/pause")
@jobs_admin_required
def pause_job(name: str):
    """Pause or resume a job (``paused=1`` or ``0``)."""
    label = job_label(name)  # NotFound (a 404) for a name no job has
    paused = request.form.get("paused") == "1"
    set_paused(db.session, current_user, name, paused)
    flash(_("“%(job)s” is paused for every commune until it is resumed.", job=label) if paused
          else _("“%(job)s” runs again on its schedule for every commune.", job=label))
    return redirect(url_for("admin.jobs"))
