"""A usability walk on a 360x740 phone (issue 14): every refused form says so at the top of the
window with focus on it, a choice of kind fills the period's end, a sent directive and a saved figure
say what happened where the user is looking, and notes in the batch form are tall enough to read."""

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in
from tests.browser.test_nothing_lost import in_viewport


def focused_summary(page) -> str:
    """The refusal summary's text, after checking it has the focus and is in the window."""
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.matches('.error-summary')"), "focus on the summary"
    assert in_viewport(page), "the summary is in the window"
    return page.inner_text(".error-summary")


def test_a_refused_new_period_is_summarised_in_view(page, server, demo):
    sign_in(page, server, "vanthu")
    page.goto(f"{server}/reports")
    page.select_option("#kind", "custom")
    page.fill("#start_date", "27/10/2025")
    page.fill("#signer_name", "Nguyễn Văn A")
    page.click("button:text-is('Tạo kỳ báo cáo')")
    summary = focused_summary(page)
    assert "Chọn ngày kết thúc." in summary
    shot(page, "period-new-refused", full_page=False)
    assert page.input_value("#signer_name") == "Nguyễn Văn A", "what was typed is kept"
    page.click(".error-summary a[href='#end_date']")
    assert page.evaluate("document.activeElement.id") == "end_date"
    assert_no_horizontal_scroll(page)


def test_choosing_a_week_or_a_month_fills_the_end(page, server, demo):
    sign_in(page, server, "vanthu")
    page.goto(f"{server}/reports")
    assert page.get_attribute("#signer_title", "placeholder") == "ví dụ: CHỦ TỊCH"
    page.fill("#start_date", "27/10/2025")
    page.select_option("#kind", "week")
    assert page.input_value("#end_date") == "02/11/2025"
    page.select_option("#kind", "month")
    assert page.input_value("#end_date") == "31/10/2025", "what the page filled follows the kind"
    page.select_option("#kind", "quarter")
    assert page.input_value("#end_date") == "31/12/2025"
    page.fill("#end_date", "05/11/2025")
    page.select_option("#kind", "week")
    assert page.input_value("#end_date") == "05/11/2025", "a date the user typed is never replaced"


def test_a_refused_document_is_summarised_in_view(page, server, demo):
    sign_in(page, server, "vanthu")
    page.goto(f"{server}/legal")
    page.fill("#issuer", "UBND xã")
    page.click("button:text-is('Thêm vào sổ')")
    focused_summary(page)
    assert page.input_value("#issuer") == "UBND xã"


def test_a_directive_names_its_unit_before_and_after_sending(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/items/NV06")
    page.fill("#directive-due", "31/02/2026")
    page.click("#directives button:text-is('Gửi chỉ đạo')")
    assert "Ngày 31/02/2026 không có trong lịch." in focused_summary(page)
    assert page.input_value("#directive-due") == "31/02/2026", "what was typed is kept"
    page.fill("#directive-due", "")
    unit = page.inner_text(".status-card dl.facts dd a[href*='/units/']")
    assert f"Gửi tới: {unit}" in page.inner_text("#directives form")
    page.fill("#directive-text", "Đề nghị báo cáo tiến độ số hóa.")
    page.click("#directives button:text-is('Gửi chỉ đạo')")
    page.wait_for_selector("#directives [data-saved]")
    said = page.inner_text("#directives [data-saved]")
    assert said == f"Đã gửi chỉ đạo tới {unit}.", said
    assert in_viewport(page, "#directives [data-saved]")
    shot(page, "directive-sent", full_page=False)


def test_a_saved_figure_says_what_changed_where_the_user_is(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT02#entry-form")
    before = page.inner_text(".status-card dl.facts dt:text-is('Hiện tại') + dd").split(" (")[0]
    page.fill("#f-as_of", "20/11/2025")
    page.fill("#f-value", "95")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("[data-saved]")
    said = page.inner_text("[data-saved]")
    number = before.split(" ")[0]
    assert said.startswith(f"Đã ghi nhận MT02: {number} → 95 "), (before, said)
    assert said.endswith("(ngày 20/11/2025)."), said
    assert page.evaluate("document.activeElement.matches('[data-saved]')"), "focus on the confirmation"
    assert in_viewport(page), "the confirmation is in the window"
    shot(page, "item-saved-change", full_page=False)


def test_batch_notes_show_several_lines(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    lines = page.evaluate("""() => { const t = document.querySelector('#MT09-note');
        const s = getComputedStyle(t); const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.2;
        return (t.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / line; }""")
    assert lines >= 2.5 or page.viewport_size["width"] > 600, lines
