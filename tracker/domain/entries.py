"""Checking a progress entry before it is stored: every problem named by its field."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from babel.numbers import NumberFormatError, parse_decimal

from tracker.domain.bounds import MAX_FIGURE, MAX_PERCENT, is_number
from tracker.domain.formatting import LOCALE, format_date, format_number
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.text import character_problem

TASK_STATES = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "blocked": _l("Blocked"),
}
# The figures of an entry, as the forms name them (messages about a figure name its field).
FIGURE_LABELS = {"value": _l("Value"), "numerator": _l("Numerator"), "denominator": _l("Denominator"),
                 "percent": _l("Percent done")}
MAX_NOTE = 5000
MAX_SHORT = 300
TEXT_FIELDS = ("note", "reason", "doc_number", "doc_issuer", "doc_summary")
ONE_LINE_FIELDS = ("doc_number", "doc_issuer")
# A '<' directly followed by a letter, '/', '!' or '?' opens a tag, a comment or a declaration;
# "tỷ lệ < 50%" stays allowed.
_MARKUP = re.compile(r"<[A-Za-z/!?]")


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


# What a field's "not a number" message offers as an example, by the kind of figure it holds.
NUMBER_EXAMPLES = {"count": "1.234", "amount": "1.500.000", "percent": "70,5%", "number": "1.234,5"}


def parse_number(text: str | None, *, kind: str = "number") -> float | None:
    """Parse a number typed the Vietnamese way (``1.234,5``); empty gives None.

    ``kind`` is what the field holds (a key of ``NUMBER_EXAMPLES``): a percentage also takes a
    trailing ``%`` ("70%", "70,5 %"), and the refusal's example is one that fits the field.
    Raises ValueError for anything that is not a finite number.
    """
    if text is None or not str(text).strip():
        return None
    cleaned = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if kind == "percent" and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        number = float(parse_decimal(cleaned, locale=LOCALE, strict=True))
    except (NumberFormatError, ValueError):
        # Also accept a plain machine number such as "74" or "56.5" when unambiguous.
        try:
            number = float(cleaned)
        except ValueError:
            raise ValueError(_("is not a number (for example: %(example)s)",
                               example=NUMBER_EXAMPLES.get(kind, NUMBER_EXAMPLES["number"]))) from None
        if "." in cleaned and len(cleaned.split(".")[-1]) == 3:
            raise ValueError(
                _("it is unclear whether '.' separates thousands or decimals; "
                  "use ',' for decimals")) from None
    if not math.isfinite(number):
        raise ValueError(_("is not a finite number"))
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
        errors["as_of"] = _("Choose the date of the figures.")
    elif entry.as_of < tracking_start:
        errors["as_of"] = _("The date of the figures cannot be before tracking started on %(date)s.",
                            date=format_date(tracking_start))
    elif entry.as_of > today:
        errors["as_of"] = _("The date of the figures cannot be after today (%(date)s).",
                            date=format_date(today))

    if shape in ("value", "percent_value"):
        if entry.value is None:
            errors["value"] = _("Enter the value reached.")
        elif shape == "percent_value" and is_number(entry.value) and entry.value > MAX_PERCENT:
            errors["value"] = _("A percentage cannot exceed 100%.")
        elif problem := figure_problem("value", entry.value,
                                       MAX_PERCENT if shape == "percent_value" else MAX_FIGURE):
            errors["value"] = problem
    elif shape == "ratio":
        if entry.numerator is None:
            errors["numerator"] = _("Enter the numerator.")
        elif problem := figure_problem("numerator", entry.numerator):
            errors["numerator"] = problem
        if entry.denominator is None:
            errors["denominator"] = _("Enter the denominator.")
        elif problem := figure_problem("denominator", entry.denominator):
            errors["denominator"] = problem
        if ("numerator" not in errors and "denominator" not in errors
                and entry.numerator > entry.denominator):
            errors["numerator"] = _("The numerator (%(numerator)s) cannot be greater than the denominator "
                                    "(%(denominator)s).", numerator=f"{entry.numerator:g}",
                                    denominator=f"{entry.denominator:g}")
    elif shape == "progress":
        if entry.state not in TASK_STATES:
            errors["state"] = _("Choose a state: %(states)s.",
                                states=", ".join(map(str, TASK_STATES.values())))
        if entry.percent is None:
            errors["percent"] = _("Enter the percent done (0–100).")
        elif problem := figure_problem("percent", entry.percent):
            errors["percent"] = problem
        elif entry.state == "done" and entry.percent != 100:
            errors["percent"] = _("A task that is done must be 100 percent done.")
    else:
        raise ValueError(f"unknown entry shape {shape!r}")

    if entry.note and len(entry.note) > MAX_NOTE:
        errors["note"] = _("The note is longer than %(max)s characters.", max=format_number(MAX_NOTE))
    for name in ("doc_number", "doc_issuer"):
        value = getattr(entry, name)
        if value and len(value) > MAX_SHORT:
            errors[name] = _("Longer than %(max)s characters.", max=MAX_SHORT)
    if entry.doc_summary and len(entry.doc_summary) > 1000:
        errors["doc_summary"] = _("The summary is longer than %(max)s characters.", max=format_number(1000))
    if entry.doc_date and entry.doc_date > today:
        errors["doc_date"] = _("The document date cannot be after today.")
    if (entry.doc_date or entry.doc_issuer or entry.doc_summary) and not entry.doc_number:
        errors["doc_number"] = _("Enter the document number (for example 119/QĐ-UBND).")
    if entry.reason and len(entry.reason) > MAX_NOTE:
        errors["reason"] = _("The reason is longer than %(max)s characters.", max=format_number(MAX_NOTE))
    if correcting and not entry.reason:
        errors["reason"] = _("Give the reason for the correction.")
    for name in TEXT_FIELDS:
        value = getattr(entry, name)
        if value and name not in errors and (
                problem := text_problem(value, multiline=name not in ONE_LINE_FIELDS)):
            errors[name] = problem
    return errors


def figure_problem(name: str, value: float, high: float = MAX_FIGURE) -> str | None:
    """Say why an entry's figure (``value``, ``numerator``, ``denominator``, ``percent``) is outside the
    bounds every item allows, or None; the schemas (``tracker.domain.schemas``) word their bounds so."""
    if name == "percent":
        if is_number(value) and 0 <= value <= MAX_PERCENT:
            return None
        return _("The percent done must be between 0 and 100.")
    if name == "denominator" and is_number(value) and value <= 0:
        return _("The denominator must be greater than 0.")
    if name == "value" and is_number(value) and value < 0:
        return _("The value cannot be negative.")
    if name == "numerator" and is_number(value) and value < 0:
        return _("The numerator cannot be negative.")
    return _range_problem(name, value, high)


def _range_problem(name: str, value: float, high: float) -> str | None:
    """Say that a figure is not a finite number from 0 to ``high``, naming the field; or None."""
    if is_number(value) and 0 <= value <= high:
        return None
    return _("%(field)s must be a number from %(low)s to %(high)s.", field=FIGURE_LABELS[name],
             low=format_number(0), high=format_number(high))


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Say why free text cannot be stored (markup, control characters, lone surrogates, and for a
    one-line field tab and line breaks), or None."""
    if _MARKUP.search(value):
        return _("HTML code is not allowed (for example <b>, <script>); enter plain text only.")
    return character_problem(value, multiline=multiline)
