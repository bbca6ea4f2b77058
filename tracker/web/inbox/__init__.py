"""The in-app inbox: notifications, the unread badge and each user's choices."""

from flask import Blueprint

bp = Blueprint("inbox", __name__)

from tracker.web.inbox import routes  # noqa: E402, F401
