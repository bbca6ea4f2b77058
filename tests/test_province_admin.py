"""Province administration (issue 15): the province's accounts and its communes' admin accounts,
the province's activity log, and the province API.

Measured in the issue: a province token got 404 from the API, province users and units could not
be managed from the province, and there was no province audit log.
"""

from datetime import date

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import event, func, select
from werkzeug.security import check_password_hash

from tests.conftest import PASSWORD
from tracker.api.openapi import openapi_document
from tracker.domain.activity import Event, Names, describe
from tracker.domain.permissions import (
    Actor,
    can_change_role,
    can_manage_account,
    can_manage_province,
    can_read_province_accounts,
    can_read_province_log,
)
from tracker.models import AuditEvent, Commune, Province, User
from tracker.services.audit import EVERYONE, PROVINCE_ONLY, AuditFilter, ProvinceLog, activity_page
from tracker.services.errors import NotAllowed, NotFound
from tracker.services.plan_template import find_or_create_commune
from tracker.services.tokens import create_token
from tracker.services.users import (
    UserError,
    change_role,
    create_user,
    managed_account,
    province_commune,
    reset_password,
    set_user_active,
)

NEW_PASSWORD = "mat-khau-moi-cua-xa"


# --- the rules, without a database --------------------------------------------------------------

P, OTHER_P = 1, 2
PROVINCE_ADMIN = Actor("admin", None, province_id=P)
PROVINCE_LEADER = Actor("leader", None, province_id=P)
PROVINCE_SECRETARY = Actor("secretary", None, province_id=P)
COMMUNE_ADMIN = Actor("admin", 10)
OTHER_PROVINCE_ADMIN = Actor("admin", None, province_id=OTHER_P)

# account (and the province it belongs to) -> who may lock it / reset it, and change its role
ACCOUNTS = {
    "province leader": (Actor("leader", None, province_id=P), P),
    "commune admin": (Actor("admin", 10), P),
    "commune unit head": (Actor("unit_head", 10, unit_id=3), P),
    "admin of another commune": (Actor("admin", 11), P),
    "other province's leader": (Actor("leader", None, province_id=OTHER_P), OTHER_P),
    "other province's commune admin": (Actor("admin", 20), OTHER_P),
}
MANAGES = {  # actor -> the accounts it manages
    "province admin": {"province leader", "commune admin", "admin of another commune"},
    "province leader": set(),
    "province secretary": set(),
    "commune admin": {"commune admin", "commune unit head"},
    "other province's admin": {"other province's leader", "other province's commune admin"},
}
ACTORS = {"province admin": PROVINCE_ADMIN, "province leader": PROVINCE_LEADER,
          "province secretary": PROVINCE_SECRETARY, "commune admin": COMMUNE_ADMIN,
          "other province's admin": OTHER_PROVINCE_ADMIN}


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_who_manages_which_account(actor, account):
    target, province = ACCOUNTS[account]
    assert can_manage_account(ACTORS[actor], target, province) == (account in MANAGES[actor])


def test_a_province_admin_changes_roles_of_the_provinces_accounts_only():
    leader, commune_admin = ACCOUNTS["province leader"], ACCOUNTS["commune admin"]
    assert can_change_role(PROVINCE_ADMIN, *leader)
    assert not can_change_role(PROVINCE_ADMIN, *commune_admin), "a commune's admin stays an admin"
    assert not can_change_role(PROVINCE_LEADER, *leader)
    assert not can_change_role(OTHER_PROVINCE_ADMIN, *leader)


def test_who_manages_reads_and_reads_the_log_of_a_province():
    assert can_manage_province(PROVINCE_ADMIN, P)
    assert not can_manage_province(PROVINCE_ADMIN, OTHER_P)
    assert not any(can_manage_province(a, P) for a in (PROVINCE_LEADER, PROVINCE_SECRETARY, COMMUNE_ADMIN))
    province_users = (PROVINCE_ADMIN, PROVINCE_LEADER, PROVINCE_SECRETARY)
    assert all(can_read_province_accounts(a, P) for a in province_users)
    assert not can_read_province_accounts(COMMUNE_ADMIN, P)
    assert not can_read_province_accounts(OTHER_PROVINCE_ADMIN, P)
    assert can_read_province_log(PROVINCE_ADMIN, P)
    assert can_read_province_log(PROVINCE_LEADER, P)
    assert not can_read_province_log(PROVINCE_SECRETARY, P), "as in a commune: admins and leaders"
    assert not can_read_province_log(COMMUNE_ADMIN, P)


