"""The errors services raise, in one module every service and face imports.

Each face maps them once (``tracker.web.errors`` to pages, ``tracker.api.errors`` to JSON):
``NotAllowed`` is a 403, ``NotFound`` a 404, ``EntryRefused`` a form or JSON answer naming each
field, ``AlreadySuperseded`` a 409. A view never catches them only to answer the same status.
"""

from __future__ import annotations


class NotAllowed(PermissionError):
    """The actor may not do this (answered 403; the refusal itself is audited)."""


class NotFound(LookupError):
    """No such row within the actor's reach (answered 404, never 403, to hide other tenants)."""


class EntryRefused(ValueError):
    """An entry that was not stored; ``errors`` maps each field to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class DerivedEntryRefused(EntryRefused):
    """An entry typed by hand on a target computed from the periods' figures (answered 422)."""


class AlreadySuperseded(EntryRefused):
    """A correction of an entry that another entry already corrects (a conflict, not bad input)."""


class BatchRefused(ValueError):
    """Some rows of a batch were refused; ``errors`` maps item codes to field messages."""

    def __init__(self, errors: dict[str, dict[str, str]]):
        super().__init__("; ".join(f"{code}: {e}" for code, e in errors.items()))
        self.errors = errors
