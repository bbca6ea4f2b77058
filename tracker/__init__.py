"""tracker: follow a commune's digital-transformation action plan."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
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


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the web application; no side effects beyond configuration."""
    app = Flask(__name__, instance_relative_config=True)
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
    from tracker.web import register_web

    register_web(app)

    from tracker.cli import register_cli

    register_cli(app)
    return app
