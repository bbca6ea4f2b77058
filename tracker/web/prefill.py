"""Prefilled form values shared by blueprints: a correction starts from the entry it corrects.

The item page (plan) shows the progress form that the progress blueprint reads; the prefill
lives here so that neither blueprint imports the other.
"""

from __future__ import annotations

from tracker.domain.dates import format_day_input
from tracker.domain.formatting import format_number
from tracker.models import ProgressEntry


def correction_values(entry: ProgressEntry) -> dict[str, str]:
    """Prefill the form with an entry's figures, for a correction that starts from them."""
    values = {"supersedes": str(entry.id), "as_of": format_day_input(entry.as_of),
              "state": entry.state or "", "note": entry.note or "", "doc_number": entry.doc_number or "",
              "doc_date": format_day_input(entry.doc_date),
              "doc_issuer": entry.doc_issuer or "", "doc_summary": entry.doc_summary or ""}
    for name in ("value", "numerator", "denominator", "percent"):
        number = getattr(entry, name)
        values[name] = format_number(number, empty="") if number is not None else ""
    return values
