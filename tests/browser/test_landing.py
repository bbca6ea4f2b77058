"""Each role starts at its work; the overview agrees with itself, keeps its date, fits a phone (issue 14)."""

import re
from datetime import timedelta

from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, open_menu, shot, sign_in
from tracker.domain.dates import local_today
from tracker.models import User
from tracker.services.periods import PeriodInput, create_period

AS_OF = "2025-11-03"  # the demo's week: every colour is on the board
COLOURS = ("red", "amber", "grey", "green")


def chip_counts(page) -> dict[str, int]:
    """The colour counts the overview shows, by colour."""
    counts = {}
    for colour in COLOURS:
        text = page.locator(f"#overview-counts .counts .light-{colour}").inner_text()
        counts[colour] = int(re.findall(r"\d+", text)[-1])
    return counts


def row_colours(page, table: int) -> list[str]:
    """The colour of each row of the overview's ``table``-th table, top to bottom."""
    lights = page.locator("#overview-items table.items").nth(table).locator("tbody tr .light")
    return [next(c for c in COLOURS if f"light-{c}" in lights.nth(i).get_attribute("class"))
            for i in range(lights.count())]


def test_unit_head_lands_on_the_unit_desk(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    assert page.url == f"{server}/my", "a unit head starts at the unit's desk"
    assert "Trung tâm Phục vụ hành chính công" in page.inner_text("h1")
    page.goto(f"{server}/")
    assert page.url == f"{server}/my"
    shot(page, "landing-unit-head")
    assert_no_horizontal_scroll(page)


def test_leader_lands_on_what_needs_attention(page, server, demo):
    sign_in(page, server, "bithu")
    assert "/attention" in page.url, page.url
    page.goto(f"{server}/?as_of={AS_OF}")
    assert f"/attention?as_of={AS_OF}" in page.url, "the date follows to the landing page"
    # Red first, then amber; nothing else in the list that needs attention.
    colours = [next(c for c in COLOURS if f"light-{c}" in cls) for cls in
               page.locator("#attention li.compact .light").evaluate_all("els => els.map(e => e.className)")]
    assert colours, "the demo has red and amber items on 03/11/2025"
    assert colours == sorted(colours, key=COLOURS.index)
    assert set(colours) == {"red", "amber"}
    assert colours[0] == "red"
    # Open directives are on the page, with the item they are about.
    directives = page.inner_text(".open-directives")
    assert "Văn phòng khẩn trương số hóa tài liệu lưu trữ" in directives
    assert "MT13" in directives
    # What changed in the week before the date: each line names who and when.
    changes = page.locator("#changes")
    assert "7 ngày" in changes.locator("h2").inner_text()
    assert changes.locator("li").count() > 0
    shot(page, "landing-leader")
    assert_no_horizontal_scroll(page)
    # The leader's menu has no empty "My unit" page (the leader's unit leads nothing).
    open_menu(page)
    assert page.locator("header.site a:text-is('Cần chú ý')").is_visible()
    assert page.locator("header.site a:text-is('Đơn vị của tôi')").count() == 0


def test_secretary_lands_on_the_current_period(page, server, demo, db, data_app):
    sign_in(page, server, "vanthu")
    assert page.url == f"{server}/reports", "no period covers today: the list of periods"
    page.context.clear_cookies()

    today = local_today(data_app.config["TIMEZONE"])
    secretary = db.session.scalar(select(User).where(User.username == "vanthu"))
    monday = today - timedelta(days=today.weekday())
    period = create_period(db.session, secretary, demo.commune,
                           PeriodInput("week", monday, monday + timedelta(days=6), report_number="99"))
    db.session.commit()
    sign_in(page, server, "vanthu")
    assert page.url == f"{server}/reports/{period.id}", "the period covering today"
    shot(page, "landing-secretary")
    assert_no_horizontal_scroll(page)


def test_phone_overview_leads_with_tappable_counts_and_reds(page, server, demo):
    sign_in(page, server, "admin")
    page.goto(f"{server}/?as_of={AS_OF}")
    header = page.locator("header.site").bounding_box()
    viewport = page.viewport_size["height"]
    assert header["height"] < 0.2 * 740, f"the header takes {header['height']} px of {viewport}"
    counts = page.locator("#overview-counts .counts").bounding_box()
    assert counts["y"] + counts["height"] < viewport, "the counts are on the first screen"
    # Red and amber first, in each table.
    for table in (0, 1):
        colours = row_colours(page, table)
        assert colours == sorted(colours, key=COLOURS.index), colours
    shot(page, "overview")
    # The counts are filters: a tap shows only that colour.
    whole = chip_counts(page)
    page.click("#overview-counts .counts .light-amber a")
    page.wait_for_url("**colour=amber**")
    page.wait_for_function("!document.querySelector('#overview-items .light-red')")
    assert {c for t in (0, 1) for c in row_colours(page, t)} == {"amber"}
    assert sum(len(row_colours(page, t)) for t in (0, 1)) == whole["amber"]
    assert page.locator("#overview-counts .counts .light-amber a").get_attribute("aria-current") == "true"
    shot(page, "overview-amber")
    assert_no_horizontal_scroll(page)


def test_counts_and_chart_describe_the_same_set(page, server, demo):
    sign_in(page, server, "admin")
    page.goto(f"{server}/?as_of={AS_OF}")
    whole = chip_counts(page)
    page.goto(f"{server}/?as_of={AS_OF}&colour=red")
    assert chip_counts(page) == whole, "the counts stay the whole plan's, like the chart"
    alt = page.locator("#colour-chart img").get_attribute("alt")
    labels = ("chậm / quá hạn", "có nguy cơ chậm", "chưa có số liệu", "đạt / đúng tiến độ")
    for colour, label in zip(COLOURS, labels, strict=True):
        assert f"{whole[colour]} {label}" in alt, (colour, alt)
    assert "Toàn bộ kế hoạch" in page.inner_text("#overview-counts .counts-title")
    assert "Toàn bộ kế hoạch" in page.inner_text("#colour-chart figcaption")


def test_a_past_date_is_kept_by_the_menu(page, server, demo):
    sign_in(page, server, "admin")
    page.goto(f"{server}/?as_of={AS_OF}")
    banner = page.locator(".as-of-banner")
    assert "Đang xem ngày 03/11/2025" in banner.inner_text()
    open_menu(page)
    page.click("header.site a:text-is('Theo đơn vị')")
    page.wait_for_url("**/scorecard**")
    assert f"as_of={AS_OF}" in page.url, "the menu keeps the date"
    open_menu(page)
    page.click("header.site a:text-is('Báo cáo')")
    page.wait_for_url("**/reports**")
    assert f"as_of={AS_OF}" in page.url
    open_menu(page)
    page.click("header.site a:text-is('Kế hoạch')")
    page.wait_for_url("**/plan**")
    assert f"as_of={AS_OF}" in page.url
    page.locator("#overview-items a:text-is('MT02')").click()
    page.wait_for_url("**/items/MT02**")
    assert f"as_of={AS_OF}" in page.url
    page.click(".as-of-banner a")
    page.wait_for_url("**/items/MT02")
    assert "as_of" not in page.url, "back to today"
    assert page.locator(".as-of-banner").count() == 0


def test_summary_has_a_date_print_and_a_way_back(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/summary?as_of={AS_OF}")
    bar = page.locator(".toolbar")
    date_field = bar.locator("#toolbar-date")  # typed day first, whatever the browser's language
    assert date_field.input_value() == "03/11/2025"
    assert date_field.get_attribute("placeholder") == "dd/mm/yyyy"
    assert bar.locator("button[data-print]").count() == 1
    assert bar.locator("a[href*='format=pdf']").count() == 1
    assert bar.locator("a[href*='format=docx']").count() == 1
    shot(page, "summary")
    assert_no_horizontal_scroll(page)
    date_field.fill("01/10/2025")
    bar.locator("button[type=submit]").click()
    page.wait_for_url("**as_of=2025-10-01**")
    assert "01/10/2025" in page.inner_text("body")
    page.locator(".toolbar a.back").click()
    page.wait_for_url("**/reports**")
