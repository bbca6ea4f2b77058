"""A commune's report keyed in by the province as printed, and every internal inconsistency in it.

A paper (or file) report prints its TTHC figures (outline section 4) in prose: some as counts, some
as a percentage of a base that may be another figure of the report, a number printed with it, or
not stated at all. The province keys each figure in *as printed*; nothing here corrects a figure,
it only lists what cannot all be true, with the figures involved and the arithmetic.

The figure keys are the ``ProcedureStats`` fields (``tracker.domain.stats.FIELDS``) and the few
totals the seeds print that a commune's own statistics do not hold (``EXTRA_FIELDS``). The sums
and the part-of-whole rules are ``stats.SUM_RULES`` and ``stats.PART_RULES`` with the rules of
those totals added (``EXTRA_SUM_RULES``, ``EXTRA_PART_RULES``).

**Rounding tolerance.** A percentage printed with ``d`` decimals stands for every share that
rounds to it half up (the one rule of ``tracker.domain.formatting``): ``p`` means a share in
``[p - ½·10^-d, p + ½·10^-d)``. "5%" of 40 allows 4,5% to 5,5%: 2 dossiers; "19,95%" of 687
allows 19,945% to 19,955%, i.e. 137,02 to 137,09 dossiers, and no whole number of dossiers lies
there. A share printed truncated ("2,09%" for 3/143 = 2,0979…%) is flagged, saying it was cut
rather than rounded.

**Figures not printed.** A total that the report does not print but whose parts it prints (or
whose whole and other parts it prints) is derived for the checks, and the message says so; a
rule is never checked against a figure derived from that same rule. A part that is not printed
counts as 0 in a sum, as in ``stats.check_stats``, and the message says so too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from tracker.domain import stats
from tracker.domain.dates import parse_day
from tracker.domain.entries import clean_text, parse_number
from tracker.domain.formatting import format_number, round_half_up
from tracker.domain.i18n import LazyText
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.stats import DOSSIERS, Field

# Totals the paper reports print that ``ProcedureStats`` does not hold.
EXTRA_FIELDS: tuple[Field, ...] = (
    Field("tthc_one_stop", _l("TTHC under the one-stop mechanism"), "TTHC"),
    Field("tthc_online", _l("TTHC online (fully or partially)"), "TTHC"),
    Field("tthc_partial_or_in_person", _l("TTHC partially online or in person (printed together)"), "TTHC"),
    Field("dossiers_received_total", _l("Dossiers received in all (carried over and new)"), DOSSIERS),
    Field("resolved_total", _l("Dossiers resolved"), DOSSIERS),
)
_EXTRA = {f.name: f for f in EXTRA_FIELDS}
# The order of the keying form: each extra total beside the figures it sums.
_ORDER = ("tthc_total", "tthc_published", "tthc_one_stop", "tthc_online", "tthc_online_full",
          "tthc_online_partial", "tthc_in_person", "tthc_partial_or_in_person", "tthc_postal",
          "tthc_boundary_free", "tthc_active_online_full", "tthc_active_online_partial",
          "tthc_active_in_person", "dossiers_received_total", "dossiers_carried_over",
          "dossiers_new_total", "dossiers_new_online", "dossiers_new_online_full",
          "dossiers_new_online_partial", "dossiers_new_in_person", "dossiers_new_postal",
          "resolved_total", "resolved_on_time", "resolved_late", "pending_not_due", "pending_overdue",
          "pending_overdue_cumulative", "entered_late")
_BY_NAME = {f.name: f for f in stats.FIELDS} | _EXTRA
PAPER_FIELDS: tuple[Field, ...] = tuple(_BY_NAME[name] for name in _ORDER)
KEYS = tuple(f.name for f in PAPER_FIELDS)
UNITS = {f.name: str(f.unit) for f in PAPER_FIELDS}
# The statistics form words the channels under their total ("– of which received online", "+ fully
# online"); standing alone in a flag or a keying form they need their whole name.
_STANDALONE = {
    "dossiers_new_online": _l("Dossiers received online"),
    "dossiers_new_online_full": _l("Dossiers received fully online"),
    "dossiers_new_online_partial": _l("Dossiers received partially online"),
    "dossiers_new_in_person": _l("Dossiers received in person"),
    "dossiers_new_postal": _l("Dossiers received through the public postal service"),
}
LABELS = stats.LABELS | {name: LazyText(lambda label: str(label).strip(" –+"), label, enable_cache=False)
                         for name, label in ({f.name: f.label for f in EXTRA_FIELDS} | _STANDALONE).items()}

EXTRA_SUM_RULES = (
    (("tthc_online_full", "tthc_online_partial"), ("tthc_online",),
     _l("Fully and partially online TTHC must add up to the online TTHC")),
    (("tthc_online_partial", "tthc_in_person"), ("tthc_partial_or_in_person",),
     _l("Partially online and in-person TTHC must add up to the figure printed for both")),
    (("dossiers_carried_over", "dossiers_new_total"), ("dossiers_received_total",),
     _l("Dossiers carried over + dossiers newly received must equal the dossiers received in all")),
    (("resolved_on_time", "resolved_late"), ("resolved_total",),
     _l("Dossiers resolved on time + resolved late must equal the dossiers resolved")),
)
SUM_RULES = stats.SUM_RULES + EXTRA_SUM_RULES
EXTRA_PART_RULES = (
    ("tthc_one_stop", "tthc_total"),
    ("tthc_online", "tthc_total"),
    ("tthc_partial_or_in_person", "tthc_total"),
    ("dossiers_carried_over", "dossiers_received_total"),
    ("dossiers_new_total", "dossiers_received_total"),
    ("resolved_total", "dossiers_received_total"),
    ("resolved_on_time", "resolved_total"),
    ("resolved_late", "resolved_total"),
)
PART_RULES = stats.PART_RULES + EXTRA_PART_RULES
# TTHC by form, together, never more than the total (``stats.check_stats``'s rule), and the ways
# a report may split them: their sums are bases a printed share may secretly have been taken of.
FORMS = (("tthc_online_full", "tthc_online_partial", "tthc_in_person"),
         ("tthc_online_full", "tthc_partial_or_in_person"),
         ("tthc_online", "tthc_in_person"))
MAX_PRINTED_PERCENT = Decimal(1000)  # stored as printed; above 100 is flagged, not refused
MAX_PERCENT_TEXT = 20  # characters of a percentage as typed ("100,0000 %" is ten)

# Kinds of flag, in the order the page lists them.
VALUE, UNIT, NOT_WHOLE, ROUNDING, OTHER_BASE, UNSTATED, SUM, PART = (
    "value", "unit", "not_whole", "rounding", "other_base", "unstated", "sum", "part")


@dataclass(frozen=True)
class Figure:
    """One figure as printed: a count, or a percentage of a base, or both ("2,09% (03/143 TTHC)").

    The base of a percentage is another figure of the report (``base_key``), a number printed
    with it (``base_number``), or unstated (both None). ``percent`` keeps the printed decimals
    (``Decimal("19.95")``, ``Decimal("5")``): they are the precision the checks allow.
    """

    key: str
    count: int | None = None
    percent: Decimal | None = None
    base_key: str | None = None
    base_number: int | None = None

    @property
    def base_stated(self) -> bool:
        """True when the percentage names its base (a figure or a number)."""
        return self.base_key is not None or self.base_number is not None


@dataclass(frozen=True)
class Flag:
    """An inconsistency: its kind, the figures involved (keys) and the explanation for the reader."""

    kind: str
    keys: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Value:
    """What a figure can be, in dossiers or TTHC: ``lo``..``hi`` (equal for a count), and how it is known."""

    lo: Fraction
    hi: Fraction
    derived_from: int | None = None  # index of the sum rule it was derived from, or None if printed

    @property
    def exact(self) -> int | None:
        return int(self.lo) if self.lo == self.hi and self.lo.denominator == 1 else None


def decimals(percent: Decimal) -> int:
    """How many decimals the percentage was printed with (``19.95`` → 2, ``5`` → 0)."""
    exponent = percent.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def half_unit(percent: Decimal) -> Fraction:
    """Half a unit of the printed last digit: the rounding tolerance of the percentage."""
    return Fraction(1, 2 * 10 ** decimals(percent))


def whole_counts(percent: Decimal, base: int) -> range:
    """The whole counts ``k`` of ``base`` whose share ``k/base`` rounds half up to ``percent``."""
    p, h = Fraction(percent), half_unit(percent)
    low = math.ceil(base * (p - h) / 100)
    high = math.ceil(base * (p + h) / 100)  # exclusive: a share equal to p + h rounds up
    return range(max(low, 0), high)


def share(count: int | Fraction, base: int | Fraction, places: int) -> Decimal:
    """``count`` as a percentage of ``base`` rounded half up at ``places`` decimals."""
    exact = Fraction(count) * 100 / Fraction(base)
    return round_half_up(Decimal(exact.numerator) / Decimal(exact.denominator), places)


def _cut(count: int, base: int, places: int) -> Decimal:
    """The share truncated at ``places`` decimals, as some reports print it."""
    exact = Fraction(count) * 100 / base
    scaled = math.floor(exact * 10 ** places)
    return Decimal(scaled).scaleb(-places)


def format_percent_printed(percent: Decimal | Fraction) -> str:
    """A percentage with the decimals it was printed with (``19,95%``, ``5%``)."""
    if isinstance(percent, Fraction):
        percent = round_half_up(Decimal(percent.numerator) / Decimal(percent.denominator), 2)
    return f"{percent:f}".replace(".", ",") + "%"


def _exact_percent(value: Fraction) -> str:
    """A share to four decimals, with "…" when it goes on (``2,0979…%``)."""
    rounded = round_half_up(Decimal(value.numerator) / Decimal(value.denominator), 4)
    text = f"{rounded.normalize():f}".replace(".", ",")
    return f"{text}…%" if Fraction(rounded) != value else f"{text}%"


def _amount(value: Fraction) -> str:
    return format_number(Decimal(value.numerator) / Decimal(value.denominator))


def _range(value: Value) -> str:
    if value.lo == value.hi:
        return _amount(value.lo)
    return f"{_amount(value.lo)}–{_amount(value.hi)}"


def _label(key: str) -> str:
    """A label inside a sentence: its first word in lower case unless an abbreviation (TTHC)."""
    label = str(LABELS[key])
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


@dataclass
class _Report:
    figures: dict[str, Figure]
    values: dict[str, Value] = field(default_factory=dict)

    def printed(self, key: str) -> str:
        """How the report printed a figure: ``812``, ``19,95% của 687``, ``2,09% (03/143)``."""
        fig = self.figures.get(key)
        if fig is None:
            value = self.values.get(key)
            if value is None:
                return _("not printed")
            return _("%(value)s, not printed: derived from the other figures", value=_range(value))
        if fig.percent is None:
            return format_number(fig.count)
        base = self.base_text(fig)
        pct = format_percent_printed(fig.percent)
        if fig.count is not None:
            return f"{pct} ({format_number(fig.count)}/{base})"
        return _("%(percent)s of %(base)s", percent=pct, base=base)

    def base_text(self, fig: Figure) -> str:
        if fig.base_number is not None:
            return format_number(fig.base_number)
        if fig.base_key is not None:
            base = self.values.get(fig.base_key)
            amount = _range(base) if base is not None else _("not printed")
            return f"{_label(fig.base_key)} ({amount})"
        return _("a base not stated")

    def named(self, key: str) -> str:
        return f"{_label(key)} {self.printed(key)}"


def _base_value(report: _Report, fig: Figure) -> Value | None:
    if fig.base_number is not None:
        return Value(Fraction(fig.base_number), Fraction(fig.base_number))
    if fig.base_key is not None and fig.base_key != fig.key:
        return report.values.get(fig.base_key)
    return None


def _printed_value(report: _Report, fig: Figure) -> Value | None:
    """A printed figure's possible values: its count, else its share of a known base."""
    if fig.count is not None:
        return Value(Fraction(fig.count), Fraction(fig.count))
    if fig.percent is None:
        return None
    base = _base_value(report, fig)
    if base is None:
        return None
    p, h = Fraction(fig.percent), half_unit(fig.percent)
    return Value(max(base.lo * (p - h) / 100, Fraction(0)), base.hi * (p + h) / 100)


