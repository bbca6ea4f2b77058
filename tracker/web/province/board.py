"""The province's completeness board (``/province/reports``: who reported, on time, accept or return)
and its reporting calendar (``/province/calendar``): thin views over ``tracker.services.review``."""

from __future__ import annotations

from datetime import date, time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.domain.dates import PERIOD_KIND_LABELS, format_day_input, parse_day, period_name
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import can_edit_calendar, can_review
from tracker.domain.review import BOARD_LABELS, BOARD_STATES, CALENDAR_KINDS
from tracker.domain.stats import FIELDS
from tracker.extensions import db
from tracker.models import Province
from tracker.services.access import actor_of
from tracker.services.calendar import CalendarInput, due_rules, save_calendar
from tracker.services.errors import EntryRefused, NotAllowed
from tracker.services.notifications import mail_settings
from tracker.services.province import province_for
from tracker.services.review import (
    accept_period,
    board_start,
    build_board,
    find_reviewable,
    return_period,
)
from tracker.transaction import undo
from tracker.web.province import bp


def _province() -> Province:
    return province_for(db.session, actor_of(current_user))


def _board_args(province: Province, args) -> tuple[str, date, str | None, dict[str, str]]:
    """The kind, start and state filter the board shows, with a message for a start not understood."""
    timezone = current_app.config["TIMEZONE"]
    kind = args.get("kind") if args.get("kind") in CALENDAR_KINDS else "week"
    state = args.get("state") if args.get("state") in BOARD_STATES else None
    errors: dict[str, str] = {}
    try:
        start = parse_day(args.get("start"), "start")
    except ValueError as exc:
        errors["start"], start = str(exc), None
    return kind, board_start(db.session, province, kind, start, timezone=timezone), state, errors


def _render_board(province: Province, kind: str, start: date, state: str | None, *,
                  errors: dict[str, str] | None = None, values=None, failed: int | None = None, status=200):
    board = build_board(db.session, province, kind, start, state=state,
                        timezone=current_app.config["TIMEZONE"])
    return render_template(
        "province/board.html", board=board, kinds={k: PERIOD_KIND_LABELS[k] for k in CALENDAR_KINDS},
        states=BOARD_LABELS, errors=errors or {}, values=values or {}, failed=failed,
        start_typed=format_day_input(start), period_label=period_name(kind, start, board.end),
        may_review=can_review(actor_of(current_user), province.id), fields=FIELDS,
    ), status


@bp.get("/province/reports")
@login_required
def board():
    """Every commune of the province for one period: not opened, draft, on time, late, accepted, returned."""
    province = _province()
    kind, start, state, errors = _board_args(province, request.args)
    return _render_board(province, kind, start, state, errors=errors, values=request.args)


def _review(period_id: int, act, done: str):
    """Accept or return a period from the board; a refusal re-renders the board, the reason kept."""
    province = _province()
    period = find_reviewable(db.session, province, period_id)
    kind, start, state = period.kind, period.start_date, request.form.get("state") or None
    try:
        act(period)
    except EntryRefused as refused:
        undo()
        return _render_board(province, kind, start, state, errors=refused.errors, values=request.form,
                             failed=period_id, status=422)
    flash(done % {"commune": period.commune.name})
    return redirect(url_for("province.board", kind=kind, start=start.isoformat(), state=state)
                    + f"#commune-{period.commune.code}")


@bp.post("/province/reports/<int:period_id>/accept")
@login_required
def accept(period_id: int):
    """Accept a submitted report: locked for both sides."""
    mail = mail_settings(current_app.config)
    return _review(period_id, lambda period: accept_period(
        db.session, current_user, period, expected_version=request.form.get("version", type=int), mail=mail),
        _("The report of %(commune)s was accepted and is now locked."))


@bp.post("/province/reports/<int:period_id>/return")
@login_required
def return_(period_id: int):
    """Return a submitted report to its commune with a reason."""
    mail = mail_settings(current_app.config)
    return _review(period_id, lambda period: return_period(
        db.session, current_user, period, request.form.get("reason"),
        expected_version=request.form.get("version", type=int), mail=mail),
        _("The report of %(commune)s was returned; its secretaries were told the reason."))


def _read_time(text: str) -> time | None:
    """``hh:mm`` (or ``h:mm``) as typed; None for anything else."""
    hours, colon, minutes = text.partition(":")
    if not colon or not (hours.isdigit() and minutes.isdigit()) or len(hours) > 2 or len(minutes) != 2:
        return None
    return time(int(hours), int(minutes)) if int(hours) < 24 and int(minutes) < 60 else None


def _read_calendar(form) -> dict[str, CalendarInput]:
    """Each kind's row as typed (None where it cannot be read: the service says why)."""
    rows = {}
    for kind in CALENDAR_KINDS:
        days_text, at_text = (form.get(f"{kind}-days") or "").strip(), (form.get(f"{kind}-at") or "").strip()
        days = int(days_text) if days_text.isascii() and days_text.isdigit() and len(days_text) < 4 else None
        rows[kind] = CalendarInput(days, _read_time(at_text) if at_text.isascii() else None)
    return rows


@bp.route("/province/calendar", methods=["GET", "POST"])
@login_required
def calendar():
    """When the communes' reports of each kind are due; the province's admins change it."""
    province = _province()
    may_edit = can_edit_calendar(actor_of(current_user), province.id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not may_edit:
            raise NotAllowed(f"{current_user.username} may not change the reporting calendar")
        try:
            changed = save_calendar(db.session, current_user, province, _read_calendar(request.form))
        except EntryRefused as refused:
            undo()
            errors = refused.errors
        else:
            flash(_("Reporting calendar saved (%(kinds)s). Periods already opened keep their due date.",
                    kinds=", ".join(str(PERIOD_KIND_LABELS[k]).lower() for k in changed))
                  if changed else _("Nothing changed; nothing to save."))
            return redirect(url_for("province.calendar"))
    rules = due_rules(db.session, province.id)
    return render_template("province/calendar.html", province=province, rules=rules,
                           kinds={k: PERIOD_KIND_LABELS[k] for k in CALENDAR_KINDS}, errors=errors,
                           values=request.form, may_edit=may_edit), 422 if errors else 200
