"""The JSON API v1: bearer tokens, the same permissions as the pages, JSON for every answer."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from tracker.api import board, errors, periods, province, routes  # noqa: E402, F401
