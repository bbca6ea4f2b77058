"""The province's own summary report of a period: the communes' TTHC figures summed (pure, then from
the database in a fixed number of statements), only accepted communes in the report, the province's
edited sections saved under a version, the page's permissions, and the real PDF and DOCX."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH, NGOK_TU
from tests.test_render import needs_weasyprint
from tracker.domain.province_summary import (
    chosen_text,
    gather_text,
    natural_end,
    same_text,
    sum_figures,
    sum_stats,
)
from tracker.domain.stats import FIELD_NAMES, check_stats, shares
from tracker.models import (
    AuditEvent,
    Commune,
    FinanceFigures,
    ProcedureStats,
    ProvinceReportSection,
    ReportingPeriod,
    ReportSection,
)
from tracker.services.errors import NotAllowed
from tracker.services.outline import build_province_period_report
from tracker.services.periods import StaleEdit
from tracker.services.province_summary import (
    REPORT_STATUSES,
    ReportEdit,
    gather_province_report,
    province_stats,
    save_province_report,
)
from tracker.services.users import create_user

START, END = date(2025, 10, 27), date(2025, 11, 2)


# --- the pure sum ---------------------------------------------------------------------------------

def test_a_field_nobody_reported_stays_empty_and_a_reported_zero_stays_zero():
    total = sum_figures([{"dossiers_new_total": 0, "resolved_late": None}, {"dossiers_new_total": None}])
    assert total["dossiers_new_total"] == 0
    assert total["resolved_late"] is None
    assert total["tthc_total"] is None
    assert set(total) == set(FIELD_NAMES)
    assert sum_figures([]) == dict.fromkeys(FIELD_NAMES)


def test_sum_adds_the_communes_figures_and_computes_the_shares_of_the_sum():
    summed = sum_stats([BA_DINH, {"tthc_online_full": 57, "tthc_active_online_full": 7}])
    assert summed.figures["tthc_online_full"] == 200
    assert summed.figures["tthc_active_online_full"] == 10
    # 10/200, not the mean of 2,10% and 12,28%.
    assert summed.shares["tthc_active_online_full"] == "5% (10/200 TTHC)"
    assert summed.shares == shares(summed.figures)
    assert summed.reporting["tthc_online_full"] == 2
    assert summed.reporting["dossiers_new_total"] == 1
    assert summed.reports == 2
    assert summed.problems == ()


def test_the_sum_runs_the_communes_rules_and_can_break_them():
    # Ngọk Tụ's one missing dossier (explained in its own report) stays in the province's sum, and
    # Ba Đình gives TTHC by form without a total: the sum's forms (745) exceed the only total (393).
    summed = sum_stats([NGOK_TU, BA_DINH])
    messages = [p.message for p in summed.problems]
    assert summed.figures["dossiers_new_total"] == 877
    assert list(summed.problems) == check_stats(summed.figures)
    assert any("878" in m and "879" in m for m in messages), messages
    assert any("745" in m and "393" in m for m in messages), messages
    assert sum_stats([BA_DINH]).problems == ()


def test_narratives_are_gathered_with_the_communes_names():
    gathered = gather_text([("Xã A", "Đã lắp wifi.\n\nĐã tập huấn.  "), ("Xã B", None), ("Xã C", "Chưa có.")])
    assert gathered == "Xã A: Đã lắp wifi.\nXã A: Đã tập huấn.\nXã C: Chưa có."
    assert gather_text([]) == ""


def test_a_saved_text_replaces_the_gathered_one_even_when_empty():
    assert chosen_text(None, "Xã A: gộp") == "Xã A: gộp"
    assert chosen_text("Tỉnh viết lại", "Xã A: gộp") == "Tỉnh viết lại"
    assert chosen_text("", "Xã A: gộp") == ""
    assert same_text("a\r\nb \r\n", "a\nb")
    assert not same_text("a", "b")


@pytest.mark.parametrize(("kind", "start", "end"), [
    ("week", date(2025, 10, 27), date(2025, 11, 2)),
    ("month", date(2025, 12, 1), date(2025, 12, 31)),
    ("quarter", date(2025, 10, 1), date(2025, 12, 31)),
    ("month", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_natural_end(kind, start, end):
    assert natural_end(kind, start) == end


# --- the database ---------------------------------------------------------------------------------

def add_commune(db, province, code: str, name: str) -> Commune:
    commune = Commune(code=code, name=name, province_id=province.id)
    db.session.add(commune)
    db.session.flush()
    return commune


def add_period(db, commune, status: str, stats: dict | None = None, sections: dict | None = None,
               finance: dict | None = None, number: str | None = None) -> ReportingPeriod:
    period = ReportingPeriod(commune_id=commune.id, kind="week", start_date=START, end_date=END,
                             status=status, report_number=number)
    db.session.add(period)
    db.session.flush()
    if stats is not None:
        db.session.add(ProcedureStats(period_id=period.id, **stats))
    if finance is not None:
        db.session.add(FinanceFigures(period_id=period.id, **finance))
    for key, text in (sections or {}).items():
        db.session.add(ReportSection(period_id=period.id, key=key, text=text))
    db.session.flush()
    return period


@pytest.fixture
def province(db, plan):
    """Ngọk Bay (accepted, seed 001's figures), Ngọk Tụ (accepted, seed 000's), Minh Long (submitted,
    not accepted), Đăk Pxi (a draft) and Hiếu (no period) in the plan's province."""
    province = plan.commune.province
    add_period(db, plan.commune, "accepted", BA_DINH,
               {"2": "Đã lắp wifi tại nhà văn hóa.", "5.2": "Cấp thêm máy."},
               {"estimate": 650_000_000, "disbursed": 410_000_000}, number="15")
    tu = add_commune(db, province, "ngoktu", "Xã Ngọk Tụ")
    add_period(db, tu, "accepted", NGOK_TU, {"2": "Đường truyền yếu ở thôn 3."}, {"estimate": 100_000_000})
    long_ = add_commune(db, province, "minhlong", "Xã Minh Long")
    add_period(db, long_, "submitted", {"dossiers_new_total": 687}, {"2": "Không được tính."})
    pxi = add_commune(db, province, "dakpxi", "Xã Đăk Pxi")
    add_period(db, pxi, "draft", {"dossiers_new_total": 5})
    add_commune(db, province, "hieu", "Xã Hiếu")
    db.session.commit()
    return province


