"""A period's figures: TTHC statistics and finance, checked, saved under the period's version, and the
target entries derived from them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.cumulative import PeriodFigures, YearCover, year_cover
from tracker.domain.dates import period_name
from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_date, format_money, format_percent, format_ratio, percent_of
from tracker.domain.i18n import DEFAULT_LANGUAGE, LazyText, gettext, in_language
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.stats import (
    DERIVED,
    FIELD_NAMES,
    FIELDS,
    FINANCE_FIELDS,
    MONEY_DERIVED,
    Problem,
    blocking,
    check_finance,
    check_stats,
)
from tracker.domain.status import COLOUR_LABELS
from tracker.models import (
    FinanceFigures,
    Plan,
    ProcedureStats,
    ProgressEntry,
    ReportingPeriod,
    Target,
    User,
)
from tracker.services.audit import record_event
from tracker.services.errors import EntryRefused
from tracker.services.periods import (
    CHANNELS,
    claim_version,
    require_draft,
    require_reporter,
)
from tracker.services.status import item_status


class StatsRefused(EntryRefused):
    """Statistics that break rules; ``problems`` keeps which ones could be explained instead."""

    def __init__(self, problems: list[Problem]):
        errors: dict[str, str] = {}
        for problem in problems:
            for field in problem.fields:
                errors.setdefault(field, problem.message)
        super().__init__(errors)
        self.problems = problems


class FiguresRefused(EntryRefused):
    """Several parts of one save were refused (statistics and finance); ``parts`` keeps each refusal."""

    def __init__(self, parts: list[EntryRefused]):
        errors: dict[str, str] = {}
        for part in parts:
            for name, message in part.errors.items():
                errors.setdefault(name, message)
        super().__init__(errors)
        self.parts = parts


def stats_values(stats: ProcedureStats | None) -> dict[str, Any]:
    """Return a period's counts and texts as a plain dict (empty when none recorded)."""
    if stats is None:
        return {}
    values = {name: getattr(stats, name) for name in FIELD_NAMES}
    values.update(late_reasons=stats.late_reasons, override_explanation=stats.override_explanation)
    return values


def finance_values(finance: FinanceFigures | None) -> dict[str, Any]:
    """Return a period's money figures and the disbursement text as a plain dict (empty when none)."""
    if finance is None:
        return {}
    return {name: getattr(finance, name) for name in (*FINANCE_FIELDS, "disbursed_for")}


def _checked_stats(values: dict[str, Any]) -> dict[str, Any]:
    """Return the statistics to store (counts and texts) after the rules; raise when they break one."""
    texts = {name: clean_text(values.get(name)) for name in ("late_reasons", "override_explanation")}
    for name, text in texts.items():
        if text and (problem := text_problem(text)):
            raise EntryRefused({name: problem})
    counts = {name: values.get(name) for name in FIELD_NAMES}
    problems = check_stats(counts)
    if still := blocking(problems, texts["override_explanation"]):
        raise StatsRefused(still)
    if not problems:
        texts["override_explanation"] = None  # nothing to explain: do not print a stale explanation
    return {**counts, **texts}


def _checked_finance(values: dict[str, Any]) -> dict[str, Any]:
    """Return the finance figures to store (đồng, and the text) after the rules; raise otherwise."""
    money = {name: values.get(name) for name in FINANCE_FIELDS}
    errors = check_finance(money)
    text = clean_text(values.get("disbursed_for"))
    if text and (problem := text_problem(text)):
        errors["disbursed_for"] = problem
    if errors:
        raise EntryRefused(errors)
    return {**money, "disbursed_for": text}


