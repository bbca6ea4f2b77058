"""The activity log's query string, read the same way by a commune's log and a province's."""

from __future__ import annotations

from flask import abort, request

from tracker.domain.dates import parse_day
from tracker.domain.i18n import gettext as _
from tracker.services.audit import AuditFilter


def audit_filter() -> AuditFilter:
    """The filters of the activity log from the query string (dates ``dd/mm/yyyy``); 400 if unreadable."""
    try:
        start = parse_day(request.args.get("from"), _("From"))
        end = parse_day(request.args.get("to"), _("To"))
    except ValueError as exc:
        abort(400, description=str(exc))
    return AuditFilter(action=request.args.get("action") or None, actor=request.args.get("actor") or None,
                       start=start, end=end, kind=request.args.get("kind") or None,
                       item=request.args.get("item") or None)


def page_number() -> int:
    """The ``?page=`` asked for (from 1); 400 for anything else."""
    page = request.args.get("page") or "1"
    if not page.isdigit() or not 1 <= int(page) <= 100_000:
        abort(400, description=_("The page number is not valid."))
    return int(page)
