"""Reading the reporting forms: typed text to values, with a message per field that cannot be read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.domain.dates import DateOutOfRange, date_range_message, parse_iso_date
from tracker.domain.entries import parse_number
from tracker.domain.i18n import gettext as _
from tracker.domain.stats import FIELD_NAMES, FINANCE_FIELDS, LABELS
from tracker.services.legal import DocumentInput
from tracker.services.periods import PeriodInput


def read_counts(form: Mapping[str, str], names: Iterable[str], labels: Mapping[str, str]
                ) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse whole numbers typed the Vietnamese way; empty means "no figure"."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in names:
        try:
            number = parse_number(form.get(name))
        except ValueError as exc:
            errors[name] = _("%(field)s: %(problem)s.", field=labels[name], problem=exc)
            continue
        if number is not None and number != int(number):
            errors[name] = _("%(field)s: must be a whole number.", field=labels[name])
            continue
        values[name] = None if number is None else int(number)
    return values, errors


def read_stats_form(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The TTHC statistics form: counts plus the reasons for lateness and an explanation."""
    values, errors = read_counts(form, FIELD_NAMES, LABELS)
    values["late_reasons"] = form.get("late_reasons")
    values["override_explanation"] = form.get("override_explanation")
    return values, errors


def read_finance_form(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The finance form: amounts in đồng and what was disbursed for."""
    values, errors = read_counts(form, FINANCE_FIELDS, FINANCE_FIELDS)
    values["disbursed_for"] = form.get("disbursed_for")
    return values, errors


def read_period_form(form: Mapping[str, str]) -> tuple[PeriodInput, dict[str, str]]:
    """A new period: kind, dates and the report's administrative details."""
    errors: dict[str, str] = {}
    dates = {}
    for name in ("start_date", "end_date", "report_date"):
        try:
            dates[name] = parse_iso_date(form.get(name), name)
        except DateOutOfRange:
            errors[name] = date_range_message()
            dates[name] = None
        except ValueError:
            errors[name] = _("The date is not valid.")
            dates[name] = None
    return PeriodInput(kind=form.get("kind", ""), report_number=form.get("report_number"),
                       signer_name=form.get("signer_name"), signer_title=form.get("signer_title"),
                       recipients=form.get("recipients"), **dates), errors


def read_document_form(form: Mapping[str, str], items: Iterable[str]) -> tuple[DocumentInput, dict[str, str]]:
    """A legal document for the register, with the codes of the items it implements."""
    errors: dict[str, str] = {}
    try:
        issued = parse_iso_date(form.get("issued_date"), "issued_date")
    except DateOutOfRange:
        errors["issued_date"] = date_range_message()
        issued = None
    except ValueError:
        errors["issued_date"] = _("The date is not valid.")
        issued = None
    return DocumentInput(number=form.get("number"), issued_date=issued, issuer=form.get("issuer"),
                         kind=form.get("kind"), summary=form.get("summary"), item_codes=tuple(items)), errors