def save_figures(session: Session, actor: User, period: ReportingPeriod, *, today: date,
                 expected_version: int | None, stats: dict[str, Any] | None = None,
                 finance: dict[str, Any] | None = None, via: str = "form") -> list[PlanChange]:
    """The one versioned save of a period's figures: the form, the API and the spreadsheet import.

    Checks ``stats`` and ``finance`` (either may be None: not saved), then claims the period's
    version (``claim_version``: refused as ``StaleEdit`` when it is no longer ``expected_version``; ``None``
    replaces knowingly) and writes them, with one audit event per part that names the channel
    ``via`` ("form", "api" or "import"). Refusals of both parts come together (``FiguresRefused``).
    Returns what the save changed in the plan: each derived target's value before and after.
    """
    require_reporter(actor, period.commune_id)
    require_draft(period)
    if via not in CHANNELS:
        raise ValueError(f"unknown channel {via!r}")
    checked: dict[str, dict[str, Any]] = {}
    refusals: list[EntryRefused] = []
    for part, values, check in (("stats", stats, _checked_stats), ("finance", finance, _checked_finance)):
        if values is None:
            continue
        try:
            checked[part] = check(values)
        except EntryRefused as refused:
            refusals.append(refused)
    if refusals:
        raise refusals[0] if len(refusals) == 1 else FiguresRefused(refusals)
    # Finance is written last, so its audit event is the save's last one, as the change recorded.
    claim_version(session, period, expected_version, actor=actor,
                  change="finance.record" if "finance" in checked else "stats.record", channel=via)
    changes: list[PlanChange] = []
    if "stats" in checked:
        changes += _write_stats(session, actor, period, checked["stats"], today, via)
    if "finance" in checked:
        changes += _write_finance(session, actor, period, checked["finance"], today, via)
    return changes


def _channel(via: str) -> dict[str, str]:
    return {} if via == "form" else {"via": via}


def _write_stats(session: Session, actor: User, period: ReportingPeriod, values: dict[str, Any],
                 today: date, via: str) -> list[PlanChange]:
    stats = period.stats or ProcedureStats(period=period)
    before = stats_values(period.stats)
    for name, value in values.items():
        setattr(stats, name, value)
    stats.updated_by_id = actor.id
    session.add(stats)
    session.flush()
    record_event(session, "stats.record", actor=actor, object_type="period", object_id=period.id,
                 before=before or None, after={**stats_values(stats), **_channel(via)})
    return _record_derived(session, actor, period, "dossiers_online_full_share", today)


def _write_finance(session: Session, actor: User, period: ReportingPeriod, values: dict[str, Any],
                   today: date, via: str) -> list[PlanChange]:
    finance = period.finance or FinanceFigures(period=period)
    before = finance_values(period.finance) or None
    for name, value in values.items():
        setattr(finance, name, value)
    finance.updated_by_id = actor.id
    session.add(finance)
    session.flush()
    record_event(session, "finance.record", actor=actor, object_type="period", object_id=period.id,
                 before=before, after={**values, **_channel(via)})
    return _record_derived(session, actor, period, "dx_budget_share", today)


def record_stats(session: Session, actor: User, period: ReportingPeriod, values: dict[str, Any],
                 *, today: date, expected_version: int | None = None, via: str = "form") -> ProcedureStats:
    """Save a period's TTHC statistics after the rules (``save_figures``); update derived targets."""
    save_figures(session, actor, period, stats=values, today=today, expected_version=expected_version,
                 via=via)
    return period.stats


def record_finance(session: Session, actor: User, period: ReportingPeriod, values: dict[str, Any],
                   *, today: date, expected_version: int | None = None) -> FinanceFigures:
    """Save a period's finance figures (đồng) after the rules (``save_figures``); update the budget share."""
    save_figures(session, actor, period, finance=values, today=today, expected_version=expected_version)
    return period.finance


def _vietnamese(text: str | LazyText) -> str:
    return in_language(DEFAULT_LANGUAGE, text)


def _figure_words(name: str) -> str:
    """A figure of the period in Vietnamese, inside a sentence: "hồ sơ trực tuyến toàn trình"."""
    fields = {f.name: f for f in FIELDS}
    if name in fields:
        # The form's row labels, some of them sub-rows ("+ fully online").
        words = _vietnamese(fields[name].label).strip(" –+").lower()
        unit = _vietnamese(fields[name].unit) if fields[name].unit != "TTHC" else "TTHC"
        return words if words.startswith(unit.lower()) else f"{unit} {words}"
    return _vietnamese(FINANCE_FIELDS[name]).lower()


def derived_words(key: str) -> str:
    """How a derived target's figure is computed, in Vietnamese: "chi cho … ÷ tổng chi …"."""
    numerator, denominator = DERIVED[key]
    return f"{_figure_words(numerator)} ÷ {_figure_words(denominator)}"


# The stored note of a derived entry (always Vietnamese) and the page's words for a period left out.
NOTE_WORDS = {
    "year": _l("Year %(year)s to date, from the reporting periods without overlap: %(periods)s; "
               "total %(total)s. Computed as %(words)s."),
    "left_out": _l("Not added (overlapping): %(periods)s."),
    "saved": _l("Updated when the figures of the %(period)s period were saved."),
    "overlaps": _l("%(period)s (overlaps %(used)s)"),
}


