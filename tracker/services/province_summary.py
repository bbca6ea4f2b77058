"""The province's summary of a period: the communes' TTHC figures summed, and the province's own
report built from its accepted communes (figures per commune, narratives gathered per section for
the province's secretary to edit, saved under a version as a period's are).

A fixed number of statements whatever the number of communes: the communes, their periods of the
kind and start with the parts the caller needs (one statement each), and the province's report with
its sections.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from tracker.domain.collation import sort_vietnamese
from tracker.domain.entries import text_problem
from tracker.domain.formatting import format_datetime
from tracker.domain.i18n import gettext as _
from tracker.domain.outline import WRITTEN
from tracker.domain.permissions import can_edit_province_report
from tracker.domain.province_summary import (
    chosen_text,
    gather_text,
    natural_end,
    same_text,
    sum_figures,
    sum_stats,
)
from tracker.domain.stats import FINANCE_FIELDS, Problem
from tracker.models import Commune, Province, ProvinceReport, ProvinceReportSection, ReportingPeriod, User
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import EntryRefused, NotAllowed
from tracker.services.figures import finance_values, stats_values
from tracker.services.narratives import clean_sections
from tracker.services.periods import StaleEdit

ACCEPTED = "accepted"
SUBMITTED = "submitted"
# The board sums what the communes sent; the province's report only what it accepted.
BOARD_STATUSES = (SUBMITTED, ACCEPTED)
REPORT_STATUSES = (ACCEPTED,)
HEADER_FIELDS = ("report_number", "report_date", "signer_name", "signer_title")


@dataclass(frozen=True)
class ProvinceStats:
    """The TTHC figures of a province's communes for one period, summed (``domain.province_summary``).

    ``communes`` are the communes whose period counted (Vietnamese order); ``figures`` are theirs
    by commune id.
    """

    figures: dict[str, int | None]
    shares: dict[str, str]
    problems: tuple[Problem, ...]
    communes: tuple[Commune, ...]
    by_commune: dict[int, dict[str, Any]]
    reporting: dict[str, int]  # per field, how many of the communes gave a figure

    @property
    def partial(self) -> tuple[str, ...]:
        """The fields only some of the communes gave: their total is those communes' alone."""
        return tuple(name for name, n in self.reporting.items() if 0 < n < len(self.communes))

    @property
    def count(self) -> int:
        """How many communes contributed."""
        return len(self.communes)


def _periods(session: Session, province: Province, kind: str, start: date,
             statuses: tuple[str, ...] | None, *parts) -> list[ReportingPeriod]:
    """The province's communes' periods of ``kind`` starting on ``start`` (with their commune and
    ``parts`` loaded in one statement each), in Vietnamese order of the communes' names."""
    query = (select(ReportingPeriod).join(Commune, Commune.id == ReportingPeriod.commune_id)
             .where(Commune.province_id == province.id, ReportingPeriod.kind == kind,
                    ReportingPeriod.start_date == start)
             .options(contains_eager(ReportingPeriod.commune), *(selectinload(p) for p in parts)))
    if statuses is not None:
        query = query.where(ReportingPeriod.status.in_(statuses))
    return sort_vietnamese(session.scalars(query), lambda p: p.commune.name)


def _summed(periods: list[ReportingPeriod], empty: str | None = None) -> ProvinceStats:
    by_commune = {p.commune_id: stats_values(p.stats) for p in periods}
    summed = sum_stats(by_commune.values(), empty)
    return ProvinceStats(figures=summed.figures, shares=summed.shares, problems=summed.problems,
                         communes=tuple(p.commune for p in periods), by_commune=by_commune,
                         reporting=summed.reporting)


def province_stats(session: Session, province: Province, kind: str, start: date,
                   statuses: tuple[str, ...] = BOARD_STATUSES, *, empty: str | None = None) -> ProvinceStats:
    """Sum the TTHC statistics of ``province``'s communes over their periods of ``kind`` starting on
    ``start`` whose status is one of ``statuses``; shares and rules as a commune's (two statements)."""
    return _summed(_periods(session, province, kind, start, statuses, ReportingPeriod.stats), empty)


