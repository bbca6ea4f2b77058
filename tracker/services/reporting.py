"""Reporting periods and their figures: create, record, submit (freeze), reopen with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.domain.bounds import MAX_AMOUNT
from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_date, format_datetime, format_number
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import can_report
from tracker.domain.stats import (
    DERIVED,
    FIELD_NAMES,
    FINANCE_FIELDS,
    Problem,
    blocking,
    check_stats,
)
from tracker.models import (
    PERIOD_KINDS,
    AuditEvent,
    Commune,
    FinanceFigures,
    Plan,
    ProcedureStats,
    ProgressEntry,
    ReportingPeriod,
    ReportSection,
    Target,
    Task,
    User,
)
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.directives import open_directives
from tracker.services.progress import EntryRefused, NotAllowed, in_plan

PERIOD_KIND_LABELS = {"week": _l("Week"), "month": _l("Month"), "quarter": _l("Quarter"),
                      "custom": _l("Custom")}
SECTION_KEYS = {
    "1": _l("1. Assessment of the documents issued"),
    "2": _l("2. Technical and technological infrastructure"),
    "3.1": _l("3.1. Human resources"),
    "5.1.1": _l("5.1.1. Strengths and creative practices worth spreading"),
    "5.1.2": _l("5.1.2. How the difficulties of earlier periods were addressed"),
    "5.1.3": _l("5.1.3. Difficulties that central ministries must resolve"),
    "5.1.4": _l("5.1.4. New difficulties"),
    "5.1.5": _l("5.1.5. Causes"),
    "5.2": _l("5.2. Recommendations and proposals"),
}


class StatsRefused(EntryRefused):
    """Statistics that break rules; ``problems`` keeps which ones could be explained instead."""

    def __init__(self, problems: list[Problem]):
        errors: dict[str, str] = {}
        for problem in problems:
            for field in problem.fields:
                errors.setdefault(field, problem.message)
        super().__init__(errors)
        self.problems = problems


@dataclass(frozen=True)
class PeriodInput:
    """A new period as typed: kind, dates and the report's administrative details."""

    kind: str
    start_date: date | None
    end_date: date | None
    report_number: str | None = None
    report_date: date | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    recipients: str | None = None


def _require(actor: User, commune_id: int) -> None:
    if not can_report(actor_of(actor), commune_id):
        raise NotAllowed(f"{actor.username} may not keep reports")


class StaleEdit(EntryRefused):
    """The period changed since the form was opened (or the file exported, or the API read it).

    ``since`` says who saved what and when; ``errors["version"]`` adds, for a form, that the input is
    kept. The caller shows what changed and keeps the input.
    """

    def __init__(self, since: str, keep: str | None = None):
        super().__init__({"version": f"{since} {keep}" if keep else since})
        self.since = since


class FiguresRefused(EntryRefused):
    """Several parts of one save were refused (statistics and finance); ``parts`` keeps each refusal."""

    def __init__(self, parts: list[EntryRefused]):
        errors: dict[str, str] = {}
        for part in parts:
            for name, message in part.errors.items():
                errors.setdefault(name, message)
        super().__init__(errors)
        self.parts = parts


# What the last change of a period was, for the message that tells a stale save who changed what.
CHANGE_LABELS = {
    "stats.record": _l("TTHC figures"),
    "finance.record": _l("funding figures"),
    "section.save": _l("remarks and assessment"),
    "period.submit": _l("report submitted"),
    "period.reopen": _l("period reopened"),
}
CHANNEL_LABELS = {"api": _l("%(what)s, through the API"),
                  "import": _l("%(what)s, imported from a spreadsheet")}
CHANNELS = ("form", "api", "import")


def last_change(session: Session, period: ReportingPeriod) -> str:
    """Say who changed the period last, what and when (from the audit log), for a refused stale save."""
    last = session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "period", AuditEvent.object_id == str(period.id))
        .order_by(AuditEvent.id.desc()).limit(1))
    if last is None or not last.actor_name:
        return _("The reporting period was just saved while you were editing.")
    what = str(CHANGE_LABELS.get(last.action, last.action))
    via = (last.after or {}).get("via") if isinstance(last.after, dict) else None
    if via in CHANNEL_LABELS:
        what = str(CHANNEL_LABELS[via]) % {"what": what}
    return _("The reporting period was just saved by %(name)s at %(at)s (%(what)s) while you were editing.",
             name=last.actor_name, at=format_datetime(last.at), what=what)


