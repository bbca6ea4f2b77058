"""Reporting periods, their figures and narratives, the legal register, and the printed reports."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from tracker.web.reports import routes  # noqa: E402, F401
