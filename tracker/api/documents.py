"""The JSON shapes of an item's detail and of a progress entry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tracker.models import ProgressEntry
from tracker.services.status import item_document
from tracker.services.views import ItemPage


def iso_utc(moment: datetime | None) -> str | None:
    """Return an ISO 8601 UTC timestamp (SQLite gives naive datetimes, PostgreSQL aware ones)."""
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def entry_document(entry: ProgressEntry, superseded_by: dict[int, int]) -> dict[str, Any]:
    """Return one history entry: figures, note, document, author and what supersedes what."""
    has_document = any((entry.doc_number, entry.doc_date, entry.doc_issuer, entry.doc_summary))
    return {
        "id": entry.id,
        "as_of": entry.as_of.isoformat(),
        "value": entry.value,
        "numerator": entry.numerator,
        "denominator": entry.denominator,
        "state": entry.state,
        "percent": entry.percent,
        "note": entry.note,
        "document": {"number": entry.doc_number, "date": _iso(entry.doc_date),
                     "issuer": entry.doc_issuer, "summary": entry.doc_summary} if has_document else None,
        # None for an entry the plan itself declared ("origin": "plan"), with its document as evidence.
        "author": ({"username": entry.author.username, "full_name": entry.author.full_name}
                   if entry.author else None),
        "origin": entry.origin,
        "created_at": iso_utc(entry.created_at),
        "supersedes": entry.supersedes_id,
        "superseded_by": superseded_by.get(entry.id),
        "reason": entry.reason,
    }


def item_detail_document(page: ItemPage, as_of: date) -> dict[str, Any]:
    """Return an item's status fields (as in the list) with ``as_of`` and its whole history."""
    return {
        **item_document(page.row),
        "as_of": as_of.isoformat(),
        "history": [entry_document(entry, page.superseded_by) for entry in page.entries],
    }
