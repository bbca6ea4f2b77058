"""The inputs, words and cache of the charts: an item's trend and a plan's colours.

A ``Chart`` carries a fingerprint of exactly what its picture depends on, so equal pictures
share one cache slot and one ETag, and a new entry or another date gives a new one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from sqlalchemy.orm import Session

from tracker.domain.figure_text import amount_text
from tracker.domain.formatting import format_date
from tracker.domain.i18n import gettext as _
from tracker.domain.status import COLOUR_LABELS, COLOUR_ORDER, current_entry, expected_value
from tracker.models import Plan, PlanItem, ProgressEntry
from tracker.render.charts import DRAWING_VERSION, colour_breakdown_chart, heatmap_chart, trend_chart
from tracker.services.progress import MAX_TREND_DAYS, current_on_days, trend_summary
from tracker.services.province import ProvinceRollup
from tracker.services.status import count_by_colour, plan_status, rules_of, spec_of, status_from


class ChartCache:
    """A small in-process LRU of drawn charts, keyed by fingerprint and format."""

    def __init__(self, size: int = 128):
        self.size = size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_draw(self, key: Hashable, draw: Callable[[], bytes]) -> bytes:
        """Return the cached bytes for ``key``, drawing and keeping them on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        data = draw()  # outside this lock: the drawing has its own, and may take a while
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return data

    def clear(self) -> None:
        """Forget every chart."""
        with self._lock:
            self._items.clear()


cache = ChartCache()


@dataclass(frozen=True)
class Chart:
    """A chart ready to draw: its fingerprint (cache key and ETag) and its text alternative.

    ``draw(fmt=...)`` returns the picture; ``render`` goes through the cache.
    """

    fingerprint: str
    text: str
    draw: Callable[..., bytes] = field(repr=False, compare=False)

    def render(self, fmt: str) -> bytes:
        """Return the picture as ``svg`` or ``png`` bytes, from the cache when it is there."""
        return cache.get_or_draw((self.fingerprint, fmt), partial(self.draw, fmt=fmt))


def item_trend(session: Session, item: PlanItem, as_of: date) -> Chart:
    """Return the trend chart of ``item`` as it stood on ``as_of``: two queries, each bounded by the
    weeks between its first figure and ``as_of``, never by how many entries it has."""
    first_day, updates, last_id = trend_summary(session, item, as_of)
    rows = current_on_days(session, item, trend_days(first_day, as_of))
    return _trend(item, rows, updates, last_id, as_of)


def plan_colours(session: Session, plan: Plan, as_of: date) -> Chart:
    """Return the chart of how many of the plan's items stand at each colour on ``as_of``."""
    return colours_of(count_by_colour(plan_status(session, plan, as_of)), as_of)


def trend_of(item: PlanItem, entries: list[ProgressEntry], as_of: date) -> Chart:
    """Return the trend chart of ``item`` from a list of its entries (any order; later ones are
    ignored): the rule ``item_trend`` runs in SQL, run in Python (the tests compare the two)."""
    visible = [e for e in entries if e.as_of <= as_of]
    superseded = {e.supersedes_id for e in visible if e.supersedes_id is not None}
    standing = [e for e in visible if e.id not in superseded]
    first_day = min((e.as_of for e in standing), default=None)
    chosen = [current_entry([e for e in visible if e.as_of <= day], day)
              for day in trend_days(first_day, as_of)]
    return _trend(item, [e for e in chosen if e is not None], len(standing),
                  max((e.id for e in standing), default=None), as_of)


