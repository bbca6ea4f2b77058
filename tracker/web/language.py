"""Which language a page speaks: the signed-in person's choice, else Vietnamese.

Never the browser's Accept-Language: officials share office PCs. The API, the official report
documents, the CLI and the scheduled jobs stay Vietnamese.

Every text is translated by one pipeline, ``tracker.domain.i18n`` (Python modules, templates,
WTForms' own messages, Flask-Login's message); this module only tells it the reader's language
(``page_language``, installed by ``create_app``). The language is decided once per request and kept
in a context variable: a dashboard translates about 150 texts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from flask_login import current_user
from flask_wtf import FlaskForm

from tracker.domain.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate, translate_plural

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language, never translated


def reader_language() -> str:
    """The reader's language, read from the request and the signed-in user."""
    if not has_request_context() or request.blueprint == "api":
        return DEFAULT_LANGUAGE
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return DEFAULT_LANGUAGE


# The language of the request being answered, decided on its first text (None: not yet). A context
# variable, not ``g``: the lookup runs for every text of a page, and ``g`` is a proxy.
_language: ContextVar[str | None] = ContextVar("tracker_language", default=None)


def page_language() -> str:
    """The current language for ``tracker.domain.i18n``: decided on the request's first text."""
    language = _language.get()
    if language is None:
        if not has_request_context():  # the CLI, the jobs, tests of pure functions
            return DEFAULT_LANGUAGE
        language = reader_language()
        _language.set(language)
    return language


def end_of_request(_exc: BaseException | None = None) -> None:
    """Forget the language when a request ends (``teardown_request``): the next may be another reader's."""
    _language.set(None)


def forget_language() -> None:
    """Decide the language again (the reader has just changed it)."""
    _language.set(None)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak ``language`` inside the block whatever the reader chose (official documents)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


class _Translations:
    """WTForms' own messages (a choice not offered, a field too long) through ``tracker.domain.i18n``."""

    def gettext(self, string: str) -> str:
        return translate(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translate_plural(singular, plural, n)


TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """A Flask-WTF form whose built-in messages are translated by the one pipeline, in the page's language."""

    class Meta:
        def get_translations(self, form: FlaskForm) -> _Translations:
            return TRANSLATIONS
