"""Sign-in and sign-out pages."""

from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker.domain.i18n import DEFAULT_LANGUAGE
from tracker.domain.i18n import gettext as _
from tracker.extensions import db
from tracker.services.audit import record_event
from tracker.services.users import (
    LoginThrottled,
    SignInBusy,
    UserError,
    authenticate,
    change_password,
    end_all_sessions,
    set_language,
)
from tracker.transaction import keep_changes, undo
from tracker.web.auth import bp
from tracker.web.auth.forms import LanguageForm, LoginForm, PasswordForm
from tracker.web.language import forget_language


def _safe_next(target: str | None) -> str:
    """Only follow a local ``next`` path, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("plan.home")


def _start_new_session() -> None:
    """Drop everything the session held before sign-in, the CSRF token included.

    A token (or any value) planted or read before sign-in is then worth nothing after it; Flask-WTF
    makes a fresh token for the next form it draws.
    """
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's copy for this request


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("plan.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(db.session, form.username.data, form.password.data, request.remote_addr,
                                hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except LoginThrottled as throttled:
            keep_changes()  # the refusal is recorded, and counts against the throttle
            if isinstance(throttled, SignInBusy):
                message = _("Many people are signing in right now. Please wait %(seconds)s seconds and "
                            "try again.", seconds=throttled.retry_after)
            else:
                message = _("Too many failed sign-ins from here. Please wait %(seconds)s seconds and try "
                            "again.", seconds=throttled.retry_after)
            form.password.errors.append(message)
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(throttled.retry_after)})
        keep_changes()  # a failed attempt is recorded (audit, throttle) though the answer is a 401
        if user is not None:
            _start_new_session()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong username or password."))
    status = 401 if request.method == "POST" and form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other open sessions of the account end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(db.session, current_user, form.current.data, form.password.data,
                            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                            min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except UserError as exc:
            undo()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            # The real object: given the proxy, Flask-Login would store the proxy itself as the user.
            login_user(current_user._get_current_object())  # this session carries on with the new version
            flash(_("Your password was changed. The account's other sessions have ended."))
            return redirect(url_for("plan.home"))
    return render_template("auth/password.html", form=form, language_form=_language_form()), \
        422 if form.errors else 200


def _language_form(form: LanguageForm | None = None) -> LanguageForm:
    """The language choice, showing the account's current language."""
    if form is None:
        form = LanguageForm(formdata=None, language=current_user.language or DEFAULT_LANGUAGE)
    return form


@bp.post("/account/language")
@login_required
def language():
    """Choose the interface language; it follows the account, never the browser (shared office PCs)."""
    form = LanguageForm()
    if form.validate_on_submit():
        set_language(db.session, current_user, form.language.data)
        forget_language()  # this very answer already speaks the new language
        flash(_("The interface language was changed."))
        return redirect(url_for("auth.password"))
    return render_template("auth/password.html", form=PasswordForm(formdata=None),
                           language_form=form), 422


@bp.post("/logout")
@login_required
def logout():
    """Sign out everywhere and go back to the sign-in page.

    The account's session version moves on, so no copy of a session cookie of this account (this
    browser's, another device's or a stolen one) is accepted any more.
    """
    end_all_sessions(db.session, current_user)
    record_event(db.session, "auth.logout", actor=current_user, object_type="user",
                 object_id=current_user.id, remote_addr=request.remote_addr)
    logout_user()
    _start_new_session()
    flash(_("You have signed out."))
    return redirect(url_for("auth.login"))


@bp.get("/about")
@login_required
def about():
    """Show what this software is: the smallest page of the app (the benchmarks' yardstick)."""
    return render_template("about.html")
