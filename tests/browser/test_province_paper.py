"""The province secretary keys seed 002 in on a phone, as printed, and sees every inconsistency."""

import pytest

from tests.browser.conftest import assert_no_horizontal_scroll, axe_violations, shot, sign_in
from tests.conftest import PASSWORD
from tracker.services.users import create_user


@pytest.fixture
def phone(browser):
    """A 360×740 phone page (this walk is the phone's)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.size_name = "phone"
    yield page
    context.close()


def test_keying_seed_002_on_a_phone_shows_its_flags(phone, server, plan, db, data_app):
    create_user(db.session, province=plan.commune.province, username="vptinh", password=PASSWORD,
                role="secretary", full_name="Văn phòng tỉnh",
                hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    page = phone
    sign_in(page, server, "vptinh")
    page.goto(f"{server}/province/paper/new")
    page.select_option("#commune_id", str(plan.commune.id))
    page.select_option("#kind", "month")
    page.fill("#start_date", "01/10/2025")
    # The month's end fills itself from its start, as on the commune's own period form (walk finding).
    assert page.input_value("#end_date") == "31/10/2025"
    # "trực tuyến toàn trình là 266 thủ tục; một phần, trực tiếp 496 thủ tục"
    page.fill("#tthc_online_full-count", "266")
    page.fill("#tthc_partial_or_in_person-count", "496")
    # "trên tổng số hồ sơ TTHC phát sinh 687 hồ sơ"
    page.fill("#dossiers_new_total-count", "687")
    # "trực tiếp 19,95%, trực tuyến 80,05 % thủ tục toàn trình" and "một phần ... 90,16 %"
    for key, percent in (("dossiers_new_in_person", "19,95"), ("dossiers_new_online_full", "80,05"),
                         ("dossiers_new_online_partial", "90,16")):
        page.fill(f"#{key}-percent", percent)
        page.select_option(f"#{key}-base", "dossiers_new_total")
    page.locator("#dossiers_new_online_full-row").scroll_into_view_if_needed()
    assert_no_horizontal_scroll(page)
    shot(page, "province-paper-form", full_page=False)
    page.click("button:text-is('Lưu như bản in và kiểm tra')")
    page.wait_for_selector(".paper-flags")
    flags = page.locator(".paper-flag")
    assert flags.count() == 5
    text = page.inner_text(".paper-flags")
    assert "5 điểm không thống nhất" in text
    assert "không có số nguyên nào cho đúng 19,95%" in text
    assert "190,16%" in text
    assert "762 = 266 + 496" in text
    assert_no_horizontal_scroll(page)
    shot(page, "province-paper-flags")
    assert axe_violations(page) == []
    page.goto(f"{server}/province/paper")
    assert plan.commune.name in page.inner_text("table.paper-list")
    assert_no_horizontal_scroll(page)
    shot(page, "province-paper-list", full_page=False)
