"""Generated requests from the API's own OpenAPI document: never a 500, answers match the document."""

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

    @given(case=cases)
    @settings(max_examples=150, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
