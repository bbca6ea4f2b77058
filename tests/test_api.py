"""JSON API v1: bearer tokens, the same permissions as the pages, strict input, JSON errors."""

import json
import unicodedata
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from sqlalchemy import func, select

from tests.conftest import LOGGED, PASSWORD
from tracker.api.openapi import openapi_document
from tracker.domain.dates import local_today
from tracker.models import ApiToken, AuditEvent, ProgressEntry
from tracker.models.base import utcnow
from tracker.services.tokens import create_token

DAY = "2025-10-01"


def entries(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED))


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def conforms(body, schema_name: str) -> None:
    """Check an answer against the OpenAPI document's schema of the same name."""
    doc = openapi_document()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]}
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert not errors, errors


@pytest.fixture
def token_for(db, make_user):
    """Return a function that creates a user and returns the headers of a new token of theirs."""
    def make(username: str, role: str, unit: str | None = None) -> dict[str, str]:
        plain = create_token(db.session, make_user(username, role, unit), "test")
        db.session.commit()
        return bearer(plain)
    return make


@pytest.fixture
def head(token_for) -> dict[str, str]:
    """Headers of the head of the one-stop shop (TTHCC), who leads MT01–MT10, NV05 and NV06."""
    return token_for("tp.tthcc", "unit_head", "TTHCC")


@pytest.fixture
def post(client, head):
    """Return a function that posts a JSON entry on an item as the TTHCC head."""
    def send(code: str, body, headers=None):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return client.post(f"/api/v1/items/{code}/entries", data=data,
                           headers=headers or head, content_type="application/json")
    return send


# --- authentication -----------------------------------------------------------------------------


def test_missing_token_is_401_json(client, plan):
    answer = client.get("/api/v1/items")
    assert answer.status_code == 401
    assert answer.json["error"] == "unauthorized"
    assert "Bearer" in answer.json["message"]
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    conforms(answer.json, "Error")


@pytest.mark.parametrize("header", ["Bearer sai-ma", "Basic dXNlcjpwYXNz", "Bearer ", "bearer"])
def test_wrong_token_is_401(client, head, header):
    answer = client.get("/api/v1/items", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.is_json


def test_revoked_token_is_401(client, head, db):
    db.session.scalar(select(ApiToken)).revoked_at = utcnow()
    db.session.commit()
    answer = client.get("/api/v1/items", headers=head)
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]


def test_locked_users_token_is_401(client, head, db):
    db.session.scalar(select(ApiToken)).user.active = False
    db.session.commit()
    assert client.get("/api/v1/items", headers=head).status_code == 401


def test_session_cookie_is_not_a_token(client, make_user):
    make_user("bithu", "leader")
    assert client.post("/login", data={"username": "bithu", "password": PASSWORD}).status_code == 302
    assert client.get("/plan").status_code == 200
    assert client.get("/api/v1/items").status_code == 401


def test_valid_token_is_accepted_and_its_use_noted(client, head, db):
    answer = client.get("/api/v1/items", headers=head)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_lowercase_scheme_is_accepted(client, head):
    plain = head["Authorization"].removeprefix("Bearer ")
    assert client.get("/api/v1/items", headers={"Authorization": f"bearer {plain}"}).status_code == 200


# --- reading ------------------------------------------------------------------------------------


def test_items_are_the_status_document(client, head, runner):
    answer = client.get("/api/v1/items?as_of=2025-11-03", headers=head)
    assert answer.status_code == 200
    cli = json.loads(runner.invoke(args=["status", "--as-of", "2025-11-03", "--format", "json"]).output)
    assert answer.json == cli, "the API and the CLI never drift"
    assert len(answer.json["items"]) == 27
    conforms(answer.json, "StatusDocument")


def test_items_default_to_today(client, head, data_app):
    answer = client.get("/api/v1/items", headers=head)
    assert answer.json["as_of"] == local_today(data_app.config["TIMEZONE"]).isoformat()


