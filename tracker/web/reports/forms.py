"""Reading the reporting forms: typed text to values, with a message per field that cannot be read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.domain.dates import DateOutOfRange, date_range_message, parse_day
from tracker.domain.schemas import FORM, Finance, PeriodStats, RegisteredDocument, read_partly
from tracker.services.legal import DocumentInput
from tracker.services.periods import PeriodInput


def read_stats_form(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The TTHC statistics form (``Stats``): counts plus the reasons for lateness and an explanation."""
    return read_partly(PeriodStats, {name: form.get(name) for name in PeriodStats.model_fields}, FORM)


def read_finance_form(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The finance form (``Finance``): amounts in đồng and what was disbursed for."""
    return read_partly(Finance, {name: form.get(name) for name in Finance.model_fields}, FORM)


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
