"""The HTML face: blueprints, template helpers, error pages and response headers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import quote

from flask import Flask, Response, abort, current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from tracker.domain.dates import EARLIEST_DATE, LATEST_DATE, local_today, parse_iso_date
from tracker.domain.entries import TASK_STATES
from tracker.domain.formatting import format_date, format_datetime, format_number, format_percent
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import ROLE_LABELS, can_answer_for, can_direct
from tracker.domain.province import figure_text, goal_text
from tracker.domain.status import COLOUR_ICONS, COLOUR_LABELS, COLOUR_SHORT
from tracker.extensions import csrf, db, htmx, login_manager
from tracker.services.access import actor_of
from tracker.services.audit import record_denial
from tracker.services.notifications import unread_count
from tracker.services.progress import MAX_ID
from tracker.services.users import load_user_with_unread
from tracker.web.language import page_language
from tracker.web.lookups import keep_viewed_commune

ERROR_TEXTS = {
    400: _l("The request is not valid."),
    403: _l("You are not allowed to do this."),
    404: _l("The page or item you asked for was not found."),
    405: _l("This action is not supported at this address."),
    413: _l("The upload is too large (at most 10 MB per file and 30 MB per submission)."),
    500: _l("Something went wrong in the system. Please try again later."),
}


def today() -> date:
    """Return today's date in the commune's time zone."""
    return local_today(current_app.config["TIMEZONE"])


def requested_as_of() -> date:
    """Return ``?as_of=`` or today; a malformed date is answered with 400."""
    try:
        return parse_iso_date(request.args.get("as_of")) or today()
    except ValueError as exc:
        abort(400, description=str(exc))


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of a page (not a boosted or history load)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(full_template: str, fragment_template: str, **context) -> Response:
    """Render the full page or only its fragment, telling caches the answer varies."""
    response = current_app.make_response(
        render_template(fragment_template if wants_fragment() else full_template, **context)
    )
    response.vary.add("HX-Request")
    return response


URL_SLOT = "__slot__"  # a path segment url_for leaves as it is, filled in per row by ``fill_slot``


def fill_slot(url: str, segment: str) -> str:
    """Put ``segment`` in the first ``URL_SLOT`` of ``url``, quoted as url_for quotes a path segment.

    A table of forty rows builds its links from one ``url_for`` each (routing costs about 0.1 ms a call).
    """
    return url.replace(URL_SLOT, quote(str(segment), safe="!$&'()*+,/:;=@"), 1)


def texts_of(labels: Mapping[str, object]) -> dict[str, str]:
    """Return lazily translated labels as text, translated once (for a loop that shows them per row)."""
    return {key: str(label) for key, label in labels.items()}


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` whose numbers beyond the largest database id become 0, an id no row has.

    The route still matches, so the lookup answers its usual 404 (not a 405 from a rule that
    no longer matches, nor a crash in the database driver).
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


def register_web(app: Flask) -> None:
    """Register blueprints, the user loader, filters, error pages and headers."""
    app.url_map.converters["int"] = BoundedIntConverter  # before any rule is added
    from tracker.web.input_guard import install_input_guard

    install_input_guard(app)  # before every other before_request of the web face and the API
    from tracker.api import bp as api_bp
    from tracker.api.errors import http_error as api_http_error
    from tracker.web.admin import bp as admin_bp
    from tracker.web.auth import bp as auth_bp
    from tracker.web.charts import bp as charts_bp
    from tracker.web.directives import bp as directives_bp
    from tracker.web.inbox import bp as inbox_bp
    from tracker.web.plan import bp as plan_bp
    from tracker.web.progress import bp as progress_bp
    from tracker.web.province import bp as province_bp
    from tracker.web.reports import bp as reports_bp
    from tracker.web.tokens import bp as tokens_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(directives_bp)
    app.register_blueprint(charts_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(province_bp)
    app.register_blueprint(tokens_bp)
    app.url_defaults(keep_viewed_commune)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by the session cookie
    app.register_blueprint(api_bp)

    @login_manager.user_loader
    def load_user(token: str):
        user, g.unread_at_load = load_user_with_unread(db.session, token)
        return user

    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(format_date, "vndate")
    app.add_template_filter(
        lambda value: format_datetime(value, app.config["TIMEZONE"]), "vndatetime")

    @app.context_processor
    def dates() -> dict:
        return {"today_iso": today().isoformat()}

    def may_direct(item) -> bool:
        return can_direct(actor_of(current_user), item.plan.commune_id)

    def may_answer(item) -> bool:
        return can_answer_for(actor_of(current_user), item.plan.commune_id, item.lead_unit_id)

    def inbox_unread() -> int:
        if not current_user.is_authenticated:
            return 0
        # A GET changes no notification: the count read with the user is still the count now.
        if request.method in ("GET", "HEAD") and "unread_at_load" in g:
            return g.unread_at_load
        return unread_count(db.session, current_user)

    app.jinja_env.globals.update(may_direct=may_direct, may_answer=may_answer, inbox_unread=inbox_unread,
                                 page_lang=page_language, figure_text=figure_text, goal_text=goal_text,
                                 texts_of=texts_of, URL_SLOT=URL_SLOT)
    app.add_template_filter(fill_slot, "fill_slot")
    from tracker.web.item_rows import item_columns, item_rows, light

    app.jinja_env.globals.update(item_columns=item_columns, item_rows=item_rows, light=light)

    # Globals (not a context processor) so imported macros see them too.
    app.jinja_env.globals.update(COLOUR_LABELS=COLOUR_LABELS, COLOUR_ICONS=COLOUR_ICONS,
                                 COLOUR_SHORT=COLOUR_SHORT,
                                 ROLE_LABELS=ROLE_LABELS, TASK_STATES=TASK_STATES,
                                 # Date pickers offer only dates the server accepts (tracker.domain.dates).
                                 DATE_BOUNDS=f'min="{EARLIEST_DATE.isoformat()}" '
                                             f'max="{LATEST_DATE.isoformat()}"')

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        text = _("Your session has expired or the form is not valid. Please reload the page and try again.")
        return render_template("error.html", code=400, text=text), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # A failed statement leaves PostgreSQL's transaction aborted; the page itself reads the user.
        db.session.rollback()
        if request.path.startswith("/api/"):
            # Unrouted API URLs (unknown path, wrong method) never reach the blueprint's handler.
            return api_http_error(exc)
        if exc.code == 403:
            record_denial(db.session, current_user if current_user.is_authenticated else None,
                          request.method, request.path, request.remote_addr)
        # Our own abort(400, description=...) messages are Vietnamese; Werkzeug's defaults are not.
        own = exc.code in (400, 503) and exc.description != type(exc).description
        text = exc.description if own else ERROR_TEXTS.get(exc.code or 500, exc.name)
        return render_template("error.html", code=exc.code, text=text), exc.code

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