@dataclass(frozen=True)
class ProvinceSummary:
    """Everything the province's report of a period is made of, and what its page shows."""

    province: Province
    kind: str
    start: date
    end: date
    communes: tuple[Commune, ...]  # every commune of the province, Vietnamese order
    periods: dict[int, ReportingPeriod]  # each commune's period of the kind and start, by commune id
    included: tuple[ReportingPeriod, ...]  # the accepted ones, whose figures and texts are used
    stats: ProvinceStats
    finance: dict[str, int | None]  # by commune id in ``finance_by_commune``; summed here
    finance_by_commune: dict[int, dict[str, Any]]
    report: ProvinceReport | None
    gathered: dict[str, str]  # section key → the accepted communes' texts, gathered
    texts: dict[str, str]  # section key → what the report prints: saved, else gathered
    saved: dict[str, ProvinceReportSection]
    basis: str  # which accepted periods (and their versions) the gathered texts come from

    @property
    def waiting(self) -> tuple[tuple[Commune, ReportingPeriod | None], ...]:
        """The communes not (yet) included, with their period if they have one."""
        included = {p.commune_id for p in self.included}
        return tuple((c, self.periods.get(c.id)) for c in self.communes if c.id not in included)

    @property
    def version(self) -> int:
        """The version a save must name: the report's, or 0 before its first save."""
        return self.report.version if self.report else 0


def basis_of(periods: list[ReportingPeriod] | tuple[ReportingPeriod, ...]) -> str:
    """A short fingerprint of the included periods and their versions: a page opened before a commune
    was accepted (or reopened) names another one."""
    text = ",".join(f"{p.id}:{p.version}" for p in sorted(periods, key=lambda p: p.id))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _report(session: Session, province: Province, kind: str, start: date) -> ProvinceReport | None:
    return session.scalar(select(ProvinceReport).where(
        ProvinceReport.province_id == province.id, ProvinceReport.kind == kind,
        ProvinceReport.start_date == start)
        .options(selectinload(ProvinceReport.sections).joinedload(ProvinceReportSection.updated_by)))


def gather_province_report(session: Session, province: Province, kind: str, start: date
                                ) -> ProvinceSummary:
    """Gather the province's report of the communes' ``kind`` periods starting on ``start``: the
    accepted communes' figures and narratives, the province's saved header and sections."""
    communes = tuple(sort_vietnamese(
        session.scalars(select(Commune).where(Commune.province_id == province.id)), lambda c: c.name))
    periods = _periods(session, province, kind, start, None, ReportingPeriod.stats,
                       ReportingPeriod.finance, ReportingPeriod.sections)
    included = tuple(p for p in periods if p.status in REPORT_STATUSES)
    finance_by_commune = {p.commune_id: finance_values(p.finance) for p in included}
    finance = sum_figures(finance_by_commune.values(), FINANCE_FIELDS)
    gathered = {key: gather_text((p.commune.name, next((s.text for s in p.sections if s.key == key), None))
                                 for p in included)
                for key in WRITTEN}
    report = _report(session, province, kind, start)
    saved = {s.key: s for s in report.sections} if report else {}
    texts = {key: chosen_text(saved[key].text if key in saved else None, gathered[key]) for key in WRITTEN}
    ends = [p.end_date for p in included] or [p.end_date for p in periods]
    return ProvinceSummary(
        province=province, kind=kind, start=start, end=max(ends) if ends else natural_end(kind, start),
        communes=communes, periods={p.commune_id: p for p in periods}, included=included,
        stats=_summed(list(included)), finance=finance, finance_by_commune=finance_by_commune,
        report=report, gathered=gathered, texts=texts, saved=saved, basis=basis_of(included))


def latest_start(session: Session, province: Province, kind: str) -> date | None:
    """The latest start of a period of ``kind`` among the province's communes (the page's default)."""
    return session.scalar(select(ReportingPeriod.start_date)
                          .join(Commune, Commune.id == ReportingPeriod.commune_id)
                          .where(Commune.province_id == province.id, ReportingPeriod.kind == kind)
                          .order_by(ReportingPeriod.start_date.desc()).limit(1))


@dataclass(frozen=True)
class ReportEdit:
    """What the province's secretary sent: the header (``ProvinceReportHeader``), each section's
    text as typed and as it was shown, the sections to give back to the gathered text, and which
    version and basis the page was opened on."""

    header: dict[str, Any]
    typed: dict[str, str | None]
    shown: dict[str, str | None]
    restore: frozenset[str] = frozenset()
    expected_version: int | None = None
    basis: str | None = None


def require_editor(actor: User, province: Province) -> None:
    """Only the province's secretaries (and admins) edit its report."""
    if not can_edit_province_report(actor_of(actor), province.id):
        raise NotAllowed(f"{actor.username} may not edit the province's report")


def _stale_message(session: Session, report: ProvinceReport) -> str:
    name = session.scalar(select(User.username).where(User.id == report.updated_by_id))
    return _("The province's report was just saved by %(name)s at %(at)s while you were editing.",
             name=name or "?", at=format_datetime(report.updated_at))


