"""Whose data a token reads: a commune user's token the commune's, a province user's the province's.

Every endpoint finds its tenant through one of these two helpers, so a token used at the wrong
level gets a 403 that says so (``WrongScope``), never a 404 that suggests the data is missing:
``token_commune_id`` for the commune endpoints (``/items``, ``/periods``), ``token_province`` for
those under ``/province/``.
"""

from __future__ import annotations

from flask import g

from tracker.extensions import db
from tracker.models import Province, User
from tracker.services.access import actor_of
from tracker.services.errors import NotAllowed
from tracker.services.province import province_for


class WrongScope(NotAllowed):
    """A token of the other level (commune or province): answered 403 with this Vietnamese message."""


def token_commune_id() -> int:
    """The commune of the token's user; ``WrongScope`` (403) for a province user's token."""
    user: User = g.api_user
    if user.commune_id is None:
        raise WrongScope("Mã truy cập này thuộc tài khoản cấp tỉnh, không thuộc một xã: các địa chỉ của "
                         "xã (/items, /periods) không dùng được; dùng /api/v1/province/… (ví dụ "
                         "/api/v1/province/rollup).")
    return user.commune_id


def token_province() -> Province:
    """The province of the token's user (a province leader, secretary or admin); ``WrongScope`` (403)
    for a commune user's token."""
    user: User = g.api_user
    if user.commune_id is not None:
        raise WrongScope("Mã truy cập này thuộc tài khoản của một xã: các địa chỉ /api/v1/province/… chỉ "
                         "dành cho tài khoản cấp tỉnh (lãnh đạo, văn phòng, quản trị của tỉnh).")
    return province_for(db.session, actor_of(user))