def trend_days(first_day: date | None, as_of: date) -> list[date]:
    """Return the days the trend plots the current value of: the first figure's date, the end
    (Sunday) of each ISO week after it, and ``as_of``, so at most one point a week (and at most
    ``MAX_TREND_DAYS`` points)."""
    if first_day is None or first_day > as_of:
        return []
    days = [first_day]
    sunday = first_day + timedelta(days=6 - first_day.weekday())
    if sunday == first_day:
        sunday += timedelta(days=7)
    # Beyond MAX_TREND_DAYS weeks (five years), every second week or more: still bounded.
    step = timedelta(weeks=-(-((as_of - sunday).days // 7 + 3) // MAX_TREND_DAYS))
    while sunday < as_of:
        days.append(sunday)
        sunday += step
    if days[-1] != as_of:
        days.append(as_of)
    return days


def _trend(item: PlanItem, chosen: list, updates: int, last_id: int | None, as_of: date) -> Chart:
    """Return the chart of the entries current on each of the trend's days (oldest first, the last
    one current on ``as_of``), of ``updates`` standing entries, the newest of id ``last_id``."""
    # The same entry current on several days is one point, at the date it was made for.
    chosen = [e for i, e in enumerate(chosen) if i == 0 or chosen[i - 1].id != e.id]
    spec, rules = spec_of(item), rules_of(item.plan)
    shown = [(e, value) for e in chosen if (value := _plotted_value(e, spec.progress_based)) is not None]
    points = tuple((e.as_of, value) for e, value in shown)
    baseline, target = ((0.0, 100.0) if spec.progress_based
                        else (spec.baseline or 0.0, spec.target if spec.target is not None else 0.0))
    inputs = {
        "points": points, "start": spec.start, "deadline": spec.deadline, "baseline": baseline,
        "target": target, "as_of": as_of, "unit_label": "%" if spec.progress_based else spec.unit_label,
        "progress_based": spec.progress_based, "higher_is_better": spec.higher_is_better,
        "green_pace": rules.green_pace, "amber_pace": rules.amber_pace,
    }
    # Entries are never edited, so their ids stand for the points they give; the count and the
    # newest id stand for the words (a new entry or correction on or before as_of changes them).
    fingerprint = _fingerprint("trend", item.id, tuple(e.id for e, _ in shown), updates, last_id,
                               tuple(sorted((k, v) for k, v in inputs.items() if k != "points")))
    # The entry current on the last day (as_of) is the rule's current entry as of ``as_of``.
    status = status_from(item, chosen[-1] if chosen else None, as_of, rules)
    expected = expected_value(spec.start, spec.deadline, baseline, target, as_of)
    unit = "%" if spec.progress_based else spec.unit_label

    def said(value: float) -> str:
        return amount_text(value, unit)

    if points:
        (first_day, first), (last_day, last) = points[0], points[-1]
        actual = (_("Actual progress %(value)s on %(date)s", value=said(last), date=format_date(last_day))
                  if spec.progress_based else
                  _("Actual value %(value)s on %(date)s", value=said(last), date=format_date(last_day)))
        if updates > 1:
            actual += " " + _("(%(count)s updates, the first %(value)s on %(date)s)", count=updates,
                              value=said(first), date=format_date(first_day))
    else:
        actual = _("No figures up to %(date)s", date=format_date(as_of))
    if spec.progress_based:
        goal = _("%(value)s done", value="100%")
    elif spec.higher_is_better:
        goal = _("target %(value)s", value=said(target))
    else:
        goal = _("target at most %(value)s", value=said(target))
    text = _("%(actual)s; on schedule by %(date)s: %(expected)s; %(goal)s, deadline %(deadline)s; "
             "status: %(status)s.", actual=actual, date=format_date(as_of), expected=said(expected),
             goal=goal, deadline=format_date(spec.deadline), status=COLOUR_LABELS[status.colour])
    return Chart(fingerprint, text, partial(trend_chart, **inputs))


def colours_of(counts: Mapping[str, int], as_of: date) -> Chart:
    """Return the colour-breakdown chart of ``counts`` (items per colour) on ``as_of``."""
    counts = {c: counts.get(c, 0) for c in COLOUR_ORDER}
    total = sum(counts.values())
    words = ", ".join(f"{n} {COLOUR_LABELS[c].lower()}" for c, n in counts.items())
    text = _("The whole plan as of %(date)s has %(total)s items: %(words)s.", date=format_date(as_of),
             total=total, words=words)
    # The picture shows the counts only, so every date with the same counts shares it.
    return Chart(_fingerprint("colours", tuple(counts.items())), text,
                 partial(colour_breakdown_chart, counts))


def province_heatmap(rollup: ProvinceRollup) -> Chart:
    """Return the heat-map of the roll-up: communes (reds first) × targets, one light per cell."""
    names = tuple(row.commune.name for row in rollup.rows)
    codes = tuple(column.code for column in rollup.columns)
    grid = tuple(tuple(row.cells[c].colour if c in row.cells else None for c in codes)
                 for row in rollup.rows)
    totals = ", ".join(f"{n} {COLOUR_LABELS[c].lower()}" for c, n in rollup.totals.items())
    text = (f"{rollup.province.name} đến ngày {format_date(rollup.as_of)}: {len(names)} xã × {len(codes)} "
            f"chỉ tiêu; {totals}. Xã nhiều chỉ tiêu chậm nhất: "
            + (", ".join(f"{r.commune.name} ({r.reds})" for r in rollup.rows[:3]) or "không") + ".")
    return Chart(_fingerprint("heatmap", names, codes, grid), text,
                 partial(heatmap_chart, names, codes, grid))


def _plotted_value(entry: ProgressEntry, progress_based: bool) -> float | None:
    # reading_of's figures, without building a Reading per point of a long history.
    if progress_based:
        return entry.percent
    if entry.numerator is not None and entry.denominator:
        return entry.numerator / entry.denominator * 100
    return entry.value


def _fingerprint(*parts: object) -> str:
    # The drawing code's version is part of it, so browsers drop their copies when it changes.
    return hashlib.sha256(repr((DRAWING_VERSION, *parts)).encode()).hexdigest()[:32]

