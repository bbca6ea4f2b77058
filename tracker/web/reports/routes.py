"""Reporting pages: thin views over the period, figure, narrative, legal and outline services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.domain.dates import (
    PERIOD_KIND_LABELS,
    TYPED_DATE_PATTERN,
    format_day_input,
    period_title,
    week_length_warning,
)
from tracker.domain.evidence import MAX_FILE_BYTES
from tracker.domain.formatting import NO_FIGURE, format_datetime
from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import can_report, can_sign_report
from tracker.domain.review import STATUS_LABELS, is_late, is_overdue
from tracker.domain.stats import FIELDS, FINANCE_FIELDS, check_stats, shares
from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.render.render_html import Toolbar
from tracker.render.spreadsheet import MAX_XLSX_BYTES
from tracker.request_args import requested_as_of, today
from tracker.services.access import actor_of
from tracker.services.errors import EntryRefused
from tracker.services.figures import save_figures, stats_values
from tracker.services.legal import DOCUMENT_KINDS, documents_of, register_document
from tracker.services.narratives import SECTION_KEYS, narrative_material, save_sections
from tracker.services.outline import build_outline_report, build_summary
from tracker.services.period_page import PageRefused, save_period_page
from tracker.services.periods import (
    create_period,
    find_period,
    periods_of,
    reopen_period,
    submit_period,
)
from tracker.services.signing import (
    current_signed_report,
    issue_for_signing,
    load_trust_roots,
    readable_signed_report,
    receive_signed_report,
    require_signable,
    signed_report_path,
)
from tracker.services.stats_io import export_period, import_stats
from tracker.transaction import discard_changes, undo
from tracker.web.language import speaking
from tracker.web.lookups import plan_or_404, viewed_commune
from tracker.web.reports import bp
from tracker.web.reports.forms import (
    period_error_links,
    read_document_form,
    read_finance_form,
    read_period_form,
    read_stats_form,
)
from tracker.web.sending import send_report


def _attempt(action: Callable[[], object], errors: dict[str, str]) -> dict[str, str]:
    """Run a service call unless the form already failed; return the refusal's errors, if any.

    The request's boundary commits or rolls back (``tracker.transaction``); a ``NotAllowed`` is the
    error handler's 403.
    """
    try:
        if errors:
            raise EntryRefused(errors)
        action()
    except EntryRefused as refused:
        undo()
        return refused.errors
    return {}


def _period_or_404(period_id: int):
    period = find_period(db.session, viewed_commune().id, period_id)
    if period is None:
        abort(404)
    return period


def _may_report() -> bool:
    return can_report(actor_of(current_user), viewed_commune().id)


@bp.route("/reports", methods=["GET", "POST"])
@login_required
def index():
    """List the commune's reporting periods; secretaries open new ones."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        data, errors = read_period_form(request.form)
        created = []
        errors = _attempt(lambda: created.append(
            create_period(db.session, current_user, viewed_commune(), data,
                          timezone=current_app.config["TIMEZONE"])), errors)
        if not errors:
            flash(_("Reporting period created."))
            if warning := week_length_warning(data.kind, data.start_date, data.end_date):
                flash(warning)
            return redirect(url_for("reports.period", period_id=created[0].id))
    return render_template("reports/index.html", periods=periods_of(db.session, viewed_commune().id),
                           kinds=PERIOD_KIND_LABELS, errors=errors, values=request.form,
                           may_report=_may_report(), period_title=period_title, statuses=STATUS_LABELS,
                           is_late=is_late, is_overdue=is_overdue, now=utcnow()), 422 if errors else 200


