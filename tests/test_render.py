"""The three renderings of one built report: printable HTML, PDF (WeasyPrint) and DOCX."""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tracker.render import render
from tracker.render.charts import colour_breakdown_chart
from tracker.render.document import (
    NONE_TEXT,
    Block,
    Header,
    Image,
    Report,
    Signature,
    Table,
)
from tracker.render.layout import LAYOUT, heading_level, heading_text
from tracker.render.render_docx import render_docx
from tracker.render.render_html import PRINT_PAGE_CSP, render_html

HEADINGS = [
    "1. Về pháp lý",
    "2. Về hạ tầng kỹ thuật, công nghệ",
    "3. Nguồn lực",
    "3.1. Nguồn nhân lực",
    "3.2. Nguồn lực về tài chính",
    "4. Kết quả thực hiện TTHC",
    "5. Nhận xét, kiến nghị, đề xuất",
    "5.1. Kết quả theo từng nhóm nhiệm vụ",
    "5.1.1. Chuyển đổi số trong cơ quan Đảng",
    "5.1.2. Chính quyền số",
    "5.1.3. Kinh tế số",
    "5.1.4. Xã hội số",
    "5.1.5. Dữ liệu số",
    "5.2. Kiến nghị, đề xuất",
]
RATIO = "2,09% (03/143 TTHC)"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# Typed on an old keyboard driver: combining marks instead of precomposed letters.
DECOMPOSED = unicodedata.normalize("NFD", "Tổ công nghệ số cộng đồng hướng dẫn người dân dùng dịch vụ công.")
HOSTILE = "Ghi chú <b>in đậm</b> & <script>alert(1)</script>"


def build_sample_report() -> Report:
    """A report like the commune's quarterly one (seed 000), written by hand."""
    counts = {"red": 3, "amber": 5, "grey": 2, "green": 21}
    chart = Image(png=colour_breakdown_chart(counts, fmt="png"),
                  svg=colour_breakdown_chart(counts, fmt="svg").decode(),
                  alt="Hình 1. Số chỉ tiêu, nhiệm vụ theo mức độ thực hiện", width_mm=140)
    tthc = Table(
        columns=("STT", "Chỉ tiêu", "Kết quả", "Mức độ"),
        rows=(
            ("1", "Tỷ lệ TTHC có phát sinh hồ sơ trực tuyến toàn trình", "45,45%", "Đạt / đúng tiến độ"),
            ("2", "Tỷ lệ hồ sơ giải quyết quá hạn", RATIO, "Có nguy cơ chậm"),
            ("3", "Số hồ sơ tiếp nhận trong quý", "812 hồ sơ", "Chậm / quá hạn"),
            ("4", "Số TTHC thực hiện qua bưu chính công ích", "0 TTHC", "Chưa có số liệu"),
        ),
        colours=("green", "amber", "red", "grey"),
        caption="Bảng 1. Kết quả giải quyết thủ tục hành chính quý I năm 2025",
    )
    long = ("Ngay sau khi thực hiện tổ chức chính quyền hai cấp, UBND xã Ngọk Bay đã triển khai nhiều "
            "giải pháp nhằm tăng cường ứng dụng khoa học và công nghệ phục vụ công tác quản lý, điều "
            "hành và đời sống người dân; 100% cán bộ, công chức xã được cấp tài khoản thư công vụ.")
    return Report(
        header=Header(
            parent_body=None,
            issuing_body=("ỦY BAN NHÂN DÂN", "XÃ NGỌK BAY"),
            number="Số: 15/BC-UBND",
            place_date="Ngọk Bay, ngày 05 tháng 3 năm 2025",
            title="BÁO CÁO",
            summary=("Kết quả thực hiện Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 về thúc đẩy chuyển đổi "
                     "số liên thông, đồng bộ, nhanh, hiệu quả quý I năm 2025"),
        ),
        intro=("Căn cứ Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương; Ủy ban nhân "
               "dân xã báo cáo kết quả thực hiện trên địa bàn xã như sau:",),
        blocks=(
            Block("1", "Về pháp lý", paragraphs=(
                "Ủy ban nhân dân xã đã thành lập Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới "
                "sáng tạo, chuyển đổi số và Đề án 06; thành lập 11 Tổ Công nghệ số cộng đồng với 44 "
                "thành viên.", HOSTILE)),
            Block("2", "Về hạ tầng kỹ thuật, công nghệ", paragraphs=(long, DECOMPOSED)),
            Block("3", "Nguồn lực", children=(
                Block("3.1", "Nguồn nhân lực", paragraphs=(
                    "- Số lượng cán bộ, công chức được phân công trực tiếp giải quyết TTHC ở xã: 08 "
                    "công chức.",)),
                Block("3.2", "Nguồn lực về tài chính", paragraphs=(NONE_TEXT,)),
            )),
            Block("4", "Kết quả thực hiện TTHC", paragraphs=(
                f"- Tỷ lệ hồ sơ giải quyết quá hạn: {RATIO}.",), tables=(tthc,), images=(chart,)),
            Block("5", "Nhận xét, kiến nghị, đề xuất", children=(
                Block("5.1", "Kết quả theo từng nhóm nhiệm vụ", children=(
                    Block("5.1.1", "Chuyển đổi số trong cơ quan Đảng", paragraphs=(long,)),
                    Block("5.1.2", "Chính quyền số", paragraphs=(long,)),
                    Block("5.1.3", "Kinh tế số", paragraphs=(long,)),
                    Block("5.1.4", "Xã hội số", paragraphs=(long,)),
                    Block("5.1.5", "Dữ liệu số", paragraphs=(long,)),
                )),
                Block("5.2", "Kiến nghị, đề xuất", paragraphs=(
                    "Đề nghị các cấp quan tâm bố trí nguồn kinh phí thực hiện Kế hoạch số 02-KH/BCĐTW "
                    "cho cấp xã sau sắp xếp.",)),
            )),
        ),
        signature=Signature(
            recipients=("- Văn phòng UBND tỉnh;", "- Sở Khoa học và Công nghệ;",
                        "- TT Đảng ủy, TT HĐND xã;", "- CT, các PCT UBND xã;", "- Lưu: VT, VP."),
            authority="TM. ỦY BAN NHÂN DÂN",
            title="CHỦ TỊCH",
            signer="Nguyễn Văn An",
        ),
        filename="bao-cao-quy-1-2025",
    )


