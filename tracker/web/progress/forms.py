"""Reading the progress form: text fields to an ``EntryInput``, with per-field messages."""

from __future__ import annotations

from collections.abc import Mapping

from tracker.domain.dates import DateOutOfRange, date_range_message, parse_iso_date
from tracker.domain.entries import EntryInput, parse_number
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l

NUMBER_FIELDS = {"value": _l("Value"), "numerator": _l("Numerator"), "denominator": _l("Denominator"),
                 "percent": _l("Percent done")}
DATE_FIELDS = ("as_of", "doc_date")


def read_entry_form(form: Mapping[str, str]) -> tuple[EntryInput, dict[str, str]]:
    """Parse the submitted fields; return the entry and the fields that could not be read."""
    errors: dict[str, str] = {}
    numbers: dict[str, float | None] = {}
    for name, label in NUMBER_FIELDS.items():
        try:
            numbers[name] = parse_number(form.get(name))
        except ValueError as exc:
            errors[name] = _("%(field)s %(problem)s.", field=label, problem=exc)
            numbers[name] = None
    dates = {}
    for name in DATE_FIELDS:
        try:
            dates[name] = parse_iso_date(form.get(name), name)
        except DateOutOfRange:
            errors[name] = date_range_message()
            dates[name] = None
        except ValueError:
            errors[name] = _("The date is not valid.")
            dates[name] = None
    entry = EntryInput(
        as_of=dates["as_of"], doc_date=dates["doc_date"], **numbers,
        state=form.get("state"), note=form.get("note"), doc_number=form.get("doc_number"),
        doc_issuer=form.get("doc_issuer"), doc_summary=form.get("doc_summary"),
        reason=form.get("reason"),
    )
    return entry, errors


SHARED_FIELDS = ("as_of", "doc_number", "doc_date", "doc_issuer", "doc_summary")
ROW_FIELDS = ("value", "numerator", "denominator", "state", "percent", "note")


def read_batch_form(form: Mapping[str, str], codes: list[str]
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
        entry, row_errors = read_entry_form({**shared, **fields})
        if row_errors:
            errors[code] = row_errors
        rows.append((code, entry))
    return rows, errors
