"""The narrative sections of a period's report and the material a secretary draws on to write them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.domain.entries import clean_text, text_problem
from tracker.domain.formatting import format_number
from tracker.domain.i18n import gettext as _
from tracker.domain.outline import WRITTEN
from tracker.models import (
    Plan,
    PlanItem,
    ProgressEntry,
    ReportingPeriod,
    ReportSection,
    User,
)
from tracker.services.audit import record_event
from tracker.services.directives import open_directives
from tracker.services.errors import EntryRefused
from tracker.services.periods import claim_version, require_draft, require_reporter
from tracker.services.progress import in_plan

# The narratives the secretary writes (key → the box's label), from the one declaration of the outline.
SECTION_KEYS = WRITTEN


MAX_SECTION = 20000


def clean_sections(texts: dict[str, str | None]) -> dict[str, str]:
    """Return the narratives of the outline's written sections cleaned (``""`` for an empty one), or
    raise ``EntryRefused`` naming each section whose text cannot be stored. Other keys are ignored."""
    errors = {}
    cleaned = {}
    for key, text in texts.items():
        if key not in SECTION_KEYS:
            continue
        value = clean_text(text) or ""
        if len(value) > MAX_SECTION:
            errors[key] = _("The text is longer than %(max)s characters.", max=format_number(MAX_SECTION))
        elif value and (problem := text_problem(value)):
            errors[key] = problem
        cleaned[key] = value
    if errors:
        raise EntryRefused(errors)
    return cleaned


def save_sections(session: Session, actor: User, period: ReportingPeriod, texts: dict[str, str | None],
                  *, expected_version: int | None = None) -> None:
    """Save the narrative sections the secretary wrote; an empty text prints "không"."""
    require_reporter(actor, period.commune_id)
    require_draft(period)
    cleaned = clean_sections(texts)
    claim_version(session, period, expected_version, actor=actor, change="section.save")
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
                                    ProgressEntry.note.is_not(None), ProgressEntry.period_id.is_(None),
                                    in_plan(plan.id))
        .order_by(ProgressEntry.as_of.desc(), ProgressEntry.id.desc()).limit(40)
        .options(selectinload(ProgressEntry.item).selectinload(PlanItem.lead_unit)))
    notes = []
    for entry in entries:
        item = entry.item
        notes.append((item.code, item.lead_unit.name, entry.note, entry.as_of))
    return Material(notes, open_directives(session, plan))