@pytest.fixture(scope="module")
def report() -> Report:
    """The sample report."""
    return build_sample_report()


def _weasyprint_missing() -> str | None:
    from tracker.render.render_pdf import PdfUnavailable, load_weasyprint

    try:
        load_weasyprint()
    except PdfUnavailable as exc:
        return str(exc)
    return None


WEASYPRINT_MISSING = _weasyprint_missing()
needs_weasyprint = pytest.mark.skipif(
    WEASYPRINT_MISSING is not None,
    reason=f"PDF tests skipped: {WEASYPRINT_MISSING}")


def positions(text: str, needles: list[str]) -> list[int]:
    """Where each needle first occurs after the previous one (-1 when missing or out of order)."""
    found, start = [], 0
    for needle in needles:
        index = text.find(needle, start)
        found.append(index)
        start = max(start, index + 1)
    return found


# --- what the formats share -------------------------------------------------------------------


def test_heading_numbers_give_the_level_and_the_text():
    assert [heading_level(n) for n in ("1", "3.1", "5.1.2", "5.1.2.")] == [1, 2, 3, 3]
    assert heading_text(Block("3.1.", "Nguồn nhân lực")) == "3.1. Nguồn nhân lực"
    assert heading_text(Block("", "PHỤ LỤC")) == "PHỤ LỤC"


def test_dispatcher_names_type_and_extension(report):
    content, mimetype, extension = render(report, "html")
    assert content.startswith(b"<!doctype html>")
    assert mimetype.startswith("text/html")
    assert extension == "html"
    content, mimetype, extension = render(report, "docx")
    assert zipfile.is_zipfile(io.BytesIO(content))
    assert extension == "docx"
    assert mimetype.endswith("wordprocessingml.document")
    with pytest.raises(ValueError, match="unknown report format"):
        render(report, "xlsx")


# --- HTML ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html(report) -> str:
    """The printable page."""
    return render_html(report)


