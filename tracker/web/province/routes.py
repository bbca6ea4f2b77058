"""Province pages: thin views over ``tracker.services.province``; province users only (403 else)."""

from flask import abort
from flask_login import current_user, login_required

from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.extensions import db
from tracker.models import Province
from tracker.request_args import requested_as_of, today
from tracker.services.access import actor_of
from tracker.services.charts import province_heatmap
from tracker.services.outline import build_province_summary
from tracker.services.province import build_rollup, province_for
from tracker.web import render
from tracker.web.language import speaking
from tracker.web.province import bp
from tracker.web.sending import send_chart, send_report

REPORT_FORMATS = ("html", "pdf", "docx")


def _province() -> Province:
    """The signed-in user's province (``NotAllowed``, a 403, for everyone else)."""
    return province_for(db.session, actor_of(current_user))


@bp.get("/province")
@login_required
def rollup():
    """Every commune × every target as lights with counts, communes with most reds first."""
    page = build_rollup(db.session, _province(), requested_as_of())
    return render("province/rollup.html", "province/_grid.html", page=page)


@bp.get("/province/heatmap.<any(svg, png):fmt>")
@login_required
def heatmap(fmt: str):
    """The roll-up's grid as a heat-map picture, for print, as of ``?as_of=``."""
    page = build_rollup(db.session, _province(), requested_as_of())
    return send_chart(province_heatmap(page), fmt, f"ban-do-nhiet-{page.as_of.isoformat()}")


@bp.get("/province/report.<fmt>")
@login_required
def report(fmt: str):
    """The province summary report as print HTML, PDF or DOCX, as of ``?as_of=``."""
    province = _province()
    if fmt not in REPORT_FORMATS:
        abort(404)
    with speaking(DEFAULT_LANGUAGE):  # an official document: Vietnamese whatever the reader chose
        page = build_rollup(db.session, province, requested_as_of())
        return send_report(build_province_summary(page, today=today()), fmt)
