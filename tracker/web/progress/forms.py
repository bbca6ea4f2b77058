"""Reading the progress form by the entry's schema (``NewEntry``): text fields to an ``EntryInput``, with
per-field messages."""

from __future__ import annotations

from collections.abc import Mapping

from tracker.domain.entries import EntryInput
from tracker.domain.schemas import FORM, NewEntry, Refused, entry_input, read

ENTRY_FIELDS = ("as_of", "value", "numerator", "denominator", "state", "percent", "note", "reason")
# The form's flat names of the entry's document reference (``NewEntry.document``).
DOCUMENT_FIELDS = {"doc_number": "number", "doc_date": "date", "doc_issuer": "issuer",
                   "doc_summary": "summary"}
FORM_NAMES = {f"document.{key}": name for name, key in DOCUMENT_FIELDS.items()}


def read_entry_form(form: Mapping[str, str], *, value_is_percent: bool = False
                    ) -> tuple[EntryInput, dict[str, str]]:
    """Parse the submitted fields by ``NewEntry``; return the entry and the fields that could not be read.

    ``value_is_percent``: the item is a percent target, so its value may be typed "70%"."""
    data: dict[str, object] = {name: form.get(name) or None for name in ENTRY_FIELDS}
    document = {key: form.get(name) or None for name, key in DOCUMENT_FIELDS.items()}
    data["document"] = document if any(document.values()) else None
    try:
        return entry_input(read(NewEntry, data, FORM, value_is_percent=value_is_percent)), {}
    except Refused as refused:
        return EntryInput(as_of=None), {FORM_NAMES.get(k, k): v for k, v in refused.errors.items()}


SHARED_FIELDS = ("as_of", "doc_number", "doc_date", "doc_issuer", "doc_summary")
ROW_FIELDS = ("value", "numerator", "denominator", "state", "percent", "note")


def read_batch_form(form: Mapping[str, str], codes: list[str], percent_codes: frozenset[str] = frozenset()
                    ) -> tuple[list[tuple[str, EntryInput]], dict[str, dict[str, str]]]:
    """Read the one-screen update: shared date and document, then ``<code>-<field>`` per item.

    Rows whose figures are all empty are skipped (a state alone does not count: the select
    always has a value).
    """
    rows, errors = [], {}
    shared = {name: form.get(name, "") for name in SHARED_FIELDS}
    for code in codes:
        fields = {name: form.get(f"{code}-{name}", "") for name in ROW_FIELDS}
        if not any(fields[name].strip() for name in ("value", "numerator", "denominator", "percent", "note")):
            continue
        entry, row_errors = read_entry_form({**shared, **fields}, value_is_percent=code in percent_codes)
        if row_errors:
            errors[code] = row_errors
        rows.append((code, entry))
    return rows, errors


def sort_batch_errors(errors: Mapping[str, Mapping[str, str]], codes: list[str]
                      ) -> tuple[dict[str, str], dict[str, dict[str, str]], list[tuple[str, str]]]:
    """Split a refused batch's errors for the form: the shared fields' messages (once, not per row),
    each row's own, and the summary's ``(#field, message)`` links in the form's order."""
    shared: dict[str, str] = {}
    rows: dict[str, dict[str, str]] = {}
    for code, fields in errors.items():
        for field, message in fields.items():
            if code and field in SHARED_FIELDS:
                shared.setdefault(field, message)
            else:
                rows.setdefault(code, {})[field] = message
    links = [(f"#b-{field}", shared[field]) for field in SHARED_FIELDS if field in shared]
    if "" in rows and codes:  # nothing was filled in: point at the first row
        links.extend((f"#row-{codes[0]}", message) for message in rows.pop("").values())
    for code in codes:
        for field, message in rows.get(code, {}).items():
            target = f"#{code}-{field}" if field in ROW_FIELDS else f"#row-{code}"
            links.append((target, f"{code}: {message}"))
    return shared, rows, links