def test_html_is_a_standalone_printable_page(html):
    assert html.startswith("<!doctype html>")
    assert '<html lang="vi">' in html
    assert "<script" not in html.lower()
    # Nothing to fetch: no stylesheet links, no external images or fonts (xmlns are names only).
    assert "<link" not in html
    assert "@font-face" not in html
    assert not re.search(r"url\(\s*['\"]?(?!#)", html)  # the chart's url(#clip) stays inside
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@page {" in html
    assert "size: A4 portrait" in html
    assert "margin: 20mm 15mm 20mm 30mm" in html
    assert "@page :first { @top-center { content: none; } }" in html
    assert "content: counter(page)" in html
    assert 'font-family: "Times New Roman", "Tinos", "Liberation Serif", serif' in html


def test_html_has_the_header_the_headings_in_order_and_the_signature(html):
    assert MOTTO in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    assert "Số: 15/BC-UBND" in html
    assert "Ngọk Bay, ngày 05 tháng 3 năm 2025" in html
    assert -1 not in positions(html, ["ỦY BAN NHÂN DÂN", "BÁO CÁO", *HEADINGS, "Nơi nhận:",
                                      "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"])
    assert '<h2 class="heading">1. Về pháp lý</h2>' in html
    assert '<h3 class="heading">3.1. Nguồn nhân lực</h3>' in html
    assert '<h4 class="heading">5.1.3. Kinh tế số</h4>' in html
    assert f"<p>{NONE_TEXT}</p>" in html
    assert RATIO in html


def test_html_escapes_text_and_stores_nfc(html):
    assert "<b>in" not in html
    assert "<script>alert" not in html
    assert "Ghi chú &lt;b&gt;in đậm&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert unicodedata.normalize("NFC", DECOMPOSED) in html
    assert html == unicodedata.normalize("NFC", html)


def test_html_tables_tint_rows_and_say_the_colour(html):
    assert '<tr class="light-amber">' in html
    assert "Có nguy cơ chậm" in html
    assert '<th scope="col">Kết quả</th>' in html
    assert f'<td class="num">{RATIO}</td>' in html


def test_html_inlines_the_chart_svg_with_its_caption(html):
    assert "<?xml" not in html
    assert "<!DOCTYPE svg" not in html
    assert re.search(r'<svg [^>]*width="140mm" height="[\d.]+mm"', html)
    assert "<figcaption>Hình 1. Số chỉ tiêu, nhiệm vụ theo mức độ thực hiện</figcaption>" in html
    assert 'role="img" aria-label="Hình 1.' in html


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
    "<p>not a chart</p>",
], ids=["script", "handler", "external image", "not svg"])
def test_html_refuses_active_or_foreign_svg(report, svg):
    chart = Image(png=b"", svg=svg, alt="x")
    bad = Report(report.header, (Block("1", "Biểu đồ", images=(chart,)),), report.signature)
    with pytest.raises(ValueError, match="SVG"):
        render_html(bad)


def test_html_print_page_policy_allows_no_scripts_or_requests():
    assert "default-src 'none'" in PRINT_PAGE_CSP
    assert "script-src" not in PRINT_PAGE_CSP


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    """The sample report as PDF."""
    from tracker.render.render_pdf import render_pdf

    return render_pdf(report)


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_fonts(data: bytes) -> dict[str, object]:
    """Every font the pages use (also inside form XObjects), by its PDF name."""
    from pypdf import PdfReader

    fonts: dict[str, object] = {}

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for name, font in (resources.get("/Font") or {}).items():
            font = font.get_object()
            fonts[str(font.get("/BaseFont", name))] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        walk(page.get("/Resources"))
    return fonts


@needs_weasyprint
def test_pdf_is_a4_with_the_report_text(pdf):
    from pypdf import PdfReader

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1
        assert abs(float(page.mediabox.height) - 841.89) < 1
    text = "\n".join(pdf_pages(pdf))
    for needle in [MOTTO, "Số: 15/BC-UBND", "1. Về pháp lý", "3.1. Nguồn nhân lực",
                   "3.2. Nguồn lực về tài chính", "5.1.3.", RATIO, NONE_TEXT, "Nơi nhận:", "Nguyễn Văn An"]:
        assert needle in text, needle
    assert -1 not in positions(text, HEADINGS)


@needs_weasyprint
def test_pdf_turns_decomposed_text_into_nfc(pdf):
    text = "\n".join(pdf_pages(pdf))
    assert unicodedata.normalize("NFC", DECOMPOSED) in text
    assert DECOMPOSED not in text


@needs_weasyprint
def test_pdf_numbers_pages_from_the_second(pdf):
    pages = pdf_pages(pdf)  # WeasyPrint draws the margin boxes after the page's content
    assert not re.search(r"\n1\s*$", pages[0])
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(rf"\n{number}\s*$", text), number