@pytest.mark.parametrize("as_of", ["03/11/2025", "hôm qua", "2025-13-01"])
def test_bad_as_of_is_400_naming_the_field(client, head, as_of):
    for url in ("/api/v1/items", "/api/v1/items/MT02"):
        answer = client.get(url, query_string={"as_of": as_of}, headers=head)
        assert answer.status_code == 400
        assert answer.json["error"] == "invalid"
        assert "as_of" in answer.json["fields"]


def test_item_detail_has_the_list_fields_and_the_history(client, head, post):
    assert post("MT02", {"as_of": DAY, "value": 70}).status_code == 201
    first = client.get("/api/v1/items/MT02", headers=head).json["history"][0]
    fixed = post("MT02", {"as_of": DAY, "value": 74, "note": "Theo quyết định",
                          "document": {"number": "119/QĐ-UBND", "date": "2025-09-30",
                                       "issuer": "UBND xã", "summary": "Công bố danh mục"},
                          "supersedes": first["id"], "reason": "Nhập nhầm"})
    assert fixed.status_code == 201, fixed.json

    detail = client.get("/api/v1/items/MT02?as_of=2025-11-03", headers=head).json
    listed = client.get("/api/v1/items?as_of=2025-11-03", headers=head).json["items"][1]
    assert {k: detail[k] for k in listed} == listed
    assert detail["as_of"] == "2025-11-03"
    assert detail["current"] == 74
    newest, oldest = detail["history"]
    assert newest["supersedes"] == oldest["id"]
    assert oldest["superseded_by"] == newest["id"]
    assert newest["superseded_by"] is None
    assert newest["reason"] == "Nhập nhầm"
    assert newest["document"] == {"number": "119/QĐ-UBND", "date": "2025-09-30", "issuer": "UBND xã",
                                  "summary": "Công bố danh mục"}
    assert oldest["document"] is None
    assert newest["author"] == {"username": "tp.tthcc", "full_name": "tp.tthcc"}
    assert newest["created_at"].endswith("+00:00")
    conforms(detail, "ItemDetail")

    before = client.get("/api/v1/items/MT02?as_of=2025-09-30", headers=head).json
    assert before["status"] == "grey"
    assert len(before["history"]) == 2, "the whole history, whatever the date"


ROLES = {
    "no token": None,
    "admin": ("admin", None),
    "leader": ("leader", "TTDU"),
    "secretary": ("secretary", "VP"),
    "unit_head": ("unit_head", "KT"),
}
EVERYONE, TOKEN_HOLDERS = dict.fromkeys(ROLES, 200), {**dict.fromkeys(ROLES, 200), "no token": 401}
# API page -> expected status per role; every GET route of the blueprint must be here.
API_PAGES = {
    "/api/v1/openapi.json": EVERYONE,
    "/api/v1/items": TOKEN_HOLDERS,
    "/api/v1/items/MT02": TOKEN_HOLDERS,
    "/api/v1/items/NV09": TOKEN_HOLDERS,
    "/api/v1/items/XX99": {**dict.fromkeys(ROLES, 404), "no token": 401},
    "/api/v1/periods": TOKEN_HOLDERS,
    "/api/v1/periods/999/stats": {**dict.fromkeys(ROLES, 404), "no token": 401},
    # The province's board: a commune's token is refused (tests/test_review.py reads it as the province).
    "/api/v1/province/reports": {**dict.fromkeys(ROLES, 403), "no token": 401},
    # A commune's token on the province's endpoint (province tokens: tests/test_province_admin.py).
    "/api/v1/province/rollup": {**dict.fromkeys(ROLES, 403), "no token": 401},
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("path", list(API_PAGES))
def test_api_page_access(client, token_for, plan, role, path):
    headers = token_for(role, *ROLES[role]) if ROLES[role] else {}
    answer = client.get(path, headers=headers)
    assert answer.status_code == API_PAGES[path][role]
    assert answer.is_json


def test_every_api_get_route_is_in_the_table(app):
    covered = {rule.rule for rule in app.url_map.iter_rules()
               if rule.endpoint.startswith("api.") and "GET" in rule.methods}
    assert covered == {"/api/v1/openapi.json", "/api/v1/items", "/api/v1/items/<code>", "/api/v1/periods",
                       "/api/v1/periods/<int:period_id>/stats", "/api/v1/province/reports",
                       "/api/v1/province/rollup"}


def test_unknown_item_is_404_json(client, head, post, db):
    answer = client.get("/api/v1/items/XX99", headers=head)
    assert answer.status_code == 404
    assert answer.json["error"] == "not_found"
    assert "XX99" in answer.json["message"]
    assert post("XX99", {"as_of": DAY, "value": 1}).status_code == 404
    assert entries(db) == 0


def test_nul_in_the_item_code_is_400_json(client, head, post, db):
    """A NUL in the path is refused by the request guard before any lookup (issue 12 #11)."""
    answers = (client.get("/api/v1/items/MT%0002", headers=head), post("MT%0002", {"as_of": DAY, "value": 1}))
    for answer in answers:
        assert answer.status_code == 400
        assert answer.json["fields"] == {"path": answer.json["message"]}
    assert entries(db) == 0


# --- logging ------------------------------------------------------------------------------------


def test_count_target(post, db):
    answer = post("MT02", {"as_of": DAY, "value": 74, "note": "Theo quyết định",
                           "document": {"number": "119/QĐ-UBND"}})
    assert answer.status_code == 201, answer.json
    assert answer.headers["Location"].endswith("/api/v1/items/MT02")
    assert answer.json["item"]["code"] == "MT02"
    assert answer.json["item"]["current"] == 74
    assert answer.json["item"]["last_update"] == DAY
    assert answer.json["entry"]["value"] == 74
    assert answer.json["entry"]["document"]["number"] == "119/QĐ-UBND"
    conforms(answer.json, "Created")
    assert entries(db) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "progress.log"))
    assert event.actor_name == "tp.tthcc"
    assert event.object_id == "MT02"


