"""Generated requests from the API's own OpenAPI document: never a 500, answers match the document."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tracker.services.tokens import create_token

# A count, a percent, a ratio target and a task the token's unit leads; another unit's target.
CODES = ["MT02", "MT05", "MT10", "NV05", "MT16"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Schemathesis generates NUL (allow_x00) but never a lone surrogate, even without a codec (its own
# validators cannot hold one); a client can still send one as a JSON escape ("\ud800"), valid JSON
# that is not valid text. These bodies are sent by hand (json.dumps escapes the surrogate).
HOSTILE_TEXT = st.text(st.characters(categories=("Cs", "Cc"), exclude_characters="\t\n\r"),
                       min_size=1, max_size=3)


def send_spoiled(client, case, headers, data) -> None:
    """Put a lone surrogate or a control character into one string or key of the case's JSON
    body and send it: the request guard answers 400 JSON, whatever the route and the role."""
    body = dict(case.body)
    key = data.draw(st.sampled_from(sorted(body)))
    bad = data.draw(HOSTILE_TEXT)
    if data.draw(st.booleans()):
        body[key] = body[key] + bad if isinstance(body[key], str) else bad
    else:
        body[key + bad] = body.pop(key)
    path = case.operation.schema.base_path.rstrip("/") + case.formatted_path
    answer = client.open(path, method=case.method, headers=headers,
                         query_string=case.query or None, data=json.dumps(body),
                         content_type="application/json")
    assert answer.status_code == 400, (answer.status_code, body)
    assert answer.json["error"] == "invalid"
    assert len(answer.json["fields"]) == 1


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ["unit_head", "secretary"])
def test_generated_requests(app, db, make_user, monkeypatch, mode, role, secretary, week):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a crash must answer 500, not raise
    user = secretary if role == "secretary" else make_user("tp.tthcc", "unit_head", "TTHCC")
    plain = create_token(db.session, user, "fuzz")
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    headers = {"Authorization": f"Bearer {plain}"}
    cases = st.one_of(schema.as_strategy(mode, headers=headers),
                      *(schema.as_strategy(mode, headers=headers, path_parameters={"code": code})
                        for code in CODES),
                      schema.as_strategy(mode, headers=headers, path_parameters={"period_id": week.id}))

    client = app.test_client()
    spoiled = []

    @given(data=st.data())
    @settings(max_examples=150, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(data):
        case = data.draw(cases)
        if isinstance(case.body, dict) and case.body and data.draw(st.integers(0, 3)) == 0:
            send_spoiled(client, case, headers, data)
            spoiled.append(case.formatted_path)
        else:
            case.call_and_validate(checks=CHECKS)

    check()
    if mode == schemathesis.GenerationMode.POSITIVE:
        assert spoiled, "no body was spoiled"
