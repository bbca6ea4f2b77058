"""Which language a page speaks: the signed-in person's choice, else Vietnamese.

Never the browser's Accept-Language: officials share office PCs. The API, the official report
documents, the CLI and the scheduled jobs stay Vietnamese.
"""

from __future__ import annotations

from flask import g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from tracker.domain.i18n import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language, never translated


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    if not has_request_context() or request.blueprint == "api":
        return DEFAULT_LANGUAGE
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return DEFAULT_LANGUAGE


def page_language() -> str:
    """The current language for the pure modules (``tracker.domain.i18n``)."""
    if not g:  # outside an app context: tests of pure functions, imports
        return DEFAULT_LANGUAGE
    locale = get_locale()
    return locale.language if locale else DEFAULT_LANGUAGE
