"""Reporting pages: a secretary's week, refusals shown by field, read-only for others."""

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH, NGOK_TU
from tracker.models import LegalDocument, ProcedureStats, ReportingPeriod


def form_of(stats: dict) -> dict[str, str]:
    return {name: str(value) for name, value in stats.items()}


def sign_in(client, make_user, username="vanthu", role="secretary", unit="VP"):
    make_user(username, role, unit)
    client.post("/login", data={"username": username, "password": PASSWORD})


def open_week(client) -> str:
    answer = client.post("/reports", data={"kind": "week", "start_date": "2025-10-27",
                                           "end_date": "2025-11-03", "report_number": "15"})
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def test_secretary_week(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    saved = client.post(f"{page}/stats", data=form_of(BA_DINH))
    assert saved.status_code == 302
    shown = client.get(page).text
    assert "Đã lưu số liệu TTHC." in shown
    assert "2,10% (03/143 TTHC)" in shown
    assert db.session.scalar(select(ProcedureStats.dossiers_new_total)) == 65


def test_inconsistent_figures_are_shown_and_kept_on_screen(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    refused = client.post(f"{page}/stats", data=form_of(NGOK_TU))
    assert refused.status_code == 422
    assert "= 811" in refused.text
    assert 'value="812"' in refused.text, "the typed figures stay"
    assert "31,28% (254/812 hồ sơ)" in refused.text, "and so do the ratios they give"
    assert db.session.scalar(select(func.count()).select_from(ProcedureStats)) == 0
    text = client.post(f"{page}/stats", data={**form_of(NGOK_TU), "dossiers_new_total": "tám trăm"})
    assert text.status_code == 422
    assert "không phải là số" in text.text
    explained = client.post(f"{page}/stats",
                            data={**form_of(NGOK_TU), "override_explanation": "01 hồ sơ rút"})
    assert explained.status_code == 302


def test_overlapping_week_is_refused(client, make_user, db):
    sign_in(client, make_user)
    open_week(client)
    again = client.post("/reports", data={"kind": "week", "start_date": "2025-11-01",
                                          "end_date": "2025-11-07"})
    assert again.status_code == 422
    assert "Trùng với kỳ tuần" in again.text
    assert db.session.scalar(select(func.count()).select_from(ReportingPeriod)) == 1


def test_submit_freezes_and_reopen_needs_a_reason(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    client.post(f"{page}/stats", data=form_of(BA_DINH))
    assert client.post(f"{page}/submit").status_code == 302
    frozen = client.post(f"{page}/stats", data=form_of(BA_DINH))
    assert frozen.status_code == 422
    assert "đã khóa" in frozen.text
    assert client.post(f"{page}/reopen", data={"reason": ""}).status_code == 422
    assert client.post(f"{page}/reopen", data={"reason": "Sửa số liệu"}).status_code == 302


def test_others_read_but_cannot_write(app, client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    for username, role, unit in (("bithu", "leader", "TTDU"), ("tp.tthcc", "unit_head", "TTHCC")):
        other = app.test_client()
        make_user(username, role, unit)
        other.post("/login", data={"username": username, "password": PASSWORD})
        view = other.get(page)
        assert view.status_code == 200
        assert "Lưu toàn bộ số liệu và nhận xét" not in view.text
        assert other.post(f"{page}/stats", data=form_of(BA_DINH)).status_code == 403
        assert other.post(f"{page}/submit").status_code == 403
        assert other.post("/reports", data={"kind": "month", "start_date": "2025-10-01",
                                            "end_date": "2025-10-31"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ProcedureStats)) == 0


def test_legal_register(client, make_user, db):
    sign_in(client, make_user)
    added = client.post("/legal", data={"number": "119/QĐ-UBND", "issued_date": "2025-08-15",
                                        "issuer": "UBND xã Ngọk Bay", "kind": "Quyết định",
                                        "summary": "Danh mục TTHC trực tuyến", "items": ["NV01", "MT02"]})
    assert added.status_code == 302
    assert "119/QĐ-UBND" in client.get("/legal").text
    refused = client.post("/legal", data={"number": "", "issued_date": "2030-01-01", "issuer": "x",
                                          "kind": "Quyết định", "summary": "y", "items": ["XX01"]})
    assert refused.status_code == 422
    assert "Nhập số hiệu văn bản" in refused.text
    assert "XX01" in refused.text
    assert db.session.scalar(select(func.count()).select_from(LegalDocument)) == 1


def test_legal_register_shows_no_error_before_anything_is_typed(client, make_user, db):
    """The register's checkbox field is called ``items``: ``errors[name]`` found the dict's method."""
    sign_in(client, make_user)
    page = client.get("/legal").text
    assert "built-in method" not in page
    assert 'class="error"' not in page


def test_seed_000_as_printed_is_flagged_through_the_form(client, make_user, db):
    """Issue 14 point 10: the overdue part left empty, as seed 000 prints it, used to save silently."""
    sign_in(client, make_user)
    page = open_week(client)
    printed = {**form_of(NGOK_TU), "pending_overdue": "", "dossiers_carried_over": ""}
    refused = client.post(f"{page}/stats", data=printed)
    assert refused.status_code == 422
    assert "= 811" in refused.text
    assert "(phần để trống được tính là 0)" in refused.text
    assert db.session.scalar(select(func.count()).select_from(ProcedureStats)) == 0


def test_new_dossiers_cannot_be_left_empty_with_their_channels_filled(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    refused = client.post(f"{page}/stats", data={**form_of(NGOK_TU), "dossiers_new_total": "",
                                                 "override_explanation": "theo báo cáo"})
    assert refused.status_code == 422, "not even with an explanation"
    assert "Hồ sơ tiếp nhận mới trong kỳ không được để trống khi đã nhập" in refused.text
    assert db.session.scalar(select(func.count()).select_from(ProcedureStats)) == 0


def test_a_rule_message_is_shown_once_and_its_fields_point_to_it(client, make_user, db):
    """Issue 14 point 12: the sum rule's message was repeated under each of its 6 fields."""
    sign_in(client, make_user)
    page = open_week(client)
    refused = client.post(f"{page}/stats", data=form_of(NGOK_TU))
    assert refused.status_code == 422
    assert refused.text.count("= 811") == 2, "once in the error summary at the top, once beside its fields"
    summary = refused.text.split('id="error-summary"')[1].split("</div>")[0]
    assert summary.count("= 811") == 1
    for name in ("resolved_on_time", "pending_not_due", "dossiers_new_total"):
        assert (f'id="s-{name}" name="{name}"' in refused.text)
    assert refused.text.count('aria-describedby="stats-problem-1"') == 6
    assert 'id="stats-problem-1"' in refused.text


def test_a_week_of_8_days_is_accepted_with_a_warning(client, make_user, db):
    """Issue 14 point 12: seed 001's week runs 27/10–03/11 (8 days); it is entered, but said."""
    sign_in(client, make_user)
    page = client.get(open_week(client)).text
    warning = ("Kỳ báo cáo tuần gồm 7 ngày, nhưng kỳ này có 8 ngày (27/10/2025–03/11/2025). Nếu báo cáo "
               "đúng là gồm các ngày này thì giữ nguyên; nếu không, hãy sửa lại ngày kết thúc.")
    assert page.count(warning) == 2, "once on creating it, and on the period's page"
    seven = client.post("/reports", data={"kind": "week", "start_date": "2025-11-10",
                                          "end_date": "2025-11-16"})
    assert "7 ngày" not in client.get(seven.headers["Location"]).text


def test_saving_a_week_says_what_it_changes_in_the_plan(client, make_user, db):
    """Issue 14 point 1: the save tells the secretary MT10 before and after."""
    sign_in(client, make_user)
    october = client.post("/reports", data={"kind": "month", "start_date": "2025-10-01",
                                            "end_date": "2025-10-31"}).headers["Location"]
    first = client.post(f"{october}/stats", data=form_of({**BA_DINH, "dossiers_new_online_full": 34,
                                                          "dossiers_new_online_partial": 4}))
    assert first.status_code == 302
    assert "Thay đổi trong kế hoạch: MT10: — (" in client.get(october).text
    week = client.post("/reports", data={"kind": "week", "start_date": "2025-11-03",
                                         "end_date": "2025-11-09"}).headers["Location"]
    client.post(f"{week}/stats", data=form_of(BA_DINH))
    shown = client.get(week).text
    assert "Thay đổi trong kế hoạch: MT10: 52,31% (" in shown
    assert "→ 38,46% (" in shown
    item = client.get("/items/MT10?as_of=2025-11-20").text
    assert "Tháng 10/2025: 34/65" in item
    assert "Tuần 03/11–09/11/2025: 16/65" in item
    assert "Tổng: 50/130 = 38,46%" in item
def test_the_period_page_saves_all_its_parts_at_once(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    form = {**form_of(BA_DINH), "estimate": "500.000.000", "section-3.1": "08 công chức giải quyết TTHC.",
            "version": "1"}
    saved = client.post(page, data=form)
    assert saved.status_code == 302, saved.text
    shown = client.get(page).text
    assert "Đã lưu số liệu TTHC. Đã lưu số liệu kinh phí. Đã lưu phần nhận xét, đánh giá." in shown
    period = db.session.scalar(select(ReportingPeriod))
    assert period.stats.dossiers_new_total == 65
    assert period.finance.estimate == 500_000_000
    assert {s.key: s.text for s in period.sections} == {"3.1": "08 công chức giải quyết TTHC."}
    again = client.post(page, data={**form, "section-3.1": "Sửa nhận xét", "version": str(period.version)})
    assert again.status_code == 302, "the page's version after a save of every part is the one to send next"


def test_a_refusal_in_one_part_keeps_every_part_typed_and_saves_none(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    form = {**form_of(NGOK_TU), "estimate": "500.000.000", "approved": "100.000.000",
            "allocated": "200.000.000", "section-3.1": "Nhận xét chưa lưu", "version": "1"}
    refused = client.post(page, data=form)
    assert refused.status_code == 422
    assert 'value="500.000.000"' in refused.text
    assert "Nhận xét chưa lưu" in refused.text
    assert 'class="error-summary"' in refused.text
    assert 'href="#f-allocated"' in refused.text, "the finance refusal is named too"
    assert 'data-unsaved' in refused.text, "the page knows what it shows is not saved"
    period = db.session.scalar(select(ReportingPeriod))
    assert period.stats is None
    assert period.finance is None
    assert not period.sections
    assert period.version == 1


def test_an_unchanged_page_saves_nothing(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    assert client.post(page, data={**form_of(BA_DINH), "version": "1"}).status_code == 302
    again = client.post(page, data={**form_of(BA_DINH), "version": "2"})
    assert again.status_code == 302
    assert "Không có thay đổi nào" in client.get(page).text
    assert db.session.scalar(select(ReportingPeriod.version)) == 2


def test_a_submitted_periods_page_refuses_a_save(client, make_user, db):
    sign_in(client, make_user)
    page = open_week(client)
    assert client.post(f"{page}/submit", data={"version": "1"}).status_code == 302
    refused = client.post(page, data={**form_of(BA_DINH), "version": "2"})
    assert refused.status_code == 422
    assert "Kỳ báo cáo đã gửi nên số liệu đã khóa" in refused.text
    assert db.session.scalar(select(ReportingPeriod)).stats is None
