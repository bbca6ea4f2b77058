"""The statistics spreadsheet: one template that the export writes and the import reads back.

Pure: bytes in, bytes out, no Flask and no database. The sheet "Số liệu" has a title block
(commune, period, dates and a machine key naming the period), then a table with one row per
field, keyed by the field's name in column "Mã trường". Reading never trusts the file: sizes
are capped before openpyxl opens it (which parses XML through defusedxml), every value cell is
checked, and every problem names its cell in Vietnamese.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.domain.bounds import MAX_COUNT
from tracker.domain.entries import clean_text
from tracker.domain.formatting import NO_FIGURE, format_number
from tracker.domain.schemas import CELL, Finance, PeriodStats, Refused, read_value
from tracker.domain.stats import FIELDS, FINANCE_FIELDS, LABELS, TEXT_LABELS, shares

SHEET = "Số liệu"
SHARES_SHEET = "Tỷ lệ"
KEY_COLUMN, LABEL_COLUMN, UNIT_COLUMN, VALUE_COLUMN = "Mã trường", "Chỉ tiêu", "Đơn vị", "Giá trị"
HEADERS = (KEY_COLUMN, LABEL_COLUMN, UNIT_COLUMN, VALUE_COLUMN)
REQUIRED_HEADERS = (KEY_COLUMN, VALUE_COLUMN)  # label and unit are there for people to read
PERIOD_KEY_LABEL = "Mã kỳ (không sửa)"
# Beside the key: the period's version when the file was exported, so an import can tell that
# someone changed the period since (and refuse rather than overwrite what they saved).
VERSION_LABEL = "Phiên bản (không sửa)"
HEADER_ROW = 8
MAX_XLSX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: refuse one that expands beyond this before openpyxl opens it (zip bombs).
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
# The template has about 35 rows; reading stops well beyond, whatever the file claims.
MAX_ROWS = 200
MAX_COLUMNS = 20
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
NOT_XLSX = "Tệp không phải bảng tính Excel .xlsx."
SHARE_LABELS = {
    "tthc_active_online_full": "TTHC trực tuyến toàn trình có phát sinh hồ sơ / TTHC trực tuyến toàn trình",
    "tthc_active_online_partial": "TTHC trực tuyến một phần có phát sinh hồ sơ / TTHC trực tuyến một phần",
    "tthc_active_in_person": "TTHC trực tiếp có phát sinh hồ sơ / TTHC thực hiện trực tiếp",
    "dossiers_new_online_full": "Hồ sơ trực tuyến toàn trình / hồ sơ tiếp nhận mới",
    "dossiers_new_online_partial": "Hồ sơ trực tuyến một phần / hồ sơ tiếp nhận mới",
    "dossiers_new_online": "Hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận mới",
    "dossiers_new_in_person": "Hồ sơ tiếp nhận trực tiếp / hồ sơ tiếp nhận mới",
    "dossiers_new_postal": "Hồ sơ qua dịch vụ bưu chính công ích / hồ sơ tiếp nhận mới",
}
_KEY_PATTERN = re.compile(r"^([A-Za-z0-9_.-]{1,40})\|([a-z]{1,10})\|(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Row:
    """One row of the table: the field, its label and unit, and what its value is."""

    name: str
    label: str
    unit: str
    kind: str  # "count", "money" or "text"


ROWS: tuple[Row, ...] = (
    *(Row(f.name, f.label, f.unit, "count") for f in FIELDS),
    *(Row(name, label, "đồng", "money") for name, label in FINANCE_FIELDS.items()),
    *(Row(name, label, "", "text") for name, label in TEXT_LABELS.items()),
)
ROW_BY_NAME = {row.name: row for row in ROWS}


@dataclass(frozen=True)
class PeriodKey:
    """What identifies a period across systems: the commune's code, the kind and the start date."""

    commune_code: str
    kind: str
    start_date: date

    def text(self) -> str:
        """Return the key as written in the sheet: ``ngok-bay|week|2025-10-27``."""
        return f"{self.commune_code}|{self.kind}|{self.start_date.isoformat()}"

    @classmethod
    def parse(cls, text: Any) -> PeriodKey | None:
        """Return the key written in a cell, or None when it is not one."""
        match = _KEY_PATTERN.fullmatch(str(text or "").strip())
        if match is None:
            return None
        try:
            return cls(match[1], match[2], date.fromisoformat(match[3]))
        except ValueError:
            return None