def test_a_role_change_reads_as_a_sentence():
    sentence = describe(Event("user.role", "Trần Thị Tỉnh", "user", "7", {"role": "leader"},
                              {"role": "secretary"}), Names(users={7: "Lê Văn B"}))
    assert sentence == "Trần Thị Tỉnh đổi vai trò của Lê Văn B từ lãnh đạo thành văn phòng / tổng hợp"


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def world(db, plan, make_user, data_app):
    """Two communes of the seeded province (Ngọk Bay and Xã Khác) with an admin and a unit head;
    the province's admin, leader and secretary; another province with its admin and a commune admin."""
    settings = {"hash_method": data_app.config["PASSWORD_HASH_METHOD"],
                "min_length": data_app.config["PASSWORD_MIN_LENGTH"]}
    province = plan.commune.province
    other_commune = find_or_create_commune(db.session, "xa-khac", "Xã Khác", province.name)
    far_commune = find_or_create_commune(db.session, "xa-xa", "Xã Xa", "Tỉnh Khác")
    people = {}
    for username, role, place in (
            ("admin.tinh", "admin", {"province": province}),
            ("lanhdao.tinh", "leader", {"province": province}),
            ("vanphong.tinh", "secretary", {"province": province}),
            ("admin.khac", "admin", {"commune": other_commune}),
            ("admin.tinhkhac", "admin", {"province": far_commune.province}),
            ("admin.xa", "admin", {"commune": far_commune})):
        people[username] = create_user(db.session, username=username, password=PASSWORD, role=role,
                                       full_name=username, **place, **settings)
    db.session.commit()
    people["admin"] = make_user("admin", "admin")
    people["tp.tthcc"] = make_user("tp.tthcc", "unit_head", "TTHCC")
    people["communes"] = (plan.commune, other_commune, far_commune)
    people["settings"] = settings
    return people


def signed_in(app, username, password=PASSWORD):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": password}).status_code == 302
    return client


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


# --- the services -------------------------------------------------------------------------------


def test_each_management_action_is_audited_with_the_province_user_as_actor(db, world):
    tinh, settings = world["admin.tinh"], world["settings"]
    province = tinh.province
    ngok_bay = world["communes"][0]
    secretary = create_user(db.session, province=province, username="vp2.tinh", password=PASSWORD,
                            role="secretary", actor=tinh, **settings)
    commune_admin = create_user(db.session, commune=province_commune(db.session, tinh, ngok_bay.id),
                                username="admin2.ngokbay", password=PASSWORD, role="admin", actor=tinh,
                                **settings)
    set_user_active(db.session, managed_account(db.session, tinh, commune_admin.id), False, actor=tinh)
    set_user_active(db.session, commune_admin, True, actor=tinh)
    reset_password(db.session, commune_admin, NEW_PASSWORD, actor=tinh, **settings)
    version = secretary.session_version
    change_role(db.session, managed_account(db.session, tinh, secretary.id), "leader", actor=tinh)
    db.session.commit()
    assert secretary.role == "leader"
    assert secretary.session_version > version
    assert check_password_hash(commune_admin.password_hash, NEW_PASSWORD)
    expected = {  # action -> (commune of the row, object)
        "user.create": [(None, secretary.id), (ngok_bay.id, commune_admin.id)],
        "user.lock": [(ngok_bay.id, commune_admin.id)],
        "user.unlock": [(ngok_bay.id, commune_admin.id)],
        "user.password_reset": [(ngok_bay.id, commune_admin.id)],
        "user.role": [(None, secretary.id)],
    }
    for action, rows in expected.items():
        found = [e for e in events(db, action) if e.actor_id is not None]  # not the fixture's accounts
        assert [(e.commune_id, int(e.object_id)) for e in found] == rows, action
        assert {(e.actor_id, e.actor_name, e.province_id) for e in found} == {
            (tinh.id, "admin.tinh", province.id)}
    role = events(db, "user.role")[0]
    assert (role.before, role.after) == ({"role": "secretary"}, {"role": "leader"})


