"""Chart images: thin views over ``tracker.services.charts``, answered 304 when unchanged."""

from flask_login import login_required

from tracker.extensions import db
from tracker.request_args import requested_as_of
from tracker.services.charts import item_trend, plan_colours
from tracker.web.charts import bp
from tracker.web.lookups import item_or_404, plan_or_404
from tracker.web.sending import send_chart


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
