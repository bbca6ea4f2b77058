"""Leaders' directives and the lead unit's replies."""

from flask import Blueprint

bp = Blueprint("directives", __name__)

from tracker.web.directives import routes  # noqa: E402, F401
