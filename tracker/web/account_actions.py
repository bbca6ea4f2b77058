"""Locking, unlocking and resetting an account: the same two actions on a commune's and a
province's account pages (``admin.users``, ``province.users``), each answering with a redirect to
the page it was posted from and a message that says what happened."""

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user

from tracker.domain.i18n import gettext as _
from tracker.extensions import db
from tracker.services.users import UserError, managed_account, reset_password, set_user_active
from tracker.transaction import undo


def password_settings() -> dict[str, object]:
    """How new passwords are hashed and how long they must be (the app's configuration)."""
    return {"hash_method": current_app.config["PASSWORD_HASH_METHOD"],
            "min_length": current_app.config["PASSWORD_MIN_LENGTH"]}


def lock_or_unlock(user_id: int, back: str):
    """Lock or unlock an account the signed-in admin manages (the form's ``active``), back to ``back``."""
    user = managed_account(db.session, current_user, user_id)
    try:
        set_user_active(db.session, user, request.form.get("active") == "1", actor=current_user)
    except UserError as exc:
        flash(exc.message)
        return redirect(url_for(back))
    flash(_("Account %(username)s unlocked.", username=user.username) if user.active
          else _("Account %(username)s locked.", username=user.username))
    return redirect(url_for(back))


def reset_account_password(user_id: int, back: str):
    """Set the form's new password on an account the signed-in admin manages; its sessions end."""
    user = managed_account(db.session, current_user, user_id)
    try:
        reset_password(db.session, user, request.form.get("password", ""), actor=current_user,
                       **password_settings())
    except UserError as exc:
        undo()
        flash(_("Could not reset the password of %(username)s: %(problem)s", username=user.username,
                problem=exc.message))
        return redirect(url_for(back))
    flash(_("The password of %(username)s was reset; the account's sessions have ended.",
            username=user.username))
    return redirect(url_for(back))
