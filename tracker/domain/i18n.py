"""User-facing text of the pure modules: English msgids, shown in the reader's language.

The domain imports nothing of Flask. It marks its messages with ``gettext`` (translated at once)
or ``lazy_gettext`` (translated each time it is turned into text, for module-level labels), and
translates them with the project's own catalogues in ``tracker/translations``. Which language is
"current" is asked of a getter the web face installs (``install_language_getter``); without one,
or outside a request, it is Vietnamese, the language of the CLI, the jobs, the API and the
official reports.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

_language_getter: Callable[[], str] = lambda: DEFAULT_LANGUAGE  # noqa: E731


def install_language_getter(getter: Callable[[], str]) -> None:
    """Let the face say which language the current reader uses."""
    global _language_getter
    _language_getter = getter


@cache
def _catalogue(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def current_language() -> str:
    """The reader's language, ``vi`` unless the face says otherwise."""
    language = _language_getter()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def translate(msgid: str) -> str:
    """Translate ``msgid`` into the current language, placeholders left as they are."""
    return _catalogue(current_language()).ugettext(msgid)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """Translate the form of a message that suits ``count``, placeholders left as they are."""
    return _catalogue(current_language()).ungettext(singular, plural, count)


def gettext(msgid: str, **params: object) -> str:
    """Translate ``msgid`` into the current language and fill its ``%(name)s`` placeholders."""
    text = translate(msgid)
    return text % params if params else text


class LazyText(LazyProxy):
    """A message translated each time it is used as text; also formats and hashes as its text."""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __hash__(self) -> int:
        return hash(str(self))


def in_language(language: str, text: str | LazyText) -> str:
    """``text`` (a msgid, or a lazy label of this module) in ``language`` whatever the reader's: for
    text that is stored and read by everyone, such as the note of an entry derived from a period."""
    msgid = text._args[0] if isinstance(text, LazyText) else text  # the msgid the label was made with
    return _catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE).ugettext(msgid)


def lazy_gettext(msgid: str, **params: object) -> LazyText:
    """Like ``gettext``, translated each time the value is used as text (module-level labels)."""
    return LazyText(gettext, msgid, enable_cache=False, **params)
