"""tracker: follow a commune's digital-transformation action plan."""

from __future__ import annotations

from pathlib import Path

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.config import (
    GENERATE_KEY_ADVICE,
    KEYLESS_ENVIRONMENTS,
    Config,
    config_from_environment,
    secret_key_problem,
)
from tracker.domain.i18n import install_language_getter, lazy_gettext, translate, translate_plural
from tracker.read_only import commit_read_only_requests
from tracker.transaction import TrackerFlask


def check_secret_key(config: dict) -> None:
    """Refuse to start with a missing, public, short or repetitive key outside development and test.

    Sessions are signed with the key: whoever knows it forges any user's cookie.
    """
    if config.get("ENV_NAME") in KEYLESS_ENVIRONMENTS and config.get("SECRET_KEY"):
        return
    if problem := secret_key_problem(config.get("SECRET_KEY")):
        raise RuntimeError(f"{problem}. Production (the default TRACKER_ENV) needs a secret key of its own: "
                           f"SECRET_KEY=$({GENERATE_KEY_ADVICE}); for local work set TRACKER_ENV=development "
                           "(see README, Configuration).")


def create_app(config_class: type[Config] | None = None) -> TrackerFlask:
    """Build the web application; no side effects beyond configuration."""
    app = TrackerFlask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_environment())
    check_secret_key(app.config)
    if proxies := app.config.get("PROXY_COUNT", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from tracker.extensions import csrf, db, htmx, login_manager, migrate
    from tracker.web.language import end_of_request, page_language

    db.init_app(app)
    commit_read_only_requests(app, db)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    login_manager.localize_callback = str  # flash the text in the reader's language, not the lazy object
    # One translation pipeline, tracker.domain.i18n, for Python and templates alike: the web face
    # only tells it the reader's language, decided once per request (see tracker/web/language.py).
    install_language_getter(page_language)
    app.teardown_request(end_of_request)
    # Jinja's i18n extension with the domain's functions; newstyle: Jinja fills the %(name)s
    # placeholders itself and escapes their values when autoescaping.
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(translate, translate_plural, newstyle=True)
    login_manager.session_protection = "strong"

    from tracker import models  # noqa: F401  (register every table with the metadata)

    register_blueprints(app)

    from tracker.cli import register_cli

    register_cli(app)
    return app


def register_blueprints(app: TrackerFlask) -> None:
    """Register both faces, their one error handler each and the guard in front of them.

    Only here do the web face and the API meet: neither imports the other.
    """
    from werkzeug.exceptions import HTTPException

    from tracker.api import bp as api_bp
    from tracker.api.errors import http_error as api_error
    from tracker.extensions import csrf
    from tracker.input_guard import install_input_guard
    from tracker.request_args import BoundedIntConverter
    from tracker.web import register_web
    from tracker.web.admin import bp as admin_bp
    from tracker.web.auth import bp as auth_bp
    from tracker.web.charts import bp as charts_bp
    from tracker.web.directives import bp as directives_bp
    from tracker.web.errors import error_page
    from tracker.web.inbox import bp as inbox_bp
    from tracker.web.lookups import keep_viewed_commune
    from tracker.web.plan import bp as plan_bp
    from tracker.web.progress import bp as progress_bp
    from tracker.web.province import bp as province_bp
    from tracker.web.reports import bp as reports_bp
    from tracker.web.tokens import bp as tokens_bp

    app.url_map.converters["int"] = BoundedIntConverter  # before any rule is added
    install_input_guard(app)  # before every other before_request of the web face and the API
    for blueprint in (auth_bp, plan_bp, progress_bp, reports_bp, directives_bp, charts_bp, inbox_bp,
                      province_bp, tokens_bp):
        app.register_blueprint(blueprint)
    app.url_defaults(keep_viewed_commune)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by the session cookie
    app.register_blueprint(api_bp)
    register_web(app)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # Routed API requests have the blueprint's own handler; unrouted API URLs (unknown path,
        # wrong method) come here and still answer JSON.
        return api_error(exc) if request.path.startswith("/api/") else error_page(exc)