def _resolve(report: _Report) -> None:
    """Fill ``report.values``: printed figures (counts first, then shares whose base is known) and
    the totals not printed that their rules give."""
    pending = dict(report.figures)
    for _round in range(len(KEYS) + 2):
        progress = False
        for key, fig in list(pending.items()):
            if (value := _printed_value(report, fig)) is not None:
                report.values[key] = value
                del pending[key]
                progress = True
        if _derive_one(report):
            progress = True
        if not progress:
            break


_WHOLES = frozenset(whole[-1] for _parts, whole, _what in SUM_RULES if len(whole) == 1)


def _derive_one(report: _Report) -> bool:
    """Derive one total the report did not print, from a rule where it is the only unknown: first
    as the sum of its printed parts, else as a printed whole less its other parts. Never from the
    rule of dossiers resolved and in process (its whole has two figures): that rule is the one
    paper reports break, so it only checks."""
    for as_whole in (True, False):
        for index, (parts, whole, _what) in enumerate(SUM_RULES):
            if len(whole) != 1:
                continue
            names = parts + whole
            unknown = [n for n in names if n not in report.values and n not in report.figures]
            if len(unknown) != 1 or unknown[0] not in _WHOLES or (unknown[0] in whole) != as_whole:
                continue
            target = unknown[0]
            if any(n not in report.values for n in names if n != target):
                continue
            total = report.values[whole[0]] if not as_whole else None
            known = [report.values[n] for n in parts if n != target]
            if total is None:
                lo = sum((v.lo for v in known), Fraction(0))
                hi = sum((v.hi for v in known), Fraction(0))
            else:
                lo = total.lo - sum((v.hi for v in known), Fraction(0))
                hi = total.hi - sum((v.lo for v in known), Fraction(0))
            if hi < 0:
                continue  # the rule is broken; its own check says so
            report.values[target] = Value(max(lo, Fraction(0)), hi, derived_from=index)
            return True
    return False


