"""One declared schema per input shape: every face reads through it, the OpenAPI document is made of it."""

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import create_model

from tests.conftest import PASSWORD
from tests.test_spreadsheet import edited
from tracker.api.openapi import openapi_document
from tracker.domain import schemas
from tracker.domain.bounds import MAX_AMOUNT, MAX_COUNT, MAX_FIGURE, MAX_PERCENT
from tracker.domain.schemas import (
    CELL,
    FORM,
    JSON,
    Count,
    Finance,
    NewEntry,
    PeriodStats,
    Refused,
    read,
)
from tracker.domain.stats import FIELD_NAMES, FINANCE_FIELDS, amount_problem, count_problem
from tracker.render.spreadsheet import read_stats_workbook
from tracker.services.periods import PeriodInput, create_period
from tracker.services.tokens import create_token

TOO_MANY = MAX_COUNT * 10
TOO_MUCH = MAX_AMOUNT * 10


@pytest.fixture
def faces(client, db, plan, make_user):
    """A week, a secretary signed in to the pages, and the secretary's API token."""
    secretary = make_user("vanthu", "secretary", "VP")
    period = create_period(db.session, secretary, plan.commune,
                           PeriodInput("week", date(2025, 10, 27), date(2025, 11, 3)))
    token = create_token(db.session, secretary, "t")
    db.session.commit()
    client.post("/login", data={"username": "vanthu", "password": PASSWORD})
    return period, token


def _api_put(client, period, token, body):
    headers = {"Authorization": f"Bearer {token}", "If-Match": "*"}
    return client.put(f"/api/v1/periods/{period.id}/stats", headers=headers, data=json.dumps(body),
                      content_type="application/json")


def test_an_out_of_range_statistic_gets_the_same_words_from_the_form_the_api_and_the_import(client, faces):
    period, token = faces
    words = count_problem(TOO_MANY)
    assert words.startswith("số quá lớn (100.000.000)")

    form = client.post(f"/reports/{period.id}/stats", data={"dossiers_new_total": "100.000.000"})
    assert form.status_code == 422
    assert words in form.text

    api = _api_put(client, period, token, {"dossiers_new_total": TOO_MANY})
    assert api.status_code == 400
    assert words in api.json["fields"]["dossiers_new_total"]

    sheet = read_stats_workbook(edited({"dossiers_new_total": TOO_MANY}))
    assert [p.message for p in sheet.problems] == [
        f"Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): {words}."]


def test_an_out_of_range_amount_gets_the_same_words_from_the_form_and_the_import(client, faces):
    """Before the schemas the import said "số quá lớn" of money and the form "số tiền quá lớn"."""
    period, _ = faces
    words = amount_problem(TOO_MUCH)
    assert "số tiền quá lớn" in words
    form = client.post(f"/reports/{period.id}/finance", data={"estimate": str(TOO_MUCH)})
    assert form.status_code == 422
    assert words in form.text
    sheet = read_stats_workbook(edited({"estimate": TOO_MUCH}))
    assert len(sheet.problems) == 1
    assert sheet.problems[0].message.endswith(f": {words}.")


def test_json_is_strict_and_the_form_reads_vietnamese_numbers():
    typed = {"as_of": "2025-10-01", "value": "1.234,5"}
    assert read(NewEntry, typed, FORM).value == 1234.5
    with pytest.raises(Refused) as refused:
        read(NewEntry, typed, JSON)
    assert refused.value.errors == {
        "value": "Phải là một số JSON (ví dụ 74 hoặc 56.5), không đặt trong dấu nháy."}
    assert read(PeriodStats, {"tthc_total": "1.234"}, FORM).tthc_total == 1234
    assert read(PeriodStats, {"tthc_total": "1.234"}, CELL).tthc_total == 1234
    assert read(NewEntry, {"as_of": "2025-10-01"}, JSON).as_of == date(2025, 10, 1)


@pytest.mark.parametrize("face", [JSON, FORM, CELL])
@pytest.mark.parametrize(("model", "data"), [
    (NewEntry, {"as_of": "x", "value": [1], "numerator": -1, "denominator": 0, "state": "xong",
                "percent": 1e9, "note": 5, "document": {"number": 1, "date": 3, "pages": 2},
                "supersedes": "a", "reason": "x" * 6000, "colour": "green"}),
    (NewEntry, {"as_of": "2200-01-01", "value": float("nan"), "document": "119"}),
    (NewEntry, {"as_of": 20251001, "state": 1, "document": {"date": "01/10/2025"}}),
    (PeriodStats, {name: "x" if i % 3 else -1 for i, name in enumerate(FIELD_NAMES)} | {"late_reasons": 1}),
    (PeriodStats, {"tthc_total": 1.5, "dossiers_new_total": True, "resolved_late": 10**400, "x": 1}),
    (Finance, {name: TOO_MUCH for name in FINANCE_FIELDS} | {"disbursed_for": []}),
])
def test_no_message_is_pydantics_english(face, model, data):
    with pytest.raises(Refused) as refused:
        read(model, data, face)
    for field, message in refused.value.errors.items():
        assert message, field
        assert "Input should" not in message, (field, message)
        assert any(c in message for c in "ảàáạãăâđêôơưốếệộờởủữ"), (field, message)


def test_the_openapi_bounds_are_the_domains():
    schemas = openapi_document()["components"]["schemas"]
    for name in FIELD_NAMES:
        (count, _null) = schemas["Stats"]["properties"][name]["anyOf"]
        assert (count["type"], count["minimum"], count["maximum"]) == ("integer", 0, MAX_COUNT)
    for name in FINANCE_FIELDS:
        assert schemas["Finance"]["properties"][name]["anyOf"][0]["maximum"] == MAX_AMOUNT
    entry = schemas["NewEntry"]["properties"]
    assert entry["value"]["anyOf"][0]["maximum"] == MAX_FIGURE
    assert entry["denominator"]["anyOf"][0]["exclusiveMinimum"] == 0
    assert entry["percent"]["anyOf"][0]["maximum"] == MAX_PERCENT


def test_the_document_is_declared_once():
    schemas = openapi_document()["components"]["schemas"]
    ref = {"$ref": "#/components/schemas/Document"}
    assert ref in schemas["NewEntry"]["properties"]["document"]["anyOf"]
    assert ref in schemas["Entry"]["properties"]["document"]["anyOf"]
    assert schemas["Document"]["properties"]["number"]["anyOf"][0]["maxLength"] == 300


def test_a_field_added_to_a_schema_appears_in_the_openapi_document(monkeypatch):
    import tracker.api.schemas as answers

    grown = create_model("Stats", __base__=PeriodStats, dossiers_by_phone=(Count, None))
    monkeypatch.setattr(answers, "INPUT_MODELS",
                        tuple(grown if m is PeriodStats else m for m in answers.INPUT_MODELS))
    stats = openapi_document()["components"]["schemas"]["Stats"]
    assert stats["properties"]["dossiers_by_phone"]["anyOf"][0]["maximum"] == MAX_COUNT
    with pytest.raises(Refused) as refused:
        read(grown, {"dossiers_by_phone": -1}, JSON)
    assert "không được âm" in refused.value.errors["dossiers_by_phone"]


def test_the_schemas_import_nothing_of_flask_or_the_database():
    tree = ast.parse(Path(schemas.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    outside = {name for name in imported if name.split(".")[0] not in
               ("__future__", "datetime", "typing", "pydantic", "pydantic_core")}
    assert outside, "the schemas read the domain's bounds and rules"
    assert all(name.startswith("tracker.domain.") for name in outside), outside
