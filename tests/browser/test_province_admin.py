"""Issue 15, province administration on a phone: the province's admin creates a commune's admin
account and finds it in the province's activity log."""

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, axe_violations, open_menu, shot, sign_in
from tests.conftest import PASSWORD
from tracker.models import User
from tracker.services.plan_template import find_or_create_commune
from tracker.services.users import create_user

PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("page", [PHONE], ids=["phone"], indirect=True)
def test_province_admin_creates_a_commune_admin_and_sees_it_in_the_log(page, server, db, plan, data_app):
    province = plan.commune.province
    find_or_create_commune(db.session, "xa-khac", "Xã Khác", province.name)
    create_user(db.session, province=province, username="admin.tinh", password=PASSWORD, role="admin",
                full_name="Trần Thị Tỉnh", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()

    sign_in(page, server, "admin.tinh")
    open_menu(page)
    page.click("header.site a:text-is('Tài khoản')")
    page.wait_for_url("**/province/users")
    page.select_option("#commune-admin-commune", label="Xã Khác")
    page.fill("#commune-admin-username", "admin.xakhac")
    page.fill("#commune-admin-full_name", "Phạm Văn Quản")
    page.fill("#commune-admin-password", "mat-khau-quan-tri-xa")
    page.click("form[action='/province/commune-admins'] button[type=submit]")
    page.wait_for_url("**/province/users")
    assert "Đã tạo tài khoản quản trị admin.xakhac cho Xã Khác." in page.inner_text("main")
    row = page.locator("tr", has_text="admin.xakhac")
    assert "Xã Khác" in row.inner_text()
    assert_no_horizontal_scroll(page)
    assert not axe_violations(page)
    shot(page, "province-admin-1-accounts")
    created = db.session.scalar(select(User).where(User.username == "admin.xakhac"))
    assert (created.role, created.commune.name) == ("admin", "Xã Khác")

    open_menu(page)
    page.click("header.site a:text-is('Nhật ký')")
    page.wait_for_url("**/province/activity")
    first = page.locator(".activity li .sentence").first.inner_text()
    assert first == "Xã Khác: Trần Thị Tỉnh tạo tài khoản cho Phạm Văn Quản (admin.xakhac, quản trị)"
    page.select_option("#commune", label="Xã Khác")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**commune=xa-khac**")
    assert page.locator(".activity li").count() == 1
    assert_no_horizontal_scroll(page)
    assert not axe_violations(page)
    shot(page, "province-admin-2-log")
