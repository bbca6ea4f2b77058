"""Writing and answering directives: htmx swaps the item's directive list, plain posts redirect."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from tracker.domain.dates import parse_day
from tracker.domain.i18n import gettext as _
from tracker.extensions import db
from tracker.models import PlanItem
from tracker.request_args import today
from tracker.services.directives import (
    answer_directive,
    find_directive,
    item_directives,
    set_due_date,
    write_directive,
)
from tracker.services.errors import EntryRefused
from tracker.transaction import undo
from tracker.web import render, wants_fragment
from tracker.web.directives import bp
from tracker.web.lookups import item_or_404, plan_or_404


def _answer(item: PlanItem, errors: dict[str, str] | None = None, form_for: int | None = None,
            sent_to: str | None = None):
    """Re-render the item's directive list (fragment) or go back to the item page; a new directive
    is confirmed with the unit it went to."""
    if not errors and not wants_fragment():
        if sent_to:
            flash(_("Directive sent to %(unit)s.", unit=sent_to))
        return redirect(url_for("plan.item", code=item.code) + "#directives")
    response = render("directives/page.html", "directives/_list.html", item=item,
                      directives=item_directives(db.session, item), errors=errors or {},
                      values=request.form if errors else {}, form_for=form_for, sent_to=sent_to)
    response.status_code = 422 if errors else 200
    return response


def _due_date():
    """The form's due date (``dd/mm/yyyy``, or ISO from a browser's date field); empty: None."""
    try:
        return parse_day(request.form.get("due_date"), _("Due date"))
    except ValueError as exc:
        raise EntryRefused({"due_date": str(exc)}) from None


def _directive_or_404(directive_id: int):
    """A directive of the viewed commune's plan, or 404."""
    directive = find_directive(db.session, plan_or_404(), directive_id)
    if directive is None:
        abort(404)
    return directive


@bp.post("/items/<code>/directives")
@login_required
def create(code: str):
    """Write a directive on a target or task (leaders), with the date it must be answered by."""
    item = item_or_404(plan_or_404(), code)
    try:
        write_directive(db.session, current_user, item, request.form.get("text"), _due_date(), today=today())
    except EntryRefused as refused:
        undo()
        return _answer(item, refused.errors)
    return _answer(item, sent_to=item.lead_unit.name)


@bp.post("/directives/<int:directive_id>/due")
@login_required
def due(directive_id: int):
    """Change or remove an open directive's due date (leaders)."""
    directive = _directive_or_404(directive_id)
    item = directive.item
    try:
        set_due_date(db.session, current_user, directive, _due_date(), today=today())
    except EntryRefused as refused:
        undo()
        return _answer(item, refused.errors, form_for=directive_id)
    return _answer(item)


@bp.post("/directives/<int:directive_id>/reply")
@login_required
def reply(directive_id: int):
    """Answer a directive and mark it addressed (the lead unit)."""
    directive = _directive_or_404(directive_id)
    item = directive.item
    try:
        answer_directive(db.session, current_user, directive, request.form.get("reply"))
    except EntryRefused as refused:
        undo()
        return _answer(item, refused.errors, form_for=directive_id)
    return _answer(item)
