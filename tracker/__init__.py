"""tracker: follow a commune's digital-transformation action plan."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.config import Config, config_from_environment


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the web application; no side effects beyond configuration."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_environment())
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (see README, Configuration).")
    if proxies := app.config.get("PROXY_COUNT", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from tracker.extensions import csrf, db, htmx, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.session_protection = "strong"

    from tracker import models  # noqa: F401  (register every table with the metadata)
    from tracker.web import register_web

    register_web(app)

    from tracker.cli import register_cli

    register_cli(app)
    return app