def _claim(session: Session, period: ReportingPeriod, expected_version: int | None) -> None:
    """Bump the period's version atomically; refuse (``StaleEdit``) if it is no longer ``expected_version``.

    Every write of a period's figures, texts or state comes through here, so each one makes every
    form, exported file and ETag taken before it stale. ``None`` knowingly replaces whatever is
    there (a form without its version, an import of a file without one, the API's ``If-Match: *``)
    but still bumps the version.
    """
    if expected_version is None:
        session.execute(update(ReportingPeriod).where(ReportingPeriod.id == period.id)
                        .values(version=ReportingPeriod.version + 1)
                        .execution_options(synchronize_session=False))
        set_committed_value(period, "version", session.scalar(
            select(ReportingPeriod.version).where(ReportingPeriod.id == period.id)))
        return
    bumped = session.execute(
        update(ReportingPeriod)
        .where(ReportingPeriod.id == period.id, ReportingPeriod.version == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False))
    if bumped.rowcount != 1:
        # What the period is now, for the refusal (the ETag or the version it names).
        set_committed_value(period, "version", session.scalar(
            select(ReportingPeriod.version).where(ReportingPeriod.id == period.id)))
        raise StaleEdit(last_change(session, period),
                        _("What you typed is still on the screen: check what changed, then save again."))
    set_committed_value(period, "version", expected_version + 1)


def _require_draft(period: ReportingPeriod) -> None:
    if period.is_submitted:
        raise EntryRefused({"period": _("The period was submitted, so its figures are locked; reopen it "
                                         "(with a reason) to change them.")})


def periods_of(session: Session, commune_id: int) -> list[ReportingPeriod]:
    """Return a commune's periods, newest first."""
    return list(session.scalars(select(ReportingPeriod).where(ReportingPeriod.commune_id == commune_id)
                                .order_by(ReportingPeriod.end_date.desc(), ReportingPeriod.id.desc())))


def find_period(session: Session, commune_id: int, period_id: int) -> ReportingPeriod | None:
    """Return the period if it belongs to the commune."""
    period = session.get(ReportingPeriod, period_id)
    return period if period is not None and period.commune_id == commune_id else None


def create_period(session: Session, actor: User, commune: Commune, data: PeriodInput) -> ReportingPeriod:
    """Open a draft period; refuse bad dates and overlaps with a period of the same kind."""
    _require(actor, commune.id)
    errors: dict[str, str] = {}
    if data.kind not in PERIOD_KINDS:
        errors["kind"] = _("Choose the kind of period: week, month, quarter or custom.")
    if data.start_date is None:
        errors["start_date"] = _("Choose the start date.")
    if data.end_date is None:
        errors["end_date"] = _("Choose the end date.")
    if not errors and data.end_date < data.start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    for name in ("report_number", "signer_name", "signer_title", "recipients"):
        value = clean_text(getattr(data, name))
        if value and (problem := text_problem(value, multiline=name == "recipients")):
            errors[name] = problem
    if not errors:
        clash = session.scalar(select(ReportingPeriod).where(
            ReportingPeriod.commune_id == commune.id, ReportingPeriod.kind == data.kind,
            ReportingPeriod.start_date <= data.end_date, ReportingPeriod.end_date >= data.start_date))
        if clash is not None:
            errors["start_date"] = _("Overlaps the %(kind)s period %(start)s–%(end)s.",
                                     kind=PERIOD_KIND_LABELS[clash.kind].lower(),
                                     start=format_date(clash.start_date), end=format_date(clash.end_date))
    if errors:
        raise EntryRefused(errors)
    period = ReportingPeriod(
        commune_id=commune.id, kind=data.kind, start_date=data.start_date, end_date=data.end_date,
        report_number=clean_text(data.report_number), report_date=data.report_date,
        signer_name=clean_text(data.signer_name), signer_title=clean_text(data.signer_title),
        recipients=clean_text(data.recipients),
    )
    session.add(period)
    session.flush()
    record_event(session, "period.create", actor=actor, object_type="period", object_id=period.id,
                 after={"kind": data.kind, "start": data.start_date.isoformat(),
                        "end": data.end_date.isoformat()})
    return period


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
    errors: dict[str, str] = {}
    for name, label in FINANCE_FIELDS.items():
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            errors[name] = _("%(field)s: must be an amount that is not negative (VND).", field=label)
        elif value is not None and value > MAX_AMOUNT:
            errors[name] = _("%(field)s: the amount is too large (at most %(max)s VND).", field=label,
                             max=format_number(MAX_AMOUNT))
    text = clean_text(values.get("disbursed_for"))
    if text and (problem := text_problem(text)):
        errors["disbursed_for"] = problem
    money = {name: values.get(name) for name in FINANCE_FIELDS}
    for part, whole in (("approved", "estimate"), ("allocated", "approved"), ("disbursed", "allocated"),
                        ("dx_spending", "total_local_spending")):
        if not errors and money[part] is not None and money[whole] is not None and money[part] > money[whole]:
            errors[part] = _("%(part)s (%(part_value)s VND) cannot be greater than %(whole)s "
                             "(%(whole_value)s VND).", part=FINANCE_FIELDS[part],
                             part_value=format_number(money[part]), whole=FINANCE_FIELDS[whole].lower(),
                             whole_value=format_number(money[whole]))
    if errors:
        raise EntryRefused(errors)
    return {**money, "disbursed_for": text}


