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


@dataclass(frozen=True)
class Actor:
    """The parts of a signed-in user that permissions depend on."""

    role: str
    commune_id: int
    unit_id: int | None = None


def can_view(actor: Actor, commune_id: int) -> bool:
    """Every signed-in user reads everything of their own commune."""
    return actor.commune_id == commune_id


def can_log_progress(actor: Actor, commune_id: int, lead_unit_id: int) -> bool:
    """Admins log on any item of their commune; a unit head only on what their unit leads."""
    if actor.commune_id != commune_id:
        return False
    if actor.role == ADMIN:
        return True
    return actor.role == UNIT_HEAD and actor.unit_id == lead_unit_id


def can_manage_users(actor: Actor) -> bool:
    """Only admins manage users and units."""
    return actor.role == ADMIN


def can_direct(actor: Actor, commune_id: int) -> bool:
    """Leaders (and admins) write directives on their commune's items."""
    return actor.commune_id == commune_id and actor.role in (LEADER, ADMIN)


def can_answer_for(actor: Actor, commune_id: int, lead_unit_id: int) -> bool:
    """Whoever may log on an item answers for it: its lead unit's head, or an admin."""
    return can_log_progress(actor, commune_id, lead_unit_id)


def can_report(actor: Actor, commune_id: int) -> bool:
    """Secretaries (and admins) keep periods, statistics, finance, narratives and the legal register."""
    return actor.commune_id == commune_id and actor.role in (SECRETARY, ADMIN)


def can_read_audit(actor: Actor) -> bool:
    """Admins and leaders read the audit log of their commune."""
    return actor.role in (ADMIN, LEADER)
