"""Accessibility: axe-core finds no serious or critical violation on the main pages, at desktop and
phone sizes; every field is labelled, focus is visible, keyboard alone reaches the forms."""

from sqlalchemy import select

from tests.browser.conftest import assert_no_horizontal_scroll, axe_violations, sign_in, sign_out
from tracker.models import ReportingPeriod

UNIT_HEAD_PAGES = ("/plan?as_of=2025-11-03", "/items/NV03?as_of=2025-11-03", "/items/MT10", "/my",
                   "/units/TTHCC?as_of=2025-11-03", "/scorecard", "/inbox")


def check(page, where: str) -> list[str]:
    """axe's serious and critical findings on the page, and no sideways scrolling (phones)."""
    assert_no_horizontal_scroll(page)
    return [f"{where}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for v in axe_violations(page)]


def test_no_serious_violations_on_the_main_pages(page, server, demo, db):
    found = []
    page.goto(f"{server}/login")
    found += check(page, "/login")
    page.fill("#username", "nobody")
    page.click("button[type=submit]")  # the refused sign-in, with its error messages
    found += check(page, "/login (refused)")
    sign_in(page, server, "tp.tthcc")
    for path in UNIT_HEAD_PAGES:
        page.goto(f"{server}{path}")
        found += check(page, path)
    sign_out(page)
    sign_in(page, server, "vanthu")
    period = db.session.scalar(select(ReportingPeriod).order_by(ReportingPeriod.id))
    for path in ("/reports", f"/reports/{period.id}", "/legal"):
        page.goto(f"{server}{path}")
        found += check(page, path)
    assert not found, "\n".join(found)


def test_no_serious_violations_on_the_other_pages(page, server, demo):
    found = []
    sign_in(page, server, "admin")
    for path in ("/admin/users", "/admin/units", "/admin/jobs", "/admin/audit", "/account/password",
                 "/inbox/settings", "/attention?as_of=2025-11-03", "/plan?as_of=2025-11-03&colour=red",
                 "/summary?as_of=2025-11-03"):
        answer = page.goto(f"{server}{path}")
        assert answer.status == 200, path
        found += check(page, path)
    assert not found, "\n".join(found)


def test_every_field_has_a_label_and_focus_is_visible(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    for path in ("/plan?as_of=2025-11-03", "/items/MT02", "/my"):
        page.goto(f"{server}{path}")
        unlabelled = page.evaluate("""() => [...document.querySelectorAll(
                'input:not([type=hidden]), select, textarea')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name || el.id)""")
        assert unlabelled == [], f"{path}: {unlabelled}"
    page.goto(f"{server}/items/MT02")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip", "the first Tab offers the skip link"
    assert page.is_visible("a.skip")
    page.keyboard.press("Enter")
    outline = []
    for _ in range(40):  # the keyboard alone reaches the entry form
        page.keyboard.press("Tab")
        outline.append(page.evaluate("""() => { const el = document.activeElement;
            return [el.id, getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]; }"""))
        if outline[-1][0] == "f-value":
            break
    assert outline[-1][0] == "f-value", outline
    hidden_focus = [o for o in outline if o[1] == "none" or o[2] == "0px"]
    assert not hidden_focus, f"focus is visible: {hidden_focus}"


def test_a_light_is_never_colour_alone(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/plan?as_of=2025-11-03")
    lights = page.locator("#overview-items td .light").all_inner_texts()
    assert len(lights) == 27
    words = {"✔": "Đạt / đúng tiến độ", "▲": "Có nguy cơ chậm", "✖": "Chậm / quá hạn", "○": "Chưa có số liệu"}
    for text in lights:
        icon, word = text.strip().split(" ", 1)
        assert words[icon] == word, text  # an icon and a word, whatever the colour
    assert {text.strip()[0] for text in lights} == set(words), "every colour is on the demo board"


def test_after_a_refused_entry_focus_goes_to_the_field_in_error(page, server, demo):
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT07")
    page.fill("#f-as_of", "2025-11-03")
    page.fill("#f-value", "một trăm")
    page.focus("#entry-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-value[aria-invalid=true]")
    page.wait_for_function("document.activeElement.id === 'f-value'")
    assert page.input_value("#f-value") == "một trăm", "what was typed stays"
    described = page.get_attribute("#f-value", "aria-describedby")
    assert page.inner_text(f"#{described}"), "the message is tied to the field"