def save_figures(session: Session, actor: User, period: ReportingPeriod, *, today: date,
                 expected_version: int | None, stats: dict[str, Any] | None = None,
                 finance: dict[str, Any] | None = None, via: str = "form") -> None:
    """The one versioned save of a period's figures: the form, the API and the spreadsheet import.

    Checks ``stats`` and ``finance`` (either may be None: not saved), then claims the period's
    version (``_claim``: refused as ``StaleEdit`` when it is no longer ``expected_version``; ``None``
    replaces knowingly) and writes them, with one audit event per part that names the channel
    ``via`` ("form", "api" or "import"). Refusals of both parts come together (``FiguresRefused``).
    """
    _require(actor, period.commune_id)
    _require_draft(period)
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
    _claim(session, period, expected_version)
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


def _record_derived(session: Session, actor: User, period: ReportingPeriod, key: str,
                    numerator: int | None, denominator: int | None, today: date) -> None:
    """Log the period's figure on every target of the commune derived from ``key``.

    The entry is dated at the period's end and names the period; a revised figure supersedes
    the previous entry from the same period, so the target's history shows both.
    """
    if numerator is None or not denominator or numerator > denominator:
        return
    targets = session.scalars(select(Target).join(Plan).where(
        Plan.commune_id == period.commune_id, Target.derived_from == key))
    marker = f"[kỳ #{period.id}]"
    for target in targets:
        previous = session.scalar(select(ProgressEntry).where(
            ProgressEntry.target_id == target.id, ProgressEntry.note.startswith(marker),
            ~ProgressEntry.id.in_(select(ProgressEntry.supersedes_id).where(
                ProgressEntry.supersedes_id.is_not(None))),
        ).order_by(ProgressEntry.id.desc()))
        if previous is not None and (previous.numerator, previous.denominator) == (numerator, denominator):
            continue
        entry = ProgressEntry(
            target_id=target.id, as_of=min(period.end_date, today), numerator=numerator,
            denominator=denominator, author_id=actor.id,
            note=f"{marker} Từ số liệu kỳ báo cáo {format_date(period.start_date)}–"
                 f"{format_date(period.end_date)} ({DERIVED[key][0]} ÷ {DERIVED[key][1]}).",
            supersedes_id=previous.id if previous else None,
            reason="Số liệu kỳ báo cáo được cập nhật." if previous else None,
        )
        session.add(entry)
        session.flush()
        record_event(session, "progress.derive", actor=actor, object_type="target", object_id=target.code,
                     after={"period": period.id, "numerator": numerator, "denominator": denominator,
                            "entry": entry.id})


def save_sections(session: Session, actor: User, period: ReportingPeriod, texts: dict[str, str | None],
                  *, expected_version: int | None = None) -> None:
    """Save the narrative sections the secretary wrote; an empty text prints "không"."""
    _require(actor, period.commune_id)
    _require_draft(period)
    errors = {}
    cleaned = {}
    for key, text in texts.items():
        if key not in SECTION_KEYS:
            continue
        value = clean_text(text) or ""
        if len(value) > 20000:
            errors[key] = _("The text is longer than %(max)s characters.", max=format_number(20000))
        elif value and (problem := text_problem(value)):
            errors[key] = problem
        cleaned[key] = value
    if errors:
        raise EntryRefused(errors)
    _claim(session, period, expected_version)
    existing = {s.key: s for s in period.sections}
    for key, value in cleaned.items():
        section = existing.get(key)
        if section is None:
            if not value:
                continue
            section = ReportSection(period=period, key=key)
            session.add(section)
        elif section.text == value:
            continue
        before = section.text
        section.text = value
        section.updated_by_id = actor.id
        record_event(session, "section.save", actor=actor, object_type="period", object_id=period.id,
                     before={"key": key, "text": before}, after={"key": key, "text": value})
    session.flush()