def _render_period(period, errors=None, values=None, status=200, typed=None):
    plan = plan_or_404()
    stats = stats_values(period.stats)
    # Refused figures stay on screen, and so do the ratios they give, so the slip is easy to see.
    counts = {f.name: (typed or stats).get(f.name) for f in FIELDS}
    return render_template(
        "reports/period.html", period=period, plan=plan, fields=FIELDS, finance_fields=FINANCE_FIELDS,
        section_keys=SECTION_KEYS, kinds=PERIOD_KIND_LABELS, stats=stats,
        shares=shares(counts, empty=NO_FIGURE),
        problems=check_stats(counts) if period.stats else [],
        sections={section.key: section.text for section in period.sections},
        material=narrative_material(db.session, plan, period), errors=errors or {}, values=values,
        may_report=_may_report(), error_links=period_error_links(errors or {}),
        week_warning=week_length_warning(period.kind, period.start_date, period.end_date),
        signed=current_signed_report(db.session, period),
        may_sign=can_sign_report(actor_of(current_user), viewed_commune().id),
        late=is_late(period.due_at, period.submitted_at),
        overdue=is_overdue(period.status, period.due_at, utcnow()),
    ), status


@bp.get("/reports/<int:period_id>")
@login_required
def period(period_id: int):
    """Show a period: its figures and their checks, narratives, and the report's downloads."""
    return _render_period(_period_or_404(period_id))


# What the one save of the page says it saved, part by part.
SAVED_MESSAGES = {"stats": _l("TTHC figures saved."), "finance": _l("Funding figures saved."),
                  "sections": _l("Remarks and assessment saved.")}


@bp.post("/reports/<int:period_id>")
@login_required
def save(period_id: int):
    """Save the whole page at once (statistics, finance, narratives): all or nothing, nothing typed lost."""
    period = _period_or_404(period_id)
    stats, stats_errors = read_stats_form(request.form)
    finance, finance_errors = read_finance_form(request.form)
    texts = {key: request.form.get(f"section-{key}") for key in SECTION_KEYS}
    try:
        saved, changes = save_period_page(db.session, current_user, period, today=today(),
                                          expected_version=request.form.get("version", type=int),
                                          stats=None if stats_errors else stats,
                                          finance=None if finance_errors else finance, texts=texts)
        refused: dict[str, str] = {}
    except PageRefused as refusal:
        refused = {**refusal.errors, **{f"section-{k}": v for k, v in refusal.sections.items()}}
    errors = {**stats_errors, **finance_errors, **refused}
    if errors:
        undo()
        return _render_period(period, errors, request.form, 422, typed=stats)
    flash(" ".join(str(SAVED_MESSAGES[part]) for part in saved) or _("Nothing changed; nothing to save."))
    _flash_plan_changes(changes)
    return redirect(url_for("reports.period", period_id=period.id))


def _flash_plan_changes(changes) -> None:
    """Say what a save of figures changed in the plan, before → after (issue 14, point 1)."""
    for change in changes:
        flash(_("Change in the plan: %(change)s", change=change.sentence()), "plan-change")


def _save(period_id: int, read, part: str, message: str):
    period = _period_or_404(period_id)
    values, errors = read(request.form)
    expected = request.form.get("version", type=int)
    changes = []
    errors = _attempt(lambda: changes.extend(save_figures(
        db.session, current_user, period, today=today(), expected_version=expected, **{part: values})),
        errors)
    if errors:
        return _render_period(period, errors, request.form, 422,
                              typed=values if read is read_stats_form else None)
    flash(message)
    _flash_plan_changes(changes)
    return redirect(url_for("reports.period", period_id=period.id))


@bp.post("/reports/<int:period_id>/stats")
@login_required
def stats(period_id: int):
    """Save the TTHC statistics; broken rules are shown by field, sums may be explained."""
    return _save(period_id, read_stats_form, "stats", _("TTHC figures saved."))


@bp.post("/reports/<int:period_id>/finance")
@login_required
def finance(period_id: int):
    """Save the finance figures of the period."""
    return _save(period_id, read_finance_form, "finance", _("Funding figures saved."))


@bp.post("/reports/<int:period_id>/sections")
@login_required
def sections(period_id: int):
    """Save the narrative sections."""
    period = _period_or_404(period_id)
    texts = {key: request.form.get(f"section-{key}") for key in SECTION_KEYS}
    expected = request.form.get("version", type=int)
    errors = _attempt(lambda: save_sections(db.session, current_user, period, texts,
                                            expected_version=expected), {})
    if errors:
        return _render_period(period, {k if k == "version" else f"section-{k}": v for k, v in errors.items()},
                              request.form, 422)
    flash(_("Remarks and assessment saved."))
    return redirect(url_for("reports.period", period_id=period.id) + "#narratives")