def check_paper(figures: list[Figure] | dict[str, Figure]) -> list[Flag]:
    """Return every internal inconsistency of a report keyed in as printed (empty when none)."""
    if isinstance(figures, dict):
        figures = list(figures.values())
    report = _Report({f.key: f for f in figures})
    flags = _values(report)
    _resolve(report)
    flags += _units(report)
    flags += _shares(report)
    flags += _sums(report)
    flags += _parts(report, flags)
    return flags


def _values(report: _Report) -> list[Flag]:
    flags = []
    for key, fig in report.figures.items():
        if fig.count is not None and (problem := stats.count_problem(fig.count)):
            flags.append(Flag(VALUE, (key,), _("%(field)s: %(problem)s.", field=LABELS[key],
                                               problem=problem)))
        if fig.percent is not None and fig.percent > 100:
            flags.append(Flag(VALUE, (key,), _(
                "%(field)s is printed as %(percent)s: a part cannot be more than 100%% of its whole.",
                field=LABELS[key], percent=format_percent_printed(fig.percent))))
    return flags


def _units(report: _Report) -> list[Flag]:
    """A share whose base counts something else (dossiers over TTHC)."""
    flags = []
    for key, fig in report.figures.items():
        if fig.percent is not None and fig.base_key is not None and UNITS[fig.base_key] != UNITS[key]:
            flags.append(Flag(UNIT, (key, fig.base_key), _(
                "%(field)s (%(unit)s) is printed as %(percent)s of %(base)s, which counts %(base_unit)s: "
                "a share of a different kind of base.", field=LABELS[key], unit=UNITS[key],
                percent=format_percent_printed(fig.percent), base=_label(fig.base_key),
                base_unit=UNITS[fig.base_key])))
    return flags


