"""Reading the reporting forms: typed text to values, with a message per field that cannot be read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.domain.dates import DateOutOfRange, date_range_message, parse_day
from tracker.domain.schemas import FORM, Finance, PeriodStats, RegisteredDocument, read_partly
from tracker.services.legal import DocumentInput
from tracker.services.periods import PeriodInput

# The statistics form's two texts keep their own names as ids.
STATS_TEXTS = ("late_reasons", "override_explanation")


def read_stats_form(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The TTHC statistics form (``Stats``): counts plus the reasons for lateness and an explanation."""
    return read_partly(PeriodStats, {name: form.get(name) for name in PeriodStats.model_fields}, FORM)


def read_finance_form(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The finance form (``Finance``): amounts in đồng and what was disbursed for."""
    return read_partly(Finance, {name: form.get(name) for name in Finance.model_fields}, FORM)


def period_error_links(errors: Mapping[str, str]) -> list[tuple[str, str]]:
    """The period page's refusal as ``(#field, message)`` links, each message once, in page order.

    The version and the period's state are said at the top of the page already, with no field.
    """
    order = [*(f"s-{name}" for name in PeriodStats.model_fields if name not in STATS_TEXTS), *STATS_TEXTS,
             *(f"f-{name}" for name in Finance.model_fields), "reason",  # the reopening's reason
             "signed_file"]  # the signed report's upload, last
    ids = {field_id.removeprefix("s-").removeprefix("f-"): field_id for field_id in order}
    links: list[tuple[str, str]] = []
    seen: set[str] = set()
    named = sorted((name for name in errors if name in ids or name.startswith("section-")),
                   key=lambda name: (order.index(ids[name]) if name in ids else len(order), name))
    for name in named:
        message = errors[name]
        if message not in seen:
            seen.add(message)
            links.append((f"#{ids.get(name, name)}", message))
    return links


def read_period_form(form: Mapping[str, str]) -> tuple[PeriodInput, dict[str, str]]:
    """A new period: kind, dates and the report's administrative details."""
    errors: dict[str, str] = {}
    dates = {}
    for name in ("start_date", "end_date", "report_date"):
        try:
            dates[name] = parse_day(form.get(name), name)
        except DateOutOfRange:
            errors[name] = date_range_message()
            dates[name] = None
        except ValueError as exc:
            errors[name] = str(exc)
            dates[name] = None
    return PeriodInput(kind=form.get("kind", ""), report_number=form.get("report_number"),
                       signer_name=form.get("signer_name"), signer_title=form.get("signer_title"),
                       recipients=form.get("recipients"), **dates), errors


def read_document_form(form: Mapping[str, str], items: Iterable[str]) -> tuple[DocumentInput, dict[str, str]]:
    """A legal document for the register (``RegisteredDocument``) and the codes of the items it implements."""
    values, errors = read_partly(RegisteredDocument,
                                 {name: form.get(name) for name in RegisteredDocument.model_fields}, FORM)
    return DocumentInput(**{name: values.get(name) for name in RegisteredDocument.model_fields},
                         item_codes=tuple(items)), errors