def test_a_derived_target_is_422_with_the_reason(post, db):
    """MT10 and MT16 take their value from the periods' figures: the API refuses a typed entry."""
    answer = post("MT10", {"as_of": "2025-10-31", "numerator": 170, "denominator": 300})
    assert answer.status_code == 422, answer.json
    assert answer.json["message"] == ("MT10 được tính tự động từ số liệu các kỳ báo cáo (văn phòng nhập); "
                                      "không nhập tay.")
    conforms(answer.json, "Error")
    assert entries(db) == 0


def test_ratio_target(post, hand_ratio):
    answer = post("MT10", {"as_of": "2025-10-31", "numerator": 170, "denominator": 300})
    assert answer.status_code == 201, answer.json
    assert answer.json["item"]["current"] == pytest.approx(56.667, abs=1e-3)
    assert answer.json["entry"]["value"] is None


def test_the_api_writes_figures_by_the_one_rounding_rule(post, hand_ratio):
    """23/160 = 14,375%: half up as a spreadsheet's ROUND (the float 14.374999… would give 14,37)."""
    answer = post("MT10", {"as_of": "2025-10-31", "numerator": 23, "denominator": 160})
    assert answer.status_code == 201, answer.json
    assert answer.json["item"]["current_text"] == "14,38%"
    assert answer.json["item"]["required_text"] == "≥ 60%"
    assert answer.json["entry"]["value"] is None
    conforms(answer.json, "Created")


def test_task(post):
    answer = post("NV05", {"as_of": "2025-10-15", "state": "done", "percent": 100})
    assert answer.status_code == 201, answer.json
    assert answer.json["item"]["kind"] == "task"
    assert answer.json["item"]["status"] == "green"
    assert answer.json["entry"]["state"] == "done"


def test_percent_target_takes_a_fraction(post):
    assert post("MT05", {"as_of": DAY, "value": 56.5}).status_code == 201


def test_decomposed_unicode_is_stored_nfc(post, db):
    note = unicodedata.normalize("NFD", "Đã tích hợp đủ dịch vụ công")
    assert note != unicodedata.normalize("NFC", note)
    answer = post("MT01", {"as_of": DAY, "value": 25, "note": note})
    assert answer.status_code == 201
    stored = db.session.scalar(select(ProgressEntry.note).where(LOGGED))
    assert stored == unicodedata.normalize("NFC", note)
    assert answer.json["entry"]["note"] == stored


