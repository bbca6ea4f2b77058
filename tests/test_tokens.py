"""API tokens: created once, stored as a hash, resolved only for active users and live tokens."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tracker.models import ApiToken, AuditEvent
from tracker.models.base import utcnow
from tracker.services.plan_template import find_or_create_commune
from tracker.services.tokens import (
    DEFAULT_TOKEN_DAYS,
    MAX_TOKEN_DAYS,
    TokenError,
    TokenNotFound,
    TokenRefused,
    as_utc,
    authenticate_token,
    create_token,
    revoke_token,
    tokens_of,
    user_for_token,
)
from tracker.services.users import create_user


def test_create_token_stores_only_the_hash(db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    plain = create_token(db.session, user, "  báo cáo tỉnh ")
    db.session.commit()
    token = db.session.scalar(select(ApiToken))
    assert len(plain) >= 43
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in token.token_hash
    assert token.name == "báo cáo tỉnh"
    assert token.last_used_at is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.create"))
    assert event.after == {"user": "tp.tthcc", "name": "báo cáo tỉnh",
                           "expires_at": as_utc(token.expires_at).isoformat()}
    assert plain not in str(event.after)


def test_each_token_is_new(db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    assert create_token(db.session, user, "a") != create_token(db.session, user, "a")


def test_user_for_token_notes_the_last_use(db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    plain = create_token(db.session, user, "api")
    db.session.commit()
    assert user_for_token(db.session, plain) == user
    db.session.commit()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


@pytest.mark.parametrize("plain", ["", "sai", "x" * 10_000])
def test_unknown_tokens_give_nobody(db, make_user, plain):
    create_token(db.session, make_user("tp.tthcc", "unit_head", "TTHCC"), "api")
    assert user_for_token(db.session, plain) is None


def test_revoked_token_gives_nobody(db, make_user):
    plain = create_token(db.session, make_user("tp.tthcc", "unit_head", "TTHCC"), "api")
    db.session.scalar(select(ApiToken)).revoked_at = utcnow()
    db.session.commit()
    assert user_for_token(db.session, plain) is None


def test_locked_user_token_gives_nobody(db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    plain = create_token(db.session, user, "api")
    user.active = False
    db.session.commit()
    assert user_for_token(db.session, plain) is None


def test_create_token_refusals(db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    with pytest.raises(TokenError, match="1 đến 100"):
        create_token(db.session, user, "   ")
    with pytest.raises(TokenError, match="1 đến 100"):
        create_token(db.session, user, "x" * 101)
    user.active = False
    with pytest.raises(TokenError, match="bị khóa"):
        create_token(db.session, user, "api")


# --- expiry, listing and revocation (issue 12, finding 10) -------------------------------------


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_a_token_expires_after_its_days(db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    made = datetime(2026, 1, 1, 8, tzinfo=UTC)
    plain = create_token(db.session, user, "api", days=30, now=made)
    db.session.commit()
    token = db.session.scalar(select(ApiToken))
    assert token.expires_at.replace(tzinfo=UTC) == made + timedelta(days=30)
    assert authenticate_token(db.session, plain, now=made + timedelta(days=30, seconds=-1)) == user
    with pytest.raises(TokenRefused, match="đã hết hạn ngày 31/01/2026"):
        authenticate_token(db.session, plain, now=made + timedelta(days=30))
    assert user_for_token(db.session, plain, now=made + timedelta(days=31)) is None


def test_the_default_lifetime_is_a_year(db, make_user):
    create_token(db.session, make_user("tp.tthcc", "unit_head", "TTHCC"), "api")
    token = db.session.scalar(select(ApiToken))
    assert token.expires_at - token.created_at == timedelta(days=DEFAULT_TOKEN_DAYS) == timedelta(days=365)


@pytest.mark.parametrize("days", [0, -1, MAX_TOKEN_DAYS + 1, 10**9, True, "30"])
def test_a_lifetime_out_of_range_is_refused(db, make_user, days):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    with pytest.raises(TokenError, match=f"từ 1 đến {MAX_TOKEN_DAYS} ngày"):
        create_token(db.session, user, "api", days=days)
    assert db.session.scalar(select(ApiToken)) is None


def test_the_api_refuses_expired_and_revoked_tokens_in_vietnamese(client, db, make_user):
    user = make_user("tp.tthcc", "unit_head", "TTHCC")
    old = create_token(db.session, user, "cũ", days=1, now=datetime.now(UTC) - timedelta(days=2))
    live = create_token(db.session, user, "đang dùng")
    db.session.commit()
    answer = client.get("/api/v1/items", headers=bearer(old))
    assert answer.status_code == 401
    assert "đã hết hạn" in answer.json["message"]
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    assert client.get("/api/v1/items", headers=bearer(live)).status_code == 200
    live_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "đang dùng"))
    revoke_token(db.session, live_id, actor=user)
    db.session.commit()
    answer = client.get("/api/v1/items", headers=bearer(live))
    assert answer.status_code == 401
    assert answer.json["message"] == "Mã truy cập đã bị thu hồi."


@pytest.fixture
def people(db, make_user, plan, data_app):
    """A head, another head and an admin of the seeded commune, and an admin of a second commune."""
    other_commune = find_or_create_commune(db.session, "xa-khac", "Xã Khác", plan.commune.province.name)
    outsider = create_user(db.session, commune=other_commune, username="admin.khac", password=PASSWORD,
                           role="admin", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                           min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    return {"head": make_user("tp.tthcc", "unit_head", "TTHCC"), "admin": make_user("admin", "admin"),
            "other": make_user("tp.kt", "unit_head", "KT"), "outsider": outsider}


def test_who_may_revoke_a_token(db, people):
    create_token(db.session, people["head"], "api")
    db.session.commit()
    token_id = db.session.scalar(select(ApiToken.id))
    for name in ("other", "outsider"):  # another head, an admin of another commune: as if absent
        with pytest.raises(TokenNotFound):
            revoke_token(db.session, token_id, actor=people[name])
    assert db.session.get(ApiToken, token_id).revoked_at is None
    revoked = revoke_token(db.session, token_id, actor=people["admin"])
    db.session.commit()
    assert revoked.revoked_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.revoke"))
    assert (event.actor_name, event.commune_id, event.object_id) == ("admin", people["head"].commune_id,
                                                                      str(token_id))
    assert event.after == {"user": "tp.tthcc", "name": "api"}
    # Revoking again changes nothing and writes nothing.
    revoke_token(db.session, token_id, actor=people["head"])
    db.session.commit()
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "token.revoke")).all()) == 1


def test_the_account_page_lists_and_revokes_own_tokens(app, db, people):
    create_token(db.session, people["head"], "báo cáo tỉnh")
    create_token(db.session, people["other"], "của người khác")
    db.session.commit()
    mine, theirs = (db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == people[n].id))
                    for n in ("head", "other"))
    client = app.test_client()
    client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "báo cáo tỉnh" in page
    assert "của người khác" not in page
    assert "Chưa dùng" in page
    assert "Còn hiệu lực" in page
    assert client.post(f"/account/tokens/{theirs}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{mine}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, mine).revoked_at is not None
    assert db.session.get(ApiToken, theirs).revoked_at is None
    assert "Đã thu hồi" in client.get("/account/tokens").get_data(as_text=True)


def test_an_admin_sees_and_revokes_the_communes_tokens_only(app, db, people):
    create_token(db.session, people["head"], "của trưởng đơn vị")
    create_token(db.session, people["outsider"], "của xã khác")
    db.session.commit()
    token_of = select(ApiToken.id).where
    head_token, outsider_token = (db.session.scalar(token_of(ApiToken.user_id == people[n].id))
                                  for n in ("head", "outsider"))
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "của trưởng đơn vị" in page
    assert "tp.tthcc" in page
    assert "của xã khác" not in page
    assert client.post(f"/account/tokens/{outsider_token}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{head_token}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, head_token).revoked_at is not None
    assert db.session.get(ApiToken, outsider_token).revoked_at is None


def test_cli_lists_revokes_and_sets_the_lifetime(runner, db, people):
    result = runner.invoke(args=["create-token", "tp.tthcc", "--name", "tỉnh", "--days", "30"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip()
    token = db.session.scalar(select(ApiToken))
    assert token.expires_at - token.created_at == timedelta(days=30)
    assert runner.invoke(args=["create-token", "tp.tthcc", "--days", "0"]).exit_code == 2
    listing = runner.invoke(args=["tokens", "list", "tp.tthcc"])
    assert listing.exit_code == 0
    [header, row] = listing.stdout.strip().splitlines()
    assert row.split("\t")[:3] == [str(token.id), "tp.tthcc", "tỉnh"]
    assert row.endswith("còn hiệu lực")
    assert runner.invoke(args=["tokens", "list", "ai-do"]).exit_code == 1
    revoked = runner.invoke(args=["tokens", "revoke", str(token.id)])
    assert revoked.exit_code == 0, revoked.output
    assert "Đã thu hồi mã truy cập số" in revoked.output
    assert user_for_token(db.session, plain) is None
    assert runner.invoke(args=["tokens", "list"]).stdout.strip().endswith("đã thu hồi")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.revoke"))
    assert (event.actor_id, event.commune_id) == (None, people["head"].commune_id)
    assert runner.invoke(args=["tokens", "revoke", "999999"]).exit_code == 1
    assert len(tokens_of(db.session, people["head"])) == 1