@bp.post("/reports/<int:period_id>/submit")
@login_required
def submit(period_id: int):
    """Mark the period submitted: its figures are frozen."""
    period = _period_or_404(period_id)
    expected = request.form.get("version", type=int)
    errors = _attempt(lambda: submit_period(db.session, current_user, period, expected_version=expected), {})
    if errors:
        return _render_period(period, errors, None, 422)
    flash(_("Report submitted; the period's figures are locked."))
    return redirect(url_for("reports.period", period_id=period.id))


@bp.post("/reports/<int:period_id>/reopen")
@login_required
def reopen(period_id: int):
    """Reopen a submitted period, with a reason."""
    period = _period_or_404(period_id)
    expected = request.form.get("version", type=int)
    errors = _attempt(lambda: reopen_period(db.session, current_user, period, request.form.get("reason"),
                                            expected_version=expected), {})
    if errors:
        return _render_period(period, errors, request.form, 422)
    flash(_("The reporting period was reopened for corrections."))
    return redirect(url_for("reports.period", period_id=period.id))


@bp.post("/reports/<int:period_id>/signing-copy")
@login_required
def signing_copy(period_id: int):
    """Download a submitted period's report PDF to be signed (ký số); its fingerprint is recorded so
    the signed file can be matched to it."""
    period = _period_or_404(period_id)
    errors = _attempt(lambda: require_signable(current_user, period), {})  # before drawing the PDF
    if errors:
        return _render_period(period, errors, None, 422)
    with speaking(OFFICIAL_LANGUAGE):
        response = _document(period, "pdf")
    issue_for_signing(db.session, current_user, period, response.get_data())
    stem = f"bao-cao-{period.start_date.isoformat()}-{period.end_date.isoformat()}-de-ky-so"
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response


@bp.post("/reports/<int:period_id>/signed")
@login_required
def upload_signed(period_id: int):
    """Receive the report PDF signed with the agency's certificate: checked, kept, or refused whole."""
    period = _period_or_404(period_id)
    upload = request.files.get("signed_file")
    name, data = (upload.filename or "", upload.read(MAX_FILE_BYTES + 1)) if upload else ("", b"")
    received = []
    errors = _attempt(lambda: received.append(receive_signed_report(
        db.session, current_user, period, name, data, upload_dir=Path(current_app.config["UPLOAD_DIR"]),
        trust_roots=load_trust_roots(current_app.config["SIGNATURE_TRUST_ROOTS"]))), {})
    if errors:
        return _render_period(period, errors, None, 422)
    signed = received[0]
    flash(_("Signed report received: signed by %(signer)s at %(at)s.", signer=signed.signer_name,
            at=format_datetime(signed.signed_at, current_app.config["TIMEZONE"])))
    return redirect(url_for("reports.period", period_id=period.id) + "#signature")


