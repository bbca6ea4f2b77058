"""Administrative-procedure (TTHC) statistics of a period: the fields, the rules that relate
them, and the ratios the reports print (``2,10% (03/143 TTHC)``, rounded half up as
``tracker.domain.formatting`` says).

One list of fields serves the form, the spreadsheet, the API and the report. Counts may be
``None`` (no figure, printed "không"). A sum rule is checked once its total and any part are given,
an empty part counting as 0; a total that given parts need cannot be empty (``required_totals``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.domain import formatting
from tracker.domain.bounds import MAX_AMOUNT, MAX_COUNT
from tracker.domain.formatting import format_number
from tracker.domain.i18n import LazyText
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Field:
    """One count of the statistics: its name, its label (the outline's words) and what it counts."""

    name: str
    label: str | LazyText
    unit: str | LazyText  # "TTHC" or dossiers ("hồ sơ")


DOSSIERS = _l("dossiers")


def _stripped(label: LazyText) -> str:
    return str(label).strip(" –+")



FIELDS: tuple[Field, ...] = (
    Field("tthc_total", _l("Total TTHC under the commune's authority"), "TTHC"),
    Field("tthc_published", _l("TTHC listed and published"), "TTHC"),
    Field("tthc_online_full", _l("TTHC fully online"), "TTHC"),
    Field("tthc_online_partial", _l("TTHC partially online"), "TTHC"),
    Field("tthc_in_person", _l("TTHC in person"), "TTHC"),
    Field("tthc_postal", _l("TTHC through the public postal service"), "TTHC"),
    Field("tthc_boundary_free", _l("TTHC regardless of administrative boundaries"), "TTHC"),
    Field("tthc_active_online_full", _l("Fully online TTHC with dossiers in the period"), "TTHC"),
    Field("tthc_active_online_partial", _l("Partially online TTHC with dossiers in the period"), "TTHC"),
    Field("tthc_active_in_person", _l("In-person TTHC with dossiers in the period"), "TTHC"),
    Field("dossiers_carried_over", _l("Dossiers carried over from the previous period"), DOSSIERS),
    Field("dossiers_new_total", _l("Dossiers newly received in the period"), DOSSIERS),
    Field("dossiers_new_online", _l("– of which received online"), DOSSIERS),
    Field("dossiers_new_online_full", _l("   + fully online"), DOSSIERS),
    Field("dossiers_new_online_partial", _l("   + partially online"), DOSSIERS),
    Field("dossiers_new_in_person", _l("– received in person"), DOSSIERS),
    Field("dossiers_new_postal", _l("– through the public postal service"), DOSSIERS),
    Field("resolved_on_time", _l("Dossiers resolved early or on time"), DOSSIERS),
    Field("resolved_late", _l("Dossiers resolved late"), DOSSIERS),
    Field("pending_not_due", _l("Dossiers in process, not yet due"), DOSSIERS),
    Field("pending_overdue", _l("Dossiers in process, overdue (received in the period)"), DOSSIERS),
    Field("pending_overdue_cumulative", _l("Dossiers in process, overdue (cumulative)"), DOSSIERS),
    Field("entered_late", _l("Dossiers entered late into the system"), DOSSIERS),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
LABELS = {f.name: LazyText(_stripped, f.label, enable_cache=False) for f in FIELDS}
TEXT_FIELDS = ("late_reasons", "override_explanation")
# Money for the plan in a period (outline 3.2), in đồng; and the local budget for the 3% target.
FINANCE_FIELDS = {
    "estimate": _l("Estimated funding for the tasks"),
    "approved": _l("Funding approved"),
    "allocated": _l("Funding allocated"),
    "not_allocated": _l("Funding not allocated"),
    "disbursed": _l("Funding disbursed"),
    "dx_spending": _l("Spending on science, technology, innovation and digital transformation"),
    "total_local_spending": _l("Total local budget spending"),
}
# The free texts that go with the figures, as the report words them.
TEXT_LABELS = {
    "late_reasons": _l("Causes and reasons why dossiers were resolved late"),
    "override_explanation": _l("Explanation of the figures (when the numbers do not add up)"),
    "disbursed_for": _l("What was disbursed"),
}


@dataclass(frozen=True)
class Problem:
    """A broken rule: the fields it names, a message for the reader, and whether it may be overridden."""

    fields: tuple[str, ...]
    message: str
    overridable: bool


def _sum(stats: dict[str, Any], names: tuple[str, ...]) -> int | None:
    values = [stats.get(n) for n in names]
    return None if any(v is None for v in values) else sum(values)


def _sum_rule(stats, parts: tuple[str, ...], whole: tuple[str, ...], what: str) -> Problem | None:
    """``sum(parts) == sum(whole)`` once a part and the whole's total are given.

    An empty part counts as 0 (and the message says so): a report that leaves "overdue" blank
    means none, and skipping the rule let 797 + 14 ≠ 812 through. The total (``whole[-1]``) must be
    given: ``required_totals`` refuses it empty.
    """
    if all(stats.get(n) is None for n in parts) or stats.get(whole[-1]) is None:
        return None
    left = sum(stats.get(n) or 0 for n in parts)
    right = sum(stats.get(n) or 0 for n in whole)
    if left == right:
        return None

    def shown(names: tuple[str, ...]) -> str:
        return " + ".join(f"{_lowered(LABELS[n])} {_given(stats.get(n))}" for n in names)

    message = _("%(rule)s: %(left)s = %(left_sum)s, but %(right)s = %(right_sum)s.",
                rule=what, left=shown(parts), left_sum=format_number(left),
                right=shown(whole), right_sum=format_number(right))
    if any(stats.get(n) is None for n in parts + whole):
        counted = _("(an empty part is counted as 0)")
        message = f"{message[:-1]} {counted}."
    return Problem(parts + whole, message, overridable=True)


def _given(value: int | None) -> str:
    return _("left empty") if value is None else format_number(value)


def required_totals(stats: dict[str, Any]) -> list[Problem]:
    """A total that its parts need cannot be left empty (never overridable): new dossiers with their
    channels filled in but no total would print "tiếp nhận mới không (trực tuyến 254 hồ sơ; …)"."""
    problems: list[Problem] = []
    for parts, whole, _what in SUM_RULES:
        total = whole[-1]
        given = [n for n in parts if stats.get(n) is not None]
        if given and stats.get(total) is None and not any(total in p.fields for p in problems):
            problems.append(Problem(
                (total,), _("%(total)s cannot be left empty when %(parts)s are filled in; enter the total.",
                            total=LABELS[total], parts=", ".join(_lowered(LABELS[n]) for n in given)),
                False))
    return problems


def _lowered(label: LazyText) -> str:
    """A label inside a sentence, in lower case."""
    return str(label).lower()


# Sums that real reports are expected to satisfy (they can be overridden with an explanation).
SUM_RULES = (
    (("dossiers_new_online", "dossiers_new_in_person", "dossiers_new_postal"), ("dossiers_new_total",),
     _l("The receiving channels must add up to the dossiers newly received")),
    (("dossiers_new_online_full", "dossiers_new_online_partial"), ("dossiers_new_online",),
     _l("Fully and partially online dossiers must add up to the online dossiers")),
    (("resolved_on_time", "resolved_late", "pending_not_due", "pending_overdue"),
     ("dossiers_carried_over", "dossiers_new_total"),
     _l("Resolved + in process must equal dossiers carried over + dossiers newly received")),
)
# A part never exceeds its whole (never overridable).
PART_RULES = (
    ("tthc_published", "tthc_total"),
    ("tthc_boundary_free", "tthc_total"),
    ("tthc_online_full", "tthc_total"),
    ("tthc_online_partial", "tthc_total"),
    ("tthc_in_person", "tthc_total"),
    ("tthc_postal", "tthc_total"),
    ("tthc_active_online_full", "tthc_online_full"),
    ("tthc_active_online_partial", "tthc_online_partial"),
    ("tthc_active_in_person", "tthc_in_person"),
    ("dossiers_new_online", "dossiers_new_total"),
    ("dossiers_new_online_full", "dossiers_new_online"),
    ("dossiers_new_online_partial", "dossiers_new_online"),
    ("dossiers_new_in_person", "dossiers_new_total"),
    ("dossiers_new_postal", "dossiers_new_total"),
    ("pending_overdue", "pending_overdue_cumulative"),
    ("entered_late", "dossiers_new_total"),
)


def count_problem(value: int) -> str | None:
    """Say why a count is outside 0..``MAX_COUNT`` (without the field's name), or None."""
    if value < 0:
        return _("cannot be negative (%(value)s)", value=format_number(value))
    if value > MAX_COUNT:
        return _("the number is too large (%(value)s); the allowed range is 0 to %(max)s",
                 value=format_number(value), max=format_number(MAX_COUNT))
    return None


def amount_problem(value: int) -> str | None:
    """Say why an amount of money is outside 0..``MAX_AMOUNT`` (without the field's name), or None."""
    if value < 0:
        return _("must be an amount that is not negative (VND)")
    if value > MAX_AMOUNT:
        return _("the amount is too large (at most %(max)s VND)", max=format_number(MAX_AMOUNT))
    return None


# A part of the funding never exceeds its whole.
FINANCE_PART_RULES = (("approved", "estimate"), ("allocated", "approved"), ("disbursed", "allocated"),
                      ("dx_spending", "total_local_spending"))


def check_finance(money: dict[str, Any]) -> dict[str, str]:
    """Return ``{field: message}`` for every funding figure that breaks a rule (empty when none)."""
    errors: dict[str, str] = {}
    for name, label in FINANCE_FIELDS.items():
        value = money.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            errors[name] = _("%(field)s: %(problem)s.", field=label,
                             problem=_("must be an amount that is not negative (VND)"))
        elif value is not None and (problem := amount_problem(value)):
            errors[name] = _("%(field)s: %(problem)s.", field=label, problem=problem)
    for part, whole in FINANCE_PART_RULES:
        if not errors and money.get(part) is not None and money.get(whole) is not None \
                and money[part] > money[whole]:
            errors[part] = _("%(part)s (%(part_value)s VND) cannot be greater than %(whole)s "
                             "(%(whole_value)s VND).", part=FINANCE_FIELDS[part],
                             part_value=format_number(money[part]), whole=FINANCE_FIELDS[whole].lower(),
                             whole_value=format_number(money[whole]))
    return errors


def check_stats(stats: dict[str, Any]) -> list[Problem]:
    """Return every broken rule of a period's statistics (empty when consistent)."""
    problems: list[Problem] = []
    for name in FIELD_NAMES:
        value = stats.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem((name,), _("%(field)s: must be a whole number.", field=LABELS[name]),
                                    False))
        elif problem := count_problem(value):
            problems.append(Problem((name,), _("%(field)s: %(problem)s.", field=LABELS[name],
                                               problem=problem), False))
    if problems:
        return problems
    for part, whole in PART_RULES:
        if stats.get(part) is not None and stats.get(whole) is not None and stats[part] > stats[whole]:
            problems.append(Problem(
                (part, whole),
                _("%(part)s (%(part_value)s) cannot be greater than %(whole)s (%(whole_value)s).",
                  part=LABELS[part], part_value=format_number(stats[part]),
                  whole=_lowered(LABELS[whole]), whole_value=format_number(stats[whole])),
                False))
    forms = ("tthc_online_full", "tthc_online_partial", "tthc_in_person")
    by_form, total = _sum(stats, forms), stats.get("tthc_total")
    if total is not None and by_form is not None and by_form > total:
        problems.append(Problem(forms + ("tthc_total",),
                                _("TTHC by form together (%(by_form)s) cannot be more than the total TTHC "
                                  "(%(total)s).", by_form=format_number(by_form), total=format_number(total)),
                                False))
    problems += required_totals(stats)
    for parts, whole, what in SUM_RULES:
        if problem := _sum_rule(stats, parts, whole, what):
            problems.append(problem)
    return problems


def blocking(problems: list[Problem], explanation: str | None) -> list[Problem]:
    """The problems that still stop saving: all hard ones, and sums unless explained in writing."""
    explained = bool(explanation and explanation.strip())
    return [p for p in problems if not (p.overridable and explained)]


def format_share(part: int | None, whole: int | None, unit: str, empty: str | None = None) -> str:
    """``2,10% (03/143 TTHC)`` by the one rounding rule (``formatting.format_share``); "không" (or
    ``empty``, e.g. "—" in a table) when a figure is missing or the whole is zero."""
    return formatting.format_share(part, whole, unit, _("none") if empty is None else empty)


def shares(stats: dict[str, Any], empty: str | None = None) -> dict[str, str]:
    """The derived ratios of outline section 4, already formatted; ``empty`` for a ratio without
    its figures ("không" in the report's prose by default, "—" in a table)."""
    new = stats.get("dossiers_new_total")
    dossiers = str(DOSSIERS)

    def share(part: str, whole: int | None, unit: str) -> str:
        return format_share(stats.get(part), whole, unit, empty)

    return {
        "tthc_active_online_full": share("tthc_active_online_full", stats.get("tthc_online_full"), "TTHC"),
        "tthc_active_online_partial": share("tthc_active_online_partial", stats.get("tthc_online_partial"),
                                            "TTHC"),
        "tthc_active_in_person": share("tthc_active_in_person", stats.get("tthc_in_person"), "TTHC"),
        "dossiers_new_online_full": share("dossiers_new_online_full", new, dossiers),
        "dossiers_new_online_partial": share("dossiers_new_online_partial", new, dossiers),
        "dossiers_new_online": share("dossiers_new_online", new, dossiers),
        "dossiers_new_in_person": share("dossiers_new_in_person", new, dossiers),
        "dossiers_new_postal": share("dossiers_new_postal", new, dossiers),
    }


# Targets whose value is derived from period figures (``Target.derived_from``).
DERIVED = {
    "dossiers_online_full_share": ("dossiers_new_online_full", "dossiers_new_total"),
    "dx_budget_share": ("dx_spending", "total_local_spending"),
}
# The derived targets whose parts are amounts of money (đồng), written in triệu / tỷ đồng.
MONEY_DERIVED = frozenset(key for key, (numerator, _whole) in DERIVED.items() if numerator in FINANCE_FIELDS)
