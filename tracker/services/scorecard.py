"""Per-unit scorecards for leaders, from the same entries as the lights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.domain.collation import vietnamese_key
from tracker.domain.scorecard import Outcome, Scorecard, tally
from tracker.models import Plan, Unit
from tracker.services.status import current_entries, plan_status, rules_of, status_from


@dataclass(frozen=True)
class UnitScore:
    """A lead unit and its scorecard."""

    unit: Unit
    card: Scorecard


def unit_scorecards(session: Session, plan: Plan, as_of: date) -> list[UnitScore]:
    """Return a scorecard for every unit that leads at least one item, worst first, then by name."""
    rules = rules_of(plan)
    by_unit: dict[int, tuple[Unit, dict[str, Outcome]]] = {}
    then = current_entries(session, [plan.id], as_of, at_deadline=True)
    for row in plan_status(session, plan, as_of):
        deadline = row.item.deadline
        at_deadline = status_from(row.item, then.get(row.item.id), min(deadline, as_of), rules)
        outcome = Outcome(deadline=deadline, met_at_deadline=at_deadline.met, met_now=row.status.met,
                          has_entry=row.status.last_update is not None, stale=row.status.stale)
        by_unit.setdefault(row.item.lead_unit_id, (row.lead_unit, {}))[1][row.code] = outcome
    scores = [UnitScore(unit, tally(outcomes, as_of)) for unit, outcomes in by_unit.values()]
    return sorted(scores, key=lambda s: (-s.card.overdue, -s.card.done_late, vietnamese_key(s.unit.name)))
