"""Which communes of the province roll-up are shown, and in what order: search, sort and filter.

The page's query arguments (``q``, ``sort``, ``order``, ``colour``, ``target``) are read by
``parse_view`` into a ``RollupView``; ``select_rows`` applies it to the roll-up's rows. The rows are
anything with ``commune.name``, ``commune.code``, ``counts`` (colour → how many targets) and
``cells`` (target code → a status with ``colour`` and ``actual``), so this module needs neither
Flask nor the database.

- Search: a commune's name (or code) contains the words typed, without regard to accents, case or
  "đ" ("ngok bay" finds "Ngọk Bay").
- Sort: ``reds`` (the default: most red, then amber, then grey first), ``name`` (Vietnamese
  alphabetical order, ``collation.vietnamese_key``), a colour (how many targets of that colour),
  or a target code (its light, worst first, then its value, the worse first). ``order`` reverses
  the column's natural order (``desc`` for counts and lights, ``asc`` for names); ties always
  follow the Vietnamese alphabet.
- Filter: ``colour`` alone keeps the communes with at least one target of that colour; ``target``
  alone the communes whose plan has it; both, the communes where that target has that colour.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tracker.domain.collation import vietnamese_key
from tracker.domain.i18n import gettext as _
from tracker.domain.status import AMBER, COLOUR_ORDER, GREEN, GREY, RED

DEFAULT_SORT = "reds"
NAME_SORT = "name"
ORDERS = ("asc", "desc")
MAX_SEARCH = 100  # characters of the search kept: no commune name is longer
# Worst first: the natural order of a target's column.
_LIGHT_RANK = {RED: 0, AMBER: 1, GREY: 2, GREEN: 3}


class ViewArgumentError(ValueError):
    """A query argument the roll-up cannot use, with the argument's name and a message to show."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RollupView:
    """What the reader asked to see: a search, a sort column and its order, a colour and a target."""

    search: str = ""
    sort: str = DEFAULT_SORT
    order: str = "desc"
    colour: str | None = None
    target: str | None = None

    @property
    def filtered(self) -> bool:
        """True when some communes may be left out (a search or a filter)."""
        return bool(self.search or self.colour or self.target)

    def natural_order(self, sort: str) -> str:
        """The order a column sorts in when first chosen: names A→Z, counts and lights worst first."""
        return "asc" if sort == NAME_SORT else "desc"

    def args(self, **changes: Any) -> dict[str, str]:
        """The query arguments of this view (defaults left out), with ``changes`` applied."""
        values = {"q": self.search, "sort": self.sort, "order": self.order, "colour": self.colour,
                  "target": self.target, **changes}
        if values["sort"] == DEFAULT_SORT:
            values.pop("sort")
        if values.get("order") == self.natural_order(values.get("sort", DEFAULT_SORT)):
            values.pop("order")
        return {key: value for key, value in values.items() if value}

    def sorted_by(self, sort: str) -> dict[str, str]:
        """The arguments that sort by ``sort``: the column's natural order, reversed when it is the
        column already sorted in that order."""
        order = self.natural_order(sort)
        if sort == self.sort and self.order == order:
            order = "desc" if order == "asc" else "asc"
        return self.args(sort=sort, order=order)


def fold(text: str | None) -> str:
    """``text`` for matching: lower case, no accents, "đ" as "d", spaces collapsed."""
    return _fold(text or "")


@lru_cache(maxsize=4096)  # the same commune names on every search
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_view(args: Mapping[str, str], codes: Collection[str]) -> RollupView:
    """Read the roll-up's query arguments; ``codes`` are the province's target codes.

    Empty arguments mean "not given"; anything else that is not a choice the page offers raises
    ``ViewArgumentError`` naming the argument.
    """
    search = " ".join((args.get("q") or "").split())[:MAX_SEARCH]
    sort = (args.get("sort") or DEFAULT_SORT).strip()
    sorts = {DEFAULT_SORT, NAME_SORT, *COLOUR_ORDER, *codes}
    if sort not in sorts:
        raise ViewArgumentError("sort", _("The table cannot be sorted by “%(value)s”.", value=sort[:40]))
    order = (args.get("order") or "").strip() or RollupView().natural_order(sort)
    if order not in ORDERS:
        raise ViewArgumentError("order", _("The order must be ascending or descending."))
    colour = (args.get("colour") or "").strip() or None
    if colour is not None and colour not in COLOUR_ORDER:
        raise ViewArgumentError("colour", _("Choose a colour from the list."))
    target = (args.get("target") or "").strip() or None
    if target is not None and target not in codes:
        raise ViewArgumentError("target", _("The province's plans have no target “%(value)s”.",
                                            value=target[:40]))
    return RollupView(search, sort, order, colour, target)


def _name_key(row) -> tuple:
    return (vietnamese_key(row.commune.name), row.commune.code)


def _light_key(row, code: str, higher_is_better: bool) -> tuple:
    status = row.cells.get(code)
    if status is None:
        return (len(_LIGHT_RANK), 0.0)
    value = status.actual
    if value is None:
        shown = 0.0
    else:  # the worse value first: the lower of a count to reach, the higher of one to keep down
        shown = value if higher_is_better else -value
    return (_LIGHT_RANK[status.colour], shown)


def _matches(row, view: RollupView, words: str) -> bool:
    if words and words not in fold(row.commune.name) and words not in fold(row.commune.code):
        return False
    if view.target is not None:
        status = row.cells.get(view.target)
        if status is None or (view.colour is not None and status.colour != view.colour):
            return False
    elif view.colour is not None and not row.counts.get(view.colour):
        return False
    return True


def select_rows(rows: Iterable, view: RollupView, lower_is_better: Collection[str] = ()) -> list:
    """Return the rows ``view`` keeps, in its order; ``lower_is_better`` are the target codes whose
    smaller values are the better ones (for the order of equal lights)."""
    words = fold(view.search)
    kept = sorted((row for row in rows if _matches(row, view, words)), key=_name_key)
    sort = view.sort
    if sort == NAME_SORT:
        return kept[::-1] if view.order == "desc" else kept
    if sort == DEFAULT_SORT:
        def key(row):
            return (row.counts[RED], row.counts[AMBER], row.counts[GREY])
        # desc (the natural order): most reds first, i.e. the largest key first.
        return sorted(kept, key=key, reverse=view.order == "desc")
    if sort in COLOUR_ORDER:
        return sorted(kept, key=lambda row: row.counts[sort], reverse=view.order == "desc")
    # A target: worst light first (desc, natural), communes without the target always last.
    with_target = [row for row in kept if sort in row.cells]
    without = [row for row in kept if sort not in row.cells]
    ordered = sorted(with_target, key=lambda row: _light_key(row, sort, sort not in lower_is_better),
                     reverse=view.order == "asc")
    return ordered + without
