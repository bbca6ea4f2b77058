"""Administration: users and units (admins only)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from tracker.web.admin import routes  # noqa: E402, F401
