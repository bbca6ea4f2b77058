"""The session key fails closed: production is the default, and only a real secret starts it."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tracker import create_app
from tracker.config import Config, DevelopmentConfig, config_from_environment


def _production(key: str | None) -> type[Config]:
    class Production(Config):
        SECRET_KEY = key
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    return Production


def test_without_tracker_env_the_production_settings_are_chosen(monkeypatch):
    monkeypatch.delenv("TRACKER_ENV", raising=False)
    assert config_from_environment() is Config


def test_gunicorn_entry_point_refuses_to_start_without_a_key():
    """``gunicorn wsgi:app`` with neither TRACKER_ENV nor SECRET_KEY used to run on the public key."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_ENV", "SECRET_KEY")}
    env["DATABASE_URL"] = "sqlite://"
    done = subprocess.run([sys.executable, "-c", "import wsgi; print(wsgi.app.secret_key)"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "dev-only-not-secret" not in done.stdout
    assert "SECRET_KEY is not set" in done.stderr
    assert "secrets.token_hex(32)" in done.stderr, "the refusal says how to make a key"


@pytest.mark.parametrize("key", [None, "", "a", "dev-only-not-secret", "test-only-not-secret",
                                 "x" * 64, "changeme" * 4, secrets.token_hex(15)])
def test_production_refuses_missing_public_short_or_repetitive_keys(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(key))


@pytest.mark.parametrize("key", [secrets.token_hex(32), secrets.token_urlsafe(32)])
def test_production_starts_with_a_generated_key(key):
    assert create_app(_production(key)).secret_key == key


def test_development_chosen_explicitly_keeps_its_fixed_key():
    class Development(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    assert create_app(Development).config["ENV_NAME"] == "development"