@dataclass(frozen=True)
class PlanChange:
    """What saving a period's figures changed on one derived target: its value and colour before and after."""

    code: str
    before: str
    after: str
    before_colour: str
    after_colour: str
    used: bool  # whether the saved period is among the periods added up
    deadline: date | None = None  # set when the period was left out for ending after the target's deadline

    def sentence(self) -> str:
        """"MT10: 56,67% (Đạt) → 40% (Chậm tiến độ)" in the reader's language."""
        before = f"{self.before} ({str(COLOUR_LABELS[self.before_colour]).lower()})"
        after = f"{self.after} ({str(COLOUR_LABELS[self.after_colour]).lower()})"
        if (self.before, self.before_colour) == (self.after, self.after_colour):
            text = gettext("%(code)s unchanged: %(value)s.", code=self.code, value=after)
        else:
            text = f"{self.code}: {before} → {after}."
        if self.deadline is not None:
            text += " " + gettext("This period ends after the target's deadline (%(deadline)s), so it "
                                  "does not count towards it.", deadline=format_date(self.deadline))
        elif not self.used:
            text += " " + gettext("This period overlaps a longer period already reported, so it is not "
                                  "added to the year's figure.")
        return text


def _year_bounds(plan: Plan, day: date) -> tuple[date, date]:
    """The plan year that holds ``day``: from 1 January (or the plan's start) to 31 December (or its end)."""
    return max(date(day.year, 1, 1), plan.tracking_start), min(date(day.year, 12, 31), plan.end_date)


def _target_year(target: Target, day: date) -> tuple[date, date]:
    """The days whose periods make a derived target's value on ``day``: its plan year to date, and
    never past its deadline. A target due 31/12/2025 is judged on 2025's periods: a week of 2026
    does not replace its year (issue 14 walk)."""
    if target.deadline is not None and day > target.deadline:
        day = target.deadline
    start, end = _year_bounds(target.plan, day)
    return start, end if target.deadline is None else min(end, target.deadline)


def _past_deadline(target: Target, period: ReportingPeriod) -> date | None:
    """The target's deadline when the period ends after it (the period does not count), else None."""
    return target.deadline if target.deadline is not None and period.end_date > target.deadline else None


def _period_figures(session: Session, commune_id: int, key: str) -> list[PeriodFigures]:
    """Every period of the commune with both figures of the derived ``key``."""
    numerator, denominator = DERIVED[key]
    model = ProcedureStats if numerator in FIELD_NAMES else FinanceFigures
    rows = session.execute(
        select(ReportingPeriod.id, ReportingPeriod.kind, ReportingPeriod.start_date, ReportingPeriod.end_date,
               getattr(model, numerator), getattr(model, denominator))
        .join(model, model.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.commune_id == commune_id))
    return [PeriodFigures(*row) for row in rows if row[4] is not None and row[5]]


def derived_cover(session: Session, target: Target, day: date, until: date | None = None) -> YearCover | None:
    """The periods (without overlap) whose figures make ``target``'s value for the plan year of ``day``;
    with ``until``, only the periods begun by then (the page as of a past date)."""
    if target.derived_from not in DERIVED:
        return None
    start, end = _target_year(target, day)
    periods = _period_figures(session, target.plan.commune_id, target.derived_from)
    return year_cover([p for p in periods if until is None or p.start <= until], start, end)


def cover_lines(cover: YearCover, key: str, *, stored: bool = False) -> tuple[list[str], str, list[str]]:
    """The cover in words: one "tháng 10/2025: 34/60" per used period, the total, the periods left out."""
    def name(p: PeriodFigures) -> str:
        return period_name(p.kind, p.start, p.end, language=DEFAULT_LANGUAGE if stored else None)

    if not cover.used:
        return [], "", []

    def parts(numerator: float, denominator: float) -> str:
        if key in MONEY_DERIVED:
            return f"{format_money(numerator)}/{format_money(denominator)}"
        return format_ratio(numerator, denominator)

    used = [f"{name(p)}: {parts(p.numerator, p.denominator)}" for p in cover.used]
    total = (f"{parts(cover.numerator, cover.denominator)} = "
             f"{format_percent(percent_of(cover.numerator, cover.denominator))}")
    overlaps = _vietnamese(NOTE_WORDS["overlaps"]) if stored else str(NOTE_WORDS["overlaps"])
    left = [overlaps % {"period": name(p), "used": name(clash)} for p, clash in cover.left_out]
    return used, total, left


