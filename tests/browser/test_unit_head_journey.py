"""Journey 1: a unit head logs a value with a document and a file, in a real browser."""

from tests.browser.conftest import assert_no_horizontal_scroll, open_menu, shot, sign_in


def test_unit_head_logs_progress_without_a_reload(page, server, make_user, tmp_path):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    sign_in(page, server, "tp.tthcc")
    assert page.url == f"{server}/my", "a unit head starts at the unit's desk"
    open_menu(page)
    page.click("header.site a:text-is('Việc của đơn vị')")
    assert "Trung tâm Phục vụ hành chính công" in page.inner_text("h1")
    shot(page, "unit-head-1-desk")
    assert_no_horizontal_scroll(page)
    page.goto(f"{server}/items/MT02")
    assert "Chưa có số liệu" in page.inner_text(".status-card")
    page.evaluate("window.__sameDocument = true")  # survives only if the page does not reload
    evidence = tmp_path / "Quyết định 119.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.fill("#f-as_of", "2025-10-01")
    page.fill("#f-value", "104")
    page.fill("#f-doc_number", "119/QĐ-UBND")
    page.set_input_files("#f-files", str(evidence))
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector(".flash:has-text('Đã ghi nhận MT02: ')")
    assert page.evaluate("window.__sameDocument") is True, "htmx swapped the block in place"
    said = page.evaluate("document.activeElement.textContent")
    assert said == "Đã ghi nhận MT02: 104 dịch vụ (ngày 01/10/2025).", said
    assert "104" in page.inner_text(".history")
    assert "Quyết định 119.pdf" in page.inner_text(".history")
    shot(page, "unit-head-2-logged")
    page.goto(f"{server}/items/MT16")
    assert page.locator("#entry-form").count() == 0, "no form on another unit's item"
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    answer = page.request.post(f"{server}/items/MT16/entries", form={"as_of": "2025-10-01", "value": "1"},
                               headers={"X-CSRFToken": token})
    assert answer.status == 403
    assert_no_horizontal_scroll(page)


def test_the_form_works_without_javascript(browser, server, make_user):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT02")
    page.fill("#f-as_of", "2025-10-01")
    page.fill("#f-value", "90")
    page.click("#entry-form button[type=submit]")
    assert "Đã ghi nhận MT02: " in page.inner_text("body")
    assert "90" in page.inner_text(".history")
    context.close()