def _tomorrow(data_app) -> str:
    return (local_today(data_app.config["TIMEZONE"]) + timedelta(days=1)).isoformat()


BAD_INPUT = [
    ("MT02", {"as_of": DAY, "value": "abc"}, "value"),
    ("MT02", {"as_of": DAY, "value": "74"}, "value"),
    ("MT02", {"as_of": DAY, "value": True}, "value"),
    ("MT02", {"as_of": DAY, "value": -1}, "value"),
    ("MT02", {"as_of": DAY}, "value"),
    ("MT02", '{"as_of": "2025-10-01", "value": NaN}', "value"),
    ("MT02", '{"as_of": "2025-10-01", "value": Infinity}', "value"),
    ("MT02", '{"as_of": "2025-10-01", "value": 1e999}', "value"),
    ("MT02", '{"as_of": "2025-10-01", "value": 1, "value": 2}', "value"),
    ("MT05", {"as_of": DAY, "value": 101}, "value"),
    ("MT10", {"as_of": DAY, "numerator": 400, "denominator": 300}, "numerator"),
    ("MT10", {"as_of": DAY, "numerator": 4, "denominator": 0}, "denominator"),
    ("MT10", {"as_of": DAY, "numerator": 4, "denominator": [3]}, "denominator"),
    ("NV05", {"as_of": DAY, "state": "in_progress", "percent": 120}, "percent"),
    ("NV05", {"as_of": DAY, "state": "finished", "percent": 10}, "state"),
    ("NV05", {"as_of": DAY, "state": 1, "percent": 10}, "state"),
    ("NV05", {"as_of": DAY, "state": "done", "percent": 60}, "percent"),
    ("MT02", {"as_of": "2025-06-18", "value": 1}, "as_of"),
    ("MT02", {"as_of": "TOMORROW", "value": 1}, "as_of"),
    ("MT02", {"as_of": "01/10/2025", "value": 1}, "as_of"),
    ("MT02", {"as_of": 20251001, "value": 1}, "as_of"),
    ("MT02", {"value": 1}, "as_of"),
    ("MT02", {"as_of": DAY, "value": 1, "note": "x" * 20_000}, "note"),
    ("MT02", {"as_of": DAY, "value": 1, "note": "<script>alert(1)</script>"}, "note"),
    ("MT02", {"as_of": DAY, "value": 1, "note": "có <b>in đậm</b>"}, "note"),
    ("MT02", {"as_of": DAY, "value": 1, "note": "nul\x00"}, "note"),
    ("MT02", {"as_of": DAY, "value": 1, "note": 5}, "note"),
    ("MT02", {"as_of": DAY, "value": 1, "document": {"number": "<i>119</i>"}}, "document.number"),
    ("MT02", {"as_of": DAY, "value": 1, "document": {"issuer": "UBND xã"}}, "document.number"),
    ("MT02", {"as_of": DAY, "value": 1, "document": {"number": "1", "date": "2099-01-01"}},
     "document.date"),
    ("MT02", {"as_of": DAY, "value": 1, "document": {"number": "1", "pages": 3}}, "document.pages"),
    ("MT02", {"as_of": DAY, "value": 1, "document": "119/QĐ-UBND"}, "document"),
    ("MT02", {"as_of": DAY, "value": 1, "colour": "green"}, "colour"),
    ("MT02", {"as_of": DAY, "numerator": 1, "denominator": 2}, "numerator"),
    ("NV05", {"as_of": DAY, "value": 1}, "value"),
    ("MT02", {"as_of": DAY, "value": 1, "supersedes": 999_999, "reason": "sửa"}, "supersedes"),
    ("MT02", {"as_of": DAY, "value": 1, "supersedes": "1", "reason": "sửa"}, "supersedes"),
    ("MT02", {"as_of": DAY, "value": 1, "supersedes": 10**30, "reason": "sửa"}, "supersedes"),
    ("MT02", {"as_of": DAY, "value": 1, "reason": "<a href=x>sửa</a>"}, "reason"),
    ("MT02", [{"as_of": DAY, "value": 1}], "body"),
    ("MT02", "not json", "body"),
    ("MT02", "", "body"),
    ("MT02", b"\xff\xfe{", "body"),
    ("MT02", "[" * 100_000, "body"),
]


