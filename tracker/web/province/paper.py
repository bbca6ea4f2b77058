"""Paper reports: the province keys in a commune's report as printed and sees every inconsistency."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from tracker.domain import paper_check
from tracker.domain.dates import PERIOD_KIND_LABELS, format_day_input, period_title
from tracker.domain.i18n import gettext as _
from tracker.extensions import db
from tracker.models import PERIOD_KINDS, PaperReport, Province
from tracker.services.access import actor_of
from tracker.services.paper import (
    find_paper_report,
    flags_of,
    paper_reports,
    require_keying,
    save_paper_report,
)
from tracker.services.province import province_for
from tracker.transaction import undo
from tracker.web import render
from tracker.web.province import bp


def _province() -> Province:
    """The signed-in user's province (``NotAllowed``, a 403, for everyone else)."""
    return province_for(db.session, actor_of(current_user))


def _values_of(report: PaperReport) -> dict[str, str]:
    """The form's fields as the report was keyed (what was typed, never recomputed)."""
    values = {"commune_id": str(report.commune_id), "kind": report.kind,
              "start_date": format_day_input(report.start_date),
              "end_date": format_day_input(report.end_date), "doc_number": report.doc_number or "",
              "doc_date": report.doc_date or "", "note": report.note or ""}
    for fig in report.figures:
        values[f"{fig.key}-count"] = "" if fig.count is None else str(fig.count)
        values[f"{fig.key}-percent"] = fig.percent_text or ""
        values[f"{fig.key}-base"] = fig.base_key or (paper_check.TYPED_BASE if fig.base_number else "")
        values[f"{fig.key}-base_number"] = "" if fig.base_number is None else str(fig.base_number)
    return values


def _form(province: Province, report: PaperReport | None, values: dict, errors: dict, flags=None, status=200):
    """The keying form, with what was typed and, for a saved report, its flags."""
    response = render("province/paper_form.html", "province/paper_form.html", province=province,
                      report=report, values=values, errors=errors, flags=flags or [],
                      fields=paper_check.PAPER_FIELDS,
                      labels=paper_check.LABELS, kinds=PERIOD_KINDS,
                      kind_labels=PERIOD_KIND_LABELS, period_title=period_title)
    response.status_code = status
    return response


def _save(province: Province, report: PaperReport | None):
    """Read the form; refuse it with the messages beside the fields, or save it and show its flags."""
    require_keying(current_user, province)
    data, errors = paper_check.read_paper_form(request.form, [c.id for c in province.communes])
    if errors:
        undo()
        return _form(province, report, request.form, errors, status=422)
    report, flags = save_paper_report(db.session, current_user, province, data, report)
    flash(_("Report saved as keyed: %(count)s inconsistencies found.", count=len(flags)))
    return redirect(url_for("province.paper_report", report_id=report.id))


@bp.get("/province/paper")
@login_required
def paper_list():
    """The reports keyed in from paper, with how many inconsistencies each has."""
    province = _province()
    return render("province/paper_list.html", "province/paper_list.html", province=province,
                  reports=paper_reports(db.session, province), period_title=period_title)


@bp.route("/province/paper/new", methods=["GET", "POST"])
@login_required
def paper_new():
    """Key in a commune's report as printed."""
    province = _province()
    if request.method == "POST":
        return _save(province, None)
    return _form(province, None, {}, {})


@bp.route("/province/paper/<int:report_id>", methods=["GET", "POST"])
@login_required
def paper_report(report_id: int):
    """A keyed report: its figures as typed, every inconsistency, and the form to correct the keying."""
    province = _province()
    if request.method == "POST":
        require_keying(current_user, province)
    report = find_paper_report(db.session, province, report_id)
    if request.method == "POST":
        return _save(province, report)
    return _form(province, report, _values_of(report), {}, flags_of(report))