def _shares(report: _Report) -> list[Flag]:
    flags = []
    for key, fig in report.figures.items():
        if fig.percent is None:
            continue
        base = _base_value(report, fig)
        places = decimals(fig.percent)
        pct = format_percent_printed(fig.percent)
        if base is None or base.exact is None or base.exact == 0:
            continue
        whole = base.exact
        broken = False
        if fig.count is not None:
            computed = share(fig.count, whole, places)
            if computed != fig.percent:
                broken = True
                message = _("%(field)s: %(count)s/%(base)s = %(exact)s, which rounds to %(computed)s at "
                            "the printed precision, but the report prints %(percent)s.",
                            field=LABELS[key], count=format_number(fig.count), base=format_number(whole),
                            exact=_exact_percent(Fraction(fig.count) * 100 / whole),
                            computed=format_percent_printed(computed), percent=pct)
                if _cut(fig.count, whole, places) == fig.percent:
                    message += " " + _("The printed figure was cut instead of rounded.")
                flags.append(Flag(ROUNDING, _involved(fig), message))
        elif not whole_counts(fig.percent, whole):
            broken = True
            exact = Fraction(fig.percent) * whole / 100
            below, above = math.floor(exact), math.floor(exact) + 1
            flags.append(Flag(NOT_WHOLE, _involved(fig), _(
                "%(field)s is printed as %(percent)s of %(base)s: that is %(exact)s %(unit)s, and no whole "
                "number gives %(percent)s at the printed precision (%(below)s gives %(below_share)s, "
                "%(above)s gives %(above_share)s).",
                field=LABELS[key], percent=pct, base=format_number(whole), exact=_amount(exact),
                unit=UNITS[key], below=format_number(below),
                below_share=format_percent_printed(share(below, whole, places)),
                above=format_number(above), above_share=format_percent_printed(share(above, whole, places)))))
        if broken and (found := _other_base(report, fig)):
            flags.append(found)
    return flags


