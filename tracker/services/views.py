"""Read models for the plan pages: what each page shows, assembled in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from tracker.domain.collation import person_key, sort_vietnamese
from tracker.domain.desk import recorded_day, updated_recently
from tracker.domain.formatting import format_date
from tracker.domain.i18n import gettext as _
from tracker.domain.status import COLOUR_ORDER
from tracker.models import Directive, Plan, PlanItem, ProgressEntry, Unit, User
from tracker.services.charts import Chart, colours_of, item_trend
from tracker.services.directives import item_directives, open_directives
from tracker.services.figures import DerivedSummary, derived_summary
from tracker.services.progress import count_entries, is_derived, item_entries, superseding_ids
from tracker.services.status import ItemStatus, count_by_colour, item_status, plan_status


@dataclass(frozen=True)
class OverviewFilter:
    """What a leader narrows the plan page to; every field is optional."""

    unit: str | None = None
    colour: str | None = None
    group: str | None = None
    stale: bool = False
    attention_first: bool = True  # red, amber, grey, green; False keeps the plan's order

    def keeps(self, row: ItemStatus) -> bool:
        """Whether ``row`` passes every filter that is set."""
        return ((not self.unit or row.lead_unit.code == self.unit)
                and (not self.colour or row.status.colour == self.colour)
                and (not self.group or row.group == self.group)
                and (not self.stale or row.status.stale))


@dataclass(frozen=True)
class Overview:
    """The plan page: the filtered items with their lights, and the whole plan's colour counts.

    ``counts`` and the ``colours`` chart both describe the whole plan, whatever the filters, so they
    never disagree; the filtered items are counted in the tables' captions.
    """

    plan: Plan
    as_of: date
    targets: list[ItemStatus]
    tasks: list[ItemStatus]
    counts: dict[str, int]
    units: list[Unit]
    groups: list[str]
    open_directives: list[Directive]
    colours: Chart
    latest: list[tuple[ItemStatus, Row]]


@dataclass(frozen=True)
class UnitPage:
    """A unit's page: what it leads, what it supports, who works there."""

    unit: Unit
    as_of: date
    leads: list[ItemStatus]
    supports: list[ItemStatus]
    members: list[User]
    counts: dict[str, int]
    open_directives: list[Directive]


HISTORY_SHOWN = 20  # entries an item page lists unless the whole history is asked for (about 5 months)


@dataclass(frozen=True)
class ItemPage:
    """A target's or task's page: its light, its trend and its history (the newest, or all).

    ``entry_count`` counts the whole history, so the page can say what it does not list.
    """

    row: ItemStatus
    entries: list[ProgressEntry]
    superseded_by: dict[int, int]
    directives: list[Directive]
    trend: Chart
    entry_count: int
    derived: DerivedSummary | None = None  # a target fed by period figures: the periods and sums used

    def entry(self, entry_id: int | None) -> ProgressEntry | None:
        """Return the listed entry ``entry_id``, or None (not listed, or no such entry)."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def correctable(self, entry_id: int | None) -> ProgressEntry | None:
        """Return the item's entry ``entry_id`` if it has not been corrected already."""
        return next((e for e in self.entries if e.id == entry_id and e.id not in self.superseded_by), None)


def build_overview(session: Session, plan: Plan, as_of: date,
                   wanted: OverviewFilter | None = None) -> Overview:
    """Return the plan's items with their lights as of ``as_of``, filtered and ordered."""
    wanted = wanted or OverviewFilter()
    every = plan_status(session, plan, as_of)
    rows = [r for r in every if wanted.keeps(r)]
    if wanted.attention_first:
        rows.sort(key=lambda r: COLOUR_ORDER.index(r.status.colour))
    units = sort_vietnamese({r.lead_unit for r in every}, lambda u: u.name)
    groups = list(dict.fromkeys(r.group for r in every if r.kind == "task"))
    directives = open_directives(session, plan, items_loaded=True)
    whole = count_by_colour(every)
    return Overview(plan, as_of, [r for r in rows if r.kind == "target"],
                    [r for r in rows if r.kind == "task"], whole, units, groups,
                    directives, colours_of(whole, as_of), latest_entries(every))


def latest_entries(rows: list[ItemStatus], limit: int = 8) -> list[tuple[ItemStatus, Row]]:
    """Return the items' current entries, the most recently recorded first (at most ``limit``).

    One line per item, taken from the lights already computed (each entry comes with its author's
    name): what changed lately, without reading any history (a correction shows in place of the
    entry it corrects).
    """
    return sorted(((row, row.entry) for row in rows if row.entry is not None),
                  key=lambda pair: (pair[1].created_at, pair[1].id), reverse=True)[:limit]


def build_unit_page(session: Session, plan: Plan, unit: Unit, as_of: date) -> UnitPage:
    """Return the items a unit leads and supports, with their lights."""
    rows = plan_status(session, plan, as_of, support_units=True)
    leads = [r for r in rows if r.item.lead_unit_id == unit.id]
    supports = [r for r in rows if unit in r.item.support_units]
    members = sorted(session.scalars(select(User).where(User.unit_id == unit.id)),
                     key=lambda u: person_key(u.full_name or u.username))
    return UnitPage(unit, as_of, leads, supports, members, count_by_colour(leads),
                    open_directives(session, plan, lead_unit_id=unit.id, items_loaded=True))