@bp.get("/reports/signed/<int:signed_id>")
@login_required
def signed_file(signed_id: int):
    """Send a signed report PDF as a download, exactly as it was received."""
    signed = readable_signed_report(db.session, current_user, signed_id)
    if signed is None:
        abort(404)
    response = send_file(signed_report_path(Path(current_app.config["UPLOAD_DIR"]), signed),
                         mimetype="application/pdf", as_attachment=True, download_name=signed.original_name,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/legal", methods=["GET", "POST"])
@login_required
def legal():
    """The register of documents issued to implement the plan."""
    plan = plan_or_404()
    errors: dict[str, str] = {}
    if request.method == "POST":
        data, errors = read_document_form(request.form, request.form.getlist("items"))
        errors = _attempt(lambda: register_document(db.session, current_user, viewed_commune(), plan,
                                                    data, today=today()), errors)
        if not errors:
            flash(_("Document added to the register."))
            return redirect(url_for("reports.legal"))
    items = [*plan.targets, *plan.tasks]
    return render_template("reports/legal.html", documents=documents_of(db.session, viewed_commune().id),
                           kinds=DOCUMENT_KINDS, items=items, errors=errors, values=request.form,
                           may_report=_may_report()), 422 if errors else 200


DOCUMENT_FORMATS = ("html", "pdf", "docx", "xlsx")
# The documents go to the province: Vietnamese whatever language the reader chose for the pages.
OFFICIAL_LANGUAGE = DEFAULT_LANGUAGE


@bp.get("/reports/<int:period_id>/report.<fmt>")
@login_required
def document(period_id: int, fmt: str):
    """The outline report of a period as print HTML, PDF or DOCX, or its figures as XLSX."""
    period = _period_or_404(period_id)
    toolbar = _document_toolbar(period) if fmt == "html" else None  # in the reader's language
    with speaking(OFFICIAL_LANGUAGE):
        return _document(period, fmt, toolbar)


def _document_toolbar(period) -> Toolbar:
    """The print view's screen-only toolbar: back to the period, print, PDF and Word."""
    return Toolbar(
        back_href=url_for("reports.period", period_id=period.id),
        back_text=period_title(period.kind, period.start_date, period.end_date),
        print_text=_("Print"), script_src=url_for("static", filename="js/print.js"),
        downloads=((_("Download PDF"), url_for("reports.document", period_id=period.id, fmt="pdf")),
                   (_("Download Word (DOCX)"), url_for("reports.document", period_id=period.id, fmt="docx"))))


def _document(period, fmt: str, toolbar: Toolbar | None = None):
    if fmt not in DOCUMENT_FORMATS:
        abort(404)
    if fmt == "xlsx":
        response = current_app.response_class(
            export_period(db.session, period),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stem = f"so-lieu-{period.start_date.isoformat()}-{period.end_date.isoformat()}"
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    return send_report(build_outline_report(db.session, plan_or_404(), period, today=today()), fmt, toolbar)


@bp.get("/summary")
@login_required
def summary():
    """The one-page status summary as of ``?as_of=`` (print HTML, or ``?format=pdf|docx``)."""
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "pdf", "docx"):
        abort(404)
    plan, as_of = plan_or_404(), requested_as_of()
    toolbar = _summary_toolbar(as_of) if fmt == "html" else None  # in the reader's language
    with speaking(OFFICIAL_LANGUAGE):
        return send_report(build_summary(db.session, plan, as_of, today=today()), fmt, toolbar)


def _summary_toolbar(as_of) -> Toolbar:
    """The summary's screen-only toolbar: back to the reports, another date, print, PDF and Word."""
    day = as_of.isoformat()
    return Toolbar(
        back_href=url_for("reports.index", as_of=None), back_text=_("Reports"),
        print_text=_("Print"), script_src=url_for("static", filename="js/print.js"),
        downloads=((_("Download PDF"), url_for("reports.summary", as_of=day, format="pdf")),
                   (_("Download Word (DOCX)"), url_for("reports.summary", as_of=day, format="docx"))),
        date_action=url_for("reports.summary", as_of=None), date_label=_("Status as of"),
        date_value=format_day_input(as_of), date_submit=_("Show"), date_pattern=TYPED_DATE_PATTERN,
        hidden=(("commune", g.commune_param),) if g.get("commune_param") else ())


@bp.post("/reports/import")
@login_required
def import_xlsx():
    """Load a period's figures from the XLSX the export produces; "check only" saves nothing."""
    upload = request.files.get("file")
    data = upload.read(MAX_XLSX_BYTES + 1) if upload else b""
    dry_run = request.form.get("dry_run") == "1"
    result = import_stats(db.session, current_user, viewed_commune(), data, today=today(),
                          dry_run=dry_run)
    if dry_run:
        discard_changes()  # a 422 (problems) rolls back by itself
    status = 422 if result.problems else 200
    return render_template("reports/import.html", result=result, dry_run=dry_run), status
