"""API v1 for period statistics: read, write with the form's rules, JSON messages by field."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.test_domain_stats import BA_DINH, MINH_LONG, NGOK_TU
from tracker.models import ProcedureStats
from tracker.services.periods import PeriodInput, create_period, submit_period
from tracker.services.tokens import create_token


@pytest.fixture
def setup(db, plan, make_user):
    secretary = make_user("vanthu", "secretary", "VP")
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    period = create_period(db.session, secretary, plan.commune,
                           PeriodInput("week", date(2025, 10, 27), date(2025, 11, 3)))
    tokens = {"secretary": create_token(db.session, secretary, "t"),
              "head": create_token(db.session, head, "t")}
    db.session.commit()
    return period, tokens


def call(client, method, path, token, body=None, headers=None):
    return client.open(f"/api/v1{path}", method=method,
                       headers={"Authorization": f"Bearer {token}", **(headers or {})},
                       data=None if body is None else json.dumps(body), content_type="application/json")


def put(client, period, token, body):
    """PUT a period's statistics as a client should: with the ETag of a GET just before in If-Match."""
    etag = call(client, "GET", f"/periods/{period.id}/stats", token).headers["ETag"]
    return call(client, "PUT", f"/periods/{period.id}/stats", token, body, {"If-Match": etag})


def test_read_and_write(client, setup, db):
    period, tokens = setup
    listed = call(client, "GET", "/periods", tokens["head"]).get_json()
    assert listed["periods"][0]["id"] == period.id
    written = put(client, period, tokens["secretary"], BA_DINH)
    assert written.status_code == 200
    body = written.get_json()
    assert body["stats"]["dossiers_new_total"] == 65
    assert body["shares"]["tthc_active_online_full"] == "2,10% (03/143 TTHC)"
    assert body["problems"] == []
    read = call(client, "GET", f"/periods/{period.id}/stats", tokens["head"]).get_json()
    assert read["stats"] == body["stats"]


@pytest.mark.parametrize(("body", "field"), [
    (NGOK_TU, "pending_not_due"),
    ({**MINH_LONG, "override_explanation": "x"}, "dossiers_new_online_partial"),
    ({"dossiers_new_total": "65"}, "dossiers_new_total"),
    ({"dossiers_new_total": 6.5}, "dossiers_new_total"),
    ({"dossiers_new_total": -1}, "dossiers_new_total"),
    ({"unknown": 1}, "unknown"),
    ({"late_reasons": 5}, "late_reasons"),
])
def test_refusals_name_the_field_and_save_nothing(client, setup, db, body, field):
    period, tokens = setup
    answer = put(client, period, tokens["secretary"], body)
    assert answer.status_code == 400
    assert field in answer.get_json()["fields"]
    assert db.session.scalar(select(func.count()).select_from(ProcedureStats)) == 0


def test_permissions_and_frozen(client, setup, db, make_user):
    period, tokens = setup
    assert put(client, period, tokens["head"], BA_DINH).status_code == 403
    assert call(client, "PUT", f"/periods/{period.id}/stats", tokens["head"], BA_DINH).status_code == 403
    assert call(client, "GET", "/periods/999/stats", tokens["head"]).status_code == 404
    submit_period(db.session, make_user("admin", "admin"), period)
    db.session.commit()
    frozen = put(client, period, tokens["secretary"], BA_DINH)
    assert frozen.status_code == 400
    assert "period" in frozen.get_json()["fields"]


def test_an_empty_if_match_tag_is_412_not_500(client, setup):
    """``If-Match: ""`` (an empty tag, which Werkzeug reads as None) names no version: 412, never a crash."""
    period, tokens = setup
    answer = call(client, "PUT", f"/periods/{period.id}/stats", tokens["secretary"], BA_DINH,
                  {"If-Match": '""'})
    assert answer.status_code == 412
    assert answer.is_json
