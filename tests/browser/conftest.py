"""A real browser (Debian's Chromium, driven by Playwright) against the app served on loopback."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-artifacts" / "screenshots"
# TRACKER_DOC_SHOTS=1 also writes every step, palette-reduced, to docs/screenshots/ (committed).
DOC_SHOTS = ROOT / "docs" / "screenshots" if os.environ.get("TRACKER_DOC_SHOTS") == "1" else None
MAX_SHOT_HEIGHT = 2400  # px: a long page is cut, so the committed images stay small
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"

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
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:  # keep what the page looked like, for diagnosis
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("[", "-").rstrip("]")
        page.screenshot(path=str(SHOTS / f"FAILED-{name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def sign_in(page, server: str, username: str) -> None:
    """Sign in through the real form and wait for the plan page."""
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def open_menu(page) -> None:
    """On a phone the site menu is folded behind a button: open it (a desktop shows it as it is)."""
    # After the page's scripts ran: menu.js folds the menu when it starts, so a click before that
    # opened a menu that was folded again at once (seen on a loaded machine).
    page.wait_for_load_state("load")
    toggle = page.locator("header.site .menu-toggle")
    if toggle.count() and toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        page.wait_for_selector("header.site .menu-toggle[aria-expanded='true']")


def sign_out(page) -> None:
    """Sign out through the menu's button and wait for the sign-in page."""
    open_menu(page)
    page.click("button:text-is('Đăng xuất')")
    page.wait_for_url("**/login**")


def shot(page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot of the current step: the whole page, cut at ``MAX_SHOT_HEIGHT``, or the
    window only (``full_page=False``, for what is pinned to the window, such as the retry message)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{page.size_name}.png"
    if full_page:
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.viewport_size["width"]
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": min(height, MAX_SHOT_HEIGHT)})
    else:
        page.screenshot(path=str(path))
    if DOC_SHOTS is not None:
        from PIL import Image

        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        with Image.open(path) as image:
            image.convert("RGB").quantize(colors=128).save(DOC_SHOTS / path.name, optimize=True)


def assert_no_horizontal_scroll(page) -> None:
    """The page fits its viewport's width: nothing to scroll sideways (a phone at 360 px)."""
    scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} scrolls sideways: {scroll} px wide in a {inner} px window"


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (evaluate is not bound by the page's CSP) and return bad violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")
    return [v for v in result if v["impact"] in impacts]