def _involved(fig: Figure) -> tuple[str, ...]:
    return (fig.key,) + ((fig.base_key,) if fig.base_key else ())


def _candidates(report: _Report) -> list[tuple[int, tuple[str, ...]]]:
    """Exact numbers of the report (figures, derived totals, TTHC by form together) and their keys."""
    found = [(v.exact, (k,)) for k, v in report.values.items() if v.exact]
    for forms in FORMS:
        values = [report.values.get(n) for n in forms]
        if all(v is not None and v.exact is not None for v in values):
            found.append((sum(v.exact for v in values), forms))
    return found


def _other_base(report: _Report, fig: Figure) -> Flag | None:
    """The printed share is exactly one figure of the report over another: say which."""
    places = decimals(fig.percent)
    numbers = _candidates(report)
    for numerator, top in numbers:
        for denominator, bottom in numbers:
            if top == bottom or numerator > denominator or set(top) & set(bottom):
                continue
            if share(numerator, denominator, places) != fig.percent:
                continue
            printed_base = fig.base_number or (report.values[fig.base_key].exact if fig.base_key else None)
            if denominator == printed_base and numerator == fig.count:
                continue
            written = " + ".join(format_number(report.values[n].exact) for n in bottom)
            kinds = {UNITS[n] for n in top} != {UNITS[n] for n in bottom}
            message = _("%(field)s: the printed %(percent)s is exactly %(top)s (%(numerator)s) over "
                        "%(bottom)s (%(denominator)s = %(written)s): a share of another base than the one "
                        "printed.", field=LABELS[fig.key], percent=format_percent_printed(fig.percent),
                        top=" + ".join(_label(n) for n in top), numerator=format_number(numerator),
                        bottom=" + ".join(_label(n) for n in bottom), denominator=format_number(denominator),
                        written=written)
            if kinds:
                message += " " + _("It divides %(top_unit)s by %(bottom_unit)s.",
                                   top_unit=UNITS[top[0]], bottom_unit=UNITS[bottom[0]])
            keys = tuple(dict.fromkeys((fig.key,) + top + bottom))
            return Flag(OTHER_BASE, keys, message)
    return None


def _same_base_percents(report: _Report, names: tuple[str, ...], whole: tuple[str, ...]
                        ) -> Decimal | None:
    """The printed percentages added, when every given part is a share of the rule's whole."""
    given = [report.figures[n] for n in names if n in report.figures]
    if len(whole) != 1 or not given:
        return None
    if all(f.percent is not None and f.count is None and f.base_key == whole[0] for f in given):
        return sum((f.percent for f in given), Decimal(0))
    return None


def _expanded(report: _Report, parts: tuple[str, ...]) -> tuple[str, ...]:
    """A part derived from its own parts is shown (and added) as those printed parts."""
    out: list[str] = []
    for name in parts:
        value = report.values.get(name)
        if name not in report.figures and value is not None and value.derived_from is not None \
                and SUM_RULES[value.derived_from][1] == (name,):
            out += _expanded(report, SUM_RULES[value.derived_from][0])
        else:
            out.append(name)
    return tuple(out)