def test_a_province_admin_reaches_no_other_account(db, world):
    tinh = world["admin.tinh"]
    for username in ("admin.xa", "admin.tinhkhac", "tp.tthcc"):  # another province's; not an admin
        with pytest.raises(NotAllowed):
            managed_account(db.session, tinh, world[username].id)
    with pytest.raises(NotAllowed):
        province_commune(db.session, tinh, world["communes"][2].id)
    with pytest.raises(NotFound):
        managed_account(db.session, tinh, 999_999)
    # A commune's admin still never learns of another commune's accounts (404, as before).
    with pytest.raises(NotFound):
        managed_account(db.session, world["admin"], world["admin.khac"].id)
    with pytest.raises(NotAllowed):  # the leader reads, never manages
        change_role(db.session, world["vanphong.tinh"], "leader", actor=world["lanhdao.tinh"])


def test_nobody_locks_or_demotes_their_own_account_and_roles_stay_the_provinces(db, world):
    tinh = world["admin.tinh"]
    with pytest.raises(UserError):
        set_user_active(db.session, tinh, False, actor=tinh)
    with pytest.raises(UserError):
        change_role(db.session, tinh, "leader", actor=tinh)
    with pytest.raises(UserError):
        change_role(db.session, world["lanhdao.tinh"], "unit_head", actor=tinh)
    with pytest.raises(NotAllowed):
        change_role(db.session, world["admin.khac"], "leader", actor=tinh)
    assert (tinh.active, tinh.role, world["lanhdao.tinh"].role) == (True, "admin", "leader")


# --- the pages ----------------------------------------------------------------------------------

PAGES = {  # username -> (/province/users, /province/activity)
    "admin.tinh": (200, 200),
    "lanhdao.tinh": (200, 200),
    "vanphong.tinh": (200, 403),
    "admin": (403, 403),
    "tp.tthcc": (403, 403),
}


@pytest.mark.parametrize("username", list(PAGES))
def test_who_opens_the_province_pages(app, world, username):
    client = signed_in(app, username)
    users, log = client.get("/province/users"), client.get("/province/activity")
    assert (users.status_code, log.status_code) == PAGES[username]
    if users.status_code == 200:
        forms = 'action="/province/commune-admins"' in users.text
        assert forms == (username == "admin.tinh"), "the forms only for the province's admins"
        assert "admin.khac" in users.text
        assert "Xã Khác" in users.text
        assert "admin.xa" not in users.text, "never another province's"
        assert "Xã Xa" not in users.text
        assert ('action="/province/users/' in users.text) == (username == "admin.tinh")


@pytest.mark.parametrize("username", ["lanhdao.tinh", "vanphong.tinh", "admin", "admin.tinhkhac"])
def test_only_the_provinces_admin_changes_anything(app, db, world, username):
    client = signed_in(app, username)
    target = world["admin.khac"].id
    own_province = client.post("/province/users", data={
        "province-username": "moi", "province-full_name": "Mới", "province-role": "leader",
        "province-password": NEW_PASSWORD})
    # Another province's admin makes an account of their own province, never of this one.
    assert own_province.status_code == (302 if username == "admin.tinhkhac" else 403)
    answers = [
        client.post("/province/commune-admins", data={
            "commune-admin-commune": str(world["communes"][1].id), "commune-admin-username": "moi2",
            "commune-admin-full_name": "Mới", "commune-admin-password": NEW_PASSWORD}),
        client.post(f"/province/users/{target}/active", data={"active": "0"}),
        client.post(f"/province/users/{target}/password", data={"password": NEW_PASSWORD}),
        client.post(f"/province/users/{world['vanphong.tinh'].id}/role", data={"role": "admin"}),
    ]
    assert [a.status_code for a in answers] == [403] * 4
    db.session.expire_all()
    assert db.session.scalar(select(User.province_id).where(User.username == "moi")) in (
        None, world["admin.tinhkhac"].province_id)
    assert db.session.scalar(select(User).where(User.username == "moi2")) is None
    assert db.session.get(User, target).active
    assert db.session.get(User, world["vanphong.tinh"].id).role == "secretary"
    assert not events(db, "user.lock")
    assert not events(db, "user.role")


