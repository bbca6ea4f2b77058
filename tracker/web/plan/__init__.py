"""The plan overview, unit pages and item pages."""

from flask import Blueprint

bp = Blueprint("plan", __name__)

from tracker.web.plan import routes  # noqa: E402, F401
