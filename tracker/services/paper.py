"""Paper reports: a commune's report keyed in by the province as printed, and its flags."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.domain.paper_check import Figure, Flag, PaperInput, check_paper
from tracker.domain.permissions import can_key_paper_report
from tracker.models import Commune, PaperFigure, PaperReport, Province, User
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import NotAllowed, NotFound


def paper_reports(session: Session, province: Province) -> list[PaperReport]:
    """The province's keyed reports, latest period first."""
    return list(session.scalars(
        select(PaperReport).join(Commune).where(Commune.province_id == province.id)
        .options(selectinload(PaperReport.commune))
        .order_by(PaperReport.start_date.desc(), Commune.name, PaperReport.id)))


def find_paper_report(session: Session, province: Province, report_id: int) -> PaperReport:
    """A keyed report of this province (``NotFound`` for any other)."""
    report = session.get(PaperReport, report_id)
    if report is None or report.commune.province_id != province.id:
        raise NotFound("Không có báo cáo này.")
    return report


def figures_of(report: PaperReport) -> list[Figure]:
    """The report's figures as the checks read them."""
    return [Figure(f.key, f.count, Decimal(f.percent) if f.percent is not None else None, f.base_key,
                   f.base_number) for f in report.figures]


def flags_of(report: PaperReport) -> list[Flag]:
    """Every inconsistency of the report as keyed."""
    return check_paper(figures_of(report))


def _facts(report: PaperReport) -> dict:
    return {"commune_id": report.commune_id, "kind": report.kind, "start_date": report.start_date.isoformat(),
            "end_date": report.end_date.isoformat(), "doc_number": report.doc_number,
            "doc_date": report.doc_date, "flags": report.flag_count,
            "figures": {f.key: {k: v for k, v in (("count", f.count), ("percent", f.percent_text),
                                                  ("base_key", f.base_key), ("base_number", f.base_number))
                                if v is not None} for f in report.figures}}


def require_keying(actor: User, province: Province) -> None:
    """Refuse (``NotAllowed``, a 403) anyone but the province's secretaries and admins, before the
    form is even read."""
    if not can_key_paper_report(actor_of(actor), province.id):
        raise NotAllowed("Chỉ văn phòng và quản trị cấp tỉnh nhập báo cáo giấy của các xã.")


def save_paper_report(session: Session, actor: User, province: Province, data: PaperInput,
                      report: PaperReport | None = None) -> tuple[PaperReport, list[Flag]]:
    """Create or replace a keyed report with exactly what was typed; audited; returns its flags."""
    require_keying(actor, province)
    commune = session.get(Commune, data.commune_id)
    if commune is None or commune.province_id != province.id:
        raise NotFound("Không có xã này trong tỉnh.")
    before = _facts(report) if report is not None else None
    if report is None:
        report = PaperReport(keyed_by_id=actor.id)
        session.add(report)
    report.commune_id, report.kind = commune.id, data.kind
    report.start_date, report.end_date = data.start_date, data.end_date
    report.doc_number, report.doc_date, report.note = data.doc_number, data.doc_date, data.note
    report.updated_by_id = actor.id
    report.figures.clear()
    session.flush()
    for fig in data.figures:
        report.figures.append(PaperFigure(
            key=fig.key, count=fig.count, percent_text=data.percent_texts.get(fig.key),
            percent=None if fig.percent is None else f"{fig.percent:f}", base_key=fig.base_key,
            base_number=fig.base_number))
    flags = check_paper(list(data.figures))
    report.flag_count = len(flags)
    session.flush()
    record_event(session, "paper_report.update" if before else "paper_report.create", actor=actor,
                 commune_id=commune.id, object_type="paper_report", object_id=report.id, before=before,
                 after=_facts(report))
    return report, flags
