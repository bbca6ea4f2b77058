"""CSRF protection with the real setting on: forms need the token; htmx sends it in a header."""

import re
import secrets

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def csrf_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def token_of(html: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def test_state_changes_need_the_token(csrf_app, make_user):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    client = csrf_app.test_client()
    login_page = client.get("/login").text
    assert client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD}).status_code == 400
    signed = client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD,
                                         "csrf_token": token_of(login_page)})
    assert signed.status_code == 302
    item_page = client.get("/items/MT02").text
    forged = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74"})
    assert forged.status_code == 400
    assert "Vui lòng tải lại trang" in forged.text
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', item_page).group(1)
    htmx = client.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74"},
                       headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert htmx.status_code == 200
    assert client.post("/logout").status_code == 400, "even sign-out needs the token"


def test_cookies_are_protected_in_production(make_user):
    from tracker import create_app
    from tracker.config import Config

    class Production(Config):
        SECRET_KEY = secrets.token_hex(32)
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Production)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() <= 12 * 3600
    assert app.config["MAX_CONTENT_LENGTH"] is not None
    assert app.config["PASSWORD_HASH_METHOD"].startswith("scrypt:131072")
