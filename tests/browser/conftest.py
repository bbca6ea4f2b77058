"""A real browser (Debian's Chromium, driven by Playwright) against the app served on loopback."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

if CHROMIUM is None:
    pytest.skip("browser tests skipped: no Chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def server(app, db, monkeypatch):
    """The app on a free loopback port for the length of one test, CSRF protection on."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; the test tool never downloads a browser of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=[{"width": 1280, "height": 900}, {"width": 360, "height": 740}],
                ids=["desktop", "phone"])
def page(browser, request):
    """A fresh browser page at desktop or phone size; screenshots land in test-artifacts/."""
    context = browser.new_context(viewport=request.param, locale="vi-VN")
    page = context.new_page()
    page.size_name = request.node.callspec.id
    yield page
    context.close()


def shot(page, name: str) -> None:
    """Save a screenshot of the current step."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.size_name}.png"), full_page=True)
