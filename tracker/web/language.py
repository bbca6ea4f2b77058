"""Which language a page speaks: the signed-in person's choice, else Vietnamese.

Never the browser's Accept-Language: officials share office PCs. The API, the official report
documents, the CLI and the scheduled jobs stay Vietnamese.

The language is decided once per request and kept on ``g``: a dashboard translates about 150
texts, and asking Flask-Babel's locale machinery each time cost more than a trivial page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, has_request_context, request
from flask_babel import force_locale, refresh
from flask_login import current_user

from tracker.domain.i18n import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language, never translated


def select_locale() -> str:
    """The reader's language (also Flask-Babel's locale selector)."""
    if not has_request_context() or request.blueprint == "api":
        return DEFAULT_LANGUAGE
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return DEFAULT_LANGUAGE


def page_language() -> str:
    """The current language for ``tracker.domain.i18n``: decided on the request's first text."""
    if not g:  # outside an app context: tests of pure functions, imports
        return DEFAULT_LANGUAGE
    language = g.get("language")
    if language is None:
        language = g.language = select_locale()
    return language


def forget_language() -> None:
    """Decide the language again (the reader has just changed it)."""
    g.pop("language", None)
    refresh()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak ``language`` inside the block whatever the reader chose (official documents)."""
    before = g.get("language")
    g.language = language
    try:
        with force_locale(language):
            yield
    finally:
        if before is None:
            g.pop("language", None)
        else:
            g.language = before