def test_another_provinces_commune_and_accounts_are_refused_with_403(app, db, world):
    client = signed_in(app, "admin.tinh")
    far = world["communes"][2]
    answer = client.post("/province/commune-admins", data={
        "commune-admin-commune": str(far.id), "commune-admin-username": "chen.ngang",
        "commune-admin-full_name": "Chen Ngang", "commune-admin-password": NEW_PASSWORD})
    assert answer.status_code == 403
    for username in ("admin.xa", "admin.tinhkhac", "tp.tthcc"):
        locked = client.post(f"/province/users/{world[username].id}/active", data={"active": "0"})
        assert locked.status_code == 403
        assert client.post(f"/province/users/{world[username].id}/password",
                           data={"password": NEW_PASSWORD}).status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "chen.ngang")) is None
    assert all(db.session.get(User, world[u].id).active for u in ("admin.xa", "admin.tinhkhac", "tp.tthcc"))
    assert client.get("/province/activity?commune=xa-xa").status_code == 403


def test_the_province_admin_manages_accounts_through_the_page(app, db, world):
    client = signed_in(app, "admin.tinh")
    khac = world["communes"][1]
    made = client.post("/province/commune-admins", data={
        "commune-admin-commune": str(khac.id), "commune-admin-username": "admin2.khac",
        "commune-admin-full_name": "Phạm Văn Quản", "commune-admin-password": NEW_PASSWORD})
    assert made.status_code == 302
    page = client.get("/province/users").text
    assert "Đã tạo tài khoản quản trị admin2.khac cho Xã Khác." in page
    assert "Phạm Văn Quản" in page
    new = db.session.scalar(select(User).where(User.username == "admin2.khac"))
    assert (new.commune_id, new.role, new.province_id) == (khac.id, "admin", None)
    # The new admin signs in and manages their commune.
    own_page = signed_in(app, "admin2.khac", NEW_PASSWORD).get("/admin/users")
    assert own_page.status_code == 200, "it manages its commune"
    assert client.post(f"/province/users/{new.id}/active", data={"active": "0"}).status_code == 302
    assert "Đã khóa tài khoản admin2.khac." in client.get("/province/users").text
    made = client.post("/province/users", data={"province-username": "lanhdao2.tinh",
                                                 "province-full_name": "Đỗ Thị Lãnh",
                                                 "province-role": "leader",
                                                 "province-password": NEW_PASSWORD})
    assert made.status_code == 302
    leader = db.session.scalar(select(User).where(User.username == "lanhdao2.tinh"))
    assert (leader.province_id, leader.commune_id, leader.role) == (
        world["admin.tinh"].province_id, None, "leader")
    assert client.post(f"/province/users/{leader.id}/role", data={"role": "secretary"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, leader.id).role == "secretary"
    # Everything above is in the province's log, in sentences, the newest first.
    log = client.get("/province/activity").text
    changed = log.index("admin.tinh đổi vai trò của Đỗ Thị Lãnh từ lãnh đạo thành văn phòng / tổng hợp")
    created = log.index("admin.tinh tạo tài khoản cho Phạm Văn Quản (admin2.khac, quản trị)")
    assert changed < created
    assert "Xã Khác:</span> admin.tinh tạo tài khoản" in log


def test_bad_input_keeps_what_was_typed_and_saves_nothing(app, db, world):
    client = signed_in(app, "admin.tinh")
    answer = client.post("/province/commune-admins", data={
        "commune-admin-commune": str(world["communes"][1].id), "commune-admin-username": "admin.khac",
        "commune-admin-full_name": "Trùng Tên", "commune-admin-password": NEW_PASSWORD})
    assert answer.status_code == 422
    assert "Tên đăng nhập &#39;admin.khac&#39; đã có." in answer.text
    assert 'value="Trùng Tên"' in answer.text
    no_commune = client.post("/province/commune-admins", data={
        "commune-admin-commune": "", "commune-admin-username": "ai.do",
        "commune-admin-full_name": "Ai Đó", "commune-admin-password": NEW_PASSWORD})
    assert no_commune.status_code == 422
    assert "Chọn một xã trong danh sách." in no_commune.text
    weak = client.post("/province/users", data={"province-username": "yeu", "province-full_name": "Yếu",
                                                "province-role": "leader", "province-password": "12345678"})
    assert weak.status_code == 422
    assert 'value="yeu"' in weak.text
    forged_role = client.post("/province/users", data={"province-username": "gia",
                                                       "province-full_name": "Giả",
                                                       "province-role": "unit_head",
                                                       "province-password": NEW_PASSWORD})
    assert forged_role.status_code == 422
    bad_role = client.post(f"/province/users/{world['lanhdao.tinh'].id}/role", data={"role": "unit_head"})
    assert bad_role.status_code == 302
    assert "Không đổi được vai trò của lanhdao.tinh" in client.get("/province/users").text
    own = client.post(f"/province/users/{world['admin.tinh'].id}/active", data={"active": "0"})
    assert own.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.username.in_(["ai.do", "yeu", "gia"]))) == 0
    assert db.session.get(User, world["lanhdao.tinh"].id).role == "leader"
    assert db.session.get(User, world["admin.tinh"].id).active


