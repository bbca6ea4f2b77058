"""Inbox pages: list, mark read, the badge fragment, notification settings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.domain.i18n import gettext as _
from tracker.extensions import db
from tracker.models import NOTIFICATION_KINDS
from tracker.services.notifications import (
    KIND_LABELS,
    PreferenceRefused,
    inbox_of,
    mark_read,
    owns_notification,
    preferences_of,
    save_preferences,
    unread_count,
)
from tracker.transaction import undo
from tracker.web import render, wants_fragment
from tracker.web.inbox import bp


@bp.get("/inbox")
@login_required
def index():
    """List the signed-in user's notifications, newest first."""
    return render("inbox/index.html", "inbox/_list.html", notes=inbox_of(db.session, current_user),
                  unread=unread_count(db.session, current_user), KIND_LABELS=KIND_LABELS)


@bp.get("/inbox/badge")
@login_required
def badge():
    """Return the unread-count badge (polled by htmx every minute)."""
    return render_template("inbox/_badge.html", unread=unread_count(db.session, current_user))


@bp.post("/inbox/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one notification read; htmx gets the refreshed list back."""
    if not owns_notification(db.session, current_user, notification_id):
        abort(404)
    mark_read(db.session, current_user, notification_id)
    return _after_change()


@bp.post("/inbox/read-all")
@login_required
def read_all():
    """Mark every notification read."""
    mark_read(db.session, current_user)
    return _after_change()


def _after_change():
    if wants_fragment():
        return index()
    return redirect(url_for("inbox.index"))


@bp.route("/inbox/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Choose, per kind, in-app and e-mail notifications, and the e-mail address."""
    error = None
    if request.method == "POST":
        choices = {kind: (f"{kind}-in_app" in request.form, f"{kind}-email" in request.form)
                   for kind in NOTIFICATION_KINDS}
        try:
            save_preferences(db.session, current_user, choices, request.form.get("email"))
        except PreferenceRefused as exc:
            undo()
            error = str(exc)
        else:
            flash(_("Notification settings saved."))
            return redirect(url_for("inbox.settings"))
    return render_template("inbox/settings.html", prefs=preferences_of(db.session, current_user),
                           KIND_LABELS=KIND_LABELS, error=error,
                           email=request.form.get("email") if error else current_user.email), (
        422 if error else 200)
