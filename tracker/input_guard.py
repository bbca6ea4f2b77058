"""One guard for every request: no NUL, other control character or lone surrogate gets in.

Why a request-level guard rather than a check in each form reader: the characters are never
legitimate anywhere (see ``tracker.domain.text``), and a forgotten field was exactly how they got
through (an inbox address, a full name, a plan-template code, an audit filter: PostgreSQL then
refuses the statement and the page answers 500). Checking the whole request before any view runs
covers every field, present and future, the query string, the path, upload names and the API's
JSON bodies, whose ``\\ud800`` escapes are valid JSON but not text. The services still check their
own fields (``tracker.domain.entries.text_problem``), for the callers that are not requests
(imports, seed files) and to name the field on a form.

Tab and line breaks pass here (a textarea sends them); fields that must be one line say so
themselves. The answer is 400: an error page in the reader's language, or the API's JSON error
naming the field: each face's error handler answers the ``BadArgument``.
"""

from __future__ import annotations

import json

from flask import Flask, request

from tracker.domain.text import bad_character_message, bad_strings, has_bad_character
from tracker.request_args import BadArgument

BODY_METHODS = ("POST", "PUT", "PATCH")


def first_bad_field() -> str | None:
    """Name the first part of the current request that holds a forbidden character, or None."""
    if has_bad_character(request.path):
        return "path"
    for source, values in (("query", request.args), ("form", request.form)):
        for key, value in values.items(multi=True):
            if has_bad_character(key) or has_bad_character(value):
                return key if not has_bad_character(key) else source
    for key, upload in request.files.items(multi=True):
        if has_bad_character(key) or has_bad_character(upload.filename or ""):
            return "files"
    if request.path.startswith("/api/") and request.method in BODY_METHODS:
        return _bad_json_field(request.get_data(cache=True))
    return None


def _bad_json_field(raw: bytes) -> str | None:
    """The path of the first bad string of a JSON body; None when clean or not JSON at all (the
    endpoint then answers its own "not valid JSON")."""
    if not raw.strip():
        return None
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return next(bad_strings(parsed), None)


def install_input_guard(app: Flask) -> None:
    """Refuse, before any view, a request that carries a forbidden character."""

    @app.before_request
    def refuse_bad_characters():
        field = first_bad_field()
        if field is None:
            return None
        raise BadArgument(field, bad_character_message())