@dataclass(frozen=True)
class CellProblem:
    """Why the sheet cannot be imported, in Vietnamese.

    ``cell`` is the cell ("D14"), or the cells of a rule that relates several figures
    ("D18, D19"), or None for the file as a whole; ``field`` the field concerned, if any.
    """

    cell: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class ParsedSheet:
    """What a statistics sheet says, where each field sits, and what is wrong with it."""

    period_key: PeriodKey | None = None
    version: int | None = None  # the period's version at export; None in files without one
    stats: dict[str, int | None] = field(default_factory=dict)
    finance: dict[str, int | None] = field(default_factory=dict)
    texts: dict[str, str | None] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # field (and "period") -> cell
    problems: list[CellProblem] = field(default_factory=list)

    def where(self, name: str) -> str:
        """Return ``Ô D14 (label)`` for a field, or its label alone when it has no cell."""
        label = field_label(name)
        return f"Ô {self.cells[name]} ({label})" if name in self.cells else label


def field_label(name: str) -> str:
    """Return a field's Vietnamese label as messages quote it."""
    row = ROW_BY_NAME.get(name)
    return str(LABELS.get(name) or (row.label if row else name))


# --- writing ---------------------------------------------------------------------------------

def stats_workbook(period_info: dict[str, Any], stats: dict[str, Any], finance: dict[str, Any]) -> bytes:
    """Write a period's figures as an XLSX that ``read_stats_workbook`` reads back.

    ``period_info`` has ``commune_code``, ``commune_name``, ``kind``, ``kind_label``,
    ``start_date``, ``end_date`` and optionally ``version`` (written beside the period's key);
    ``stats`` and ``finance`` map field names to values (as ``stats_values`` and ``finance_values``
    give them; missing names are left empty).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    sheet["A1"] = "SỐ LIỆU KỲ BÁO CÁO: THỦ TỤC HÀNH CHÍNH VÀ KINH PHÍ"
    sheet["A1"].font = Font(bold=True, size=13)
    key = PeriodKey(period_info["commune_code"], period_info["kind"], period_info["start_date"])
    block = (("Địa phương", period_info["commune_name"]), ("Loại kỳ", str(period_info["kind_label"])),
             ("Từ ngày", period_info["start_date"]), ("Đến ngày", period_info["end_date"]),
             (PERIOD_KEY_LABEL, key.text()))
    for offset, (label, value) in enumerate(block):
        row = 2 + offset
        sheet.cell(row, 1, label).font = bold
        cell = sheet.cell(row, 2, value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left")
    sheet.cell(6, 2).font = Font(italic=True, color="808080")
    if period_info.get("version") is not None:
        sheet.cell(6, 3, VERSION_LABEL).font = bold
        sheet.cell(6, 4, int(period_info["version"])).font = Font(italic=True, color="808080")
    sheet.cell(7, 1, "Nhập số vào cột 'Giá trị' (để trống nếu không có số liệu); không sửa cột "
                     "'Mã trường' và ô mã kỳ báo cáo.").font = Font(italic=True)

    fill = PatternFill("solid", start_color="D9D9D9")
    for column, title in enumerate(HEADERS, start=1):
        cell = sheet.cell(HEADER_ROW, column, title)
        cell.font = bold
        cell.fill = fill
    counts = DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_COUNT),
                            allow_blank=True, showErrorMessage=True, errorTitle="Số không hợp lệ",
                            error=f"Nhập số nguyên từ 0 đến {format_number(MAX_COUNT)}.")
    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle="Số tiền không hợp lệ",
                           error="Nhập số tiền không âm, tính bằng đồng.")
    sheet.add_data_validation(counts)
    sheet.add_data_validation(money)
    values = {**stats, **finance}
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, row in enumerate(ROWS, start=HEADER_ROW + 1):
        sheet.cell(index, 1, row.name)
        sheet.cell(index, 2, str(row.label))
        sheet.cell(index, 3, str(row.unit) or None)
        cell = sheet.cell(index, 4, values.get(row.name))
        if row.kind == "text":
            cell.number_format = "@"  # keeps Excel from turning "01/2025" into a date
            cell.alignment = wrap
            sheet.cell(index, 2).alignment = wrap
        else:
            cell.number_format = NUMBER_FORMAT
            (counts if row.kind == "count" else money).add(cell.coordinate)
    for column, width in zip("ABCD", (28, 62, 9, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    _fit_to_a4_width(sheet)

    _write_shares(book.create_sheet(SHARES_SHEET), stats)
    _as_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# What makes Excel (or LibreOffice, or a CSV reader) take typed text for a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def _as_text(book: Workbook) -> None:
    """Store every text cell as text: the workbook never holds a formula (formula injection).

    openpyxl turns any string that starts with "=" into a live formula; the sheet's texts come from
    users (a commune's reasons for lateness, "=HYPERLINK(...)" included), so each string cell is set
    back to the string type, which openpyxl writes as an inline string. Texts that a spreadsheet
    would read as a formula once someone edits the cell also get Excel's quote prefix.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True


def _fit_to_a4_width(sheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write_shares(sheet, stats: dict[str, Any]) -> None:
    sheet["A1"] = "TỶ LỆ TÍNH TỪ SỐ LIỆU (chỉ để xem; không được nhập lại)"
    sheet["A1"].font = Font(bold=True, size=13)
    for column, title in enumerate(("Mã trường", "Tỷ lệ", "Như trong báo cáo"), start=1):
        sheet.cell(3, column, title).font = Font(bold=True)
    for index, (name, text) in enumerate(shares(stats, empty=NO_FIGURE).items(), start=4):
        sheet.cell(index, 1, name)
        sheet.cell(index, 2, SHARE_LABELS[name])
        sheet.cell(index, 3, text)
    for column, width in zip("ABC", (30, 70, 26), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    _fit_to_a4_width(sheet)
    sheet.protection.sheet = True  # read-only by intent; no password, it is not a security measure


# --- reading ---------------------------------------------------------------------------------

def container_problem(data: bytes) -> str | None:
    """Say why bytes cannot be opened as an XLSX (size, not a zip, zip bomb), or None."""
    if len(data) > MAX_XLSX_BYTES:
        return f"Tệp lớn hơn {MAX_XLSX_BYTES // (1024 * 1024)} MB."
    if not data.startswith(b"PK\x03\x04"):
        return NOT_XLSX
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return NOT_XLSX
            # zipfile stops reading a member at its declared size, so the sum of declared sizes
            # bounds what openpyxl can inflate.
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
                return (f"Tệp nén bên trong quá lớn (trên {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB khi "
                        "giải nén); không mở.")
            # Spreadsheets never declare a DTD: refuse one whatever XML parser openpyxl picks
            # (defusedxml refuses it; lxml would silently leave entities unexpanded).
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in archive.read(info):
                    return "Tệp bảng tính không đọc được nội dung (có khai báo DOCTYPE không được phép)."
    except zipfile.BadZipFile:
        return NOT_XLSX
    return None


def _load_grid(data: bytes, *, data_only: bool) -> list[list[Any]] | None:
    """Return the first rows of the statistics sheet as values (or as cells), None without it."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        if SHEET not in book.sheetnames:
            return None
        rows = book[SHEET].iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLUMNS)
        if data_only:
            return [[cell.value for cell in row] for row in rows]
        return [[cell.data_type == "f" for cell in row] for row in rows]
    finally:
        book.close()


def read_stats_workbook(data: bytes) -> ParsedSheet:
    """Read a statistics sheet; every problem is collected with its cell, nothing is raised."""
    parsed = ParsedSheet()
    if message := container_problem(data):
        parsed.problems.append(CellProblem(None, None, message))
        return parsed
    try:
        values = _load_grid(data, data_only=True)
        # A formula that no program calculated has no cached value: data_only reads it as None,
        # so a second pass tells an empty cell from an uncalculated formula.
        formulas = _load_grid(data, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on broken or hostile files
        parsed.problems.append(CellProblem(None, None, "Tệp không phải bảng tính Excel .xlsx hợp lệ "
                                                       "(không đọc được nội dung)."))
        return parsed
    if values is None or formulas is None:
        parsed.problems.append(CellProblem(None, None, f"Không có trang '{SHEET}'; hãy dùng tệp xuất "
                                                       "từ hệ thống."))
        return parsed
    _read_table(parsed, values, formulas)
    return parsed


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def _coordinate(row: int, column: int) -> str:
    return f"{get_column_letter(column + 1)}{row + 1}"


def _is_formula(formulas: list[list[bool]], row: int, column: int) -> bool:
    return row < len(formulas) and column < len(formulas[row]) and formulas[row][column]


def _read_table(parsed: ParsedSheet, values: list[list[Any]], formulas: list[list[bool]]) -> None:
    def add(cell: str | None, name: str | None, message: str) -> None:
        parsed.problems.append(CellProblem(cell, name, message))

    header = next((r for r, row in enumerate(values[:20])
                   if any(_text(v).casefold() == KEY_COLUMN.casefold() for v in row)), None)
    if header is None:
        add(None, None, f"Không tìm thấy dòng tiêu đề có cột '{KEY_COLUMN}' trong 20 dòng đầu của trang "
                        f"'{SHEET}'; hãy dùng tệp xuất từ hệ thống.")
        return
    _read_key(parsed, values[:header])
    columns: dict[str, list[int]] = {}
    for column, value in enumerate(values[header]):
        columns.setdefault(_text(value).casefold(), []).append(column)
    found = {}
    for title in REQUIRED_HEADERS:
        places = columns.get(title.casefold(), [])
        if not places:
            add(None, None, f"Thiếu cột '{title}' ở dòng {header + 1}.")
        elif len(places) > 1:
            shown = ", ".join(_coordinate(header, c) for c in places)
            add(None, None, f"Cột '{title}' có nhiều lần ở dòng {header + 1} ({shown}).")
        else:
            found[title] = places[0]
    if len(found) < len(REQUIRED_HEADERS):
        return
    key_col, value_col = found[KEY_COLUMN], found[VALUE_COLUMN]
    seen: dict[str, str] = {}
    for r in range(header + 1, len(values)):
        row = values[r]
        name = _text(row[key_col]) if key_col < len(row) else ""
        raw = row[value_col] if value_col < len(row) else None
        cell = _coordinate(r, value_col)
        formula = _is_formula(formulas, r, value_col)
        if not name:
            if _text(raw) or formula:
                add(cell, None, f"Ô {cell}: có giá trị nhưng dòng {r + 1} không có mã trường "
                                f"(cột '{KEY_COLUMN}').")
            continue
        key_cell = _coordinate(r, key_col)
        if name not in ROW_BY_NAME:
            add(key_cell, None, f"Ô {key_cell}: mã trường '{name[:60]}' không có trong mẫu; không sửa cột "
                                f"'{KEY_COLUMN}'.")
            continue
        if name in seen:
            add(key_cell, name, f"Ô {key_cell}: mã trường '{name}' lặp lại (đã có ở ô {seen[name]}).")
            continue
        seen[name] = key_cell
        parsed.cells[name] = cell
        spec = ROW_BY_NAME[name]
        if formula and raw is None:
            add(cell, name, f"{parsed.where(name)}: công thức chưa được tính; mở tệp bằng Excel rồi lưu lại, "
                            "hoặc nhập số thay cho công thức.")
            continue
        if spec.kind == "text":
            parsed.texts[name] = clean_text(_text(raw)) if raw is not None else None
            continue
        number, problem = _number(raw, spec)
        if problem:
            add(cell, name, f"{parsed.where(name)}: {problem}")
        (parsed.stats if spec.kind == "count" else parsed.finance)[name] = number
    for spec in ROWS:
        if spec.name not in seen:
            add(None, spec.name, f"Thiếu dòng của mã trường '{spec.name}' ({field_label(spec.name)}) "
                                 "trong bảng.")


def _read_key(parsed: ParsedSheet, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows):
        if _text(row[0] if row else None).casefold().startswith("mã kỳ"):
            cell = _coordinate(r, 1)
            parsed.cells["period"] = cell
            text = _text(row[1] if len(row) > 1 else None)
            parsed.period_key = PeriodKey.parse(text)
            _read_version(parsed, r, row)
            if parsed.period_key is None:
                parsed.problems.append(CellProblem(cell, "period", f"Ô {cell}: mã kỳ báo cáo '{text[:60]}' "
                                                                   "không hợp lệ; hãy dùng tệp xuất từ hệ "
                                                                   "thống."))
            return
    parsed.problems.append(CellProblem(None, "period", "Không tìm thấy ô mã kỳ báo cáo ở đầu trang "
                                                       f"'{SHEET}'; hãy dùng tệp xuất từ hệ thống."))


def _read_version(parsed: ParsedSheet, r: int, row: list[Any]) -> None:
    """Read the period's version written beside its key (files exported before it have none)."""
    for column, label in enumerate(row[:-1]):
        if _text(label).casefold().startswith("phiên bản"):
            cell = _coordinate(r, column + 1)
            parsed.cells["version"] = cell
            raw = row[column + 1]
            if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**31:
                parsed.version = raw
            elif isinstance(raw, float) and raw.is_integer() and 0 < raw < 2**31:
                parsed.version = int(raw)
            else:
                parsed.problems.append(CellProblem(cell, "version", f"Ô {cell}: phiên bản kỳ báo cáo "
                                                                    f"'{_text(raw)[:20]}' không hợp lệ; "
                                                                    "hãy dùng tệp xuất từ hệ thống."))
            return


def _number(raw: Any, row: Row) -> tuple[int | None, str | None]:
    """Return a cell's count or amount (read by the field's schema, ``Stats`` or ``Finance``), or the
    reason it is not one."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, f"'{'TRUE' if raw else 'FALSE'}' không phải là số."
    if isinstance(raw, datetime | date):
        return None, "ô chứa ngày tháng, không phải là số."
    if not isinstance(raw, str | int | float):
        return None, f"'{_text(raw)[:40]}' không phải là số."
    try:
        return read_value(PeriodStats if row.kind == "count" else Finance, row.name,
                          _text(raw) if isinstance(raw, str) else raw, CELL), None
    except Refused as refused:
        return None, refused.errors[row.name]