def _claim(session: Session, summary: ProvinceSummary, actor: User, expected: int | None) -> ProvinceReport:
    """The report row with its version bumped, made on the first save; ``StaleEdit`` when another save
    came first (``expected`` is the version the page showed, 0 before the first save)."""
    keep = _("What you typed is still on the screen: check what changed, then save again.")
    report, now = summary.report, utcnow()
    if report is None:
        if expected not in (None, 0):
            raise StaleEdit(_("The province's report was deleted while you were editing."), keep)
        report = ProvinceReport(province_id=summary.province.id, kind=summary.kind, start_date=summary.start,
                                version=1, updated_by_id=actor.id, updated_at=now)
        try:
            with session.begin_nested():
                session.add(report)
        except IntegrityError:
            report = _report(session, summary.province, summary.kind, summary.start)
            raise StaleEdit(_stale_message(session, report), keep) from None
        return report
    query = update(ProvinceReport).where(ProvinceReport.id == report.id)
    if expected is not None:
        query = query.where(ProvinceReport.version == expected)
    bumped = session.execute(query.values(version=ProvinceReport.version + 1, updated_by_id=actor.id,
                                          updated_at=now).execution_options(synchronize_session=False))
    if bumped.rowcount != 1:
        session.refresh(report)
        raise StaleEdit(_stale_message(session, report), keep)
    session.refresh(report, ("version", "updated_by_id", "updated_at"))
    return report


@dataclass(frozen=True)
class SavedParts:
    """What a save changed: header fields, sections saved, sections given back to the gathered text."""

    header: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.header or self.sections or self.restored)


def save_province_report(session: Session, actor: User, province: Province, kind: str, start: date,
                         edit: ReportEdit) -> SavedParts:
    """Save the header and the sections the secretary changed; return what was saved (nothing
    when nothing changed).

    A section is saved only when its text differs from what the page showed, so an untouched
    section keeps following the communes' texts as more are accepted. Refused (``StaleEdit``) when
    another save came first, or when a section was edited on a page opened before the accepted
    communes changed (the typed text stays with the caller, the page shows the new gathering).
    """
    require_editor(actor, province)
    errors: dict[str, str] = {}
    header = {name: edit.header.get(name) for name in HEADER_FIELDS}
    for name in ("report_number", "signer_name", "signer_title"):
        if header[name] and (problem := text_problem(header[name], multiline=False)):
            errors[name] = problem
    try:
        typed = clean_sections(edit.typed)
    except EntryRefused as refused:
        errors.update({f"section-{key}": message for key, message in refused.errors.items()})
        typed = {}
    if errors:
        raise EntryRefused(errors)
    summary = gather_province_report(session, province, kind, start)
    edited = {key: value for key, value in typed.items()
              if key not in edit.restore and not same_text(value, edit.shown.get(key))}
    restored = [key for key in edit.restore if key in summary.saved]
    current = summary.report
    header_changes = {name: value for name, value in header.items()
                      if value != (getattr(current, name) if current else None)}
    if not (edited or restored or header_changes):
        return SavedParts()
    if edited and edit.basis is not None and edit.basis != summary.basis:
        names = ", ".join(p.commune.name for p in summary.included) or _("none")
        raise StaleEdit(_("The communes included changed while you were editing (now included: %(names)s); "
                          "the gathered texts below are the new ones.", names=names),
                        _("What you typed is still on the screen: check what changed, then save again."))
    report = _claim(session, summary, actor, edit.expected_version)
    if header_changes:
        before = {name: _plain(getattr(report, name)) for name in header_changes}
        for name, value in header_changes.items():
            setattr(report, name, value)
        record_event(session, "province_report.header", actor=actor, object_type="province_report",
                     object_id=report.id, before=before,
                     after={name: _plain(value) for name, value in header_changes.items()})
    for key in restored:
        section = summary.saved[key]
        record_event(session, "province_report.restore", actor=actor, object_type="province_report",
                     object_id=report.id, before={"key": key, "text": section.text}, after={"key": key})
        session.delete(section)
    for key, value in edited.items():
        section = summary.saved.get(key)
        before = section.text if section else None
        if section is None:
            section = ProvinceReportSection(report=report, key=key)
            session.add(section)
        section.text, section.updated_by_id = value, actor.id
        record_event(session, "province_report.section", actor=actor, object_type="province_report",
                     object_id=report.id, before={"key": key, "text": before},
                     after={"key": key, "text": value})
    session.flush()
    order = list(WRITTEN).index
    return SavedParts(tuple(header_changes), tuple(sorted(edited, key=order)),
                      tuple(sorted(restored, key=order)))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value

