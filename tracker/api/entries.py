"""Reading a posted entry from JSON, strictly (``tracker.domain.schemas.NewEntry``): every problem named
by its JSON field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tracker.domain.entries import EntryInput
from tracker.domain.i18n import gettext as _
from tracker.domain.schemas import FIGURES, JSON, NewEntry, Refused, entry_input, read
from tracker.services.errors import EntryRefused

# Which figures each entry shape (``tracker.services.progress.entry_shape``) takes.
SHAPE_FIGURES = {
    "value": ("value",),
    "percent_value": ("value",),
    "ratio": ("numerator", "denominator"),
    "progress": ("state", "percent"),
}
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


def read_entry_json(raw: bytes, shape: str) -> PostedEntry:
    """Parse a posted entry for an item of ``shape``; raise ``EntryRefused`` naming each bad field."""
    data = load_object(raw)
    wanted = SHAPE_FIGURES[shape]
    errors = {key: _("This item does not take this field; use: %(fields)s.", fields=", ".join(wanted))
              for key in FIGURES if key not in wanted and data.get(key) is not None}
    try:
        posted = read(NewEntry, data, JSON)
    except Refused as refused:
        raise EntryRefused({**errors, **refused.errors}) from None
    if errors:
        raise EntryRefused(errors)
    return PostedEntry(entry_input(posted), posted.supersedes)
