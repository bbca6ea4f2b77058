"""The date a page is viewed at: a past (or future) ``?as_of=`` is kept on every link until the user
goes back to today, and a banner says which day the pages show.

``keep_as_of`` is a ``url_defaults`` hook, so the menu, in-page links and redirects built with
``url_for`` all carry the date without each template passing it.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, g, has_request_context, request, url_for

from tracker.domain.dates import parse_iso_date
from tracker.request_args import today

# Blueprints whose pages read ``?as_of=`` or lead to pages that do; the unit's desk (progress) is
# always about today's work, and the account, inbox and admin pages have no date.
AS_OF_BLUEPRINTS = frozenset({"plan", "reports", "directives", "province"})


def _dated_endpoints() -> frozenset[str]:
    """The GET pages of ``AS_OF_BLUEPRINTS`` (computed once per app, from its URL map)."""
    found = current_app.extensions.get("tracker.dated_endpoints")
    if found is None:
        found = frozenset(rule.endpoint for rule in current_app.url_map.iter_rules()
                          if "GET" in (rule.methods or ())
                          and rule.endpoint.partition(".")[0] in AS_OF_BLUEPRINTS)
        current_app.extensions["tracker.dated_endpoints"] = found
    return found


def viewed_date() -> date | None:
    """The ``?as_of=`` of a dated page when it is a valid day other than today, else None."""
    if "viewed_date" not in g:
        g.viewed_date = None
        if request.endpoint in _dated_endpoints():
            try:
                day = parse_iso_date(request.args.get("as_of"))
            except ValueError:
                day = None
            if day is not None and day != today():
                g.viewed_date = day
    return g.viewed_date


def keep_as_of(endpoint: str | None, values: dict) -> None:
    """``url_defaults``: while a past date is viewed, links to dated pages keep ``as_of``.

    A link that names ``as_of`` itself (``as_of=None`` for "back to today") is left as it is.
    """
    if ("as_of" not in values and has_request_context() and endpoint in _dated_endpoints()
            and (day := viewed_date())):
        values["as_of"] = day.isoformat()


def today_url() -> str:
    """This page again, without ``as_of`` (so as of today), its other arguments kept."""
    args = {key: value for key, value in request.args.items() if key != "as_of"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, as_of=None)
