"""The province roll-up read on a desktop and on a 360×740 phone (issue 15): a commune found by
typing without accents, a filter by target and colour, the header row and commune column still in
view after scrolling the grid, and on a phone a list of communes with their counts."""

from playwright.sync_api import expect
from sqlalchemy import select

from devtools.synth import SynthOptions, create_synthetic_province
from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in
from tests.conftest import PASSWORD, SEED_FILE
from tracker.models import Commune, Province
from tracker.services.seeding import read_plan_seed
from tracker.services.users import create_user

AS_OF = "2025-09-14"


def _province(db, app):
    create_synthetic_province(db.session, read_plan_seed(SEED_FILE),
                              SynthOptions(communes=40, months=3, seed=7), password_hash="x")
    province = db.session.scalar(select(Province))
    # One commune with Vietnamese marks to find without typing them.
    db.session.scalars(select(Commune).order_by(Commune.code)).all()[5].name = "Xã Ngọk Bay"
    create_user(db.session, province=province, username="tinh", password=PASSWORD, role="leader",
                hash_method=app.config["PASSWORD_HASH_METHOD"], min_length=app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()


def test_search_filter_and_sticky_header(page, server, db, app):
    _province(db, app)
    sign_in(page, server, "tinh")
    page.goto(f"{server}/province?as_of={AS_OF}")
    phone = page.viewport_size["width"] == 360
    shot(page, "province-rollup")
    assert_no_horizontal_scroll(page)
    caption = page.locator("#rollup-caption")
    box = caption.bounding_box()
    assert box["x"] >= 0, "caption not cut"
    assert box["x"] + box["width"] <= page.viewport_size["width"], "caption not cut"

    page.fill("#rollup-q", "ngok bay")
    if phone:
        expect(page.locator(".rollup-list > li")).to_have_count(1)
        assert "Xã Ngọk Bay" in page.locator(".rollup-list").inner_text()
        assert page.locator("table.rollup").is_hidden()
    else:
        expect(page.locator("table.rollup tbody tr")).to_have_count(1)
        assert "Xã Ngọk Bay" in page.locator("table.rollup tbody").inner_text()
    assert "q=ngok" in page.url, "the search is in the address, a link to share"

    page.fill("#rollup-q", "")
    page.select_option("#rollup-target", "MT03")
    page.select_option("#rollup-colour", "red")
    page.wait_for_url("**colour=red**")
    expect(page.locator("#rollup-colour")).to_have_value("red")
    expect(page.locator(".rollup-shown a")).to_be_visible()  # "show all": the list is filtered
    listed = page.locator(".rollup-list > li" if phone else "table.rollup tbody tr")
    assert 0 < listed.count() < 40
    for light in page.locator(".rollup-list .lights a[href*='/items/MT03']" if phone
                              else "table.rollup tbody a[href*='/items/MT03']").all():
        assert "light-red" in light.get_attribute("class")

    if phone:
        listed.first.locator("summary").click()
        assert listed.first.locator(".lights li").count() >= 10, "a commune opens to its targets"
        shot(page, "province-rollup-filtered")
        assert_no_horizontal_scroll(page)
        return
    # Desktop: everything again, then scroll the grid down and right: the header row and the
    # commune column stay where they were.
    page.goto(f"{server}/province?as_of={AS_OF}")
    grid = page.locator(".rollup-scroll")
    header = page.locator("table.rollup thead th").nth(3)
    first = page.locator("table.rollup tbody th.commune").nth(12)
    top, left = header.bounding_box()["y"], first.bounding_box()["x"]
    grid.evaluate("g => { g.scrollTop = 300; g.scrollLeft = 400; }")
    scrolled = grid.evaluate("g => [g.scrollTop, g.scrollLeft]")
    assert scrolled == [300, 400], "the grid scrolls inside its box, both ways"
    assert abs(header.bounding_box()["y"] - top) < 1, "the header row stays at the top"
    assert abs(first.bounding_box()["x"] - left) < 1, "the commune column stays at the left"
    grid.scroll_into_view_if_needed()
    shot(page, "province-rollup-scrolled", full_page=False)
    # Sorting by a column is a link in its header.
    page.click("table.rollup thead th a:text-is('MT03')")
    page.wait_for_url("**sort=MT03**")
    assert page.locator("table.rollup thead th[aria-sort]").inner_text().startswith("MT03")
    assert page.locator("#rollup-sort-by").input_value() == "MT03", "the form follows the header"
