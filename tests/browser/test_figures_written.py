"""Money as officials write it (issue 14, point 9): MT16's budget share reads "410 triệu đồng /
28,5 tỷ đồng" on a phone and a desktop, the exact đồng are one hover (or long press) away, and an
evidence file is marked by a drawn paperclip, not by an emoji the default fonts lack."""

from datetime import date
from pathlib import Path

from tests.browser.conftest import assert_no_horizontal_scroll, sign_in
from tests.test_evidence import PDF
from tracker.domain.entries import EntryInput
from tracker.domain.evidence import check_files
from tracker.services.evidence import attach_files
from tracker.services.progress import log_progress


def test_budget_share_in_trieu_and_ty_with_exact_dong_on_hover(page, server, demo):
    sign_in(page, server, "bithu")
    page.goto(f"{server}/items/MT16?as_of=2025-11-03")
    shown = page.locator("table.history abbr").first
    assert shown.inner_text() == "1,44% (410 triệu đồng/28,5 tỷ đồng)"
    assert shown.get_attribute("title") == "410.000.000 đồng / 28.500.000.000 đồng"
    assert "410.000.000/28.500.000.000" not in page.inner_text("main")
    assert_no_horizontal_scroll(page)


def test_evidence_is_marked_by_a_drawn_paperclip(page, server, app, db, plan, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    entry = log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 10, 1), value=74),
                         today=date(2025, 10, 1))
    [checked], _ = check_files([("bien-ban.pdf", PDF)])
    attach_files(db.session, head, entry, [checked], Path(app.config["UPLOAD_DIR"]))
    db.session.commit()
    sign_in(page, server, "tp.tthcc")
    page.goto(f"{server}/items/MT02?as_of=2025-10-05")
    link = page.locator("table.history a[download]").first
    assert link.inner_text().strip() == "bien-ban.pdf"
    clip = link.locator("svg.clip")
    box = clip.bounding_box()
    assert box is not None
    assert box["width"] > 8, "the paperclip is drawn at text size"
    assert "📎" not in page.content()
