"""The outline report and the summary as files: real PDF and DOCX opened and read."""

import io

import docx
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH
from tests.test_render import needs_weasyprint


def secretary_week(client, make_user) -> str:
    make_user("vanthu", "secretary", "VP")
    client.post("/login", data={"username": "vanthu", "password": PASSWORD})
    page = client.post("/reports", data={"kind": "week", "start_date": "2025-10-27",
                                         "end_date": "2025-11-03", "report_number": "15"}).headers["Location"]
    assert client.post(f"{page}/stats", data={k: str(v) for k, v in BA_DINH.items()}).status_code == 302
    client.post(f"{page}/sections", data={"section-3.1": "08 công chức trực tiếp giải quyết TTHC."})
    return page


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


EXPECTED = ("BÁO CÁO", "Số: 15/BC-UBND", "1. Về pháp lý", "2. Về hạ tầng kỹ thuật, công nghệ",
            "3.1. Nguồn nhân lực",
            "3.2. Nguồn lực về tài chính", "4. Kết quả thực hiện TTHC", "5.2. Kiến nghị, đề xuất",
            "08 công chức trực tiếp giải quyết TTHC.", "không", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_print_html(client, make_user):
    page = secretary_week(client, make_user)
    html = client.get(f"{page}/report.html")
    assert html.status_code == 200
    # The only script is the app's own print button's, from the toolbar that is never printed (issue 14).
    assert html.text.count("<script") == 1
    assert '<script src="/static/js/print.js" defer></script>' in html.text
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert "script-src 'self';" in html.headers["Content-Security-Policy"]
    for text in (*EXPECTED, "2,10% (03/143 TTHC)", "67 hồ sơ"):
        assert text in html.text, text


@needs_weasyprint
def test_pdf_download_states_the_seed_figures(client, make_user):
    page = secretary_week(client, make_user)
    answer = client.get(f"{page}/report.pdf")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="bao-cao-2025-10-27')
    text = " ".join(pdf_text(answer.data).split())
    for expected in (*EXPECTED, "2,10% (03/143 TTHC)", "67 hồ sơ", "trực tuyến 38 hồ sơ"):
        assert expected in text, expected


def test_docx_download_states_the_seed_figures(client, make_user):
    page = secretary_week(client, make_user)
    answer = client.get(f"{page}/report.docx")
    assert answer.status_code == 200
    text = docx_text(answer.data)
    for expected in (*EXPECTED, "2,10% (03/143 TTHC)", "67 hồ sơ"):
        assert expected in text, expected


@needs_weasyprint
def test_summary_pdf(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    answer = client.get("/summary?as_of=2025-11-03&format=pdf")
    assert answer.status_code == 200
    assert len(PdfReader(io.BytesIO(answer.data)).pages) == 1, "the summary fits on one page"
    text = " ".join(pdf_text(answer.data).split())
    assert "Các chỉ tiêu" in text
    assert "MT16" in text
    assert client.get("/summary?format=exe").status_code == 404
    assert client.get("/summary?as_of=31/31/2025").status_code == 400


def test_xlsx_round_trip_through_the_pages(client, make_user, db):
    from openpyxl import load_workbook

    from tracker.models import ProcedureStats

    page = secretary_week(client, make_user)
    exported = client.get(f"{page}/report.xlsx")
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.data))
    sheet = book["Số liệu"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "dossiers_new_total")
    row[3].value = "sáu mươi"
    edited = io.BytesIO()
    book.save(edited)
    refused = client.post("/reports/import", data={"file": (io.BytesIO(edited.getvalue()), "so-lieu.xlsx")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    assert f"Ô D{row[3].row}" in refused.text
    row[3].value = 65
    late = next(r for r in sheet.iter_rows() if r[0].value == "entered_late")
    late[3].value = 1
    ok = io.BytesIO()
    book.save(ok)

    def send(**extra):
        return client.post("/reports/import", data={"file": (io.BytesIO(ok.getvalue()), "a.xlsx"), **extra},
                           content_type="multipart/form-data")

    checked = send(dry_run="1")
    assert checked.status_code == 200
    assert "Kiểm tra xong, chưa lưu gì: 1 ô sẽ thay đổi." in checked.text
    assert db.session.scalar(db.select(ProcedureStats.entered_late)) == 0
    assert send().status_code == 200
    db.session.expire_all()
    assert db.session.scalar(db.select(ProcedureStats.entered_late)) == 1
    not_a_sheet = client.post("/reports/import", data={"file": (io.BytesIO(b"%PDF-1.4"), "a.xlsx")},
                              content_type="multipart/form-data")
    assert "Tệp không phải bảng tính Excel .xlsx." in not_a_sheet.text
    assert db.session.scalar(db.select(ProcedureStats.dossiers_new_total)) == 65


def test_report_command_writes_the_files(runner, client, make_user, tmp_path):
    secretary_week(client, make_user)
    for fmt in ("docx", "xlsx", "html"):
        output = tmp_path / f"bao-cao.{fmt}"
        result = runner.invoke(args=["report", "--from", "2025-10-27", "--to", "2025-11-03", "--format", fmt,
                                     "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 1000
    assert "2,10% (03/143 TTHC)" in docx_text((tmp_path / "bao-cao.docx").read_bytes())
    missing = runner.invoke(args=["report", "--from", "2025-01-01", "--to", "2025-01-31", "--format", "pdf",
                                  "--output", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 1
    assert "Không có kỳ báo cáo từ 01/01/2025 đến 31/01/2025" in missing.output
    summary = runner.invoke(args=["report", "--from", "2025-11-03", "--to", "2025-11-03", "--summary",
                                  "--format", "docx", "--output", str(tmp_path / "tom-tat.docx")])
    assert summary.exit_code == 0, summary.output
    assert "Các chỉ tiêu" in docx_text((tmp_path / "tom-tat.docx").read_bytes())
