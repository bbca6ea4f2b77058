"""The commune–province loop in a real browser: the Monday job opens the week as a draft, the commune's
secretary submits after the due moment, the province's secretary sees it "gửi muộn" on the board and
returns it with a reason, the commune reads the reason, fixes a figure and submits again, and the
province accepts it (locked for both sides) and its own report of the week includes it.
Desktop and phone; screenshots province-loop-*."""

from datetime import UTC, datetime
from pathlib import Path

from tests.browser.conftest import assert_no_horizontal_scroll, axe_violations, shot, sign_in, sign_out
from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH
from tests.test_province_summary import pdf_text
from tracker.jobs.tasks import weekly_draft_job
from tracker.models import ReportingPeriod
from tracker.services.users import create_user

MONDAY = datetime(2025, 11, 17, 0, 30, tzinfo=UTC)  # 07:30 Monday 17/11/2025 in Vietnam
REASON = "Số hồ sơ giải quyết đúng hạn chưa khớp với số hồ sơ tiếp nhận; đề nghị kiểm tra lại."


def board(page, server: str) -> None:
    """Open the province's board on the week 10–16/11/2025 through its form."""
    page.goto(f"{server}/province/reports")
    page.fill("#start", "12/11/2025")
    page.click(".filters button:text-is('Xem')")
    page.wait_for_selector("h1:has-text('tuần 10/11–16/11/2025')")


def test_the_province_returns_then_accepts_a_late_week(page, server, demo, db, data_app):
    create_user(db.session, province=demo.commune.province, username="vp.tinh", password=PASSWORD,
                role="secretary", full_name="Trần Văn Tỉnh",
                hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    # The Monday job opens last week as a draft, due at 10:00 that Monday.
    [period_id] = weekly_draft_job(db.session, MONDAY, data_app.config)["periods"]
    db.session.commit()

    # The commune's secretary enters the figures (one sum explained rather than fixed) and submits,
    # long after the due moment.
    sign_in(page, server, "vanthu")
    page.goto(f"{server}/reports")
    assert "10:00 thứ Hai 17/11/2025" in page.inner_text("table.items")
    page.goto(f"{server}/reports/{period_id}")
    assert "Hạn gửi: 10:00 thứ Hai 17/11/2025" in page.inner_text("#period-due")
    assert "quá hạn" in page.inner_text("#period-due")
    for name, value in {**BA_DINH, "resolved_on_time": 64}.items():
        page.fill(f"#s-{name}", str(value))
    page.fill("#override_explanation", "Một hồ sơ đang chờ bổ sung.")
    page.click("#stats button:text-is('Lưu toàn bộ số liệu và nhận xét')")
    page.wait_for_selector(".flash:has-text('Đã lưu số liệu TTHC.')")
    page.click("button:text-is('Gửi báo cáo lên tỉnh')")
    page.wait_for_selector(".flash:has-text('Đã gửi báo cáo')")
    assert "gửi muộn" in page.inner_text("#period-due")
    shot(page, "province-loop-1-commune-submits-late")
    assert_no_horizontal_scroll(page)
    sign_out(page)

    # The province's secretary sees it late on the board, with its explained sum, and returns it.
    sign_in(page, server, "vp.tinh")
    board(page, server)
    row = page.locator("#commune-" + demo.commune.code)
    assert "Gửi muộn" in row.inner_text()
    assert "Một hồ sơ đang chờ bổ sung." in page.inner_text("#rule-breakers")
    shot(page, "province-loop-2-board-late")
    assert_no_horizontal_scroll(page)
    assert axe_violations(page) == []
    row.locator("summary:text-is('Trả lại…')").click()
    row.locator("button:text-is('Trả lại cho xã')").click()  # no reason: refused, said next to the field
    page.wait_for_selector(f"#reason-{period_id}-error")
    assert "lý do" in page.inner_text(f"#reason-{period_id}-error")
    row = page.locator("#commune-" + demo.commune.code)
    row.locator("textarea").fill(REASON)
    row.locator("button:text-is('Trả lại cho xã')").click()
    page.wait_for_selector(".flash:has-text('Đã trả lại báo cáo')")
    assert "Bị trả lại" in page.locator("#commune-" + demo.commune.code).inner_text()
    shot(page, "province-loop-3-returned")
    sign_out(page)

    # The commune reads the reason, fixes the figure and submits again.
    sign_in(page, server, "vanthu")
    if page.size_name == "phone":  # the folded menu's button says there is news (walk finding)
        assert page.locator(".menu-toggle .badge").is_visible()
    page.goto(f"{server}/reports/{period_id}")
    assert REASON in page.inner_text("#return-reason")
    assert "Trần Văn Tỉnh" in page.inner_text("#return-reason")
    shot(page, "province-loop-4-commune-reads-the-reason")
    assert_no_horizontal_scroll(page)
    page.fill("#s-resolved_on_time", "65")
    page.fill("#override_explanation", "")
    page.click("#stats button:text-is('Lưu toàn bộ số liệu và nhận xét')")
    page.wait_for_selector(".flash:has-text('Đã lưu số liệu TTHC.')")
    page.click("button:text-is('Gửi báo cáo lên tỉnh')")
    page.wait_for_selector(".flash:has-text('Đã gửi báo cáo')")
    sign_out(page)

    # The province accepts it: locked for both sides.
    sign_in(page, server, "vp.tinh")
    board(page, server)
    row = page.locator("#commune-" + demo.commune.code)
    assert "Gửi muộn" in row.inner_text()
    assert demo.commune.name not in page.inner_text("#rule-breakers")
    row.locator("summary:text-is('Tiếp nhận…')").click()  # one more step: accepting locks it for good
    assert "không thể mở lại" in row.inner_text()
    row.locator("button:text-is('Tiếp nhận')").click()
    page.wait_for_selector(".flash:has-text('Đã tiếp nhận báo cáo')")
    assert "Đã tiếp nhận" in page.locator("#commune-" + demo.commune.code).inner_text()
    shot(page, "province-loop-5-accepted")
    assert_no_horizontal_scroll(page)
    page.goto(f"{server}/reports/{period_id}?commune={demo.commune.code}")
    assert "không thể mở lại" in page.inner_text("#period-state")
    db.session.expire_all()
    assert db.session.get(ReportingPeriod, period_id).status == "accepted"

    # The province's own report of the week includes it: named among the accepted communes, its
    # figures in the province's total, and in the PDF the province downloads.
    page.goto(f"{server}/province/summary?kind=week&start=2025-11-10")
    assert demo.commune.name in page.inner_text("#included")
    assert "65" in page.inner_text("#tthc-total")
    shot(page, "province-loop-6-province-report")
    assert_no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.click(".downloads a:text-is('PDF')")
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert demo.commune.name in text
    assert "65" in text