# --- the province's activity log ----------------------------------------------------------------


def test_the_province_log_shows_its_own_and_its_communes_admins_events_filtered(app, db, world):
    tinh, province = world["admin.tinh"], world["admin.tinh"].province
    ngok_bay, khac, far = world["communes"]
    settings = world["settings"]
    create_user(db.session, province=province, username="moi.tinh", password=PASSWORD, role="leader",
                actor=tinh, **settings)                                   # the province's own
    create_user(db.session, commune=ngok_bay, username="moi.ngokbay", password=PASSWORD, role="leader",
                actor=world["admin"], **settings)                         # a commune admin's
    set_user_active(db.session, world["admin.khac"], False, actor=tinh)   # the province, in Xã Khác
    # not an admin's
    reset_password(db.session, world["tp.tthcc"], NEW_PASSWORD, actor=world["tp.tthcc"], **settings)
    create_user(db.session, commune=far, username="moi.xa", password=PASSWORD, role="leader",
                actor=world["admin.xa"], **settings)                      # another province's
    db.session.commit()

    def shown(**narrow):
        wanted = AuditFilter(kind=narrow.pop("kind", None))
        page = activity_page(db.session, ProvinceLog(province.id, **narrow), wanted)
        return [(e.action, e.actor_name) for e, _sentence in page.rows]

    mine = shown()
    assert ("user.create", "admin.tinh") in mine
    assert ("user.create", "admin") in mine
    assert ("user.lock", "admin.tinh") in mine
    assert ("user.password_reset", "tp.tthcc") not in mine, "by default: the province and commune admins"
    assert all(actor != "admin.xa" for _action, actor in mine), "never another province's events"
    assert ("user.password_reset", "tp.tthcc") in shown(people=EVERYONE)
    assert all(actor != "admin.xa" for _action, actor in shown(people=EVERYONE))
    assert set(shown(people=PROVINCE_ONLY)) == {("user.create", "admin.tinh"), ("user.lock", "admin.tinh")}
    assert shown(commune_id=khac.id) == [("user.lock", "admin.tinh")]
    assert shown(commune_id=ngok_bay.id, kind="user.create") == [("user.create", "admin")]
    assert shown(kind="user.lock") == [("user.lock", "admin.tinh")]
    # Newest first, with the commune's activity-log sentence.
    page = activity_page(db.session, ProvinceLog(province.id), AuditFilter())
    assert [e.id for e, _s in page.rows] == sorted((e.id for e, _s in page.rows), reverse=True)
    sentences = [s for _e, s in page.rows]
    assert "admin.tinh khóa tài khoản của admin.khac" in sentences
    # The same filters through the page.
    client = signed_in(app, "lanhdao.tinh")
    text = client.get("/province/activity?commune=xa-khac").text
    assert "admin.tinh khóa tài khoản của admin.khac" in text
    assert "moi.ngokbay" not in text
    assert "tp.tthcc" in client.get("/province/activity?people=everyone&kind=user.password_reset").text
    assert "tp.tthcc" not in client.get("/province/activity?kind=user.password_reset").text
    assert client.get("/province/activity?from=31/02/2025").status_code == 400


