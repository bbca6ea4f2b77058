"""Which characters the tracker accepts in any text: no NUL, no other control character, no lone
surrogate.

PostgreSQL refuses NUL in text outright, and a lone surrogate (``"\\ud800"``, a valid JSON escape)
cannot be encoded as UTF-8, so it could be neither stored nor shown. C1 controls (U+0080-U+009F)
and the other C0 controls are never typed by a person and break documents and terminals. Tab and
line breaks are allowed in multi-line text only.

One check, used three ways: ``tracker.input_guard`` refuses a whole request (query string,
form, upload names, JSON body, path) that carries one of these characters anywhere; the services'
field checks (``tracker.domain.entries.text_problem``) name the field; the seed reader names the
file's field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tracker.domain.i18n import gettext as _

# Everywhere: C0 controls except tab, line feed and carriage return; DEL and C1 controls;
# the surrogate range (only ever a *lone* surrogate in a Python str).
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A single line: also tab, line breaks and the Unicode line and paragraph separators.
_BAD_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def has_bad_character(value: str, *, multiline: bool = True) -> bool:
    """True when ``value`` holds a character no text of the tracker may hold."""
    return (_BAD if multiline else _BAD_ONE_LINE).search(value) is not None


def character_problem(value: str | None, *, multiline: bool = True) -> str | None:
    """Say in the reader's language why ``value`` cannot be accepted, or None."""
    if value is None or not has_bad_character(value, multiline=multiline):
        return None
    if not multiline and not has_bad_character(value):
        return _("Must be a single line (no tab or line break).")
    return bad_character_message()


def bad_character_message() -> str:
    """The refusal of a text with a control character or an invalid Unicode character."""
    return _("Contains a character that is not allowed (a control character such as NUL, or an "
             "invalid Unicode character); remove it and try again.")


def bad_strings(value: Any, path: str = "") -> Iterator[str]:
    """Yield the path (``note``, ``document.number``, ``items[2]``) of every string in a parsed
    JSON value (keys included) that holds a character no text may hold; ``body`` for the whole."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:  # no recursion: a deeply nested body must not exhaust the stack
        current, where = stack.pop()
        if isinstance(current, str):
            if has_bad_character(current):
                yield where or "body"
        elif isinstance(current, dict):
            for key, item in current.items():
                if has_bad_character(key):
                    yield where or "body"
                    continue
                stack.append((item, f"{where}.{key}" if where else key))
        elif isinstance(current, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(current))
