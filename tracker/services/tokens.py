"""API bearer tokens: created once, stored only as a SHA-256 hash, resolved to an active user."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import ApiToken, User
from tracker.models.base import utcnow
from tracker.services.audit import record_event

# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class TokenError(ValueError):
    """A token that cannot be created; the message is in Vietnamese."""


def hash_token(plain: str) -> str:
    """Return the SHA-256 hex digest stored for a token."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, name: str, *, actor: User | None = None) -> str:
    """Store a new token for ``user`` and return its plain text, which is never stored."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or len(name) > 100:
        raise TokenError("Tên mã truy cập phải có từ 1 đến 100 ký tự.")
    if not user.active:
        raise TokenError(f"Tài khoản {user.username} đang bị khóa.")
    plain = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plain))
    session.add(token)
    session.flush()
    record_event(session, "token.create", actor=actor, commune_id=user.commune_id,
                 object_type="api_token", object_id=token.id,
                 after={"user": user.username, "name": name})
    return plain


def user_for_token(session: Session, plain: str) -> User | None:
    """Return the active user of an unrevoked token and note its use; None otherwise."""
    if not plain or len(plain) > MAX_TOKEN_LENGTH:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user