@pytest.fixture
def province_user(db, data_app, plan):
    def make(username: str, role: str):
        user = create_user(db.session, province=plan.commune.province, username=username, password=PASSWORD,
                           role=role, full_name=username, hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                           min_length=data_app.config["PASSWORD_MIN_LENGTH"])
        db.session.commit()
        return user
    return make


def test_the_board_sums_submitted_and_accepted_the_report_only_accepted(db, province):
    board = province_stats(db.session, province, "week", START)
    assert [c.name for c in board.communes] == ["Xã Minh Long", "Xã Ngọk Bay", "Xã Ngọk Tụ"]
    assert board.figures["dossiers_new_total"] == 687 + 65 + 812
    accepted = province_stats(db.session, province, "week", START, REPORT_STATUSES)
    assert accepted.count == 2
    assert accepted.figures["dossiers_new_total"] == 65 + 812
    assert accepted.figures["tthc_active_online_full"] == 3  # Ngọk Tụ gave none: not counted as 0
    assert accepted.problems  # Ngọk Tụ's 811 ≠ 812 carries into the sum
    assert province_stats(db.session, province, "month", START).count == 0


def test_the_report_is_made_of_the_accepted_communes_and_lists_the_others(db, province, plan):
    summary = gather_province_report(db.session, province, "week", START)
    assert [p.commune.name for p in summary.included] == [plan.commune.name, "Xã Ngọk Tụ"]
    waiting = {c.name: (p.status if p else None) for c, p in summary.waiting}
    assert waiting == {"Xã Minh Long": "submitted", "Xã Đăk Pxi": "draft", "Xã Hiếu": None}
    assert summary.texts["2"] == (f"{plan.commune.name}: Đã lắp wifi tại nhà văn hóa.\n"
                                  "Xã Ngọk Tụ: Đường truyền yếu ở thôn 3.")
    assert "Không được tính" not in "".join(summary.texts.values())
    assert summary.texts["1"] == ""
    assert summary.finance["estimate"] == 750_000_000
    assert summary.finance["approved"] is None
    assert summary.end == END
    assert summary.version == 0


