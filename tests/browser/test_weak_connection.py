"""Weak connections: pages read and forms log without JavaScript; htmx shows a loading state and,
when a request fails, a Vietnamese message with a way to try again."""

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in
from tracker.models import ReportingPeriod

PAGES = ("/plan?as_of=2025-11-03", "/items/MT02?as_of=2025-11-03", "/units/TTHCC", "/my", "/scorecard",
         "/reports", "/legal", "/inbox", "/inbox/settings", "/account/password", "/summary?as_of=2025-11-03")


@pytest.fixture
def no_js_page(browser, request):
    """A page with JavaScript switched off (an old phone, a blocked script, a half-loaded page)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740},
                                  locale="vi-VN")
    page = context.new_page()
    page.size_name = "phone-nojs"
    yield page
    context.close()


def test_every_page_reads_and_the_forms_log_without_javascript(no_js_page, server, demo, db):
    page = no_js_page
    sign_in(page, server, "tp.tthcc")
    period = db.session.scalar(select(ReportingPeriod).order_by(ReportingPeriod.id))
    for path in (*PAGES, f"/reports/{period.id}"):
        answer = page.goto(f"{server}{path}")
        assert answer.status == 200, path
        assert page.locator("h1").count() >= 1, path
        assert_no_horizontal_scroll(page)
    # The dashboard's filters work as a plain GET form.
    page.goto(f"{server}/plan?as_of=2025-11-03")
    page.select_option("#colour", "red")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**colour=red**")
    assert page.locator("#overview-items tbody tr").count() == 5
    # One value on the item page ...
    page.goto(f"{server}/items/MT07")
    page.fill("#f-as_of", "2025-11-03")
    page.fill("#f-value", "120")
    page.fill("#f-doc_number", "131/QĐ-UBND")
    page.click("#entry-form button[type=submit]")
    page.wait_for_url("**/items/MT07")
    assert "Đã ghi nhận MT07: " in page.inner_text("main"), "the confirmation says what changed"
    assert "131/QĐ-UBND" in page.inner_text(".history")
    shot(page, "weak-1-logged-without-javascript")
    assert_no_horizontal_scroll(page)
    # ... and several at once on the unit's desk.
    page.goto(f"{server}/my")
    page.fill("#MT09-value", "95")
    page.fill("#NV05-percent", "70")
    page.click("button:text-is('Ghi nhận tất cả')")
    page.wait_for_url("**/my")
    assert "Đã ghi nhận 2 số liệu." in page.inner_text("main")
    # A directive is answered the same way.
    page.goto(f"{server}/items/NV03")
    assert page.locator("#directives article").count() == 1


def test_a_failed_request_says_so_in_vietnamese_and_can_be_retried(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT07")
    assert page.is_hidden("#net-error"), "no message before anything fails"
    page.fill("#f-as_of", "2025-11-03")
    page.fill("#f-value", "120")

    # The connection drops: the request never reaches the server.
    page.route("**/items/MT07/entries", lambda route: route.abort("internetdisconnected"))
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#net-error", state="visible")
    message = page.inner_text("#net-error")
    assert "Không kết nối được máy chủ" in message
    assert "Thử lại" in message
    assert page.input_value("#f-value") == "120", "what was typed is kept"
    assert page.evaluate("document.activeElement.matches('[data-net-retry]')"), "focus moves to the retry"
    shot(page, "weak-2-connection-lost", full_page=False)
    assert_no_horizontal_scroll(page)

    # The server answers with an error.
    page.unroute("**/items/MT07/entries")
    page.route("**/items/MT07/entries", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    page.click("[data-net-retry]")
    page.wait_for_function("() => document.querySelector('#net-error p').textContent.includes('502')")
    assert "Máy chủ báo lỗi" in page.inner_text("#net-error")

    # The answer never comes: htmx gives up after its time-out (20 s, shortened here).
    page.unroute("**/items/MT07/entries")
    held = []
    page.route("**/items/MT07/entries", lambda route: held.append(route))
    page.evaluate("htmx.config.timeout = 400")
    page.click("[data-net-retry]")
    page.wait_for_function("() => document.querySelector('#net-error p').textContent.includes('trả lời kịp')")
    assert page.is_hidden("#loading")
    page.evaluate("htmx.config.timeout = 20000")

    # The connection is back but slow: a loading state shows while the request waits.
    timed_out = len(held)
    page.click("[data-net-retry]")
    page.wait_for_selector("#loading", state="visible")
    assert page.inner_text("#loading") == "Đang tải…"
    assert page.is_disabled("#entry-form button[type=submit]"), "no double submission while waiting"
    assert page.is_hidden("#net-error")
    shot(page, "weak-3-loading", full_page=False)
    for _ in range(50):  # Playwright hands the held request to the handler while it waits
        if len(held) > timed_out:
            break
        page.wait_for_timeout(100)
    assert len(held) > timed_out, "the request was held"
    held[-1].continue_()
    page.wait_for_selector(".flash:has-text('Đã ghi nhận MT07: ')")
    assert page.is_hidden("#loading")
    assert "120" in page.inner_text(".history")



def test_an_expired_session_is_explained(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT07")
    page.fill("#f-as_of", "2025-11-03")
    page.fill("#f-value", "120")
    # The form stayed open past the token's life: the server refuses the request with its 400 page.
    page.evaluate("""() => document.body.setAttribute('hx-headers', '{"X-CSRFToken": "expired"}')""")
    page.evaluate("() => document.querySelector('#entry-form input[name=csrf_token]').value = 'expired'")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#net-error", state="visible")
    message = page.inner_text("#net-error p")
    assert "Phiên làm việc đã hết hạn" in message, message
    assert "(mã 400)" in message
    assert page.input_value("#f-value") == "120"
