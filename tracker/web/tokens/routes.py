"""API tokens on the account pages: the user's own, and for a commune's admin its users'."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.domain.i18n import gettext as _
from tracker.extensions import db
from tracker.services.tokens import TokenNotFound, others_tokens, revoke_token, token_state, tokens_of
from tracker.web.tokens import bp


@bp.get("/account/tokens")
@login_required
def index():
    """The user's API tokens (name, created, last used, expires), and for admins the commune's."""
    return render_template("tokens/index.html", own=tokens_of(db.session, current_user),
                           others=others_tokens(db.session, current_user), token_state=token_state)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one token at once: the user's own, or (an admin) one of a user of the commune."""
    try:
        token = revoke_token(db.session, token_id, actor=current_user)
    except TokenNotFound:
        abort(404)
    flash(_("The API token %(name)s was revoked; the API refuses it from now on.", name=token.name))
    return redirect(url_for("tokens.index"))
