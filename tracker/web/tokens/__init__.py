"""The account's API tokens: see them, revoke them (a commune's admin also its users')."""

from flask import Blueprint

bp = Blueprint("tokens", __name__)

from tracker.web.tokens import routes  # noqa: E402, F401
