"""Accounts: creating users, checking passwords, signing in."""

from __future__ import annotations

import threading
import unicodedata
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.domain.collation import person_key
from tracker.domain.entries import text_problem
from tracker.domain.i18n import LANGUAGES
from tracker.domain.i18n import gettext as _
from tracker.domain.permissions import (
    ADMIN,
    PROVINCE_ROLES,
    ROLE_LABELS,
    UNIT_HEAD,
    can_change_role,
    can_manage_account,
    can_manage_province,
)
from tracker.domain.text import character_problem
from tracker.models import Commune, Province, Unit, User
from tracker.models.base import utcnow
from tracker.services.access import actor_of, province_communes
from tracker.services.audit import record_event
from tracker.services.errors import NotAllowed, NotFound
from tracker.services.notifications import unread_count_column
from tracker.services.throttle import LoginThrottled, claim_attempt, forget_attempts

# One scrypt check at N=2**17, r=8 holds 128 MiB for its duration: a threaded server checks at most
# this many passwords at once per process, and a sign-in waits at most this long for its turn
# (gunicorn's sync workers handle one request each and never wait).
PASSWORD_CHECKS_AT_ONCE = 2
PASSWORD_CHECK_WAIT = 10  # seconds
_password_checks = threading.BoundedSemaphore(PASSWORD_CHECKS_AT_ONCE)


@cache
def _dummy_hash(method: str) -> str:
    """A hash to compare against when the username is unknown, made with the real method, so an
    unknown name fails exactly as slowly as a wrong password (no timing tells which names exist)."""
    return generate_password_hash("not-a-password", method=method)


class UserError(ValueError):
    """Refused account data; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# The most used passwords (international lists and common Vietnamese choices): never accepted.
COMMON_PASSWORDS = frozenset("""
12345678 123456789 1234567890 11111111 00000000 88888888 66666666 12341234 87654321 123123123
password password1 password123 passw0rd qwerty123 qwertyui 1qaz2wsx abc12345 abcd1234 iloveyou
admin123 administrator welcome1 letmein1 changeme matkhau matkhau1 matkhau123 anhyeuem
emyeuanh vietnam1 vietnam123 hanoi123 saigon123 ubndxa123 xa123456 demo1234 test1234
""".split())


def check_password_rules(password: str, min_length: int) -> None:
    """Refuse passwords that are too short, too long or among the most common (OWASP ASVS 6.2)."""
    if len(password) < min_length:
        raise UserError("password", _("The password must have at least %(min)s characters.", min=min_length))
    if len(password) > 128:
        raise UserError("password", _("The password is longer than 128 characters."))
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 3:
        raise UserError("password", _("This password is too common and easy to guess; choose another one "
                                      "(for example a short sentence you remember easily)."))


def create_user(
    session: Session,
    *,
    commune: Commune | None = None,
    province: Province | None = None,
    username: str,
    password: str,
    role: str,
    full_name: str | None = None,
    unit_code: str | None = None,
    hash_method: str,
    min_length: int,
    actor: User | None = None,
) -> User:
    """Create an account after checking every field; nothing is added on refusal.

    A commune user names ``commune``; a province user (leader, secretary or admin) names
    ``province`` instead and has no unit.
    """
    if (commune is None) == (province is None):
        raise UserError("commune", "Tài khoản thuộc đúng một xã hoặc một tỉnh.")
    if province is not None and (role not in PROVINCE_ROLES or unit_code):
        raise UserError("role", "Tài khoản cấp tỉnh chỉ là lãnh đạo, văn phòng hoặc quản trị, "
                                "không gắn đơn vị.")
    username = unicodedata.normalize("NFC", username).strip().lower()
    if not username or len(username) > 80 or not all(c.isalnum() or c in "._-" for c in username):
        raise UserError("username",
                        _("A username has only letters, digits and . _ - (at most 80 characters)."))
    if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise UserError("username", _("The username '%(username)s' is taken.", username=username))
    if full_name and (problem := character_problem(full_name, multiline=False)):
        raise UserError("full_name", problem)
    if role not in ROLE_LABELS:
        raise UserError("role", _("The role '%(role)s' is not valid (choose: %(roles)s).", role=role,
                                  roles=", ".join(ROLE_LABELS)))
    unit = None
    if unit_code and commune is not None:
        unit = session.scalar(select(Unit).where(Unit.commune_id == commune.id, Unit.code == unit_code))
        if unit is None:
            raise UserError("unit", _("There is no unit with code '%(code)s' in %(commune)s.", code=unit_code,
                                      commune=commune.name))
    if role == UNIT_HEAD and unit is None:
        raise UserError("unit", _("A unit head must belong to a unit."))
    check_password_rules(password, min_length)
    user = User(
        commune_id=commune.id if commune else None,
        province_id=province.id if province else None,
        username=username,
        full_name=unicodedata.normalize("NFC", full_name or username).strip(),
        password_hash=generate_password_hash(password, method=hash_method),
        role=role,
        unit_id=unit.id if unit else None,
    )
    session.add(user)
    session.flush()
    record_event(session, "user.create", actor=actor, commune_id=commune.id if commune else None,
                 object_type="user",
                 object_id=user.id, after={"username": username, "role": role, "unit": unit_code})
    return user


def units_of(session: Session, commune_id: int | None) -> list[Unit]:
    """The commune's units in their order."""
    return list(session.scalars(select(Unit).where(Unit.commune_id == commune_id).order_by(Unit.sort_order)))


