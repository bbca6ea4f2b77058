"""The leader's landing page and the overview's filters are scannable on a phone (issue 14 walk):
/attention was 7,155 px tall with the directives and the week's changes after 16 full red cards, and
a tapped colour count left its results two screens below."""

from tests.browser.conftest import assert_no_horizontal_scroll, shot, sign_in

AS_OF = "2025-11-03"
PHONE_HEIGHT = 740


def test_attention_opens_with_a_one_line_summary_that_links_to_each_part(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/attention?as_of={AS_OF}")
    summary = page.locator("#attention-summary")
    assert summary.is_visible()
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= PHONE_HEIGHT, "the summary is on the first screen"
    text = summary.inner_text()
    urgent = page.locator("#attention li.compact").count()
    assert urgent > 0
    assert "chỉ đạo đang mở" in text
    assert "thay đổi trong 7 ngày" in text
    for target in ("#attention", "#open-directives", "#changes"):
        assert summary.locator(f"a[href='{target}']").count() == 1, target
    # Red and amber are compact rows: light, code, short title and one line of reason.
    rows = page.locator("#attention li.compact")
    for i in range(rows.count()):
        assert rows.nth(i).locator(".light").count() == 1
        assert rows.nth(i).bounding_box()["height"] <= 120, rows.nth(i).inner_text()
    page.click("#attention-summary a[href='#changes']")
    assert page.locator("#changes h2").bounding_box()["y"] < PHONE_HEIGHT
    height = page.evaluate("document.scrollingElement.scrollHeight")
    if page.viewport_size["width"] == 360:
        assert height < 3600, f"/attention is {height} px tall on a phone (7,155 before)"
    shot(page, "attention-summary")
    assert_no_horizontal_scroll(page)


def test_a_tapped_colour_count_lands_on_its_results(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/plan?as_of={AS_OF}")
    page.click("#overview-counts .light-red a")
    page.wait_for_load_state()
    assert "colour=red" in page.url
    first = page.locator("#overview-items table.items tbody tr").first
    top = first.bounding_box()["y"]
    assert 0 <= top < page.viewport_size["height"], f"the first red row is at {top} px"
