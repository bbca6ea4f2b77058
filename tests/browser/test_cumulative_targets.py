"""Issue 14 point 1: a week's figures add to the plan year instead of replacing MT10's value, the
secretary is told what the save changed, and MT10's page shows the periods and sums it used."""

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in
from tests.test_domain_stats import BA_DINH


def test_a_week_adds_to_the_year_and_the_save_says_what_changed(page, server, demo):
    # The demo has August (95/260), September (140/290) and October (170/300): 405/850 = 47,65%.
    sign_in(page, server, "vanthu")
    page.goto(f"{server}/reports")
    page.select_option("#kind", "week")
    page.fill("#start_date", "2025-11-03")
    page.fill("#end_date", "2025-11-09")
    page.click("button:text-is('Tạo kỳ báo cáo')")
    page.wait_for_selector("h1:has-text('Kỳ báo cáo từ 03/11/2025 đến 09/11/2025')")
    for name, value in BA_DINH.items():  # seed 001's week: 16 of 65 new dossiers fully online
        page.fill(f"#s-{name}", str(value))
    page.click("#stats button[type=submit]")
    change = page.locator(".flash", has_text="Thay đổi trong kế hoạch: MT10")
    change.wait_for()
    text = change.inner_text()
    # One week's 16/65 (24,62%) used to become MT10's value; now it is added to the year.
    assert "MT10: 47,65% (" in text, text
    assert "→ 46,01% (" in text, text
    shot(page, "cumulative-1-period-saved", full_page=False)
    assert_no_horizontal_scroll(page)

    page.click("#plan-feeds a:text-is('MT10')")
    page.wait_for_selector("#derived-periods")
    derived = " ".join(page.inner_text("#derived-periods").split())
    for line in ("Lũy kế năm 2025", "Tháng 08/2025: 95/260", "Tháng 09/2025: 140/290",
                 "Tháng 10/2025: 170/300", "Tuần 03/11–09/11/2025: 16/65", "Tổng: 421/915 = 46,01%"):
        assert line in derived, derived
    assert "46,01% (" in page.inner_text(".status-card")
    history = page.inner_text("table.history")
    assert "Cập nhật khi lưu số liệu kỳ tuần 03/11–09/11/2025" in history
    assert "dossiers_new" not in history
    assert "[kỳ #" not in history
    page.locator("#derived-periods").scroll_into_view_if_needed()
    shot(page, "cumulative-2-mt10-item")
    assert_no_horizontal_scroll(page)
