"""API tokens: created once, stored as a hash, resolved only for active users and live tokens."""

import hashlib

import pytest
from sqlalchemy import select

from tracker.models import ApiToken, AuditEvent
from tracker.models.base import utcnow
from tracker.services.tokens import TokenError, create_token, user_for_token


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
    assert event.after == {"user": "tp.tthcc", "name": "báo cáo tỉnh"}
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
