"""A period's figures: TTHC statistics and finance, checked, saved under the period's version, and the
target entries derived from them."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_date
from tracker.domain.i18n import DEFAULT_LANGUAGE, LazyText, in_language
from tracker.domain.stats import (
    DERIVED,
    FIELD_NAMES,
    FIELDS,
    FINANCE_FIELDS,
    Problem,
    blocking,
    check_finance,
    check_stats,
)
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
    PERIOD_KIND_LABELS,
    claim_version,
    require_draft,
    require_reporter,
)


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
                 finance: dict[str, Any] | None = None, via: str = "form") -> None:
    """The one versioned save of a period's figures: the form, the API and the spreadsheet import.

    Checks ``stats`` and ``finance`` (either may be None: not saved), then claims the period's
    version (``claim_version``: refused as ``StaleEdit`` when it is no longer ``expected_version``; ``None``
    replaces knowingly) and writes them, with one audit event per part that names the channel
    ``via`` ("form", "api" or "import"). Refusals of both parts come together (``FiguresRefused``).
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
    if "stats" in checked:
        _write_stats(session, actor, period, checked["stats"], today, via)
    if "finance" in checked:
        _write_finance(session, actor, period, checked["finance"], today, via)


def _channel(via: str) -> dict[str, str]:
    return {} if via == "form" else {"via": via}


def _write_stats(session: Session, actor: User, period: ReportingPeriod, values: dict[str, Any],
                 today: date, via: str) -> None:
    stats = period.stats or ProcedureStats(period=period)
    before = stats_values(period.stats)
    for name, value in values.items():
        setattr(stats, name, value)
    stats.updated_by_id = actor.id
    session.add(stats)
    session.flush()
    record_event(session, "stats.record", actor=actor, object_type="period", object_id=period.id,
                 before=before or None, after={**stats_values(stats), **_channel(via)})
    _record_derived(session, actor, period, "dossiers_online_full_share",
                    values["dossiers_new_online_full"], values["dossiers_new_total"], today)


def _write_finance(session: Session, actor: User, period: ReportingPeriod, values: dict[str, Any],
                   today: date, via: str) -> None:
    finance = period.finance or FinanceFigures(period=period)
    before = finance_values(period.finance) or None
    for name, value in values.items():
        setattr(finance, name, value)
    finance.updated_by_id = actor.id
    session.add(finance)
    session.flush()
    record_event(session, "finance.record", actor=actor, object_type="period", object_id=period.id,
                 before=before, after={**values, **_channel(via)})
    _record_derived(session, actor, period, "dx_budget_share", values["dx_spending"],
                    values["total_local_spending"], today)


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


def derived_note(kind: str, start: date, end: date, key: str) -> str:
    """The note of an entry derived from a period's figures, in Vietnamese whoever saved them (it
    is stored and read by everyone): where the figure came from, e.g. "Tính từ số liệu kỳ báo cáo
    tuần 27/10/2025–02/11/2025: hồ sơ trực tuyến toàn trình ÷ hồ sơ tiếp nhận mới trong kỳ."."""
    period = f"{format_date(start)}–{format_date(end)}"
    if kind != "custom":
        period = f"{_vietnamese(PERIOD_KIND_LABELS[kind]).lower()} {period}"
    return f"Tính từ số liệu kỳ báo cáo {period}: {derived_words(key)}."


def derived_words(key: str) -> str:
    """How a derived target's figure is computed, in Vietnamese: "chi cho … ÷ tổng chi …"."""
    numerator, denominator = DERIVED[key]
    return f"{_figure_words(numerator)} ÷ {_figure_words(denominator)}"


def _record_derived(session: Session, actor: User, period: ReportingPeriod, key: str,
                    numerator: int | None, denominator: int | None, today: date) -> None:
    """Log the period's figure on every target of the commune derived from ``key``.

    The entry is dated at the period's end and points at the period (``period_id``); a revised
    figure supersedes the previous entry from the same period, so the target's history shows both.
    """
    if numerator is None or not denominator or numerator > denominator:
        return
    targets = session.scalars(select(Target).join(Plan).where(
        Plan.commune_id == period.commune_id, Target.derived_from == key))
    for target in targets:
        previous = session.scalar(select(ProgressEntry).where(
            ProgressEntry.item_id == target.id, ProgressEntry.period_id == period.id,
            ~ProgressEntry.id.in_(select(ProgressEntry.supersedes_id).where(
                ProgressEntry.supersedes_id.is_not(None))),
        ).order_by(ProgressEntry.id.desc()))
        if previous is not None and (previous.numerator, previous.denominator) == (numerator, denominator):
            continue
        entry = ProgressEntry(
            item_id=target.id, period_id=period.id, as_of=min(period.end_date, today),
            numerator=numerator, denominator=denominator, author_id=actor.id,
            note=derived_note(period.kind, period.start_date, period.end_date, key),
            supersedes_id=previous.id if previous else None,
            reason="Số liệu kỳ báo cáo được cập nhật." if previous else None,
        )
        session.add(entry)
        session.flush()
        record_event(session, "progress.derive", actor=actor, object_type="target", object_id=target.code,
                     after={"period": period.id, "numerator": numerator, "denominator": denominator,
                            "entry": entry.id})
