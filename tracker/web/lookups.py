"""Finding the commune a page is about, and its plan, items and units, or answering 404.

A lookup that finds nothing raises ``NotFound``, which the web face's error handler answers 404.

A commune user always reads their own commune. A province user names the commune with
``?commune=CODE`` (links keep it: see ``keep_viewed_commune``); without it a page sends them to
the province roll-up.
"""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from tracker.extensions import db
from tracker.models import Commune, Plan, PlanItem, Unit
from tracker.services.access import actor_of, current_plan, find_item, find_unit, viewable_commune

# Blueprints whose pages are about one commune: their links carry ``?commune=`` for province users.
COMMUNE_BLUEPRINTS = frozenset({"plan", "progress", "reports", "directives", "charts"})


def viewed_commune() -> Commune:
    """Return the commune the request is about (cached for the request)."""
    if "viewed_commune" not in g:
        code = request.args.get("commune") or None
        if current_user.is_province_user and code is None:
            abort(redirect(url_for("province.rollup")) if request.method == "GET" else 403)
        g.viewed_commune = viewable_commune(db.session, actor_of(current_user), code)
        if current_user.is_province_user:
            g.commune_param = g.viewed_commune.code  # links and GET forms keep naming the commune
    return g.viewed_commune


def keep_viewed_commune(endpoint: str | None, values: dict) -> None:
    """``url_defaults``: a province user's links to commune pages keep naming the commune."""
    code = g.get("commune_param")
    if code and "commune" not in values and endpoint and endpoint.partition(".")[0] in COMMUNE_BLUEPRINTS:
        values["commune"] = code


def plan_or_404() -> Plan:
    """Return the viewed commune's current plan."""
    return current_plan(db.session, viewed_commune().id)


def item_or_404(plan: Plan, code: str) -> PlanItem:
    """Return the plan's target or task with ``code``."""
    return find_item(db.session, plan, code)


def unit_or_404(code: str) -> Unit:
    """Return the viewed commune's unit with ``code``."""
    return find_unit(db.session, viewed_commune().id, code)