@pytest.mark.parametrize(("code", "body", "field"), BAD_INPUT)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(post, db, data_app, hand_ratio,
                                                             code, body, field):
    if isinstance(body, dict) and body.get("as_of") == "TOMORROW":
        body = {**body, "as_of": _tomorrow(data_app)}
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    answer = post(code, body)
    assert answer.status_code == 400, answer.json
    assert answer.json["error"] == "invalid"
    assert field in answer.json["fields"], answer.json
    assert answer.json["fields"][field]
    assert answer.json["message"]
    conforms(answer.json, "Error")
    assert entries(db) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_messages_are_vietnamese(post, hand_ratio):
    answer = post("MT10", {"as_of": DAY, "numerator": 400, "denominator": 300})
    assert answer.json["fields"]["numerator"] == "Tử số (400) không được lớn hơn mẫu số (300)."
    html = post("MT02", {"as_of": DAY, "value": 1, "note": "<script>x</script>"})
    assert "HTML" in html.json["fields"]["note"]
    text = post("MT02", {"as_of": DAY, "value": "abc"})
    assert "số" in text.json["fields"]["value"]


def test_plain_less_than_is_not_html(post):
    assert post("MT02", {"as_of": DAY, "value": 1, "note": "tỷ lệ < 50% và 3<4"}).status_code == 201


def test_other_units_item_is_403_and_saves_nothing(post, token_for, db):
    kt = token_for("tp.kt", "unit_head", "KT")
    answer = post("MT02", {"as_of": DAY, "value": 74}, headers=kt)
    assert answer.status_code == 403
    assert answer.json["error"] == "forbidden"
    garbage = post("MT02", {"as_of": "x", "value": "y"}, headers=kt)
    assert garbage.status_code == 403, "refused before the body is read"
    assert "fields" not in garbage.json
    assert entries(db) == 0


@pytest.mark.parametrize("role", ["leader", "secretary"])
def test_readers_cannot_post(post, token_for, db, role):
    headers = token_for(f"u.{role}", role, "VP")
    assert post("MT12", {"as_of": DAY, "value": 1}, headers=headers).status_code == 403
    assert entries(db) == 0


def test_admin_posts_anywhere(post, token_for):
    assert post("MT12", {"as_of": DAY, "value": 40},
                headers=token_for("quantri", "admin")).status_code == 201


def test_double_correction_is_409(client, head, post, db):
    post("MT02", {"as_of": DAY, "value": 70})
    first = db.session.scalar(select(ProgressEntry.id).where(LOGGED))
    fixed = post("MT02", {"as_of": DAY, "value": 74, "supersedes": first, "reason": "Nhập nhầm"})
    assert fixed.status_code == 201
    again = post("MT02", {"as_of": DAY, "value": 75, "supersedes": first, "reason": "Lần nữa"})
    assert again.status_code == 409
    assert again.json["error"] == "conflict"
    assert "đã được điều chỉnh" in again.json["fields"]["supersedes"]
    conforms(again.json, "Error")
    assert entries(db) == 2


def test_correction_needs_a_reason(post, db):
    post("MT02", {"as_of": DAY, "value": 70})
    first = db.session.scalar(select(ProgressEntry.id).where(LOGGED))
    answer = post("MT02", {"as_of": DAY, "value": 74, "supersedes": first})
    assert answer.status_code == 400
    assert "reason" in answer.json["fields"]
    assert entries(db) == 1


def test_correcting_another_items_entry_is_400(post, db):
    post("MT01", {"as_of": DAY, "value": 20})
    other = db.session.scalar(select(ProgressEntry.id).where(LOGGED))
    answer = post("MT02", {"as_of": DAY, "value": 74, "supersedes": other, "reason": "sửa"})
    assert answer.status_code == 400
    assert answer.json["fields"]["supersedes"] == "Số liệu cần điều chỉnh không thuộc mục này."
    assert entries(db) == 1


