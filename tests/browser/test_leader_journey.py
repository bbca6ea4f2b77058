"""Journey 2: a leader finds what is red, reads why and writes a directive; the unit head answers it."""

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in, sign_out

AS_OF = "2025-11-03"  # the demo's week: every colour is on the board


def test_leader_directs_and_the_unit_head_answers(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/plan?as_of={AS_OF}")
    shot(page, "leader-1-dashboard")
    assert_no_horizontal_scroll(page)

    # Filter to one unit's red items: htmx swaps the list and keeps the filter in the address.
    page.evaluate("window.__sameDocument = true")
    page.select_option("#unit", "TTHCC")
    page.wait_for_url("**unit=TTHCC**")
    page.select_option("#colour", "red")
    page.wait_for_url("**colour=red**")
    page.wait_for_function("document.querySelectorAll('#overview-items tbody tr').length === 2")
    assert page.evaluate("window.__sameDocument") is True, "the filter swaps the list in place"
    rows = page.locator("#overview-items tbody tr")
    codes = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert codes == ["NV03", "NV06"]
    for i in range(rows.count()):
        text = rows.nth(i).inner_text()
        assert "Chậm / quá hạn" in text, "the light is named in words, not only coloured"
        assert "Trung tâm Phục vụ hành chính công" in text
    shot(page, "leader-2-red-of-one-unit")
    assert_no_horizontal_scroll(page)

    # Open an item and read why it is red.
    page.click("#overview-items a:text-is('NV06')")
    page.wait_for_url(f"**/items/NV06?as_of={AS_OF}")
    status = page.inner_text(".status-card")
    assert "Chậm / quá hạn" in status
    assert "Vì sao màu này:" in status
    reason = page.inner_text(".status-card p:has(strong)")
    assert "45" in reason, reason  # the figure logged, named in the explanation
    shot(page, "leader-3-why-red")

    # Write a directive; htmx swaps the directive list.
    text = "Trung tâm Phục vụ HCC báo cáo tiến độ số hóa hồ sơ NV06 trước ngày 10/11/2025."
    page.fill("#directive-text", text)
    page.click("#directives button:text-is('Gửi chỉ đạo')")
    page.wait_for_selector(f"#directives article:has-text('{text}')")
    assert "Chưa trả lời" in page.inner_text("#directives article")
    shot(page, "leader-4-directive-written")
    assert_no_horizontal_scroll(page)
    sign_out(page)

    # The unit head sees it on the desk and answers it.
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    desk = page.inner_text(".open-directives")
    assert text in desk
    shot(page, "leader-5-unit-head-sees-it")
    page.click(".open-directives a:text-is('NV06')")
    page.wait_for_url("**/items/NV06**")
    answer = "Đã số hóa 60% hồ sơ; hoàn thành trong tháng 11/2025."
    page.locator("#directives article", has_text=text).locator("textarea").fill(answer)
    page.locator("#directives article", has_text=text).locator("button:text-is('Trả lời')").click()
    page.wait_for_selector(f"#directives .reply:has-text('{answer}')")
    answered = page.locator("#directives article", has_text=text).inner_text()
    assert "Đã trả lời" in answered
    assert "Trần Minh Đức" in answered
    shot(page, "leader-6-answered")
    assert_no_horizontal_scroll(page)
