"""The province's own summary report of a period: the page its secretary edits (its leaders read),
and the report as PDF and DOCX. Thin views over ``tracker.services.province_summary``."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.domain.dates import PERIOD_KIND_LABELS, parse_day, period_title
from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.outline import WRITTEN
from tracker.domain.permissions import can_edit_province_report
from tracker.domain.province_summary import same_text
from tracker.domain.schemas import FORM, ProvinceReportHeader, read_partly
from tracker.domain.stats import FIELDS
from tracker.extensions import db
from tracker.models import PERIOD_KINDS, Province
from tracker.request_args import BadArgument, today
from tracker.services.access import actor_of
from tracker.services.errors import EntryRefused
from tracker.services.outline import build_province_period_report
from tracker.services.province import province_for
from tracker.services.province_summary import (
    HEADER_FIELDS,
    ReportEdit,
    SavedParts,
    gather_province_report,
    latest_start,
    save_province_report,
)
from tracker.transaction import undo
from tracker.web.language import speaking
from tracker.web.province import bp
from tracker.web.sending import send_report

# Where a commune's period stands, as the page says it.
STANDING = {None: _l("no period opened"), "draft": _l("draft"),
            "submitted": _l("submitted, awaiting acceptance"), "returned": _l("returned for corrections"),
            "accepted": _l("accepted")}
HEADER_LABELS = {"report_number": _l("Report number"), "report_date": _l("Report date"),
                 "signer_name": _l("Signer"), "signer_title": _l("Signer's title")}


def _province() -> Province:
    """The signed-in user's province (``NotAllowed``, a 403, for everyone else)."""
    return province_for(db.session, actor_of(current_user))


def _period_asked(province: Province) -> tuple[str, date]:
    """``?kind=`` (week by default) and ``?start=`` (the latest start among the communes' periods)."""
    kind = request.args.get("kind") or "week"
    if kind not in PERIOD_KINDS:
        raise BadArgument("kind", _("Choose the kind of period: week, month, quarter or custom."))
    try:
        start = parse_day(request.args.get("start"), "start")
    except ValueError as exc:
        raise BadArgument("start", str(exc)) from None
    if start is None:
        day = today()
        start = latest_start(db.session, province, kind) or day - timedelta(days=day.weekday())
    return kind, start


def _render(province: Province, kind: str, start: date, errors=None, typed=None, status: int = 200):
    """The page; after a refused save, what was typed stays in the boxes that were edited."""
    summary = gather_province_report(db.session, province, kind, start)
    texts = dict(summary.texts)
    header = {name: getattr(summary.report, name) if summary.report else None for name in HEADER_FIELDS}
    if typed is not None:
        for key in WRITTEN:
            if not same_text(typed.get(f"section-{key}"), typed.get(f"shown-{key}")):
                texts[key] = typed.get(f"section-{key}") or ""
        header = {name: typed.get(name) for name in HEADER_FIELDS}
    return render_template(
        "province/summary.html", summary=summary, kind=kind, start=start, kinds=PERIOD_KIND_LABELS,
        title=period_title(kind, summary.start, summary.end), fields=FIELDS, standing=STANDING,
        sections=WRITTEN, texts=texts, header=header, header_labels=HEADER_LABELS, errors=errors or {},
        restore=set(typed.getlist("restore")) if typed is not None else set(),
        may_edit=can_edit_province_report(actor_of(current_user), province.id)), status


@bp.route("/province/summary", methods=["GET", "POST"])
@login_required
def summary():
    """The province's report of a period: who is included, the summed figures, the sections; a POST
    saves the report's header and the sections the secretary edited, all or nothing."""
    province = _province()
    kind, start = _period_asked(province)
    if request.method == "GET":
        return _render(province, kind, start)
    form = request.form
    header, errors = read_partly(ProvinceReportHeader, {name: form.get(name) for name in HEADER_FIELDS}, FORM)
    edit = ReportEdit(header=header, typed={key: form.get(f"section-{key}") for key in WRITTEN},
                      shown={key: form.get(f"shown-{key}") for key in WRITTEN},
                      restore=frozenset(form.getlist("restore")),
                      expected_version=form.get("version", type=int), basis=form.get("basis"))
    try:
        if errors:
            raise EntryRefused(errors)
        saved = save_province_report(db.session, current_user, province, kind, start, edit)
    except EntryRefused as refused:
        undo()
        return _render(province, kind, start, refused.errors, form, 422)
    flash(_saved_message(saved))
    return redirect(url_for("province.summary", kind=kind, start=start.isoformat()))


def _saved_message(saved: SavedParts) -> str:
    """Say what the save changed, part by part."""
    if not saved:
        return _("Nothing changed; nothing to save.")
    parts = [str(HEADER_LABELS[name]).lower() for name in saved.header]
    parts += [str(WRITTEN[key]) for key in saved.sections]
    message = _("Saved: %(parts)s.", parts="; ".join(parts)) if parts else ""
    if saved.restored:
        restored = "; ".join(str(WRITTEN[key]) for key in saved.restored)
        message = f"{message} " + _("Back to the text gathered from the communes: %(sections)s.",
                                    sections=restored)
    return message.strip()


@bp.get("/province/summary.<fmt>")
@login_required
def summary_document(fmt: str):
    """The province's report of a period as PDF or DOCX, in Vietnamese whatever the reader's language."""
    province = _province()
    if fmt not in ("pdf", "docx"):
        abort(404)
    kind, start = _period_asked(province)
    with speaking(DEFAULT_LANGUAGE):  # an official document
        summary = gather_province_report(db.session, province, kind, start)
        return send_report(build_province_period_report(summary, today=today()), fmt)
