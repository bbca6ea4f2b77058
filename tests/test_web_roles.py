"""Role rules beyond the route table of test_authorization: who creates users, bad dates, big ids."""

import pytest

from tests.conftest import PASSWORD

ROLES = {
    "anonymous": None,
    "admin": ("admin", None),
    "leader": ("leader", "TTDU"),
    "secretary": ("secretary", "VP"),
    "unit_head": ("unit_head", "TTHCC"),
}


@pytest.mark.parametrize("role", ["leader", "secretary", "unit_head"])
def test_only_admins_create_users(client, make_user, role, db):
    from sqlalchemy import func, select

    from tracker.models import User

    make_user(role, *ROLES[role])
    client.post("/login", data={"username": role, "password": PASSWORD})
    before = db.session.scalar(select(func.count()).select_from(User))
    answer = client.post("/admin/users", data={"username": "moi", "full_name": "Mới", "role": "admin",
                                               "unit": "", "password": "mat-khau-dai-du"})
    assert answer.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_admin_creates_a_unit_head(client, make_user, db):
    make_user("admin", "admin")
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    answer = client.post("/admin/users", data={"username": "tp.kt", "full_name": "Võ Văn Nam",
                                               "role": "unit_head", "unit": "KT",
                                               "password": "mat-khau-dai-du"})
    assert answer.status_code == 302
    refused = client.post("/admin/users", data={"username": "tp.vhxh", "full_name": "A",
                                                "role": "unit_head", "unit": "", "password": "ngan"})
    assert refused.status_code == 422
    assert "Trưởng đơn vị phải gắn với một đơn vị." in refused.text


def test_as_of_must_be_a_date(client, make_user):
    make_user("leader", "leader", "TTDU")
    client.post("/login", data={"username": "leader", "password": PASSWORD})
    answer = client.get("/plan?as_of=hôm qua")
    assert answer.status_code == 400
    assert "không hợp lệ" in answer.text
    refused = client.get("/?as_of=31/31/2025")
    assert refused.status_code == 400
    assert "ngày/tháng/năm" in refused.text
    typed = client.get("/?as_of=03/11/2025")  # typed in the date field, day first: its ISO address
    assert typed.status_code == 303
    assert typed.headers["Location"].endswith("/?as_of=2025-11-03")


def test_ids_beyond_the_database_range_are_404(client, make_user):
    make_user("admin", "admin")
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    huge = 2**63
    assert client.get(f"/reports/{huge}").status_code == 404
    assert client.get(f"/attachments/{huge}").status_code == 404
    assert client.post(f"/directives/{huge}/reply", data={"reply": "x"}).status_code == 404
    assert client.post(f"/admin/users/{huge}/active", data={"active": "0"}).status_code == 404
