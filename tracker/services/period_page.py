"""One save for a period's page: the TTHC statistics, the finance figures and the narratives together.

The page shows the three as one form, so that nothing typed in one part is lost by saving another
(issue 14). Only the parts whose values differ from what is stored are saved (an unchanged part
writes no audit event and claims no version); every changed part is checked, and a refusal of any
refuses the whole save, with every part's messages at once (the request's boundary rolls back).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.domain.entries import clean_text
from tracker.models import ReportingPeriod, User
from tracker.services.errors import EntryRefused
from tracker.services.figures import PlanChange, finance_values, save_figures, stats_values
from tracker.services.narratives import SECTION_KEYS, save_sections
from tracker.services.periods import require_draft, require_reporter

PARTS = ("stats", "finance", "sections")


class PageRefused(EntryRefused):
    """Some parts of a period page were refused: ``errors`` for the figures (and ``version``),
    ``sections`` for the narratives by section key."""

    def __init__(self, errors: dict[str, str], sections: dict[str, str]):
        super().__init__({**errors, **{f"section {key}": text for key, text in sections.items()}})
        self.errors = errors
        self.sections = sections


def _same(value: Any, stored: Any) -> bool:
    """True when a submitted value is what is stored (texts compared as they would be stored)."""
    if isinstance(value, str) or isinstance(stored, str):
        return (clean_text(value) or None) == (clean_text(stored) or None)
    return value == stored


def _changed(values: dict[str, Any] | None, stored: dict[str, Any]) -> bool:
    return values is not None and any(not _same(value, stored.get(name)) for name, value in values.items())


def save_period_page(session: Session, actor: User, period: ReportingPeriod, *, today: date,
                     expected_version: int | None, stats: dict[str, Any] | None,
                     finance: dict[str, Any] | None,
                     texts: dict[str, str | None]) -> tuple[list[str], list[PlanChange]]:
    """Save what changed on the page (``PARTS``), all or nothing; return the parts saved, in order,
    and what the figures changed in the plan (``save_figures``).

    ``stats`` or ``finance`` is None when the form could not be read (the caller shows why); the
    other parts are still checked, so one answer names every problem. Raises ``PageRefused``.
    """
    require_reporter(actor, period.commune_id)
    try:
        require_draft(period)
    except EntryRefused as refused:
        raise PageRefused(refused.errors, {}) from None
    stored_texts = {section.key: section.text for section in period.sections}
    saving_stats = _changed(stats, stats_values(period.stats))
    saving_finance = _changed(finance, finance_values(period.finance))
    saving_sections = any(not _same(text or "", stored_texts.get(key) or "")
                          for key, text in texts.items() if key in SECTION_KEYS)
    errors: dict[str, str] = {}
    sections: dict[str, str] = {}
    changes: list[PlanChange] = []
    if saving_stats or saving_finance:
        try:
            changes = save_figures(session, actor, period, today=today, expected_version=expected_version,
                         stats=stats if saving_stats else None, finance=finance if saving_finance else None)
            expected_version = period.version  # the figures claimed it: the narratives go on from there
        except EntryRefused as refused:
            errors.update(refused.errors)
    if saving_sections:
        try:
            save_sections(session, actor, period, texts, expected_version=expected_version)
        except EntryRefused as refused:
            version = refused.errors.get("version")
            sections.update({k: v for k, v in refused.errors.items() if k != "version"})
            if version:
                errors.setdefault("version", version)
    if errors or sections:
        raise PageRefused(errors, sections)
    saved = [part for part, saving in zip(PARTS, (saving_stats, saving_finance, saving_sections), strict=True)
             if saving]
    return saved, changes