def users_of(session: Session, commune_id: int | None) -> list[User]:
    """The commune's users, sorted by name as Vietnamese readers sort them."""
    return sorted(session.scalars(select(User).where(User.commune_id == commune_id)),
                  key=lambda u: person_key(u.full_name or u.username))


def _province_of(user: User) -> int | None:
    """The province an account belongs to: its own, or its commune's."""
    return user.province_id if user.commune_id is None else user.commune.province_id


def managed_account(session: Session, actor: User, user_id: int) -> User:
    """The account ``user_id`` if ``actor`` manages it (``can_manage_account``).

    A commune's admin gets ``NotFound`` for any other account, as if it did not exist (communes do
    not learn of each other's accounts); a province's admin, who sees every commune of the
    province, gets ``NotAllowed`` (a 403) for an account out of reach: another province's, or a
    commune account that is not an admin's.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    if can_manage_account(actor_of(actor), actor_of(user), _province_of(user)):
        return user
    if actor.commune_id is not None:
        raise NotFound(f"no user {user_id} in this commune")
    raise NotAllowed(f"{actor.username} may not manage the account {user_id}")


def province_commune(session: Session, actor: User, commune_id: int) -> Commune:
    """A commune of the province whose accounts ``actor`` manages; ``NotAllowed`` for another's."""
    commune = session.get(Commune, commune_id)
    if commune is None:
        raise NotFound(f"no commune {commune_id}")
    if not can_manage_province(actor_of(actor), commune.province_id):
        raise NotAllowed(f"{actor.username} may not manage the accounts of commune {commune_id}")
    return commune


def province_users(session: Session, province_id: int) -> list[User]:
    """The province's own accounts, sorted by name as Vietnamese readers sort them."""
    return sorted(session.scalars(select(User).where(User.province_id == province_id)),
                  key=lambda u: person_key(u.full_name or u.username))


def commune_admins(session: Session, province_id: int) -> list[tuple[Commune, list[User]]]:
    """Every commune of the province (by name) with its admin accounts (none yet: an empty list),
    in two statements whatever the number of communes."""
    communes = province_communes(session, province_id)
    admins: dict[int, list[User]] = {c.id: [] for c in communes}
    for user in session.scalars(select(User).join(Commune, Commune.id == User.commune_id)
                                .where(Commune.province_id == province_id, User.role == ADMIN)):
        admins[user.commune_id].append(user)
    return [(c, sorted(admins[c.id], key=lambda u: person_key(u.full_name or u.username))) for c in communes]


def find_user(session: Session, username: str) -> User | None:
    """Return the user with ``username`` (compared as stored: NFC, trimmed, lower case)."""
    username = unicodedata.normalize("NFC", username).strip().lower()
    return session.scalar(select(User).where(User.username == username))


class SignInBusy(LoginThrottled):
    """Too many passwords are being checked at this moment in this process; try again shortly."""


def authenticate(session: Session, username: str, password: str, remote_addr: str | None,
                 *, now: datetime | None = None, hash_method: str = "scrypt:1024:8:1") -> User | None:
    """Return the active user with these credentials, recording success or failure.

    The attempt is first claimed in the throttle (per account name and address) and **committed**,
    so parallel attempts in other workers count it before this one's slow password check. Raises
    ``LoginThrottled`` without checking the password while this address must wait for this account;
    the refusal is recorded. The caller commits the outcome (the audit event). ``hash_method`` is
    the configured one: an unknown name is checked against a hash that costs as much as a real one.
    """
    username = unicodedata.normalize("NFC", username).strip().lower()
    key = username.encode("unicode_escape").decode()[:80]  # storable even with NUL (PostgreSQL refuses it)
    address = remote_addr.encode("unicode_escape").decode()[:64] if remote_addr else None
    try:
        claim_attempt(session, key, address or "", now or utcnow())
    except LoginThrottled:
        record_event(session, "auth.login_throttled", object_type="user", object_id=key, remote_addr=address)
        raise
    session.commit()
    if text_problem(username) or text_problem(password):
        record_event(session, "auth.login_failed", object_type="user", object_id=key, remote_addr=address)
        return None
    user = session.scalar(select(User).where(User.username == username))
    if not _password_checks.acquire(timeout=PASSWORD_CHECK_WAIT):
        record_event(session, "auth.login_throttled", object_type="user", object_id=key, remote_addr=address,
                     after={"reason": "busy"})
        raise SignInBusy(username, retry_after=PASSWORD_CHECK_WAIT)
    try:
        valid = check_password_hash(user.password_hash if user else _dummy_hash(hash_method), password)
    finally:
        _password_checks.release()
    if user is None or not valid or not user.active:
        record_event(session, "auth.login_failed", commune_id=user.commune_id if user else None,
                     province_id=user.province_id if user else None,
                     object_type="user", object_id=key, remote_addr=address)
        return None
    forget_attempts(session, key, address or "")
    record_event(session, "auth.login", actor=user, object_type="user", object_id=user.id,
                 remote_addr=remote_addr)
    return user