def test_csrf_is_not_asked_of_the_api(app, monkeypatch, post, client):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert post("MT02", {"as_of": DAY, "value": 74}).status_code == 201
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 400


# --- errors and the document --------------------------------------------------------------------


def test_http_errors_under_the_api_are_json(client, head):
    wrong_method = client.delete("/api/v1/items", headers=head)
    assert wrong_method.status_code == 405
    assert wrong_method.json["error"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    unknown = client.get("/api/v1/nothing", headers=head)
    assert unknown.status_code == 404
    assert unknown.json["error"] == "not_found"
    get_entries = client.get("/api/v1/items/MT02/entries", headers=head)
    assert get_entries.status_code == 405
    assert get_entries.is_json


def test_pages_keep_html_errors(client, plan):
    answer = client.get("/nothing")
    assert answer.status_code == 404
    assert answer.mimetype == "text/html"


def test_server_error_is_json(client, head, app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("tracker.api.routes.plan_status", broken)
    answer = client.get("/api/v1/items", headers=head)
    assert answer.status_code == 500
    assert answer.json == {"error": "server_error", "message": "Có lỗi trong hệ thống. Vui lòng thử lại sau."}


def test_openapi_document_is_served_and_valid(client, plan):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200, "served without a token"
    validate_spec(answer.json)
    assert answer.json["openapi"].startswith("3.1")
    assert set(answer.json["paths"]) == {"/openapi.json", "/items", "/items/{code}",
                                         "/items/{code}/entries", "/periods", "/periods/{period_id}/stats",
                                         "/province/reports", "/province/rollup"}


def test_openapi_paths_are_the_routes(app):
    routes = {r.rule.removeprefix("/api/v1").replace("<code>", "{code}")
              .replace("<int:period_id>", "{period_id}")
              for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert routes == set(openapi_document()["paths"])


def test_vietnamese_is_sent_readable(client, head):
    answer = client.get("/api/v1/items/XX99", headers=head)
    assert "Không có chỉ tiêu" in answer.get_data(as_text=True), "UTF-8, not \\u escapes"
    assert answer.mimetype == "application/json"


def test_a_correction_through_the_api_keeps_the_evidence(app, db, client, head, post):
    from pathlib import Path

    from tracker.domain.evidence import check_file
    from tracker.models import Attachment, User
    from tracker.services.evidence import attach_files

    assert post("MT02", {"as_of": DAY, "value": 70}).status_code == 201
    first = db.session.scalar(select(ProgressEntry).where(LOGGED))
    checked, _ = check_file("qd.pdf", b"%PDF-1.4\n%%EOF\n")
    author = db.session.scalar(select(User).where(User.username == "tp.tthcc"))
    attach_files(db.session, author, first, [checked], Path(app.config["UPLOAD_DIR"]))
    db.session.commit()
    fixed = post("MT02", {"as_of": DAY, "value": 74, "supersedes": first.id, "reason": "Nhập nhầm"})
    assert fixed.status_code == 201, fixed.json
    newest = fixed.json["entry"]["id"]
    carried = db.session.scalars(select(Attachment).where(Attachment.entry_id == newest)).all()
    assert [a.original_name for a in carried] == ["qd.pdf"]


def test_the_plans_own_entries_and_assignments_in_the_api(client, head):
    """Issue 14: an entry the plan's document declares has no author; each item says who assigned it."""
    nv01 = client.get("/api/v1/items/NV01?as_of=2025-11-03", headers=head)
    assert nv01.status_code == 200
    conforms(nv01.json, "ItemDetail")
    entry = nv01.json["history"][0]
    assert (entry["author"], entry["origin"], entry["state"]) == (None, "plan", "done")
    assert entry["document"]["issuer"] == "Ủy ban nhân dân xã Ngọk Bay"
    assert nv01.json["unit_assigned_by"] == "commune"
    nv11 = client.get("/api/v1/items/NV11", headers=head).json
    assert (nv11["unit"], nv11["unit_assigned_by"]) == ("Đảng bộ Công an xã", "document")
