"""API bearer tokens: created once with an expiry, stored only as a SHA-256 hash, listed, revoked,
and resolved to an active user while live."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.domain.formatting import format_date
from tracker.domain.permissions import can_manage_users, can_revoke_token
from tracker.models import ApiToken, User
from tracker.models.base import utcnow
from tracker.services.access import actor_of
from tracker.services.audit import record_event

# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200
DEFAULT_TOKEN_DAYS = 365
MAX_TOKEN_DAYS = 730
ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"


class TokenError(ValueError):
    """A token that cannot be created or revoked; the message is in Vietnamese."""


class TokenNotFound(TokenError):
    """No such token, or not one the actor may revoke (the two are not told apart)."""


class TokenRefused(PermissionError):
    """A bearer token the API does not accept; the message (Vietnamese) says why."""


def hash_token(plain: str) -> str:
    """Return the SHA-256 hex digest stored for a token."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; naive values (SQLite) are UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def token_state(token: ApiToken, now: datetime | None = None) -> str:
    """Return ``revoked``, ``expired`` or ``active``."""
    if token.revoked_at is not None:
        return REVOKED
    return EXPIRED if as_utc(token.expires_at) <= (now or utcnow()) else ACTIVE


def create_token(session: Session, user: User, name: str, *, actor: User | None = None,
                 days: int = DEFAULT_TOKEN_DAYS, now: datetime | None = None) -> str:
    """Store a new token for ``user``, valid for ``days`` days, and return its plain text, which is
    never stored."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or len(name) > 100:
        raise TokenError("Tên mã truy cập phải có từ 1 đến 100 ký tự.")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise TokenError(f"Thời hạn của mã truy cập phải từ 1 đến {MAX_TOKEN_DAYS} ngày.")
    if not user.active:
        raise TokenError(f"Tài khoản {user.username} đang bị khóa.")
    plain = secrets.token_urlsafe(32)
    created = now or utcnow()
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plain), created_at=created,
                     expires_at=created + timedelta(days=days))
    session.add(token)
    session.flush()
    record_event(session, "token.create", actor=actor, commune_id=user.commune_id,
                 object_type="api_token", object_id=token.id,
                 after={"user": user.username, "name": name, "expires_at": token.expires_at.isoformat()})
    return plain


def authenticate_token(session: Session, plain: str, now: datetime | None = None) -> User:
    """Return the active user of a live token and note its use; raise ``TokenRefused`` otherwise."""
    if not plain or len(plain) > MAX_TOKEN_LENGTH:
        raise TokenRefused("Mã truy cập không đúng.")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None:
        raise TokenRefused("Mã truy cập không đúng.")
    state = token_state(token, now)
    if state == REVOKED:
        raise TokenRefused("Mã truy cập đã bị thu hồi.")
    if state == EXPIRED:
        raise TokenRefused(f"Mã truy cập đã hết hạn ngày {format_date(as_utc(token.expires_at).date())}; "
                           "hãy tạo mã mới.")
    if not token.user.active:
        raise TokenRefused("Tài khoản của mã truy cập này đã bị khóa.")
    token.last_used_at = utcnow()
    return token.user


def user_for_token(session: Session, plain: str, now: datetime | None = None) -> User | None:
    """Return the active user of a live token and note its use; None otherwise."""
    try:
        return authenticate_token(session, plain, now)
    except TokenRefused:
        return None


def _listing():
    return (select(ApiToken).join(ApiToken.user).options(joinedload(ApiToken.user))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first (revoked and expired ones too)."""
    return list(session.scalars(_listing().where(ApiToken.user_id == user.id)))


def commune_tokens(session: Session, commune_id: int) -> list[ApiToken]:
    """Return the tokens of every user of a commune, newest first."""
    return list(session.scalars(_listing().where(User.commune_id == commune_id)))


def others_tokens(session: Session, admin: User) -> list[ApiToken]:
    """The tokens of the other users of an admin's commune, newest first; none for anyone else."""
    if not can_manage_users(actor_of(admin)):
        return []
    return list(session.scalars(_listing().where(User.commune_id == admin.commune_id,
                                                 ApiToken.user_id != admin.id)))


def list_tokens(session: Session, user: User | None = None) -> list[ApiToken]:
    """Return every token of the deployment, or of ``user``, newest first (for the CLI)."""
    query = _listing()
    return list(session.scalars(query if user is None else query.where(ApiToken.user_id == user.id)))


def revoke_token(session: Session, token_id: int, *, actor: User | None = None,
                 now: datetime | None = None) -> ApiToken:
    """Revoke a token at once and audit it; ``actor`` None is the command line.

    A user revokes their own tokens, a commune's admin those of its users; any other token is
    ``TokenNotFound``. Revoking a revoked token changes nothing.
    """
    token = session.get(ApiToken, token_id)
    if token is None or (actor is not None and not can_revoke_token(
            actor_of(actor), own=token.user_id == actor.id, owner_commune_id=token.user.commune_id)):
        raise TokenNotFound(f"Không có mã truy cập số {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        record_event(session, "token.revoke", actor=actor, commune_id=token.user.commune_id,
                     object_type="api_token", object_id=token.id,
                     after={"user": token.user.username, "name": token.name})
        session.flush()
    return token
