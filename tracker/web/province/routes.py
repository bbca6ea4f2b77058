"""Province pages: thin views over ``tracker.services.province``; province users only (403 else)."""

from flask import abort, current_app, request
from flask_login import current_user, login_required

from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.domain.rollup_view import RollupView, ViewArgumentError, parse_view
from tracker.extensions import db
from tracker.models import Province
from tracker.request_args import BadArgument, requested_as_of, today
from tracker.services.access import actor_of
from tracker.services.outline import build_province_summary
from tracker.services.province import ProvinceRollup, apply_view, build_rollup, province_for
from tracker.services.province_files import kept_heatmap, kept_summary_pdf
from tracker.web import render
from tracker.web.language import speaking
from tracker.web.province import bp
from tracker.web.sending import send_chart, send_kept_pdf, send_report

REPORT_FORMATS = ("html", "pdf", "docx")


def _province() -> Province:
    """The signed-in user's province (``NotAllowed``, a 403, for everyone else)."""
    return province_for(db.session, actor_of(current_user))


def _view(rollup: ProvinceRollup) -> RollupView:
    """The search, sort and filter of ``?q=&sort=&order=&colour=&target=`` (a 400 naming a bad one)."""
    try:
        return parse_view(request.args, rollup.codes)
    except ViewArgumentError as exc:
        raise BadArgument(exc.field, str(exc)) from None


@bp.get("/province")
@login_required
def rollup():
    """Every commune × every target as lights with counts; searched, sorted and filtered by the query."""
    page = build_rollup(db.session, _province(), requested_as_of())
    page = apply_view(page, _view(page))
    return render("province/rollup.html", "province/_grid.html", page=page)


@bp.get("/province/heatmap.<any(svg, png):fmt>")
@login_required
def heatmap(fmt: str):
    """The roll-up's grid as a heat-map picture, for print, as of ``?as_of=`` (the kept copy)."""
    province, as_of = _province(), requested_as_of()
    chart = kept_heatmap(db.session, current_app.config["PROVINCE_FILES_DIR"], province, as_of)
    return send_chart(chart, fmt, f"ban-do-nhiet-{as_of.isoformat()}")


@bp.get("/province/report.<fmt>")
@login_required
def report(fmt: str):
    """The province summary report as print HTML, PDF (the kept copy) or DOCX, as of ``?as_of=``."""
    province = _province()
    if fmt not in REPORT_FORMATS:
        abort(404)
    as_of = requested_as_of()
    with speaking(DEFAULT_LANGUAGE):  # an official document: Vietnamese whatever the reader chose
        if fmt == "pdf":
            root = current_app.config["PROVINCE_FILES_DIR"]
            return send_kept_pdf(lambda: kept_summary_pdf(db.session, root, province, as_of, today=today()))
        page = build_rollup(db.session, province, as_of)
        return send_report(build_province_summary(page, today=today()), fmt)
