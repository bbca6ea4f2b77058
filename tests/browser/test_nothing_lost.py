"""Nothing typed is lost (issue 14, points 2, 3, 4 and 8): the period page saves all it shows at once
and guards against leaving with unsaved changes; the unit's batch update survives a lost connection
and points at its first error; a correction keeps its evidence; a failed save's address still opens."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, axe_violations, open_menu, shot, sign_in
from tests.test_domain_stats import BA_DINH
from tracker.models import ReportingPeriod, User
from tracker.services.periods import PeriodInput, create_period

NARRATIVE = "08 công chức trực tiếp giải quyết TTHC; bộ phận một cửa hoạt động ổn định."


@pytest.fixture
def week(db, demo):
    """A draft week the secretary has not filled in yet."""
    secretary = db.session.scalar(select(User).where(User.username == "vanthu"))
    period = create_period(db.session, secretary, demo.commune,
                           PeriodInput("week", date(2025, 10, 27), date(2025, 11, 3)))
    db.session.commit()
    return period


def in_viewport(page, selector: str = ":focus") -> bool:
    """True when the element (by default the focused one) is inside the window, to a pixel."""
    return page.evaluate("""s => { const el = document.querySelector(s); if (!el) return false;
        const r = el.getBoundingClientRect(); return r.top > -1 && r.bottom < window.innerHeight + 1; }""",
                         selector)


def type_into(page, selector: str, text: str) -> None:
    """Type as a person does (a click and keys), so the page counts it as the user's own action."""
    page.click(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_the_period_page_saves_everything_typed_and_guards_leaving(page, server, week, db):
    dialogs: list[str] = []

    def refuse_to_leave(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", refuse_to_leave)
    sign_in(page, server, "vanthu")
    address = f"{server}/reports/{week.id}"
    page.goto(address)
    # A finance figure and a narrative, then the TTHC figures, saved with the TTHC section's button.
    type_into(page, "#f-estimate", "500.000.000")
    type_into(page, "[id='section-3.1']", NARRATIVE)
    # Leaving now would lose them: the browser asks first (and stays when told to).
    open_menu(page)
    page.click("header.site a[href$='/reports']")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"], dialogs
    assert page.url == address
    assert page.input_value("#f-estimate") == "500.000.000"

    # A slip in the statistics: refused, and every section keeps what was typed.
    for name, value in {**BA_DINH, "dossiers_new_in_person": 28}.items():
        page.fill(f"#s-{name}", str(value))
    page.click("#stats button[type=submit]")
    page.wait_for_selector(".problems")
    assert page.evaluate("document.activeElement.matches('.error-summary')"), "focus on the summary"
    assert in_viewport(page), "the summary is in the window"
    assert page.input_value("#s-dossiers_new_in_person") == "28"
    assert page.input_value("#f-estimate") == "500.000.000", "the finance figure survives a refusal"
    assert page.input_value("[id='section-3.1']") == NARRATIVE, "the narrative survives a refusal"
    shot(page, "period-page-refused", full_page=False)
    assert axe_violations(page) == []
    open_menu(page)
    page.click("header.site a[href$='/reports']")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload", "beforeunload"], "what a refusal kept on screen is still unsaved"
    assert page.url.startswith(address)

    # Fixed and saved: all three sections are stored.
    page.fill("#s-dossiers_new_in_person", "27")
    page.click("#stats button[type=submit]")
    page.wait_for_selector(".flash")
    assert page.locator(".problems").count() == 0
    page.goto(address)
    assert page.input_value("#f-estimate") == "500.000.000", "the finance figure was saved"
    assert page.input_value("[id='section-3.1']") == NARRATIVE, "the narrative was saved"
    assert page.input_value("#s-dossiers_new_in_person") == "27"
    db.session.expire_all()
    saved = db.session.get(ReportingPeriod, week.id)
    assert saved.finance.estimate == 500_000_000
    assert {s.key: s.text for s in saved.sections}["3.1"] == NARRATIVE
    shot(page, "period-page-one-save")
    assert_no_horizontal_scroll(page)

    # After a successful save, leaving asks nothing.
    open_menu(page)
    page.click("header.site a[href$='/reports']")
    page.wait_for_url("**/reports")
    assert dialogs == ["beforeunload", "beforeunload"]


def test_the_batch_update_survives_a_lost_connection(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    shot(page, "my-desk")
    page.fill("#MT09-value", "95")
    type_into(page, "#MT09-note", "Số liệu tháng 11")
    page.context.set_offline(True)
    page.click("button:text-is('Ghi nhận tất cả')")
    page.wait_for_selector("#net-error", state="visible")
    message = page.inner_text("#net-error")
    assert "Không kết nối được máy chủ" in message
    assert page.input_value("#MT09-value") == "95", "what was typed is kept"
    assert page.input_value("#MT09-note") == "Số liệu tháng 11"
    shot(page, "my-batch-offline", full_page=False)
    page.context.set_offline(False)
    page.click("[data-net-retry]")
    page.wait_for_selector(".flash:has-text('Đã ghi nhận 1 số liệu.')")
    assert page.url.endswith("/my")
    assert page.input_value("#MT09-value") == "", "a saved batch starts empty again"


def test_a_refused_batch_focuses_its_first_error(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    page.fill("#MT09-value", "chín lăm")
    page.fill("#NV05-percent", "70")
    page.click("button:text-is('Ghi nhận tất cả')")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.matches('.error-summary')"), "focus on the summary"
    assert in_viewport(page), "the summary is in the window"
    assert "MT09" in page.inner_text(".error-summary")
    assert page.input_value("#NV05-percent") == "70", "the valid row is kept"
    assert page.get_attribute("#MT09-value", "aria-invalid") == "true"
    shot(page, "my-batch-refused", full_page=False)
    assert axe_violations(page) == []
    assert_no_horizontal_scroll(page)
    page.click(".error-summary a[href='#MT09-value']")
    assert page.evaluate("document.activeElement.id") == "MT09-value"
    # Reopening the address of the refusal (a reload as GET, or Back) opens the page.
    assert page.goto(page.url).status == 200
    assert page.locator("h1").count() == 1


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740},
                                  locale="vi-VN")
    page = context.new_page()
    page.size_name = "phone-nojs"
    yield page
    context.close()


def test_a_refused_batch_without_javascript_shows_its_first_error(no_js_page, server, demo):
    page = no_js_page
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    page.fill("#MT09-value", "chín lăm")
    page.click("button:text-is('Ghi nhận tất cả')")
    page.wait_for_selector(".error-summary")
    # Without scripts the browser's own autofocus moves the focus, once the page has loaded.
    page.wait_for_function("document.activeElement.matches('.error-summary')", timeout=5000)
    assert in_viewport(page), "the summary is in the window"
    assert page.goto(page.url).status == 200, "the refusal's address opens with GET"
    # Fixed, the plain form saves.
    page.fill("#MT09-value", "95")
    page.click("button:text-is('Ghi nhận tất cả')")
    page.wait_for_selector(".flash:has-text('Đã ghi nhận 1 số liệu.')")


def test_a_failed_period_save_can_be_reopened(page, server, week):
    sign_in(page, server, "vanthu")
    page.goto(f"{server}/reports/{week.id}")
    page.fill("#s-dossiers_new_total", "tám trăm")
    page.click("#stats button[type=submit]")
    page.wait_for_selector("#s-dossiers_new_total[aria-invalid=true]")
    answer = page.goto(page.url)
    assert answer.status == 200, f"{page.url} answered {answer.status}"
    assert page.locator("h1").count() == 1


def test_needs_update_links_open_the_form(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    link = page.locator(".needs a").first
    code = link.inner_text()
    link.click()
    page.wait_for_url(f"**/items/{code}*#entry-form")
    page.wait_for_function("() => document.activeElement.closest('#entry-form') !== null")
    assert in_viewport(page)


def test_a_correction_keeps_its_evidence(page, server, demo, tmp_path):
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT09")
    page.fill("#f-as_of", "2025-11-03")
    page.fill("#f-value", "90")
    page.set_input_files("#f-files", str(evidence))
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector(".flash")
    first = page.locator(".history tbody tr").first
    assert "bien-ban.pdf" in first.inner_text()

    # The correction: the old file is named on the form and comes along.
    first.locator("a[href*='correct=']").click()
    page.wait_for_selector("#f-reason")
    assert "bien-ban.pdf" in page.inner_text("#entry-form")
    page.fill("#f-value", "92")
    page.fill("#f-reason", "Nhập nhầm số liệu")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector(".flash")
    current = page.locator(".history tbody tr:not(.superseded)").first
    assert "92" in current.inner_text()
    assert "bien-ban.pdf" in current.inner_text(), "the correcting entry carries the evidence"
    assert page.locator(".history tbody tr.superseded a:has-text('bien-ban.pdf')").count() == 1
    with page.expect_download() as download:
        current.locator("a:has-text('bien-ban.pdf')").click()
    assert download.value.suggested_filename == "bien-ban.pdf"
    shot(page, "correction-keeps-evidence")

    # A correction told to drop it has none.
    current.locator("a[href*='correct=']").click()
    page.wait_for_selector("#f-reason")
    page.check("#f-drop_evidence")
    page.fill("#f-reason", "Biên bản không đúng kỳ")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector(".flash")
    newest = page.locator(".history tbody tr:not(.superseded)").first
    assert "bien-ban.pdf" not in newest.inner_text()
