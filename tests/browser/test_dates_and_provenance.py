"""Issue 14: dates read and written dd/mm/yyyy on an English browser; an item's page says whether its
units are the plan's document's assignment or the commune's own."""

import re

import pytest

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(params=list(SIZES))
def english_page(browser, request):
    """A page of a browser whose language is American English (native date fields: mm/dd/yyyy)."""
    context = browser.new_context(viewport=SIZES[request.param], locale="en-US")
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def test_dates_are_dd_mm_yyyy_on_an_english_browser(english_page, server, make_user):
    page = english_page
    make_user("tp.tthcc", "unit_head", "TTHCC")
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT02")
    field = page.locator("#f-as_of")
    assert field.get_attribute("type") == "text"
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", field.input_value()), field.input_value()
    field.fill("03/11/2025")
    page.fill("#f-value", "74")
    page.fill("#f-doc_date", "1/11/2025")
    page.fill("#f-doc_number", "119/QĐ-UBND")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector(".flash")
    history = page.inner_text(".history")
    assert "03/11/2025" in history
    assert "01/11/2025" in history, "the document's date, typed d/m/yyyy"
    # A month-first date is refused in Vietnamese, what was typed kept in the field.
    page.fill("#f-as_of", "11/30/2025")
    page.fill("#f-value", "75")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#as_of-error")
    assert "ngày/tháng/năm" in page.inner_text("#as_of-error")
    assert page.locator("#f-as_of").input_value() == "11/30/2025"
    assert_no_horizontal_scroll(page)

    page.goto(f"{server}/plan?as_of=2025-11-03")
    assert page.locator("#as_of").input_value() == "03/11/2025"
    page.fill("#as_of", "01/10/2025")
    page.press("#as_of", "Enter")
    page.wait_for_url(re.compile(r"as_of=2025-10-01"))
    assert page.locator("#as_of").input_value() == "01/10/2025"


def test_the_item_page_says_whose_assignment_it_is(page, server, make_user):
    make_user("bithu", "leader", "TTDU")
    sign_in(page, server, "bithu")
    page.goto(f"{server}/items/NV11?as_of=2025-11-03")
    facts = page.inner_text(".status-card")
    assert "Đảng bộ Công an xã" in facts
    assert "Theo văn bản (Phần V.6)" in facts
    assert "Phân công của xã" in facts, "the supporting units are the commune's own"
    assert "an ninh mạng, an toàn thông tin" in facts, "the document's words are quoted"
    shot(page, "item-assignment-provenance")
    assert_no_horizontal_scroll(page)
    page.goto(f"{server}/items/NV01?as_of=2025-11-03")
    assert "Hoàn thành" in page.inner_text(".status-card")
    history = page.inner_text(".history")
    assert "Văn bản của kế hoạch" in history
    assert "Tờ trình về việc trình Dự thảo Kế hoạch" in history
    shot(page, "item-done-per-document")
