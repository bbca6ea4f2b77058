"""A leader gives a directive a due date; the lead unit sees it on its desk, overdue ones flagged."""

from datetime import date

from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, sign_in, sign_out
from tracker.models import User
from tracker.services.directives import write_directive


def test_a_directive_with_a_due_date(page, server, demo, db, item):
    leader = db.session.scalar(select(User).where(User.username == "bithu"))
    write_directive(db.session, leader, item("NV06"), "Báo cáo số hóa hồ sơ.", date(2025, 11, 10),
                    today=date(2025, 11, 3))
    db.session.commit()
    sign_in(page, server, "bithu")
    page.goto(f"{server}/items/NV06")
    late = page.locator("#directives article:has-text('Báo cáo số hóa hồ sơ.')")
    assert "Hạn trả lời: 10/11/2025 · quá hạn" in late.inner_text()
    page.fill("#directive-text", "Hoàn thành trước hạn.")
    page.fill("#directive-due", "2099-01-15")
    page.click("#directives button:text-is('Gửi chỉ đạo')")
    page.wait_for_selector("#directives article:has-text('Hoàn thành trước hạn.')")
    written = page.locator("#directives article:has-text('Hoàn thành trước hạn.')")
    assert "Hạn trả lời: 15/01/2099" in written.inner_text()
    assert_no_horizontal_scroll(page)
    sign_out(page)

    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/my")
    flagged = page.locator(".open-directives li.overdue")
    assert flagged.count() == 1
    assert "Báo cáo số hóa hồ sơ." in flagged.inner_text()
    assert "quá hạn" in flagged.inner_text()
    assert "Hạn trả lời: 15/01/2099" in page.inner_text(".open-directives")
    assert_no_horizontal_scroll(page)
