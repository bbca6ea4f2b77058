"""What both faces read from a request: today in the commune's time zone, ``?as_of=``, ids in paths.

The pages and the API import these from here (neither face imports the other). A bad argument
is a ``BadArgument``: a 400 that names its field, which each face's one error handler answers in
its own way (an error page, or JSON with ``fields``).
"""

from __future__ import annotations

from datetime import date

from flask import current_app, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from tracker.domain.dates import local_today, parse_iso_date
from tracker.services.progress import MAX_ID


class BadArgument(BadRequest):
    """A 400 for one named part of the request (a query argument, a form field, the path)."""

    def __init__(self, field: str, message: str):
        super().__init__(description=message)
        self.field = field


def today() -> date:
    """Return today's date in the commune's time zone."""
    return local_today(current_app.config["TIMEZONE"])


def requested_as_of() -> date:
    """Return ``?as_of=`` or today; a malformed date is a 400 naming ``as_of``."""
    try:
        return parse_iso_date(request.args.get("as_of")) or today()
    except ValueError as exc:
        raise BadArgument("as_of", str(exc)) from None


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` whose numbers beyond the largest database id become 0, an id no row has.

    The route still matches, so the lookup answers its usual 404 (not a 405 from a rule that
    no longer matches, nor a crash in the database driver).
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0
