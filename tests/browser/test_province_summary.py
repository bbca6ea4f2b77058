"""Issue 15: the province's secretary edits the province's report of a week gathered from the
accepted communes, saves it, and downloads it as PDF with the edited text and a commune's figures."""

from tests.browser.conftest import assert_no_horizontal_scroll, axe_violations, shot, sign_in
from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH, NGOK_TU
from tests.test_province_summary import START, add_commune, add_period, pdf_text
from tracker.services.users import create_user


def test_the_province_edits_its_report_and_downloads_it(page, server, db, plan, data_app, tmp_path):
    province = plan.commune.province
    add_period(db, plan.commune, "accepted", BA_DINH,
               {"2": "Đã lắp wifi tại nhà văn hóa.", "5.2": "Xin thêm máy tính.\nĐề nghị tập huấn."})
    add_period(db, add_commune(db, province, "ngoktu", "Xã Ngọk Tụ"), "accepted", NGOK_TU,
               {"2": "Đường truyền yếu ở thôn 3.", "5.2": "Cần kinh phí."})
    add_period(db, add_commune(db, province, "minhlong", "Xã Minh Long"), "submitted",
               {"dossiers_new_total": 687})
    create_user(db.session, province=province, username="vp.tinh", password=PASSWORD, role="secretary",
                full_name="Văn phòng tỉnh", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()

    sign_in(page, server, "vp.tinh")
    page.goto(f"{server}/province/summary?kind=week&start={START.isoformat()}")
    assert "Xã Minh Long — đã gửi, chờ tiếp nhận" in page.inner_text("#waiting")
    box = page.locator("#section-2")
    assert "Xã Ngọk Tụ: Đường truyền yếu ở thôn 3." in box.input_value()
    shot(page, "province-summary-1-gathered")
    assert_no_horizontal_scroll(page)
    assert axe_violations(page) == []

    box.fill("Hạ tầng: 02/03 xã đã được tiếp nhận; Xã Ngọk Tụ cần nâng cấp đường truyền.")
    page.fill("#report_number", "88")
    page.click("button:text-is('Lưu báo cáo của tỉnh')")
    flash = page.locator(".flash", has_text="Đã lưu")
    flash.wait_for()
    assert "số báo cáo" in flash.inner_text()
    # Only the edited section is the province's now; the untouched one (3 lines) follows the communes.
    assert "5.2" not in flash.inner_text()
    assert "Tỉnh đã biên tập" in page.inner_text("#section-2-source")
    assert "Tổng hợp từ báo cáo của các xã" in page.inner_text("[id='section-5.2-source']")
    page.locator("#summary-sections").scroll_into_view_if_needed()
    shot(page, "province-summary-2-saved")
    assert_no_horizontal_scroll(page)

    with page.expect_download() as download:
        page.click(".downloads a:text-is('PDF')")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    text = pdf_text(path.read_bytes())
    for expected in ("Số: 88/BC-UBND", "Xã Ngọk Tụ cần nâng cấp đường truyền", "877", "Xã Minh Long"):
        assert expected in text, expected
    assert "Xã Ngọk Bay: Đã lắp wifi" not in text  # the province's text replaced the gathered one