def load_user_from_token(session: Session, token: str) -> User | None:
    """Resolve a Flask-Login id ``"<id>:<session_version>"`` to an active user."""
    return load_user_with_unread(session, token)[0]


def load_user_with_unread(session: Session, token: str) -> tuple[User | None, int]:
    """Resolve a Flask-Login id to an active user, with their unread count, in one statement.

    Every signed-in page shows the inbox badge, and a commune's pages start from the user's
    commune: both come with the user rather than in two more round trips.
    """
    user_id, _, version = token.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None, 0
    row = session.execute(_user_with_unread_query(), {"user_id": int(user_id)}).first()
    if row is None or not row[0].active or row[0].session_version != int(version):
        return None, 0
    return row[0], row[1]


@cache
def _user_with_unread_query() -> Select:
    """Select the user ``:user_id`` with their commune, its current plan and their unread count
    (built once: every page asks)."""
    return (select(User, unread_count_column(User.id)).where(User.id == bindparam("user_id"))
            .options(joinedload(User.commune).joinedload(Commune.current_plan)))


def end_all_sessions(session: Session, user: User) -> None:
    """End every open session of ``user`` (signing out: the cookie is no use to anyone after it)."""
    user.session_version += 1


def set_user_active(session: Session, user: User, active: bool, *, actor: User) -> None:
    """Lock or unlock an account; locking also ends its open sessions. Nobody locks their own."""
    if user.active == active:
        return
    if user.id == actor.id:
        raise UserError("active", _("You cannot lock the account you are using."))
    before = {"active": user.active}
    user.active = active
    if not active:
        user.session_version += 1
    record_event(session, "user.lock" if not active else "user.unlock", actor=actor,
                 commune_id=user.commune_id, object_type="user", object_id=user.id, before=before,
                 after={"active": active})


def change_role(session: Session, user: User, role: str, *, actor: User) -> None:
    """Give an account another role; its sessions end (the rights they opened with are gone).

    A province account is a leader, secretary or admin of the province; nobody changes their own
    role (an admin would lock themselves out of this page).
    """
    if not can_change_role(actor_of(actor), actor_of(user), _province_of(user)):
        raise NotAllowed(f"{actor.username} may not change the role of {user.username}")
    if user.role == role:
        return
    if user.id == actor.id:
        raise UserError("role", _("You cannot change the role of the account you are using."))
    allowed = PROVINCE_ROLES if user.commune_id is None else tuple(ROLE_LABELS)
    if role not in allowed:
        raise UserError("role", _("The role '%(role)s' is not valid (choose: %(roles)s).", role=role,
                                  roles=", ".join(allowed)))
    if role == UNIT_HEAD and user.unit_id is None:
        raise UserError("role", _("A unit head must belong to a unit."))
    before = {"role": user.role}
    user.role = role
    user.session_version += 1
    record_event(session, "user.role", actor=actor, commune_id=user.commune_id, object_type="user",
                 object_id=user.id, before=before, after={"role": role})


def change_password(session: Session, user: User, current: str, new: str, *, hash_method: str,
                    min_length: int) -> None:
    """Change one's own password; every other open session of the account ends."""
    if not check_password_hash(user.password_hash, current or ""):
        raise UserError("current", _("The current password is wrong."))
    if new == current:
        raise UserError("password", _("The new password must differ from the current one."))
    check_password_rules(new or "", min_length)
    user.password_hash = generate_password_hash(new, method=hash_method)
    user.session_version += 1
    forget_attempts(session, user.username)
    record_event(session, "user.password_change", actor=user, object_type="user", object_id=user.id)


def reset_password(session: Session, user: User, new: str, *, actor: User, hash_method: str,
                   min_length: int) -> None:
    """An admin sets a new password for a user of the commune; the user's sessions end."""
    check_password_rules(new or "", min_length)
    user.password_hash = generate_password_hash(new, method=hash_method)
    user.session_version += 1
    forget_attempts(session, user.username)  # the owner signs in with it at once, from anywhere
    record_event(session, "user.password_reset", actor=actor, commune_id=user.commune_id,
                 object_type="user", object_id=user.id)


def set_language(session: Session, user: User, language: str | None) -> None:
    """Record the interface language a person chose (``vi`` or ``en``; None: the default)."""
    if language is not None and language not in LANGUAGES:
        raise UserError("language", _("Choose a language from the list."))
    if user.language == language:
        return
    before = {"language": user.language}
    user.language = language
    record_event(session, "user.language", actor=user, object_type="user", object_id=user.id,
                 before=before, after={"language": language})
