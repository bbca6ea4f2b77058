"""Chart images: thin views over ``tracker.services.charts``, answered 304 when unchanged."""

from flask import Response, request
from flask_login import login_required
from werkzeug.utils import secure_filename

from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.extensions import db
from tracker.services.charts import Chart, item_trend, plan_colours
from tracker.web import requested_as_of
from tracker.web.charts import bp
from tracker.web.language import speaking
from tracker.web.lookups import item_or_404, plan_or_404

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png"}
MAX_AGE = 300


@bp.get("/items/<code>/trend.<any(svg, png):fmt>")
@login_required
def trend(code: str, fmt: str):
    """Draw an item's values against the line its deadline requires, as of ``?as_of=``."""
    item = item_or_404(plan_or_404(), code)
    as_of = requested_as_of()
    return send_chart(item_trend(db.session, item, as_of), fmt, f"{item.code}-{as_of.isoformat()}")


@bp.get("/charts/colours.<any(svg, png):fmt>")
@login_required
def colours(fmt: str):
    """Draw how many of the plan's items stand at each colour, as of ``?as_of=``."""
    plan = plan_or_404()
    as_of = requested_as_of()
    return send_chart(plan_colours(db.session, plan, as_of), fmt, f"mau-{as_of.isoformat()}")


def send_chart(chart: Chart, fmt: str, name: str) -> Response:
    """Answer with the picture, or with 304 when the browser holds this very one."""
    etag = f"{chart.fingerprint}-{fmt}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        # One cached picture per fingerprint, the one the reports print: its words stay Vietnamese.
        with speaking(DEFAULT_LANGUAGE):
            picture = chart.render(fmt)
        response = Response(picture, mimetype=MIMETYPES[fmt])
        response.headers["Content-Disposition"] = f'inline; filename="{secure_filename(name)}.{fmt}"'
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = MAX_AGE
    return response