def _sums(report: _Report) -> list[Flag]:
    flags = []
    for index, (parts, whole, what) in enumerate(SUM_RULES):
        if any(n not in report.values or report.values[n].derived_from == index for n in whole):
            continue
        shown = _expanded(report, parts)
        given = [n for n in shown if n in report.figures]
        if not given:
            continue
        unstated = [n for n in given if n not in report.values]
        if unstated:
            flags.append(Flag(UNSTATED, tuple(unstated) + whole, _(
                "%(rule)s, but %(figures)s is printed as a percentage without its base: it cannot be added "
                "to the other figures.", rule=what, figures=", ".join(report.named(n) for n in unstated))))
            continue
        lo = sum((report.values[n].lo for n in shown if n in report.values), Fraction(0))
        hi = sum((report.values[n].hi for n in shown if n in report.values), Fraction(0))
        w_lo = sum((report.values[n].lo for n in whole), Fraction(0))
        w_hi = sum((report.values[n].hi for n in whole), Fraction(0))
        if lo <= w_hi and hi >= w_lo:
            continue
        left = " + ".join(report.named(n) for n in shown if n in report.values)
        right = " + ".join(report.named(n) for n in whole)
        percents = _same_base_percents(report, shown, whole)
        total = format_percent_printed(percents) if percents is not None else _range(Value(lo, hi))
        message = _("%(rule)s: %(left)s = %(left_sum)s, but %(right)s = %(right_sum)s.", rule=what,
                    left=left, left_sum=total, right=right,
                    right_sum="100%" if percents is not None else _range(Value(w_lo, w_hi)))
        missing = [n for n in shown if n not in report.values]
        if missing:
            message += " " + _("Not printed, counted as 0: %(figures)s.",
                               figures=", ".join(_label(n) for n in missing))
        keys = tuple(n for n in dict.fromkeys(shown + whole) if n in report.values)
        flags.append(Flag(SUM, keys, message))
    return flags


def _parts(report: _Report, flags: list[Flag]) -> list[Flag]:
    """A printed part greater than its printed whole, unless a sum flag already names both."""
    out = []
    for part, whole in PART_RULES:
        if part not in report.figures or whole not in report.figures:
            continue
        a, b = report.values.get(part), report.values.get(whole)
        if a is None or b is None or a.lo <= b.hi:
            continue
        if any(f.kind == SUM and part in f.keys and whole in f.keys for f in flags):
            continue
        out.append(Flag(PART, (part, whole), _(
            "%(part)s (%(part_value)s) cannot be greater than %(whole)s (%(whole_value)s).",
            part=LABELS[part], part_value=report.printed(part), whole=_label(whole),
            whole_value=report.printed(whole))))
    for forms in FORMS[:1]:
        total = report.values.get("tthc_total")
        given = [n for n in forms if n in report.figures and n in report.values]
        if total is None or "tthc_total" not in report.figures or not given:
            continue
        lo = sum((report.values[n].lo for n in given), Fraction(0))
        if lo > total.hi:
            out.append(Flag(PART, tuple(given) + ("tthc_total",), _(
                "TTHC by form together (%(by_form)s) cannot be more than the total TTHC (%(total)s).",
                by_form=_range(Value(lo, lo)), total=_range(total))))
    return out


# --- Reading the keying form -------------------------------------------------------------------

UNSTATED_BASE, TYPED_BASE = "", "#"  # the base select's values besides a figure's key


@dataclass(frozen=True)
class PaperInput:
    """A keyed report as read from the form: the period, the document as printed, the figures."""

    commune_id: int | None
    kind: str | None
    start_date: date | None
    end_date: date | None
    doc_number: str | None
    doc_date: str | None
    note: str | None
    figures: tuple[Figure, ...]
    percent_texts: dict[str, str]


def parse_percent(text: str) -> Decimal:
    """A percentage typed the Vietnamese way ("98,6", "98,6 %", "5") as a Decimal that keeps the
    decimals typed ("5,0" → ``Decimal("5.0")``). Raises ValueError with the reason."""
    if len(text.strip()) > MAX_PERCENT_TEXT:
        raise ValueError(_("At most %(limit)s characters.", limit=MAX_PERCENT_TEXT))
    parse_number(text, kind="percent")  # refuses what is not a number, with the usual message
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3:
        cleaned = cleaned.replace(".", "")  # "1.234": thousands (parse_number read it so)
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("is not a number (for example: %(example)s)", example="98,6%")) from None
    if value < 0:
        raise ValueError(_("cannot be negative (%(value)s)", value=text.strip()))
    if value > MAX_PRINTED_PERCENT:
        raise ValueError(_("the number is too large (%(value)s); the allowed range is 0 to %(max)s",
                           value=text.strip(), max=format_number(MAX_PRINTED_PERCENT)))
    if decimals(value) > 4:
        raise ValueError(_("at most 4 decimals"))
    return value