@needs_weasyprint
def test_pdf_embeds_only_the_bundled_fonts(pdf):
    fonts = pdf_fonts(pdf)
    assert len(fonts) >= 3  # regular, bold, italic at least
    for name, font in fonts.items():
        assert "Tinos" in name or "Times" in name, name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name


@needs_weasyprint
def test_pdf_renders_without_warnings(report, caplog):
    from tracker.render.render_pdf import render_pdf

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(report)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


@needs_weasyprint
def test_pdf_fetches_nothing_but_its_fonts():
    from tracker.render.layout import FONTS_DIR
    from tracker.render.render_pdf import _local_fetcher, load_weasyprint

    fetcher = _local_fetcher(load_weasyprint())
    for url in ("https://example.org/x.png", "file:///etc/passwd", "http://127.0.0.1/"):
        with pytest.raises(ValueError, match="nothing but their fonts"):
            fetcher.fetch(url)
    response = fetcher.fetch((FONTS_DIR / "Tinos-Regular.ttf").as_uri())
    response.close()


@needs_weasyprint
def test_pdf_looks_the_same_without_any_system_font(pdf, tmp_path):
    """A server with no fonts at all (or other ones) prints with the bundled Tinos all the same."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                      f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n")
    out = tmp_path / "bare.pdf"
    script = ("import sys; from tests.test_render import build_sample_report; "
              "from tracker.render.render_pdf import render_pdf; "
              "open(sys.argv[1], 'wb').write(render_pdf(build_sample_report()))")
    env = {"PATH": "/usr/bin:/bin", "FONTCONFIG_FILE": str(config), "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-W", "ignore", "-c", script, str(out)], check=True, env=env,
                   cwd=Path(__file__).resolve().parent.parent, timeout=120, capture_output=True)
    assert sorted(pdf_fonts(out.read_bytes())) == sorted(pdf_fonts(pdf))
    assert pdf_pages(out.read_bytes()) == pdf_pages(pdf)


@needs_weasyprint
@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="page images skipped: pdftoppm not installed (Debian: poppler-utils)")
def test_pdf_pages_render_as_images(pdf, tmp_path):
    from PIL import Image as PILImage

    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for path in pages:
        with PILImage.open(path) as picture:
            width, height = picture.size  # A4 at 80 dpi
            assert abs(width - 661) <= 1
            assert abs(height - 935) <= 1
            darkest, _ = picture.convert("L").getextrema()
            assert darkest < 60  # text was drawn


# --- DOCX ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_bytes(report) -> bytes:
    """The sample report as DOCX."""
    return render_docx(report)


@pytest.fixture(scope="module")
def word(docx_bytes):
    """The DOCX opened again with python-docx."""
    from docx import Document

    return Document(io.BytesIO(docx_bytes))


def cell_texts(table) -> list[str]:
    return [cell.text for row in table.rows for cell in row.cells]


def test_docx_page_is_a4_with_the_decree_margins(word):
    from docx.shared import Mm

    section = word.sections[0]
    for value, expected in [(section.page_width, 210), (section.page_height, 297),
                            (section.top_margin, LAYOUT.margin_top_mm),
                            (section.bottom_margin, LAYOUT.margin_bottom_mm),
                            (section.left_margin, LAYOUT.margin_left_mm),
                            (section.right_margin, LAYOUT.margin_right_mm)]:
        assert abs(value - Mm(expected)) < Mm(0.1)
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == LAYOUT.body_pt


def test_docx_has_the_header_and_signature_tables(word):
    from docx.oxml.ns import qn

    header, data, signature = word.tables
    texts = cell_texts(header)
    assert texts[0] == "ỦY BAN NHÂN DÂN\nXÃ NGỌK BAY\n"  # the last line is the short rule
    assert texts[1] == f"{MOTTO}\nĐộc lập - Tự do - Hạnh phúc\n"
    assert texts[2:] == ["Số: 15/BC-UBND", "Ngọk Bay, ngày 05 tháng 3 năm 2025"]
    recipients, signer = cell_texts(signature)
    assert recipients.startswith("Nơi nhận:\n- Văn phòng UBND tỉnh;")
    assert recipients.endswith("- Lưu: VT, VP.")
    assert signer == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An"
    for table in (header, signature):  # borderless
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None
        assert all(edge.get(qn("w:val")) == "nil" for edge in borders)
    assert data.style.name == "Table Grid"


def test_docx_has_the_headings_figures_and_none_text(word):
    paragraphs = [p.text for p in word.paragraphs]
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS
    assert all(run.bold is not False for p in word.paragraphs if p.style.name.startswith("Heading")
               for run in p.runs)
    assert word.paragraphs[paragraphs.index("3.2. Nguồn lực về tài chính") + 1].text == NONE_TEXT
    assert f"- Tỷ lệ hồ sơ giải quyết quá hạn: {RATIO}." in paragraphs
    assert "BÁO CÁO" in paragraphs
    assert HOSTILE in paragraphs
    assert unicodedata.normalize("NFC", DECOMPOSED) in paragraphs
    data = word.tables[1]
    assert [c.text for c in data.rows[0].cells] == ["STT", "Chỉ tiêu", "Kết quả", "Mức độ"]
    assert data.rows[2].cells[2].text == RATIO
    assert data.rows[2].cells[3].text == "Có nguy cơ chậm"
    assert "FFF1CC" in data.rows[2].cells[0]._tc.xml  # the amber row's tint
    assert data.rows[1].cells[0].width < data.rows[1].cells[1].width  # STT narrower than the text


def test_docx_has_the_chart_at_its_width(word):
    from docx.shared import Mm

    (picture,) = word.inline_shapes
    assert abs(picture.width - Mm(140)) < Mm(0.5)
    assert "Hình 1. Số chỉ tiêu, nhiệm vụ theo mức độ thực hiện" in [p.text for p in word.paragraphs]


def test_docx_numbers_pages_except_the_first(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    assert not section.first_page_header.is_linked_to_previous
    xml = section.header._element.xml
    assert "PAGE" in xml
    assert 'w:fldCharType="begin"' in xml


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="DOCX-opens-in-LibreOffice check skipped: LibreOffice not installed")
def test_docx_opens_in_libreoffice(docx_bytes, tmp_path):
    """LibreOffice converts the DOCX to an A4 PDF of several pages, and reads the same text."""
    from pypdf import PdfReader

    office = shutil.which("soffice") or shutil.which("libreoffice")
    (tmp_path / "report.docx").write_bytes(docx_bytes)
    for target in ("pdf", "txt:Text (encoded):UTF8"):
        subprocess.run([office, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(tmp_path), str(tmp_path / "report.docx")],
                       check=True, timeout=180, capture_output=True)
    pages = PdfReader(tmp_path / "report.pdf").pages
    assert len(pages) >= 2
    assert abs(float(pages[0].mediabox.width) - 595.28) < 1
    # The text as LibreOffice read it (its PDF text order is scrambled where it substitutes fonts).
    text = (tmp_path / "report.txt").read_text(encoding="utf-8-sig")
    assert -1 not in positions(text, [MOTTO, "Số: 15/BC-UBND", *HEADINGS, "Nơi nhận:", "Nguyễn Văn An"])
    assert RATIO in text
    assert f"\n{NONE_TEXT}\n" in text


def test_docx_shares_table_width_by_content(report):
    from tracker.render.render_docx import column_widths_mm

    table = report.blocks[3].tables[0]
    widths = column_widths_mm(table, LAYOUT.text_width_mm)
    assert abs(sum(widths) - LAYOUT.text_width_mm) < 0.01
    assert widths[0] == min(widths)
    assert widths[1] == max(widths)


def test_control_characters_do_not_break_the_docx(report):
    from docx import Document

    bad = Report(report.header, (Block("1", "Về\x0bpháp lý", paragraphs=("a\x00b\x1fc",)),), report.signature)
    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(bad))).paragraphs]
    assert "1. Về pháp lý" in paragraphs  # a vertical tab (Word's line break pasted) is a space
    assert "abc" in paragraphs


@needs_weasyprint
def test_dispatcher_renders_pdf(report):
    content, mimetype, extension = render(report, "pdf")
    assert content.startswith(b"%PDF-")
    assert (mimetype, extension) == ("application/pdf", "pdf")


def test_pdf_explains_missing_system_libraries(report, monkeypatch):
    from tracker.render.render_pdf import PdfUnavailable, render_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it could not be imported
    with pytest.raises(PdfUnavailable, match="pango"):
        render_pdf(report)
