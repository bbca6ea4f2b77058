"""Checking a progress entry before it is stored: every problem named by its field."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from babel.numbers import NumberFormatError, parse_decimal

from tracker.domain.formatting import LOCALE, format_date

TASK_STATES = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "blocked": "Vướng mắc",
}
MAX_NOTE = 5000
MAX_SHORT = 300
TEXT_FIELDS = ("note", "reason", "doc_number", "doc_issuer", "doc_summary")
# A '<' directly followed by a letter, '/', '!' or '?' opens a tag, a comment or a declaration;
# "tỷ lệ < 50%" stays allowed.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
# Control characters other than tab and line breaks; PostgreSQL refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class EntryInput:
    """What a person submits for one item; numbers already parsed, text not yet checked."""

    as_of: date | None
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    state: str | None = None
    percent: float | None = None
    note: str | None = None
    doc_number: str | None = None
    doc_date: date | None = None
    doc_issuer: str | None = None
    doc_summary: str | None = None
    reason: str | None = None


def parse_number(text: str | None) -> float | None:
    """Parse a number typed the Vietnamese way (``1.234,5``); empty gives None.

    Raises ValueError for anything that is not a finite number.
    """
    if text is None or not str(text).strip():
        return None
    cleaned = str(text).strip().replace(" ", "")
    try:
        number = float(parse_decimal(cleaned, locale=LOCALE, strict=True))
    except (NumberFormatError, ValueError):
        # Also accept a plain machine number such as "74" or "56.5" when unambiguous.
        try:
            number = float(cleaned)
        except ValueError:
            raise ValueError("không phải là số (ví dụ: 1.234,5)") from None
        if "." in cleaned and len(cleaned.split(".")[-1]) == 3:
            raise ValueError("không rõ dấu '.' là phần nghìn hay thập phân; dùng ',' cho thập phân") from None
    if not math.isfinite(number):
        raise ValueError("không phải là số hữu hạn")
    return number


def clean_text(text: str | None) -> str | None:
    """Normalise to NFC and trim; empty becomes None."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", str(text)).strip()
    return text or None


def normalise(entry: EntryInput) -> EntryInput:
    """Return the entry with every text field in NFC and trimmed."""
    return replace(
        entry,
        note=clean_text(entry.note), doc_number=clean_text(entry.doc_number),
        doc_issuer=clean_text(entry.doc_issuer), doc_summary=clean_text(entry.doc_summary),
        reason=clean_text(entry.reason), state=clean_text(entry.state),
    )


def check_entry(entry: EntryInput, *, shape: str, tracking_start: date, today: date,
                correcting: bool = False) -> dict[str, str]:
    """Return ``{field: message}`` for every problem; empty when the entry may be stored.

    ``shape`` is ``value`` (count/percent targets), ``percent_value`` (percent targets),
    ``ratio`` (numerator ÷ denominator) or ``progress`` (tasks and milestones).
    """
    errors: dict[str, str] = {}
    if entry.as_of is None:
        errors["as_of"] = "Chọn ngày số liệu."
    elif entry.as_of < tracking_start:
        errors["as_of"] = ("Ngày số liệu không được trước ngày bắt đầu theo dõi "
                           f"{format_date(tracking_start)}.")
    elif entry.as_of > today:
        errors["as_of"] = f"Ngày số liệu không được sau hôm nay ({format_date(today)})."

    if shape in ("value", "percent_value"):
        if entry.value is None:
            errors["value"] = "Nhập giá trị đạt được."
        elif entry.value < 0:
            errors["value"] = "Giá trị không được âm."
        elif shape == "percent_value" and entry.value > 100:
            errors["value"] = "Tỷ lệ không được vượt quá 100%."
    elif shape == "ratio":
        if entry.numerator is None:
            errors["numerator"] = "Nhập tử số."
        elif entry.numerator < 0:
            errors["numerator"] = "Tử số không được âm."
        if entry.denominator is None:
            errors["denominator"] = "Nhập mẫu số."
        elif entry.denominator <= 0:
            errors["denominator"] = "Mẫu số phải lớn hơn 0."
        if ("numerator" not in errors and "denominator" not in errors
                and entry.numerator > entry.denominator):
            errors["numerator"] = (f"Tử số ({entry.numerator:g}) không được lớn hơn mẫu số "
                                   f"({entry.denominator:g}).")
    elif shape == "progress":
        if entry.state not in TASK_STATES:
            errors["state"] = "Chọn tình trạng: " + ", ".join(TASK_STATES.values()) + "."
        if entry.percent is None:
            errors["percent"] = "Nhập phần trăm hoàn thành (0–100)."
        elif not 0 <= entry.percent <= 100:
            errors["percent"] = "Phần trăm hoàn thành phải từ 0 đến 100."
        elif entry.state == "done" and entry.percent != 100:
            errors["percent"] = "Nhiệm vụ đã hoàn thành thì phần trăm phải là 100."
    else:
        raise ValueError(f"unknown entry shape {shape!r}")

    if entry.note and len(entry.note) > MAX_NOTE:
        errors["note"] = f"Ghi chú dài quá {MAX_NOTE:,} ký tự.".replace(",", ".")
    for name in ("doc_number", "doc_issuer"):
        value = getattr(entry, name)
        if value and len(value) > MAX_SHORT:
            errors[name] = f"Dài quá {MAX_SHORT} ký tự."
    if entry.doc_summary and len(entry.doc_summary) > 1000:
        errors["doc_summary"] = "Trích yếu dài quá 1.000 ký tự."
    if entry.doc_date and entry.doc_date > today:
        errors["doc_date"] = "Ngày văn bản không được sau hôm nay."
    if (entry.doc_date or entry.doc_issuer or entry.doc_summary) and not entry.doc_number:
        errors["doc_number"] = "Nhập số hiệu văn bản (ví dụ 119/QĐ-UBND)."
    if entry.reason and len(entry.reason) > MAX_NOTE:
        errors["reason"] = f"Lý do dài quá {MAX_NOTE:,} ký tự.".replace(",", ".")
    if correcting and not entry.reason:
        errors["reason"] = "Nêu lý do điều chỉnh."
    for name in TEXT_FIELDS:
        value = getattr(entry, name)
        if value and name not in errors and (problem := text_problem(value)):
            errors[name] = problem
    return errors


def text_problem(value: str) -> str | None:
    """Say why free text cannot be stored (markup, control characters), or None."""
    if _MARKUP.search(value):
        return "Không được chứa mã HTML (ví dụ <b>, <script>); chỉ nhập văn bản thuần."
    if _CONTROL.search(value):
        return "Có ký tự điều khiển không hợp lệ."
    return None