def _whole_number(text: str | None, *, positive: bool = False) -> int | None:
    value = parse_number(text, kind="count")
    if value is None:
        return None
    if not float(value).is_integer():
        raise ValueError(_("must be a whole number"))
    number = int(value)
    if positive and number == 0:
        raise ValueError(_("a base cannot be 0"))
    if problem := stats.count_problem(number):
        raise ValueError(problem)
    return number


def read_paper_form(form: Mapping[str, str], commune_ids: Iterable[int]) -> tuple[PaperInput, dict[str, str]]:
    """Read the keying form: ``(input, errors)``; ``errors`` maps a field's name to its message
    (empty when the report may be saved). The figures are kept exactly as typed."""
    errors: dict[str, str] = {}
    commune_id = None
    try:
        commune_id = int(form.get("commune_id") or "")
    except ValueError:
        pass
    if commune_id not in set(commune_ids):
        errors["commune_id"] = _("Choose the commune whose report this is.")
    kind = form.get("kind") or None
    if kind not in ("week", "month", "quarter", "custom"):
        errors["kind"] = _("Choose the kind of period.")
    days: dict[str, date | None] = {}
    for name, label in (("start_date", _("Start date")), ("end_date", _("End date"))):
        try:
            days[name] = parse_day(form.get(name), label)
        except ValueError as exc:
            errors[name] = str(exc)
            days[name] = None
        else:
            if days[name] is None:
                errors[name] = _("Enter the %(what)s (dd/mm/yyyy).", what=label.lower())
    if days.get("start_date") and days.get("end_date") and days["end_date"] < days["start_date"]:
        errors["end_date"] = _("The end date cannot be before the start date.")
    texts = {}
    for name, limit in (("doc_number", 60), ("doc_date", 60), ("note", 5000)):
        texts[name] = clean_text(form.get(name))
        if texts[name] and len(texts[name]) > limit:
            errors[name] = _("At most %(limit)s characters.", limit=limit)
    figures: list[Figure] = []
    percent_texts: dict[str, str] = {}
    for key in KEYS:
        fig, typed = _read_figure(form, key, errors)
        if fig is not None:
            figures.append(fig)
            if typed:
                percent_texts[key] = typed
    if not figures and not any(k.startswith(KEYS) for k in errors):
        errors["figures"] = _("Key in at least one figure of the report.")
    return PaperInput(commune_id, kind, days.get("start_date"), days.get("end_date"), texts["doc_number"],
                      texts["doc_date"], texts["note"], tuple(figures), percent_texts), errors


def _read_figure(form: Mapping[str, str], key: str,
                 errors: dict[str, str]) -> tuple[Figure | None, str | None]:
    count_text = (form.get(f"{key}-count") or "").strip()
    percent_text = (form.get(f"{key}-percent") or "").strip()
    base = form.get(f"{key}-base") or UNSTATED_BASE
    base_text = (form.get(f"{key}-base_number") or "").strip()
    count = percent = base_number = None
    try:
        count = _whole_number(count_text)
    except ValueError as exc:
        errors[f"{key}-count"] = str(exc)
    if percent_text:
        try:
            percent = parse_percent(percent_text)
        except ValueError as exc:
            errors[f"{key}-percent"] = str(exc)
    if base_text:
        try:
            base_number = _whole_number(base_text, positive=True)
        except ValueError as exc:
            errors[f"{key}-base_number"] = str(exc)
    base_key = None
    if base not in (UNSTATED_BASE, TYPED_BASE):
        if base not in KEYS:
            errors[f"{key}-base"] = _("Choose a figure of the report, a printed number or \"not stated\".")
        elif base == key:
            errors[f"{key}-base"] = _("A figure cannot be a share of itself.")
        elif base_text:
            errors[f"{key}-base_number"] = _("Choose either a figure of the report or a printed number.")
        else:
            base_key = base
    elif base == TYPED_BASE and not base_text:
        errors[f"{key}-base_number"] = _("Type the number the percentage is a share of.")
    if (base_key or base_text) and not percent_text:
        errors[f"{key}-percent"] = _("A base goes with a percentage: type the percentage as printed.")
    if count is None and percent is None:
        return None, None
    return Figure(key, count, percent, base_key, base_number), percent_text or None
