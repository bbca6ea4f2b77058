"""Journey 3: a secretary enters a week's figures, fixes the one that does not add up, and gets the
report as PDF and DOCX and the one-page summary in print."""

import io

from pypdf import PdfReader

from tests.browser.conftest import assert_no_horizontal_scroll, open_menu, shot, sign_in
from tests.test_domain_stats import BA_DINH
from tests.test_render import needs_weasyprint
from tests.test_web_report_documents import docx_text, pdf_text


@needs_weasyprint
def test_secretary_reports_a_week(page, server, demo, tmp_path):
    sign_in(page, server, "vanthu")
    open_menu(page)
    page.click("header.site a:text-is('Báo cáo')")
    page.wait_for_url("**/reports")
    shot(page, "secretary-1-periods")
    assert_no_horizontal_scroll(page)

    # Open the week 27/10–03/11/2025.
    page.select_option("#kind", "week")
    page.fill("#start_date", "2025-10-27")
    page.fill("#end_date", "2025-11-03")
    page.fill("#report_number", "15")
    page.click("button:text-is('Tạo kỳ báo cáo')")
    page.wait_for_selector("h1:has-text('Kỳ báo cáo từ 27/10/2025 đến 03/11/2025')")
    assert_no_horizontal_scroll(page)

    # The week's figures (seed 001), with one deliberate slip: 28 dossiers in person instead of 27.
    for name, value in {**BA_DINH, "dossiers_new_in_person": 28}.items():
        page.fill(f"#s-{name}", str(value))
    page.click("#stats button:text-is('Lưu toàn bộ số liệu và nhận xét')")
    page.wait_for_selector(".problems")
    problem = " ".join(page.inner_text(".problems").split())
    assert "Các kênh tiếp nhận phải cộng lại bằng số hồ sơ tiếp nhận mới" in problem, problem
    assert "tiếp nhận trực tiếp 28" in problem, problem
    assert "= 66" in problem, problem
    assert "hồ sơ tiếp nhận mới trong kỳ 65" in problem, problem
    assert page.input_value("#s-dossiers_new_in_person") == "28", "what was typed stays on screen"
    assert page.get_attribute("#s-dossiers_new_in_person", "aria-invalid") == "true"
    # 28/65 = 43,0769…%: rounded half up (it was cut to 43,07%).
    assert "43,08% (28/65 hồ sơ)" in page.inner_text("#stats"), "the ratio of what was typed"
    page.locator(".problems").scroll_into_view_if_needed()
    shot(page, "secretary-2-figures-do-not-add-up")
    assert_no_horizontal_scroll(page)

    # Fix it and save.
    page.fill("#s-dossiers_new_in_person", "27")
    page.click("#stats button:text-is('Lưu toàn bộ số liệu và nhận xét')")
    page.wait_for_selector(".flash:has-text('Đã lưu số liệu TTHC.')")
    assert page.locator(".problems").count() == 0
    assert "2,10% (03/143 TTHC)" in page.inner_text("#stats")
    shot(page, "secretary-3-figures-saved")

    # The report, downloaded as PDF and as Word, opened and read.
    with page.expect_download() as pdf_download:
        page.click(".downloads a:text-is('PDF')")
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.name == "bao-cao-2025-10-27-2025-11-03.pdf"
    pdf = " ".join(pdf_text(pdf_path.read_bytes()).split())
    with page.expect_download() as docx_download:
        page.click(".downloads a:text-is('Word (DOCX)')")
    docx_path = tmp_path / docx_download.value.suggested_filename
    docx_download.value.save_as(docx_path)
    assert docx_path.suffix == ".docx"
    word = docx_text(docx_path.read_bytes())
    for text in ("BÁO CÁO", "Số: 15/BC-UBND", "4. Kết quả thực hiện TTHC", "2,10% (03/143 TTHC)", "67 hồ sơ"):
        assert text in pdf, text
        assert text in word, text

    # The print view of the report, then the one-page summary printed by the browser.
    page.click(".downloads a:text-is('Xem bản in')")
    page.wait_for_selector("h1.title")
    assert "BÁO CÁO" in page.inner_text("h1.title")
    shot(page, "secretary-4-report-print-view")
    assert_no_horizontal_scroll(page)
    page.goto(f"{server}/summary?as_of=2025-11-03")
    page.wait_for_load_state()
    shot(page, "secretary-5-summary")
    assert_no_horizontal_scroll(page)
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    text = " ".join(" ".join(p.extract_text() for p in printed.pages).split())
    assert "MT16" in text
    assert "03/11/2025" in text