def test_the_province_log_is_paginated(app, db, world):
    tinh = world["admin.tinh"]
    for i in range(55):
        set_user_active(db.session, world["admin.khac"], i % 2 == 1, actor=tinh)
    db.session.commit()
    client = signed_in(app, "admin.tinh")
    first = client.get("/province/activity?kind=user.lock").text
    assert first.count('class="sentence"') == 28
    page = client.get("/province/activity").text
    assert page.count('class="sentence"') == 50
    assert 'rel="next"' in page
    second = client.get("/province/activity?page=2").text
    assert 'rel="prev"' in second
    assert second.count('class="sentence"') >= 6
    assert client.get("/province/activity?page=0").status_code == 400


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def _busy_communes(db, world, province, first, last):
    """Communes ``first``..``last`` of the province, each with an admin who did things in it."""
    for i in range(first, last + 1):
        commune = Commune(code=f"them-{i}", name=f"Xã Thêm {i}", province_id=province.id)
        db.session.add(commune)
        db.session.flush()
        admin = create_user(db.session, commune=commune, username=f"admin.them{i}", password=PASSWORD,
                            role="admin", actor=world["admin.tinh"], **world["settings"])
        create_user(db.session, commune=commune, username=f"lanhdao.them{i}", password=PASSWORD,
                    role="leader", actor=admin, **world["settings"])
        set_user_active(db.session, admin, False, actor=world["admin.tinh"])
    db.session.commit()


def test_the_province_log_sends_the_same_statements_whatever_the_number_of_communes(db, world):
    province = world["admin.tinh"].province
    _busy_communes(db, world, province, 1, 2)

    def count() -> tuple[int, int]:
        db.session.expire_all()
        with StatementCounter(db.engine) as counter:
            page = activity_page(db.session, ProvinceLog(province.id, people=EVERYONE), AuditFilter())
        return counter.count, len(page.rows)

    small, small_rows = count()
    _busy_communes(db, world, province, 3, 12)
    large, large_rows = count()
    assert large_rows > small_rows
    assert small == large <= 7


def test_the_province_log_page_sends_the_same_statements_whatever_the_number_of_communes(app, db, world):
    province = world["admin.tinh"].province
    _busy_communes(db, world, province, 1, 2)
    client = signed_in(app, "admin.tinh")
    with StatementCounter(db.engine) as small:
        assert client.get("/province/activity?people=everyone").status_code == 200
    _busy_communes(db, world, province, 3, 12)
    with StatementCounter(db.engine) as large:
        assert client.get("/province/activity?people=everyone").status_code == 200
    assert small.count == large.count


def test_a_commune_admins_event_done_by_the_province_is_in_the_communes_log_too(app, db, world):
    client = signed_in(app, "admin.tinh")
    assert client.post(f"/province/users/{world['admin.khac'].id}/password",
                       data={"password": NEW_PASSWORD}).status_code == 302
    khac = app.test_client()
    assert khac.post("/login", data={"username": "admin.khac", "password": NEW_PASSWORD}).status_code == 302
    assert "admin.tinh đặt lại mật khẩu của admin.khac" in khac.get("/admin/audit").text


# --- the province API ---------------------------------------------------------------------------


def bearer(db, user) -> dict[str, str]:
    plain = create_token(db.session, user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def conforms(body, schema_name: str) -> None:
    doc = openapi_document()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]}
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert not errors, errors


