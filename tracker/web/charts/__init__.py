"""Charts as images: an item's trend and the plan's colour breakdown."""

from flask import Blueprint

bp = Blueprint("charts", __name__)

from tracker.web.charts import routes  # noqa: E402, F401
