"""The built outline report and summary: the seeds' figures come out as the seeds wrote them."""

from datetime import date

from tests.test_domain_stats import BA_DINH, NGOK_TU
from tracker.render.document import NONE_TEXT, Block
from tracker.services.figures import record_stats
from tracker.services.legal import DocumentInput, register_document
from tracker.services.narratives import save_sections
from tracker.services.outline import build_outline_report, build_summary, count_text, place_date
from tracker.services.periods import PeriodInput, create_period

TODAY = date(2025, 11, 20)


def text_of(block: Block) -> str:
    parts = [f"{block.number}. {block.title}", *block.paragraphs]
    for table in block.tables:
        parts += [" | ".join(row) for row in table.rows]
    parts += [text_of(child) for child in block.children]
    return "\n".join(parts)



def period_with(db, plan, secretary, stats, start, end, **kwargs):
    period = create_period(db.session, secretary, plan.commune, PeriodInput("custom", start, end, **kwargs))
    record_stats(db.session, secretary, period, stats, today=TODAY)
    db.session.commit()
    return period


def test_count_and_date_wording():
    assert count_text(2, "hồ sơ") == "02 hồ sơ"
    assert count_text(0, "hồ sơ") == "0 hồ sơ"
    assert count_text(812, "hồ sơ") == "812 hồ sơ"
    assert count_text(1234, "hồ sơ") == "1.234 hồ sơ"
    assert count_text(None, "hồ sơ") == "không"
    assert place_date("Ngọk Bay", date(2025, 3, 5)) == "Ngọk Bay, ngày 05 tháng 3 năm 2025"
    assert place_date("Ngọk Bay", date(2025, 2, 15)) == "Ngọk Bay, ngày 15 tháng 02 năm 2025"


def test_ba_dinh_week_section_4_states_the_seed_figures(db, plan, secretary):
    period = period_with(db, plan, secretary, BA_DINH, date(2025, 10, 27), date(2025, 11, 3),
                         report_number="15")
    report = build_outline_report(db.session, plan, period, today=TODAY)
    section_4 = text_of(report.blocks[3])
    for figure in ("67 hồ sơ", "kỳ trước chuyển sang 02 hồ sơ", "trực tuyến 38 hồ sơ", "toàn trình 16 hồ sơ",
                   "một phần 22 hồ sơ", "trực tiếp 27 hồ sơ", "trước hạn, đúng hạn 65 hồ sơ",
                   "chưa đến hạn: 02 hồ sơ", "trực tuyến toàn trình: 143 TTHC", "một phần: 231 TTHC",
                   "trực tiếp: 40 TTHC", "2,10% (03/143 TTHC)", "0,43% (01/231 TTHC)", "5% (02/40 TTHC)",
                   "chậm cập nhật vào hệ thống: 0 hồ sơ"):
        assert figure in section_4, figure
    assert report.header.number == "Số: 15/BC-UBND"
    assert report.header.issuing_body == ("ỦY BAN NHÂN DÂN", "XÃ NGỌK BAY")
    assert "từ ngày 27/10/2025 đến ngày 03/11/2025" in report.header.summary


def test_ngok_tu_quarter_section_4_with_its_explanation(db, plan, secretary):
    stats = {**NGOK_TU, "override_explanation": "01 hồ sơ công dân rút theo đơn ngày 20/9/2025."}
    period = period_with(db, plan, secretary, stats, date(2025, 7, 1), date(2025, 9, 30))
    section_4 = text_of(build_outline_report(db.session, plan, period, today=TODAY).blocks[3])
    for figure in ("393 TTHC", "tiếp nhận mới 812 hồ sơ", "trực tuyến 254 hồ sơ", "trực tiếp 558 hồ sơ",
                   "bưu chính công ích 0 hồ sơ", "797 hồ sơ", "trước hạn, đúng hạn 790 hồ sơ",
                   "quá hạn 07 hồ sơ",
                   "chưa đến hạn: 14 hồ sơ", "không phụ thuộc địa giới hành chính: 155 TTHC",
                   "trực tuyến toàn trình: 65 TTHC", "một phần: 266 TTHC",
                   "Giải trình số liệu: 01 hồ sơ công dân rút"):
        assert figure in section_4, figure


def test_empty_sections_say_khong_and_narratives_are_used(db, plan, secretary):
    period = period_with(db, plan, secretary, BA_DINH, date(2025, 10, 27), date(2025, 11, 3))
    save_sections(db.session, secretary, period,
                  {"2": "Đường truyền cáp quang đến 100% thôn.\nCòn 02 thôn lõm sóng."})
    db.session.commit()
    report = build_outline_report(db.session, plan, period, today=TODAY)
    numbers = [b.number for b in report.blocks]
    assert numbers == ["1", "2", "3", "4", "5"]
    assert report.blocks[1].paragraphs == ("Đường truyền cáp quang đến 100% thôn.", "Còn 02 thôn lõm sóng.")
    assert report.blocks[2].children[0].paragraphs == (NONE_TEXT,)  # 3.1 not written
    remarks = report.blocks[4].children[0]
    assert [c.number for c in remarks.children] == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5"]
    assert "Kinh phí đã giải ngân: không." in text_of(report.blocks[2])


def test_section_1_lists_documents_and_late_tasks(db, plan, secretary):
    register_document(db.session, secretary, plan.commune, plan, DocumentInput(
        "119/QĐ-UBND", date(2025, 8, 15), "UBND xã Ngọk Bay", "Quyết định",
        "Ban hành danh mục TTHC thực hiện trực tuyến", ("NV01", "MT02")), today=TODAY)
    period = period_with(db, plan, secretary, {}, date(2025, 10, 1), date(2025, 10, 31))
    section_1 = text_of(build_outline_report(db.session, plan, period, today=TODAY).blocks[0])
    assert "119/QĐ-UBND | 15/08/2025 | UBND xã Ngọk Bay" in section_1
    assert "NV02 –" not in section_1, "NV02 (a review of equipment) is no document, and it is done"
    assert "NV01 –" not in section_1, "NV01 has its document"


def test_summary(db, plan, secretary):
    report = build_summary(db.session, plan, date(2025, 11, 3), today=TODAY)
    assert [b.title for b in report.blocks] == ["Các chỉ tiêu", "Nhiệm vụ quá hạn",
                                                "Ý kiến chỉ đạo chưa được trả lời"]
    assert len(report.blocks[0].tables[0].rows) == 16
    assert report.blocks[0].images[0].png.startswith(b"\x89PNG")
    assert report.blocks[2].paragraphs == (NONE_TEXT,)
