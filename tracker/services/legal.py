"""The register of legal documents issued to implement the plan (outline section 1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_number
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_report
from tracker.domain.schemas import DOCUMENT_KINDS, REGISTER_LIMITS
from tracker.models import Commune, LegalDocument, Plan, PlanItem, User
from tracker.services.access import actor_of
from tracker.services.audit import record_event
from tracker.services.errors import EntryRefused, NotAllowed


@dataclass(frozen=True)
class DocumentInput:
    """A document as typed in the register form."""

    number: str | None
    issued_date: date | None
    issuer: str | None
    kind: str | None
    summary: str | None
    item_codes: tuple[str, ...] = ()


def register_document(session: Session, actor: User, commune: Commune, plan: Plan, data: DocumentInput,
                      *, today: date) -> LegalDocument:
    """Add a document to the register, linked to the plan's targets and tasks it implements."""
    if not can_report(actor_of(actor), commune.id):
        raise NotAllowed(f"{actor.username} may not keep the legal register")
    errors: dict[str, str] = {}
    texts = {name: clean_text(getattr(data, name)) for name in ("number", "issuer", "kind", "summary")}
    required = {"number": _("Enter the document number (for example 119/QĐ-UBND)."),
                "issuer": _("Enter the issuing body."), "summary": _("Enter the summary.")}
    for name, message in required.items():
        if not texts[name]:
            errors[name] = message
    for name, limit in REGISTER_LIMITS.items():
        value = texts[name]
        if value and len(value) > limit:
            errors[name] = _("Longer than %(max)s characters.", max=format_number(limit))
        elif value and (problem := text_problem(value, multiline=name == "summary")):
            errors[name] = problem
    if texts["kind"] not in DOCUMENT_KINDS:
        errors["kind"] = _("Choose the kind of document.")
    if data.issued_date is None:
        errors["issued_date"] = _("Choose the date of issue.")
    elif data.issued_date > today:
        errors["issued_date"] = _("The date of issue cannot be after today.")
    items = list(session.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id,
                                                        PlanItem.code.in_(data.item_codes))))
    targets = [i for i in items if i.kind == "target"]
    tasks = [i for i in items if i.kind == "task"]
    unknown = set(data.item_codes) - {i.code for i in items}
    if unknown:
        errors["items"] = _("No such targets or tasks: %(codes)s.", codes=", ".join(sorted(unknown)))
    if errors:
        raise EntryRefused(errors)
    document = LegalDocument(commune_id=commune.id, number=texts["number"], issued_date=data.issued_date,
                             issuer=texts["issuer"], kind=texts["kind"], summary=texts["summary"],
                             created_by_id=actor.id, targets=targets, tasks=tasks)
    session.add(document)
    session.flush()
    record_event(session, "legal.register", actor=actor, object_type="legal_document", object_id=document.id,
                 after={"number": document.number, "date": document.issued_date.isoformat(),
                        "items": sorted(data.item_codes)})
    return document


def documents_of(session: Session, commune_id: int, until: date | None = None) -> list[LegalDocument]:
    """Return the register, oldest first, optionally only documents issued by ``until``."""
    query = select(LegalDocument).where(LegalDocument.commune_id == commune_id)
    if until is not None:
        query = query.where(LegalDocument.issued_date <= until)
    return list(session.scalars(query.order_by(LegalDocument.issued_date, LegalDocument.id)
                                .options(selectinload(LegalDocument.targets),
                                         selectinload(LegalDocument.tasks))))
