"""Finding the signed-in user's plan, items and units, or answering 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.extensions import db
from tracker.models import Plan, Target, Task, Unit
from tracker.services.access import NotFound, current_plan, find_item, find_unit


def plan_or_404() -> Plan:
    """Return the current user's commune plan."""
    try:
        return current_plan(db.session, current_user.commune_id)
    except NotFound:
        abort(404)


def item_or_404(plan: Plan, code: str) -> Target | Task:
    """Return the plan's target or task with ``code``."""
    try:
        return find_item(db.session, plan, code)
    except NotFound:
        abort(404)


def unit_or_404(code: str) -> Unit:
    """Return the current user's commune unit with ``code``."""
    try:
        return find_unit(db.session, current_user.commune_id, code)
    except NotFound:
        abort(404)