@dataclass(frozen=True)
class DerivedSummary:
    """A derived target's year to date on its page: the periods added up, the total, those left out."""

    year: int
    used: list[str]
    total: str
    left_out: list[str]
    words: str


def derived_summary(session: Session, item: object, as_of: date,
                    last_update: date | None = None) -> DerivedSummary | None:
    """Which periods make a derived target's value as of ``as_of`` (None if the item is not derived):
    the plan year of its current figure (``last_update``), else of ``as_of``."""
    if not isinstance(item, Target) or item.derived_from not in DERIVED:
        return None
    day = last_update or as_of
    cover = derived_cover(session, item, day, until=as_of)
    used, total, left = cover_lines(cover, item.derived_from)
    return DerivedSummary(_target_year(item, day)[0].year, used, total, left,
                          derived_words(item.derived_from))


def derived_note(key: str, cover: YearCover, saved: ReportingPeriod, year: int) -> str:
    """The note of an entry derived from the periods' figures, in Vietnamese whoever saved them (it is
    stored and read by everyone), e.g. "Lũy kế năm 2025 từ các kỳ báo cáo không trùng nhau: tháng
    10/2025: 34/60; tuần 03/11–09/11/2025: 16/65; tổng 50/125 = 40%. Tính bằng hồ sơ trực tuyến toàn
    trình ÷ hồ sơ tiếp nhận mới trong kỳ. Cập nhật khi lưu số liệu kỳ tuần 03/11–09/11/2025."."""
    used, total, left = cover_lines(cover, key, stored=True)
    text = _vietnamese(NOTE_WORDS["year"]) % {
        "year": year, "periods": "; ".join(used), "total": total, "words": derived_words(key)}
    if left:
        text += " " + _vietnamese(NOTE_WORDS["left_out"]) % {"periods": "; ".join(left)}
    return text + " " + _vietnamese(NOTE_WORDS["saved"]) % {
        "period": period_name(saved.kind, saved.start_date, saved.end_date, language=DEFAULT_LANGUAGE)}


def _record_derived(session: Session, actor: User, period: ReportingPeriod, key: str,
                    today: date) -> list[PlanChange]:
    """Log the plan year's figure on every target of the commune derived from ``key``; say what changed.

    The value is the year to date over the periods without overlap (``tracker.domain.cumulative``),
    dated at the last day they reach (not after ``today``); the entry points at the period whose save
    made it (``period_id``, the evidence) and is authored by who saved it. A new figure for the same
    date supersedes the previous derived entry of that date, so the history keeps both.
    """
    changes: list[PlanChange] = []
    targets = session.scalars(select(Target).join(Plan).where(
        Plan.commune_id == period.commune_id, Target.derived_from == key))
    for target in targets:
        cover = derived_cover(session, target, period.end_date)
        if cover is None or not cover.used:
            continue
        before = item_status(session, target, today)
        as_of = min(cover.end, today)
        numerator, denominator = cover.numerator, cover.denominator
        previous = session.scalar(select(ProgressEntry).where(
            ProgressEntry.item_id == target.id, ProgressEntry.period_id.is_not(None),
            ProgressEntry.as_of == as_of,
            ~ProgressEntry.id.in_(select(ProgressEntry.supersedes_id).where(
                ProgressEntry.supersedes_id.is_not(None))),
        ).order_by(ProgressEntry.id.desc()))
        if previous is None or (previous.numerator, previous.denominator) != (numerator, denominator):
            entry = ProgressEntry(
                item_id=target.id, period_id=period.id, as_of=as_of,
                numerator=numerator, denominator=denominator, author_id=actor.id,
                note=derived_note(key, cover, period, _target_year(target, period.end_date)[0].year),
                supersedes_id=previous.id if previous else None,
                reason="Số liệu kỳ báo cáo được cập nhật." if previous else None,
            )
            session.add(entry)
            session.flush()
            record_event(session, "progress.derive", actor=actor, object_type="target",
                         object_id=target.code,
                         after={"period": period.id, "numerator": numerator, "denominator": denominator,
                                "periods": [p.key for p in cover.used], "entry": entry.id})
        after = item_status(session, target, today)
        changes.append(PlanChange(target.code, before.current_text, after.current_text,
                                  before.status.colour, after.status.colour, cover.uses(period.id),
                                  _past_deadline(target, period)))
    return changes