def submit_period(session: Session, actor: User, period: ReportingPeriod, *,
                  expected_version: int | None = None) -> None:
    """Mark a period submitted: its figures are frozen from now on (refused if changed since read)."""
    _require(actor, period.commune_id)
    _require_draft(period)
    _claim(session, period, expected_version)
    period.status = "submitted"
    period.submitted_at = utcnow()
    period.submitted_by_id = actor.id
    record_event(session, "period.submit", actor=actor, object_type="period", object_id=period.id,
                 before={"status": "draft"}, after={"status": "submitted"})


def reopen_period(session: Session, actor: User, period: ReportingPeriod, reason: str | None, *,
                  expected_version: int | None = None) -> None:
    """Reopen a submitted period for a correction; the reason goes to the audit log."""
    _require(actor, period.commune_id)
    reason = clean_text(reason)
    if not period.is_submitted:
        raise EntryRefused({"period": _("The reporting period is a draft.")})
    if not reason:
        raise EntryRefused({"reason": _("Give the reason for reopening the submitted period.")})
    if problem := text_problem(reason):
        raise EntryRefused({"reason": problem})
    _claim(session, period, expected_version)
    period.status = "draft"
    record_event(session, "period.reopen", actor=actor, object_type="period", object_id=period.id,
                 before={"status": "submitted"}, after={"status": "draft", "reason": reason})


@dataclass(frozen=True)
class Material:
    """What the secretary may draw on when writing narratives: units' notes and open directives."""

    notes: list[tuple[str, str, str, date]]  # (item code, lead unit, note, as_of)
    directives: list[Any]


def narrative_material(session: Session, plan: Plan, period: ReportingPeriod) -> Material:
    """Return the notes logged during the period (latest first) and the directives still open."""
    # Filtered by the plan's items in SQL: with many communes, another commune's notes would
    # otherwise fill the 40 rows. Items and units come in two batched loads, not one per note.
    entries = session.scalars(
        select(ProgressEntry).where(ProgressEntry.as_of >= period.start_date,
                                    ProgressEntry.as_of <= period.end_date,
                                    ProgressEntry.note.is_not(None), ~ProgressEntry.note.startswith("[kỳ #"),
                                    in_plan(plan.id))
        .order_by(ProgressEntry.as_of.desc(), ProgressEntry.id.desc()).limit(40)
        .options(selectinload(ProgressEntry.target).selectinload(Target.lead_unit),
                 selectinload(ProgressEntry.task).selectinload(Task.lead_unit)))
    notes = []
    for entry in entries:
        item = entry.target or entry.task
        notes.append((item.code, item.lead_unit.name, entry.note, entry.as_of))
    return Material(notes, open_directives(session, plan))


def period_for_range(session: Session, commune_id: int, start: date, end: date) -> ReportingPeriod | None:
    """Return the commune's period covering exactly ``start``–``end`` (the longest kind first)."""
    order = {"quarter": 0, "month": 1, "week": 2, "custom": 3}
    found = session.scalars(select(ReportingPeriod).where(
        ReportingPeriod.commune_id == commune_id, ReportingPeriod.start_date == start,
        ReportingPeriod.end_date == end)).all()
    return min(found, key=lambda p: order[p.kind], default=None)


def draft_week_for_scheduler(session: Session, commune: Commune, start: date,
                             end: date) -> ReportingPeriod | None:
    """Open the week ``start``–``end`` as a draft (no actor: the scheduler); None if a week overlaps."""
    clash = session.scalar(select(ReportingPeriod.id).where(
        ReportingPeriod.commune_id == commune.id, ReportingPeriod.kind == "week",
        ReportingPeriod.start_date <= end, ReportingPeriod.end_date >= start))
    if clash is not None:
        return None
    period = ReportingPeriod(commune_id=commune.id, kind="week", start_date=start, end_date=end)
    session.add(period)
    session.flush()
    record_event(session, "period.create", commune_id=commune.id, object_type="period",
                 object_id=period.id, after={"kind": "week", "start": start.isoformat(),
                                             "end": end.isoformat(), "by": "scheduler"})
    return period
