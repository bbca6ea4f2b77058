"""Vietnamese alphabetical order, without ICU.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z, found in
foreign words, take their Latin places). Words compare first by these letters over the whole text,
then by tones (none, huyền, hỏi, ngã, sắc, nặng, the dictionaries' order, as in ICU's ``vi``
collation), then lower case before upper case. Plain ``sorted()`` and ``unidecode`` put Đ after Z
(or with D) and Ư with U; this key does not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Combining marks that make a new letter (ă â ê ô ơ ư) and those that only carry a tone.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_WITH_MARK = {("a", "breve"): "ă", ("a", "circumflex"): "â", ("e", "circumflex"): "ê",
              ("o", "circumflex"): "ô", ("o", "horn"): "ơ", ("u", "horn"): "ư"}
# Spaces, then punctuation, then digits, then letters, then anything else (as ICU's default).
_SPACE, _PUNCT, _DIGIT, _LETTER, _OTHER = range(5)


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Split ``text`` into (base letter or character, tone rank, is upper case)."""
    out: list[tuple[str, int, bool]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and out:
            base, tone, upper = out[-1]
            if char in _TONE_RANK:
                out[-1] = (base, _TONE_RANK[char], upper)
            elif (base, _LETTER_MARKS.get(char)) in _WITH_MARK:
                out[-1] = (_WITH_MARK[(base, _LETTER_MARKS[char])], tone, upper)
            continue  # other marks do not change the order
        out.append((char.lower(), 0, char != char.lower()))
    return out


def _primary(char: str) -> tuple[int, int]:
    if char in _LETTER_RANK:
        return (_LETTER, _LETTER_RANK[char])
    if char.isspace():
        return (_SPACE, 0)
    if char.isdigit():
        return (_DIGIT, unicodedata.digit(char, 0))
    if char.isalpha():
        return (_OTHER, ord(char))
    return (_PUNCT, ord(char))


@lru_cache(maxsize=8192)  # the same unit and commune names are sorted on every page
def vietnamese_key(text: str | None) -> tuple[tuple, tuple, tuple]:
    """Return a sort key that orders Vietnamese text alphabetically (letters, then tones, then case)."""
    letters = _letters(" ".join((text or "").split()))
    return (tuple(_primary(base) for base, _, _ in letters),
            tuple(tone for _, tone, _ in letters),
            tuple(upper for _, _, upper in letters))


def sort_vietnamese(items: Iterable[T], name: Callable[[T], str | None] = str) -> list[T]:
    """Return ``items`` sorted by ``name(item)`` in Vietnamese alphabetical order."""
    return sorted(items, key=lambda item: vietnamese_key(name(item)))


def person_key(full_name: str | None) -> tuple:
    """Sort key for a Vietnamese full name: the given name (its last word) first, then the whole name,
    as Vietnamese lists of people are ordered ("Trần Minh Đức" files under Đ, before "Lê Thị Thu Hà")."""
    words = (full_name or "").split()
    return (vietnamese_key(words[-1] if words else ""), vietnamese_key(" ".join(words)))
