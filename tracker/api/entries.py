"""Reading a posted entry from JSON, strictly: every problem named by its JSON field."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.domain.dates import parse_iso_date
from tracker.domain.entries import EntryInput
from tracker.services.errors import EntryRefused

ENTRY_FIELDS = ("as_of", "value", "numerator", "denominator", "state", "percent", "note", "document",
                "supersedes", "reason")
DOCUMENT_FIELDS = ("number", "date", "issuer", "summary")
# Which figures each entry shape (``tracker.services.progress.entry_shape``) takes.
SHAPE_FIGURES = {
    "value": ("value",),
    "percent_value": ("value",),
    "ratio": ("numerator", "denominator"),
    "progress": ("state", "percent"),
}
FIGURES = ("value", "numerator", "denominator", "state", "percent")
# ``EntryInput`` names that differ from the JSON path of the same field.
JSON_NAMES = {"doc_number": "document.number", "doc_date": "document.date",
              "doc_issuer": "document.issuer", "doc_summary": "document.summary"}


@dataclass(frozen=True)
class PostedEntry:
    """A parsed request: the entry and, for a correction, the id of the entry it replaces."""

    entry: EntryInput
    supersedes: int | None


def json_fields(errors: dict[str, str]) -> dict[str, str]:
    """Rename service field names (``doc_number``) to the JSON paths clients sent."""
    return {JSON_NAMES.get(name, name): message for name, message in errors.items()}


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def load_object(raw: bytes) -> dict[str, Any]:
    """Parse a request body that must be one JSON object; raise ``EntryRefused`` otherwise."""
    try:
        data = json.loads(raw, object_pairs_hook=_refuse_duplicates) if raw.strip() else None
    except _DuplicateKey as exc:
        raise EntryRefused({exc.key: "Trường này xuất hiện hai lần."}) from None
    except (ValueError, RecursionError):
        raise EntryRefused({"body": "Nội dung không phải JSON hợp lệ (UTF-8)."}) from None
    if not isinstance(data, dict):
        raise EntryRefused({"body": "Gửi một đối tượng JSON, ví dụ "
                                    '{"as_of": "2025-10-01", "value": 74}.'})
    return data


class _Reader:
    """Reads typed fields of one JSON object, collecting a message per faulty field."""

    def __init__(self, data: dict[str, Any], prefix: str = ""):
        self.data = data
        self.prefix = prefix
        self.errors: dict[str, str] = {}

    def fail(self, key: str, message: str) -> None:
        self.errors[self.prefix + key] = message

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, "Phải là một số JSON (ví dụ 74 hoặc 56.5), không đặt trong dấu nháy.")
            return None
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.fail(key, "Phải là một số hữu hạn.")
            return None
        return number

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.fail(key, "Phải là một chuỗi ký tự.")
        return None

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, "Phải là ngày dạng chuỗi \"YYYY-MM-DD\".")
            return None
        try:
            return parse_iso_date(value, self.prefix + key)
        except ValueError as exc:
            self.fail(key, str(exc))
            return None

    def entry_id(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, "Phải là mã số (id) của một số liệu: một số nguyên dương.")
            return None
        return value

    def only(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(key, "Trường không được hỗ trợ.")


def read_entry_json(raw: bytes, shape: str) -> PostedEntry:
    """Parse a posted entry for an item of ``shape``; raise ``EntryRefused`` naming each bad field."""
    data = load_object(raw)
    r = _Reader(data)
    r.only(ENTRY_FIELDS)
    wanted = SHAPE_FIGURES[shape]
    for key in FIGURES:
        if key not in wanted and data.get(key) is not None:
            r.fail(key, f"Mục này không nhận trường này; dùng: {', '.join(wanted)}.")
    state = r.text("state")
    numbers = {key: r.number(key) for key in ("value", "numerator", "denominator", "percent")}
    doc = _read_document(data.get("document"), r.errors)
    entry = EntryInput(
        as_of=r.day("as_of"), state=state, note=r.text("note"), reason=r.text("reason"),
        doc_number=doc.get("number"), doc_date=doc.get("date"), doc_issuer=doc.get("issuer"),
        doc_summary=doc.get("summary"), **numbers,
    )
    supersedes = r.entry_id("supersedes")
    if r.errors:
        raise EntryRefused(r.errors)
    return PostedEntry(entry, supersedes)


def _read_document(value: Any, errors: dict[str, str]) -> dict[str, Any]:
    """Read the optional ``document`` reference {number, date, issuer, summary}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors["document"] = "Phải là một đối tượng {number, date, issuer, summary} hoặc null."
        return {}
    r = _Reader(value, prefix="document.")
    r.only(DOCUMENT_FIELDS)
    doc = {"number": r.text("number"), "date": r.day("date"), "issuer": r.text("issuer"),
           "summary": r.text("summary")}
    errors.update(r.errors)
    return doc
