"""Posting a progress entry: htmx swaps the item's live block, plain posts redirect."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.domain.dates import format_day_input
from tracker.domain.evidence import check_files
from tracker.domain.figure_text import change_text
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_log_progress
from tracker.extensions import db
from tracker.request_args import today
from tracker.services.access import actor_of
from tracker.services.errors import BatchRefused, EntryRefused
from tracker.services.evidence import evidence_path, log_with_evidence, readable_attachment
from tracker.services.progress import entry_shape, find_entry, log_batch
from tracker.services.status import item_status
from tracker.services.views import build_item_page, build_my_unit
from tracker.transaction import undo
from tracker.web import render, wants_fragment
from tracker.web.lookups import item_or_404, plan_or_404
from tracker.web.progress import bp
from tracker.web.progress.forms import read_batch_form, read_entry_form, sort_batch_errors


@bp.post("/items/<code>/entries")
@login_required
def create(code: str):
    """Log a value or a task state on an item, or a correction of an earlier entry."""
    item = item_or_404(plan_or_404(), code)
    if not can_log_progress(actor_of(current_user), item.plan.commune_id, item.lead_unit_id):
        abort(403)  # before reading the form, so a refusal never shows another unit's form
    day = today()
    entry, errors = read_entry_form(request.form, value_is_percent=entry_shape(item) == "percent_value")
    files, file_error = check_files([(f.filename or "", f.read()) for f in request.files.getlist("files")])
    if file_error:
        errors["files"] = file_error
    supersedes = None
    if request.form.get("supersedes"):
        supersedes = find_entry(db.session, request.form.get("supersedes", type=int) or 0)
        if supersedes is None:
            errors["supersedes"] = _("The figures to correct were not found.")
    context, status = {"values": request.form}, 200
    try:
        if errors:
            raise EntryRefused(errors)
        before = item_status(db.session, item, day).current_text
        logged = log_with_evidence(db.session, current_user, item, entry, today=day, supersedes=supersedes,
                                   upload_dir=Path(current_app.config["UPLOAD_DIR"]), files=files,
                                   keep_evidence=not request.form.get("drop_evidence"),
                                   remote_addr=request.remote_addr)
    except EntryRefused as refused:
        undo()
        context["errors"], status = refused.errors, 422
    page = build_item_page(db.session, item, day)
    if status == 200:
        # What changed, said where the user is: the code, the figure before and after, the date.
        said = _("Recorded %(code)s: %(change)s (figures of %(date)s).", code=item.code,
                 change=change_text(before, page.row.current_text), date=format_day_input(logged.as_of))
        if not wants_fragment():
            flash(said)
            return redirect(url_for("plan.item", code=item.code))
        context = {"saved": True, "saved_change": said}
    response = render("plan/item.html", "plan/_item_live.html", page=page,
                      plan=item.plan, as_of=day, can_log=True, oob_trend=wants_fragment(), **context)
    response.status_code = status
    return response


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    """Send an evidence file as a download, never inline."""
    found = readable_attachment(db.session, current_user, attachment_id)
    if found is None:
        abort(404)
    response = send_file(evidence_path(Path(current_app.config["UPLOAD_DIR"]), found.stored_name),
                         mimetype=found.content_type, as_attachment=True,
                         download_name=found.original_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _my_unit():
    """The signed-in unit head's unit; other roles have no desk."""
    if current_user.role != "unit_head" or current_user.unit is None:
        abort(403)
    return current_user.unit


def _desk(page, errors=None, values=None, saved_count=0, status=200):
    """The desk page, or for htmx its ``_desk.html`` fragment (the batch form swaps the desk)."""
    shared, rows, links = sort_batch_errors(errors or {}, [row.code for row in page.rows])
    response = render("progress/my_unit.html", "progress/_desk.html", page=page, errors=errors or {},
                      values=values or {}, shared_errors=shared, row_messages=rows, error_links=links,
                      saved_count=saved_count)
    response.status_code = status
    return response


def _my_desk(plan, unit, day):
    """The unit's desk as of ``day``, updates counted as recent in the commune's time zone."""
    return build_my_unit(db.session, plan, unit, day, timezone=current_app.config["TIMEZONE"])


@bp.get("/my")
@login_required
def my_unit():
    """Show the unit head's items, what needs an update, and one form to update them all."""
    unit = _my_unit()  # first: other roles (and province users) have no desk, whatever the commune
    return _desk(_my_desk(plan_or_404(), unit, today()))


@bp.post("/my/entries")
@login_required
def my_unit_entries():
    """Log the filled-in rows of the one-screen update, all or nothing.

    A plain post redirects after a save; htmx gets the fresh desk. A refusal answers 422 with the
    form as typed and its errors; a GET on this address (a reload) goes to ``/my`` (``web.errors``).
    """
    unit, plan, day = _my_unit(), plan_or_404(), today()
    page = _my_desk(plan, unit, day)
    items = {row.code: row.item for row in page.rows}
    rows, errors = read_batch_form(request.form, list(items), frozenset(
        code for code, item in items.items() if getattr(item, "measure", None) == "percent"))
    readable = [(items[code], entry) for code, entry in rows if code not in errors]
    try:
        if readable or not errors:  # check the readable rows too, so every problem shows at once
            logged = log_batch(db.session, current_user, readable, today=day,
                               remote_addr=request.remote_addr)
    except BatchRefused as refused:
        errors = {**refused.errors, **errors}
    if errors:
        undo()
        return _desk(page, errors, request.form, status=422)
    if wants_fragment():
        return _desk(_my_desk(plan, unit, day), saved_count=len(logged))
    flash(_("%(count)s figures recorded.", count=len(logged)))
    return redirect(url_for("progress.my_unit"))