def statements(engine):
    seen: list[str] = []

    def count(*args):
        seen.append(args[2])
    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def test_a_fixed_number_of_statements_whatever_the_number_of_communes(db, province):
    db.session.expire_all()
    province_name = province.name  # loaded, as the page has it from the signed-in user
    counts = []
    for extra in (0, 6):
        for i in range(extra):
            commune = add_commune(db, province, f"them{i}", f"Xã Thêm {i}")
            add_period(db, commune, "accepted", BA_DINH, {"2": f"Văn bản {i}", "1": "Có"}, {"estimate": 1})
        db.session.commit()
        db.session.expire_all()
        assert province.name == province_name
        seen, stop = statements(db.engine)
        summary = gather_province_report(db.session, province, "week", START)
        build_province_period_report(summary, today=date(2025, 11, 5))
        board = province_stats(db.session, province, "week", START)
        stop()
        counts.append(len(seen))
        assert len(summary.included) == 2 + extra
        assert board.count == 3 + extra
    assert counts[0] == counts[1] <= 8, counts


def test_a_saved_section_replaces_the_gathered_text_and_the_others_keep_following(db, province, province_user,
                                                                                   plan):
    secretary = province_user("vp.tinh", "secretary")
    before = gather_province_report(db.session, province, "week", START)
    typed = dict(before.texts, **{"2": "Hạ tầng: 02 xã đã báo cáo."})
    saved = save_province_report(db.session, secretary, province, "week", START, ReportEdit(
        header={"report_number": "88", "report_date": date(2025, 11, 5)}, typed=typed, shown=before.texts,
        expected_version=0, basis=before.basis))
    db.session.commit()
    assert saved.header == ("report_number", "report_date")
    assert saved.sections == ("2",)
    # A commune accepted later joins the sections the province did not edit, not the edited one.
    late = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.status == "submitted"))
    late.status = "accepted"
    db.session.commit()
    after = gather_province_report(db.session, province, "week", START)
    assert after.texts["2"] == "Hạ tầng: 02 xã đã báo cáo."
    assert "Xã Minh Long: Không được tính." in after.gathered["2"]
    assert after.report.report_number == "88"
    assert after.version == 1
    assert [s.key for s in db.session.scalars(select(ProvinceReportSection))] == ["2"]
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "province_report").order_by(AuditEvent.id))]
    assert actions == ["province_report.header", "province_report.section"]
    # Given back to the gathered text: it follows the communes again.
    save_province_report(db.session, secretary, province, "week", START, ReportEdit(
        header={"report_number": "88", "report_date": date(2025, 11, 5)}, typed=after.texts,
        shown=after.texts, restore=frozenset({"2"}), expected_version=1, basis=after.basis))
    db.session.commit()
    assert gather_province_report(db.session, province, "week", START).texts["2"] == after.gathered["2"]


def test_a_stale_save_is_refused(db, province, province_user):
    one, two = province_user("vp.tinh", "secretary"), province_user("qt.tinh", "admin")
    page = gather_province_report(db.session, province, "week", START)
    edit = ReportEdit(header={}, typed=dict(page.texts, **{"2": "Bản của người thứ nhất"}), shown=page.texts,
                      expected_version=page.version, basis=page.basis)
    save_province_report(db.session, one, province, "week", START, edit)
    db.session.commit()
    with pytest.raises(StaleEdit) as refused:
        save_province_report(db.session, two, province, "week", START, ReportEdit(
            header={}, typed=dict(page.texts, **{"5.2": "Bản thứ hai"}), shown=page.texts,
            expected_version=page.version, basis=page.basis))
    assert "vp.tinh" in refused.value.errors["version"]
    db.session.rollback()
    assert gather_province_report(db.session, province, "week", START).texts["5.2"] == page.texts["5.2"]


