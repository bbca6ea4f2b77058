"""The HTML face: template helpers, filters and globals, the user loader and response headers.

The app factory registers the blueprints (``tracker/__init__.py``); error pages are in
``tracker.web.errors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, g, redirect, render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from tracker.domain.dates import ISO_DATE, TYPED_DATE_PATTERN, format_day_input, parse_day
from tracker.domain.entries import TASK_STATES
from tracker.domain.formatting import (
    format_date,
    format_datetime,
    format_money,
    format_money_exact,
    format_number,
    format_percent,
    format_ratio,
)
from tracker.domain.permissions import ROLE_LABELS, can_answer_for, can_direct
from tracker.domain.province import figure_text, goal_text, total_text
from tracker.domain.review import format_due
from tracker.domain.status import COLOUR_ICONS, COLOUR_LABELS, COLOUR_SHORT
from tracker.extensions import db, htmx, login_manager
from tracker.request_args import BadArgument, today
from tracker.services.access import actor_of
from tracker.services.notifications import unread_count
from tracker.services.users import load_user_with_unread
from tracker.web.errors import register_error_pages
from tracker.web.language import page_language
from tracker.web.viewed_date import keep_as_of, today_url, viewed_date


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of a page (not a boosted or history load)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(full_template: str, fragment_template: str, **context) -> Response:
    """Render the full page or only its fragment, telling caches the answer varies."""
    response = current_app.make_response(
        render_template(fragment_template if wants_fragment() else full_template, **context)
    )
    response.vary.add("HX-Request")
    return response


URL_SLOT = "__slot__"  # a path segment url_for leaves as it is, filled in per row by ``fill_slot``


def fill_slot(url: str, segment: str) -> str:
    """Put ``segment`` in the first ``URL_SLOT`` of ``url``, quoted as url_for quotes a path segment.

    A table of forty rows builds its links from one ``url_for`` each (routing costs about 0.1 ms a call).
    """
    return url.replace(URL_SLOT, quote(str(segment), safe="!$&'()*+,/:;=@"), 1)


def texts_of(labels: Mapping[str, object]) -> dict[str, str]:
    """Return lazily translated labels as text, translated once (for a loop that shows them per row)."""
    return {key: str(label) for key, label in labels.items()}


def with_exact(text: str, exact: str | None) -> Markup:
    """``text`` with the exact figures behind it on hover (``<abbr title>``), or ``text`` alone."""
    if not exact:
        return escape(text)
    return Markup('<abbr title="{}">{}</abbr>').format(exact, text)


def money(value: float | None) -> Markup:
    """An amount as officials write it (``410 triệu đồng``) with the exact đồng on hover."""
    return with_exact(format_money(value), None if value is None else format_money_exact(value))


DATE_ARGUMENTS = ("as_of", "from", "to")


def sentence(text: str) -> str:
    """A sentence begins with a capital letter (a translated phrase may begin in lower case)."""
    head, rest = str(text)[:1].upper(), str(text)[1:]
    # Markup in, Markup out: only the case of its first letter changes.
    return Markup(head) + Markup(rest) if isinstance(text, Markup) else head + rest  # noqa: S704


def register_web(app: Flask) -> None:
    """Register the user loader, template filters and globals, error pages and headers."""
    register_error_pages(app)

    @login_manager.user_loader
    def load_user(token: str):
        user, g.unread_at_load = load_user_with_unread(db.session, token)
        return user

    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(money, "money")
    app.add_template_filter(format_ratio, "ratio")
    app.add_template_filter(with_exact, "with_exact")
    app.add_template_filter(format_date, "vndate")
    app.add_template_filter(format_day_input, "dayinput")
    app.add_template_filter(sentence, "sentence")

    @app.get("/favicon.ico")
    def favicon():
        """Browsers ask for /favicon.ico on every page: send them to the SVG icon base.html links."""
        return redirect(app.url_for("static", filename="favicon.svg"), 301)
    app.add_template_filter(
        lambda value: format_datetime(value, app.config["TIMEZONE"]), "vndatetime")

    @app.before_request
    def iso_dates_in_addresses() -> Response | None:
        """A date typed dd/mm/yyyy in a page's filter (``as_of``, the log's ``from``/``to``) goes to
        the same address with the date in ISO, the one form links and bookmarks carry."""
        if request.method != "GET" or request.blueprint == "api":
            return None
        typed = {}
        for name in DATE_ARGUMENTS:
            text = request.args.get(name, "")
            if text.strip() and not ISO_DATE.fullmatch(text.strip()):
                try:
                    day = parse_day(text, name)
                except ValueError as exc:  # a 400 naming the field, in the words of a typed date
                    raise BadArgument(name, str(exc)) from None
                typed[name] = day.isoformat()
        if not typed:
            return None
        args = {**request.args.to_dict(flat=False), **{name: [day] for name, day in typed.items()}}
        return redirect(f"{request.path}?{urlencode(args, doseq=True)}", code=303)

    @app.context_processor
    def dates() -> dict:
        day = today()
        return {"today": day, "today_typed": format_day_input(day)}

    def may_direct(item) -> bool:
        return can_direct(actor_of(current_user), item.plan.commune_id)

    def may_answer(item) -> bool:
        return can_answer_for(actor_of(current_user), item.plan.commune_id, item.lead_unit_id)

    def inbox_unread() -> int:
        if not current_user.is_authenticated:
            return 0
        # A GET changes no notification: the count read with the user is still the count now.
        if request.method in ("GET", "HEAD") and "unread_at_load" in g:
            return g.unread_at_load
        return unread_count(db.session, current_user)

    app.jinja_env.globals.update(may_direct=may_direct, may_answer=may_answer, inbox_unread=inbox_unread,
                                 page_lang=page_language, figure_text=figure_text, goal_text=goal_text,
                                 total_text=total_text, texts_of=texts_of, URL_SLOT=URL_SLOT)
    app.add_template_filter(fill_slot, "fill_slot")
    # A report's due moment: "10:00 thứ Hai 10/11/2025" in the commune's time zone.
    app.add_template_filter(lambda moment: format_due(moment, app.config["TIMEZONE"]), "due")
    app.url_defaults(keep_as_of)
    app.jinja_env.globals.update(viewed_date=viewed_date, today_url=today_url)
    from tracker.web.item_rows import assigned_by, item_columns, item_rows, light

    app.jinja_env.globals.update(item_columns=item_columns, item_rows=item_rows, light=light,
                                 assigned_by=assigned_by)

    # Globals (not a context processor) so imported macros see them too.
    app.jinja_env.globals.update(COLOUR_LABELS=COLOUR_LABELS, COLOUR_ICONS=COLOUR_ICONS,
                                 COLOUR_SHORT=COLOUR_SHORT,
                                 ROLE_LABELS=ROLE_LABELS, TASK_STATES=TASK_STATES,
                                 # A date field is text typed dd/mm/yyyy (a native date field follows the
                                 # browser's language: mm/dd/yyyy on an English one), read on the server
                                 # by tracker.domain.dates.parse_day.
                                 DATE_FIELD=Markup('type="text" inputmode="numeric" autocomplete="off" '  # noqa: S704
                                                   'placeholder="dd/mm/yyyy" maxlength="10" '
                                                   f'pattern="{escape(TYPED_DATE_PATTERN)}"'))

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