def build_item_page(session: Session, item: PlanItem, as_of: date, *,
                    full_history: bool = False) -> ItemPage:
    """Return an item's light as of ``as_of`` and its history: the newest entries, or all of them.

    The light comes from the current entry alone and the trend from one row a week, so the page's
    cost does not grow with the history it does not list.
    """
    entries = item_entries(session, item, None if full_history else HISTORY_SHOWN)
    count = len(entries) if full_history else count_entries(session, item)
    trend = item_trend(session, item, as_of)
    row = item_status(session, item, as_of)
    return ItemPage(row, entries, superseding_ids(session, entries), item_directives(session, item), trend,
                    count, derived_summary(session, item, as_of, row.status.last_update))


@dataclass(frozen=True)
class MyUnitPage:
    """A unit head's desk: the unit's items, what needs an update, unanswered directives."""

    unit: Unit
    as_of: date
    rows: list[ItemStatus]
    needs_update: list[tuple[ItemStatus, str]]
    open_directives: list[Directive]
    recently_updated: list[tuple[ItemStatus, str | None]] = field(default_factory=list)


def needs_update_reason(row: ItemStatus, as_of: date, due_soon_days: int) -> str | None:
    """Say why an item needs the unit's attention, or None."""
    status = row.status
    if status.colour == "grey":
        return _("No data yet")
    if status.colour == "green" and status.pace is None:
        return None  # met or done: nothing to update
    if status.colour == "red":
        return _("Overdue") if as_of > row.item.deadline else _("Behind schedule")
    if status.stale:
        return _("Stale figures")
    if 0 <= (row.item.deadline - as_of).days <= due_soon_days:
        return _("Due soon (%(date)s)", date=format_date(row.item.deadline))
    if status.colour == "amber":
        return _("At risk of delay")
    return None


def build_my_unit(session: Session, plan: Plan, unit: Unit, as_of: date,
                  due_soon_days: int = 14, timezone: str = "Asia/Ho_Chi_Minh") -> MyUnitPage:
    """Return what a unit leads, with the items that need an update first.

    A target computed from the periods' figures never needs the unit's update (the office's figures
    feed it). An item whose current figures were recorded in the last ``RECENT_DAYS`` days is listed
    as updated recently, with the reason it would need an update (its light is about the plan).
    """
    rows = [r for r in plan_status(session, plan, as_of) if r.item.lead_unit_id == unit.id]
    flagged: list[tuple[ItemStatus, str]] = []
    recent: list[tuple[ItemStatus, str | None]] = []
    for row in rows:
        if is_derived(row.item):
            continue
        reason = needs_update_reason(row, as_of, due_soon_days)
        # The plan document's own entries (no author) are not an update by the unit.
        by_unit = row.entry is not None and row.entry.author_id is not None
        recorded = recorded_day(row.entry.created_at, timezone) if by_unit else None
        if updated_recently(recorded, as_of):
            recent.append((row, reason))
        elif reason:
            flagged.append((row, reason))
    return MyUnitPage(unit, as_of, rows, flagged,
                      open_directives(session, plan, lead_unit_id=unit.id, items_loaded=True), recent)


CHANGES_DAYS = 7  # "what changed since last week"


@dataclass(frozen=True)
class Change:
    """An item whose light or figure moved in the week before the date: then and now.

    ``entry`` is the figure that moved it (its author and when it was recorded), or None when the
    light moved by itself (a deadline passed, figures went stale).
    """

    row: ItemStatus
    colour_before: str
    text_before: str
    entry: Row | None


@dataclass(frozen=True)
class AttentionPage:
    """A leader's first page: the whole plan's counts, red then amber items, what changed in the
    week before the date, and the directives still unanswered."""

    plan: Plan
    as_of: date
    since: date
    counts: dict[str, int]
    urgent: list[ItemStatus]
    changes: list[Change]
    open_directives: list[Directive]


def build_attention(session: Session, plan: Plan, as_of: date) -> AttentionPage:
    """Return what needs a leader's attention as of ``as_of``."""
    since = as_of - timedelta(days=CHANGES_DAYS)
    now = plan_status(session, plan, as_of)
    before = {r.item.id: r for r in plan_status(session, plan, since)}
    urgent = sorted((r for r in now if r.status.colour in ("red", "amber")),
                    key=lambda r: COLOUR_ORDER.index(r.status.colour))  # stable: plan order within a colour
    changes = []
    for row in now:
        old = before[row.item.id]
        new_entry = row.entry is not None and (old.entry is None or old.entry.id != row.entry.id)
        if new_entry or old.status.colour != row.status.colour:
            changes.append(Change(row, old.status.colour, old.current_text, row.entry if new_entry else None))
    changes.sort(key=lambda c: (COLOUR_ORDER.index(c.row.status.colour), c.row.kind, c.row.item.sort_order))
    return AttentionPage(plan, as_of, since, count_by_colour(now), urgent, changes,
                         open_directives(session, plan, items_loaded=True))