def test_an_edit_on_a_page_opened_before_a_commune_was_accepted_is_refused(db, province, province_user):
    secretary = province_user("vp.tinh", "secretary")
    page = gather_province_report(db.session, province, "week", START)
    submitted = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.status == "submitted"))
    submitted.status = "accepted"
    db.session.commit()
    with pytest.raises(StaleEdit) as refused:
        save_province_report(db.session, secretary, province, "week", START, ReportEdit(
            header={}, typed=dict(page.texts, **{"2": "Sửa"}), shown=page.texts, expected_version=0,
            basis=page.basis))
    assert "Xã Minh Long" in refused.value.errors["version"]


def test_only_the_province_secretary_and_admin_edit(db, province, province_user, make_user):
    page = gather_province_report(db.session, province, "week", START)
    edit = ReportEdit(header={"report_number": "1"}, typed=page.texts, shown=page.texts)
    for user in (province_user("ld.tinh", "leader"), make_user("vanthu", "secretary", "VP")):
        with pytest.raises(NotAllowed):
            save_province_report(db.session, user, province, "week", START, edit)


# --- the pages ------------------------------------------------------------------------------------

def sign_in(client, username):
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


QUERY = f"kind=week&start={START.isoformat()}"


def test_permissions_of_the_pages(client, province, province_user, make_user):
    make_user("vanthu", "secretary", "VP")
    sign_in(client, "vanthu")
    for path in (f"/province/summary?{QUERY}", f"/province/summary.docx?{QUERY}"):
        assert client.get(path).status_code == 403
    assert client.post(f"/province/summary?{QUERY}", data={"section-2": "x"}).status_code == 403
    client.post("/logout")
    province_user("ld.tinh", "leader")
    sign_in(client, "ld.tinh")
    page = client.get(f"/province/summary?{QUERY}")
    assert page.status_code == 200
    assert "Xã Ngọk Tụ: Đường truyền yếu ở thôn 3." in page.text
    assert 'name="section-2"' in page.text
    assert "readonly" in page.text
    assert "Lưu báo cáo của tỉnh" not in page.text
    assert client.post(f"/province/summary?{QUERY}", data={"section-2": "x"}).status_code == 403


def form_of(summary, **changes) -> dict:
    data = {"version": str(summary.version), "basis": summary.basis, "report_number": "", "report_date": "",
            "signer_name": "", "signer_title": ""}
    for key, text in summary.texts.items():
        data[f"section-{key}"] = text
        data[f"shown-{key}"] = text
    return {**data, **changes}


def test_the_page_saves_says_what_and_keeps_typed_text_on_a_refusal(client, db, province, province_user):
    province_user("vp.tinh", "secretary")
    sign_in(client, "vp.tinh")
    page = gather_province_report(db.session, province, "week", START)
    answer = client.post(f"/province/summary?{QUERY}", data=form_of(page, **{
        "section-2": "Tỉnh tổng hợp hạ tầng.", "report_number": "88", "signer_name": "Nguyễn Văn A"}))
    assert answer.status_code == 302
    shown = client.get(answer.headers["Location"]).text
    assert "Đã lưu" in shown
    assert "số báo cáo" in shown
    assert "Tỉnh tổng hợp hạ tầng." in shown
    # The same page sent again (its version is now old): refused, what was typed stays on screen.
    refused = client.post(f"/province/summary?{QUERY}",
                          data=form_of(page, **{"section-5.2": "Kiến nghị mới"}))
    assert refused.status_code == 422
    assert "Kiến nghị mới" in refused.text
    assert "vp.tinh" in refused.text
    # A bad date: a message next to the field, nothing saved, the typed text kept.
    db.session.expire_all()
    page = gather_province_report(db.session, province, "week", START)
    bad = client.post(f"/province/summary?{QUERY}", data=form_of(page, **{
        "report_date": "31/02/2025", "section-1": "Văn bản mới"}))
    assert bad.status_code == 422
    assert "31/02/2025" in bad.text
    assert "Văn bản mới" in bad.text
    db.session.expire_all()
    assert gather_province_report(db.session, province, "week", START).texts["1"] == ""


