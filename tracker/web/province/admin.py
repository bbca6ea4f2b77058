"""Province administration: the province's accounts, its communes' admin accounts, its activity log.

A province's admins manage; its leaders and secretaries see the accounts (and leaders the log)
without the forms; commune users get 403. The services check every account again
(``managed_account``, ``province_commune``): a forged id of another province's account or commune
is a 403 there too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from tracker.domain.activity import KIND_LABELS
from tracker.domain.i18n import gettext as _
from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import (
    PROVINCE_ROLES,
    ROLE_LABELS,
    Actor,
    can_manage_province,
    can_read_province_accounts,
    can_read_province_log,
)
from tracker.extensions import db
from tracker.models import Province
from tracker.services.access import actor_of, province_communes
from tracker.services.audit import ADMINS, EVERYONE, PROVINCE_ONLY, ProvinceLog, activity_page
from tracker.services.errors import NotAllowed
from tracker.services.province import province_for
from tracker.services.users import (
    UserError,
    change_role,
    commune_admins,
    create_user,
    managed_account,
    province_commune,
    province_users,
)
from tracker.transaction import undo
from tracker.web.account_actions import lock_or_unlock, password_settings, reset_account_password
from tracker.web.account_forms import CommuneAdminForm, ProvinceUserForm
from tracker.web.activity_args import audit_filter, page_number
from tracker.web.province import bp

# Two account forms on one page: their fields are told apart by these prefixes.
USER_PREFIX, ADMIN_PREFIX = "province", "commune-admin"
PEOPLE_LABELS = {
    ADMINS: _l("The province and the communes' admins"),
    PROVINCE_ONLY: _l("The province only"),
    EVERYONE: _l("Everyone in the communes"),
}


def province_page(check: Callable[[Actor, int], bool]):
    """Decorate a view: a user of a province for whom ``check(actor, province_id)`` holds, else 403;
    the view receives the province."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            actor = actor_of(current_user)
            province = province_for(db.session, actor)  # NotAllowed (403) for a commune's users
            if not check(actor, province.id):
                raise NotAllowed(f"{current_user.username} may not open {request.path}")
            return view(province, *args, **kwargs)
        return wrapper
    return decorate


def _users_page(province: Province, user_form: ProvinceUserForm | None = None,
                admin_form: CommuneAdminForm | None = None):
    """The accounts page, with the forms as typed when one was refused (422)."""
    communes = commune_admins(db.session, province.id)
    manage = can_manage_province(actor_of(current_user), province.id)
    user_form = user_form or ProvinceUserForm(formdata=None, prefix=USER_PREFIX)
    admin_form = admin_form or CommuneAdminForm(formdata=None, prefix=ADMIN_PREFIX)
    admin_form.commune.choices = [SelectChoice("", _("— choose a commune —"))] + [
        SelectChoice(str(c.id), c.name) for c, _admins in communes]
    refused = bool(user_form.errors or admin_form.errors)
    people = province_users(db.session, province.id)
    return render_template("province/users.html", province=province, people=people, communes=communes,
                           manage=manage, user_form=user_form, admin_form=admin_form,
                           roles=PROVINCE_ROLES), 422 if refused else 200


@bp.get("/province/users")
@province_page(can_read_province_accounts)
def users(province: Province):
    """The province's accounts and each commune's admin accounts; the forms for its admins."""
    return _users_page(province)


@bp.post("/province/users")
@province_page(can_manage_province)
def create_province_user(province: Province):
    """Create a leader, secretary or admin account of the province."""
    form = ProvinceUserForm(prefix=USER_PREFIX)
    if form.validate_on_submit():
        try:
            user = create_user(db.session, province=province, username=form.username.data,
                               password=form.password.data, role=form.role.data,
                               full_name=form.full_name.data, actor=current_user, **password_settings())
        except UserError as exc:
            undo()
            getattr(form, exc.field if exc.field in form else "role").errors.append(exc.message)
        else:
            flash(_("Account %(username)s created.", username=user.username))
            return redirect(url_for("province.users"))
    return _users_page(province, user_form=form)


@bp.post("/province/commune-admins")
@province_page(can_manage_province)
def create_commune_admin(province: Province):
    """Create an admin account for a commune of the province (403 for another province's)."""
    form = CommuneAdminForm(prefix=ADMIN_PREFIX)
    if form.validate_on_submit():
        if not (form.commune.data or "").isdigit():
            form.commune.errors.append(_("Choose a commune from the list."))
            return _users_page(province, admin_form=form)
        commune = province_commune(db.session, current_user, int(form.commune.data))
        try:
            user = create_user(db.session, commune=commune, username=form.username.data,
                               password=form.password.data, role="admin", full_name=form.full_name.data,
                               actor=current_user, **password_settings())
        except UserError as exc:
            undo()
            getattr(form, exc.field if exc.field in form else "username").errors.append(exc.message)
        else:
            flash(_("Admin account %(username)s created for %(commune)s.", username=user.username,
                    commune=commune.name))
            return redirect(url_for("province.users"))
    return _users_page(province, admin_form=form)


@bp.post("/province/users/<int:user_id>/active")
@province_page(can_manage_province)
def toggle_active(province: Province, user_id: int):
    """Lock or unlock an account of the province or a commune admin's account."""
    return lock_or_unlock(user_id, "province.users")

@bp.post("/province/users/<int:user_id>/password")
@province_page(can_manage_province)
def reset_user_password(province: Province, user_id: int):
    """Set a new password for an account of the province or a commune admin's; their sessions end."""
    return reset_account_password(user_id, "province.users")

@bp.post("/province/users/<int:user_id>/role")
@province_page(can_manage_province)
def set_role(province: Province, user_id: int):
    """Give an account of the province another role (leader, secretary or admin)."""
    user = managed_account(db.session, current_user, user_id)
    before = user.role
    try:
        change_role(db.session, user, request.form.get("role", ""), actor=current_user)
    except UserError as exc:
        undo()
        flash(_("Could not change the role of %(username)s: %(problem)s", username=user.username,
                problem=exc.message))
        return redirect(url_for("province.users"))
    if user.role != before:
        flash(_("The role of %(username)s is now %(role)s; the account's sessions have ended.",
                username=user.username, role=ROLE_LABELS[user.role]))
    return redirect(url_for("province.users"))


@bp.get("/province/activity")
@province_page(can_read_province_log)
def activity(province: Province):
    """The province's activity log: its own events and its communes' (admins' by default), newest
    first, 50 a page, filtered by commune, person group, kind and dates."""
    communes = province_communes(db.session, province.id)
    code = request.args.get("commune") or None
    chosen = next((c for c in communes if c.code == code), None)
    if code and chosen is None:
        raise NotAllowed(f"{current_user.username} may not read the log of commune {code[:40]}")
    people = request.args.get("people") or ADMINS
    if people not in PEOPLE_LABELS:
        people = ADMINS
    wanted = audit_filter()
    log = ProvinceLog(province.id, chosen.id if chosen else None, people)
    shown = activity_page(db.session, log, wanted, page_number())
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("province/activity.html", province=province, shown=shown, wanted=wanted,
                           filters=filters, communes=communes, chosen=chosen, people=people,
                           people_labels=PEOPLE_LABELS, kinds=KIND_LABELS,
                           commune_names={c.id: c.name for c in communes})
