"""Issue 14, point 6: the activity log reads as Vietnamese sentences, filters in Vietnamese, pages,
and fits a phone."""

import re

from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in, sign_out
from tracker.models import User
from tracker.services.audit import record_event

RAW = re.compile(r"\b(auth|progress|section|stats|finance|period|directive|user|token|job)\.[a-z_]+\b"
                 r"|\\u[0-9a-fA-F]{4}|[{}]|\buser \d+\b")


def _pile_up(db, username: str, times: int) -> None:
    """Sign-ins and sign-outs recorded as the app records them, so the log has more than one page
    (one real sign-in and sign-out in the browser shows the path works)."""
    user = db.session.scalar(select(User).where(User.username == username))
    for _ in range(times):
        record_event(db.session, "auth.login", actor=user, object_type="user", object_id=user.id,
                     remote_addr="127.0.0.1")
        record_event(db.session, "auth.logout", actor=user, object_type="user", object_id=user.id,
                     remote_addr="127.0.0.1")
    db.session.commit()


def _sentences(page) -> list[str]:
    return [t.strip() for t in page.locator(".activity li .sentence").all_inner_texts()]


def test_activity_log_reads_as_sentences(page, server, demo, db):
    _pile_up(db, "tp.tthcc", 29)
    sign_in(page, server, "tp.tthcc")
    sign_out(page)
    sign_in(page, server, "bithu")
    page.goto(f"{server}/admin/audit")
    assert_no_horizontal_scroll(page)

    body = page.inner_text("main")
    assert not RAW.search(body), RAW.search(body).group(0)
    sentences = _sentences(page)
    assert len(sentences) == 50, "one page holds 50 events"
    assert "Nguyễn Văn Thành đăng nhập" in sentences
    assert "Trần Minh Đức đăng xuất" in sentences

    # The next page, then the filters: by person and kind, chosen by their Vietnamese names.
    page.click("a:text-is('Trang sau')")
    page.wait_for_url("**page=2**")
    assert len(_sentences(page)) > 0
    assert not RAW.search(page.inner_text("main"))
    assert "Lê Thị Thu Hà mở kỳ báo cáo Tháng 10/2025" in _sentences(page)
    assert any(s.startswith("Lê Thị Thu Hà nhập số liệu TTHC kỳ Tháng 10/2025: TTHC thực hiện ")
               for s in _sentences(page))
    shot(page, "activity-1-log")  # the demo's entries, periods and directives, past the sign-ins
    assert_no_horizontal_scroll(page)

    page.select_option("#actor", label="Trần Minh Đức")
    page.select_option("#kind", label="Ghi nhận tiến độ")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**kind=**")
    sentences = _sentences(page)
    assert sentences, "the unit head's entries are listed"
    assert all(s.startswith("Trần Minh Đức ghi nhận ") for s in sentences), sentences
    # "Trần Minh Đức ghi nhận MT02: 88 dịch vụ, 03/11/2025": the person, the item, the figure, the date.
    assert any(re.fullmatch(r"Trần Minh Đức ghi nhận MT\d\d: .+, \d\d/\d\d/20\d\d", s) for s in sentences), \
        sentences
    shot(page, "activity-2-filtered")
    assert_no_horizontal_scroll(page)

    # An item and a date range, written dd/mm/yyyy; a range with no events says so.
    page.select_option("#kind", value="")
    page.select_option("#actor", value="")
    page.select_option("#item", value="MT02")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**item=MT02**")
    sentences = _sentences(page)
    assert sentences
    assert all("MT02" in s for s in sentences), sentences
    page.fill("#from", "01/01/2020")
    page.fill("#to", "31/01/2020")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**from=2020-01-01**")  # typed day first, carried in ISO
    assert _sentences(page) == []
    assert "Không có hoạt động nào" in page.inner_text("main")
    assert page.input_value("#from") == "01/01/2020"
    assert page.input_value("#item") == "MT02"


def test_activity_log_pages_keep_the_filters(page, server, demo, db):
    _pile_up(db, "bithu", 27)
    sign_in(page, server, "bithu")
    sign_out(page)
    sign_in(page, server, "bithu")
    page.goto(f"{server}/admin/audit")
    page.select_option("#actor", label="Nguyễn Văn Thành")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**actor=bithu**")
    first = _sentences(page)
    assert len(first) == 50
    assert all(s.startswith("Nguyễn Văn Thành ") for s in first)
    page.click("a:text-is('Trang sau')")
    page.wait_for_url("**page=2**")
    assert "actor=bithu" in page.url, "the page link keeps the filter"
    second = _sentences(page)
    assert second
    assert all(s.startswith("Nguyễn Văn Thành ") for s in second)
    assert len(first) + len(second) >= 57
    assert page.locator("a:text-is('Trang trước')").count() == 1
    assert_no_horizontal_scroll(page)
