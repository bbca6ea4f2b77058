"""Who may do what: pure functions over a user's role and unit, used by views and services."""

from dataclasses import dataclass

from tracker.domain.i18n import lazy_gettext as _l

ADMIN, LEADER, UNIT_HEAD, SECRETARY = "admin", "leader", "unit_head", "secretary"
ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    LEADER: _l("Leader"),
    UNIT_HEAD: _l("Unit head"),
    SECRETARY: _l("Office / secretary"),
}


PROVINCE_ROLES = (LEADER, SECRETARY, ADMIN)


@dataclass(frozen=True)
class Actor:
    """The parts of a signed-in user that permissions depend on.

    A commune user has ``commune_id``; a province user has ``province_id`` and no commune.
    Every rule that writes compares ``commune_id``, so a province user reads but never writes.
    """

    role: str
    commune_id: int | None
    unit_id: int | None = None
    province_id: int | None = None

    @property
    def is_province(self) -> bool:
        """True for a user of the province level."""
        return self.commune_id is None and self.province_id is not None


def can_view(actor: Actor, commune_id: int, province_id: int | None = None) -> bool:
    """Commune users read everything of their own commune; province users every commune of their
    province (``province_id`` is the commune's province)."""
    if actor.commune_id is not None:
        return actor.commune_id == commune_id
    return actor.province_id is not None and actor.province_id == province_id


def can_view_province(actor: Actor, province_id: int) -> bool:
    """Province leaders, secretaries and admins read their province's roll-up; nobody else does."""
    return actor.is_province and actor.province_id == province_id and actor.role in PROVINCE_ROLES


def can_edit_province_report(actor: Actor, province_id: int) -> bool:
    """The province's secretaries (and admins) edit its own summary report; its leaders read it."""
    return can_view_province(actor, province_id) and actor.role in (SECRETARY, ADMIN)


def can_log_progress(actor: Actor, commune_id: int, lead_unit_id: int) -> bool:
    """Admins log on any item of their commune; a unit head only on what their unit leads."""
    if actor.commune_id != commune_id:
        return False
    if actor.role == ADMIN:
        return True
    return actor.role == UNIT_HEAD and actor.unit_id == lead_unit_id


def can_manage_users(actor: Actor) -> bool:
    """Only a commune's admins manage its users and units (the province's: ``can_manage_province``)."""
    return actor.role == ADMIN and actor.commune_id is not None


def can_manage_province(actor: Actor, province_id: int) -> bool:
    """A province's admins manage its accounts and the admin accounts of its communes."""
    return actor.is_province and actor.role == ADMIN and actor.province_id == province_id


def can_read_province_accounts(actor: Actor, province_id: int) -> bool:
    """The province's leaders, secretaries and admins see who holds its accounts (whom to call)."""
    return can_view_province(actor, province_id)


def can_read_province_log(actor: Actor, province_id: int) -> bool:
    """A province's admins and leaders read its activity log (as a commune's admins and leaders do)."""
    return can_view_province(actor, province_id) and actor.role in (ADMIN, LEADER)


def can_manage_account(actor: Actor, account: Actor, account_province_id: int | None) -> bool:
    """Whether ``actor`` locks, unlocks and resets the password of ``account``.

    A commune's admin: every account of the commune. A province's admin: every account of the
    province, and the admin accounts of its communes (``account_province_id`` is the province of
    the account's commune, or its own province for a province account); never another province's.
    """
    if actor.role != ADMIN:
        return False
    if actor.commune_id is not None:
        return account.commune_id == actor.commune_id
    if not actor.is_province or account_province_id != actor.province_id:
        return False
    return account.is_province or account.role == ADMIN


def can_change_role(actor: Actor, account: Actor, account_province_id: int | None) -> bool:
    """A province's admin changes the role of the province's accounts; a commune's admin account
    stays an admin (the commune's own admin gives its other roles)."""
    return can_manage_account(actor, account, account_province_id) and (
        actor.commune_id is not None or account.is_province)


def can_direct(actor: Actor, commune_id: int) -> bool:
    """Leaders (and admins) write directives on their commune's items."""
    return actor.commune_id == commune_id and actor.role in (LEADER, ADMIN)


def can_answer_for(actor: Actor, commune_id: int, lead_unit_id: int) -> bool:
    """Whoever may log on an item answers for it: its lead unit's head, or an admin."""
    return can_log_progress(actor, commune_id, lead_unit_id)


def can_report(actor: Actor, commune_id: int) -> bool:
    """Secretaries (and admins) keep periods, statistics, finance, narratives and the legal register."""
    return actor.commune_id == commune_id and actor.role in (SECRETARY, ADMIN)


def can_sign_report(actor: Actor, commune_id: int) -> bool:
    """Who takes a submitted report to be signed (ký số) and brings the signed file back: those who
    keep the reports, and the leaders who sign them."""
    return actor.commune_id == commune_id and actor.role in (SECRETARY, ADMIN, LEADER)


def can_read_audit(actor: Actor) -> bool:
    """Admins and leaders read the audit log of their commune."""
    return actor.role in (ADMIN, LEADER) and actor.commune_id is not None


def can_see_jobs(actor: Actor) -> bool:
    """Admins, of a commune or of the province, see the scheduled jobs and when they ran."""
    return actor.role == ADMIN


def can_run_jobs(actor: Actor) -> bool:
    """Only a province's admins pause, resume and run the scheduled jobs from the app.

    Every job works on every commune at once, so a commune's admin would be deciding for all the
    others: they see the jobs read-only. The deployment's administrators use ``flask jobs``.
    """
    return actor.role == ADMIN and actor.is_province


def can_revoke_token(actor: Actor, *, own: bool, owner_commune_id: int | None) -> bool:
    """Everyone revokes their own API tokens; a commune's admins also those of its users."""
    return own or (can_manage_users(actor) and owner_commune_id == actor.commune_id)


def can_key_paper_report(actor: Actor, province_id: int) -> bool:
    """A province's secretaries and admins key in the reports its communes sent on paper."""
    return actor.is_province and actor.province_id == province_id and actor.role in (SECRETARY, ADMIN)


REVIEW_ROLES = (LEADER, SECRETARY)


def can_review(actor: Actor, province_id: int) -> bool:
    """A province's secretaries and leaders accept or return its communes' submitted reports."""
    return actor.is_province and actor.province_id == province_id and actor.role in REVIEW_ROLES


def can_edit_calendar(actor: Actor, province_id: int) -> bool:
    """A province's admins set when its communes' reports are due."""
    return actor.is_province and actor.province_id == province_id and actor.role == ADMIN