@pytest.mark.parametrize("username", ["admin.tinh", "lanhdao.tinh", "vanphong.tinh"])
def test_a_province_token_reads_the_rollup(client, db, world, username):
    answer = client.get("/api/v1/province/rollup?as_of=2025-10-01", headers=bearer(db, world[username]))
    assert answer.status_code == 200, answer.json
    body = answer.json
    conforms(body, "ProvinceRollup")
    assert body["as_of"] == "2025-10-01"
    assert body["province"]["name"] == world["admin.tinh"].province.name
    codes = {c["code"] for c in body["communes"]}
    assert codes == {world["communes"][0].code, "xa-khac"}, "its own communes only"
    ngok_bay = next(c for c in body["communes"] if c["code"] == world["communes"][0].code)
    assert len(ngok_bay["targets"]) == 16
    assert sum(ngok_bay["counts"].values()) == 16
    assert ngok_bay["targets"]["MT01"]["status"] in ("green", "amber", "red", "grey")
    khac = next(c for c in body["communes"] if c["code"] == "xa-khac")
    assert (khac["plan"], khac["targets"]) == (None, {})
    mt02 = next(t for t in body["targets"] if t["code"] == "MT02")
    assert mt02["measure"] == "count"
    assert mt02["province"]["communes"] == 1
    assert sum(body["totals"].values()) == 16


def test_the_rollup_follows_the_date_and_reads_the_same_as_the_page(client, db, world):
    from tracker.services.province import build_rollup

    headers = bearer(db, world["lanhdao.tinh"])
    for day in ("2025-07-15", "2025-12-31"):
        body = client.get(f"/api/v1/province/rollup?as_of={day}", headers=headers).json
        page = build_rollup(db.session, world["admin.tinh"].province, date.fromisoformat(day))
        row = next(r for r in page.rows if r.plan is not None)
        listed = next(c for c in body["communes"] if c["code"] == row.commune.code)
        assert {code: t["status"] for code, t in listed["targets"].items()} == \
            {code: s.colour for code, s in row.cells.items()}
    assert client.get("/api/v1/province/rollup?as_of=2025-02-30", headers=headers).status_code == 400


def test_a_commune_token_gets_a_clear_403_on_the_province_endpoint(client, db, world):
    answer = client.get("/api/v1/province/rollup", headers=bearer(db, world["admin"]))
    assert answer.status_code == 403
    assert answer.json["error"] == "forbidden"
    assert "tài khoản cấp tỉnh" in answer.json["message"]
    denied = events(db, "auth.denied")
    assert [e.object_id for e in denied] == ["GET /api/v1/province/rollup"]


@pytest.mark.parametrize("path", ["/api/v1/items", "/api/v1/items/MT02", "/api/v1/periods",
                                  "/api/v1/periods/1/stats"])
def test_a_province_token_on_a_commune_endpoint_is_a_clear_403(client, db, world, path):
    answer = client.get(path, headers=bearer(db, world["lanhdao.tinh"]))
    assert answer.status_code == 403, "not a 404 (nothing is missing) nor an empty list"
    assert answer.is_json
    assert "tài khoản cấp tỉnh" in answer.json["message"]
    assert "/api/v1/province/rollup" in answer.json["message"]
    posted = client.post("/api/v1/items/MT02/entries", json={"as_of": "2025-10-01", "value": 1},
                         headers=bearer(db, world["admin.tinh"]))
    assert posted.status_code == 403


def test_the_openapi_document_describes_the_province_endpoint(client, plan):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/province/rollup"]["get"]
    assert operation["operationId"] == "getProvinceRollup"
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert "403" in document["paths"]["/items"]["get"]["responses"]
    assert "ProvinceRollup" in document["components"]["schemas"]


def test_a_province_without_communes_reads_an_empty_rollup(client, db, world):
    lonely = Province(code="tinh-trong", name="Tỉnh Trống")
    db.session.add(lonely)
    db.session.flush()
    user = create_user(db.session, province=lonely, username="admin.trong", password=PASSWORD, role="admin",
                       **world["settings"])
    db.session.commit()
    body = client.get("/api/v1/province/rollup", headers=bearer(db, user)).json
    assert (body["communes"], body["targets"]) == ([], [])
