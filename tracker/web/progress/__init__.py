"""Logging progress on targets and tasks."""

from flask import Blueprint

bp = Blueprint("progress", __name__)

from tracker.web.progress import routes  # noqa: E402, F401