def test_bad_period_arguments_are_a_400_not_a_500(client, province, province_user):
    province_user("vp.tinh", "secretary")
    sign_in(client, "vp.tinh")
    assert client.get("/province/summary?kind=year").status_code == 400
    assert client.get("/province/summary?kind=week&start=2025-13-01").status_code == 400
    assert client.get("/province/summary").status_code == 200  # the latest week of the communes
    assert client.get(f"/province/summary.xlsx?{QUERY}").status_code == 404


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


DOCUMENT_TEXTS = ("BÁO CÁO", "Tổng cộng", "Xã Ngọk Tụ: Đường truyền yếu ở thôn 3.", "Xã Minh Long",
                  "đã gửi, chờ tiếp nhận", "chưa phải số liệu của toàn tỉnh", "Số: 88/BC-UBND",
                  "Nguyễn Văn A", "812", "877", "4. Kết quả thực hiện TTHC",
                  "Số liệu chỉ có ở một phần các xã")


def _saved_header(client, db, province, province_user):
    province_user("vp.tinh", "secretary")
    sign_in(client, "vp.tinh")
    page = gather_province_report(db.session, province, "week", START)
    assert client.post(f"/province/summary?{QUERY}", data=form_of(page, **{
        "report_number": "88", "signer_name": "Nguyễn Văn A"})).status_code == 302


@needs_weasyprint
def test_the_pdf_holds_the_communes_figures_and_gathered_narratives(client, db, province, province_user,
                                                                     plan):
    _saved_header(client, db, province, province_user)
    client.post("/account/language", data={"language": "en"})  # the document stays Vietnamese
    answer = client.get(f"/province/summary.pdf?{QUERY}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == \
        'attachment; filename="bao-cao-tong-hop-2025-10-27-2025-11-02.pdf"'
    text = pdf_text(answer.data)
    for expected in (*DOCUMENT_TEXTS, f"{plan.commune.name}: Đã lắp wifi tại nhà văn hóa."):
        assert expected in text, expected
    assert "687" not in text  # Minh Long's figures are not accepted yet


def test_the_docx_holds_the_communes_figures_and_gathered_narratives(client, db, province, province_user,
                                                                      plan):
    _saved_header(client, db, province, province_user)
    answer = client.get(f"/province/summary.docx?{QUERY}")
    assert answer.status_code == 200
    text = docx_text(answer.data)
    for expected in (*DOCUMENT_TEXTS, f"{plan.commune.name}: Đã lắp wifi tại nhà văn hóa.", "650 triệu đồng"):
        assert expected in text, expected
    assert "687" not in text
    assert "Không được tính" not in text


def test_the_page_sends_a_fixed_number_of_statements_whatever_the_number_of_communes(
        app, client, db, province, province_user):
    from tests.test_query_counts import counting, engine_of

    secretary = province_user("vp.tinh", "secretary")
    page = gather_province_report(db.session, province, "week", START)
    save_province_report(db.session, secretary, province, "week", START, ReportEdit(
        header={"signer_name": "Nguyễn Văn A"}, shown=page.texts,
        typed=dict(page.texts, **{"1": "Tỉnh viết", "5.2": "Đề xuất"})))
    db.session.commit()
    sign_in(client, "vp.tinh")
    counts = []
    for extra in (0, 6):
        for i in range(extra):
            commune = add_commune(db, province, f"them{i}", f"Xã Thêm {i}")
            add_period(db, commune, "accepted", BA_DINH, {"2": f"Văn bản {i}"}, {"estimate": 1})
        db.session.commit()
        with counting(engine_of(app)) as seen:
            page = client.get(f"/province/summary?{QUERY}")
        assert page.status_code == 200
        # The included list, and section 2 gathered in its box and in the box's "as shown" copy.
        assert page.text.count("Xã Thêm") == 3 * extra
        counts.append(len(seen))
    assert counts[0] == counts[1] <= 9, counts
