"""Bad input tried systematically on the forms: never a 500, nothing saved on refusal, Vietnamese."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import LOGGED, PASSWORD
from tracker.models import ProcedureStats, ProgressEntry

NASTY = st.sampled_from([
    "", " ", "\t\n", "-1", "-0", "NaN", "nan", "inf", "1e309", "1.234,5", "1,234.5", "99999999999999999999",
    "<script>alert(1)</script>", "'; DROP TABLE progress_entry; --", "\x00", "１２３", "٣",
    unicodedata.normalize("NFD", "Bảy mươi tư"), "x" * 20_000, "2025-02-30", "31/12/2025", "0x10",
    "0001-01-01", "9999-12-31", "a\x00b", "\x1b[31m", "\x85", "\u2028", "\ufeff", "\x7f",
])
# Any text a form can carry: hypothesis' default alphabet includes NUL and the other control
# characters (a form body cannot carry a lone surrogate: it is decoded as UTF-8 with replacement).
CONTROLS = st.text(st.characters(categories=("Cc", "Zl", "Zp")), max_size=5)
TEXT = st.one_of(NASTY, st.text(max_size=60), CONTROLS)
# The request guard refuses a control character anywhere in the request with 400, before any view.
REFUSED = (400, 422)


@pytest.fixture
def head(client, make_user):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})
    return client


@settings(max_examples=120, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(as_of=TEXT, value=TEXT, note=TEXT, doc_number=TEXT, doc_date=TEXT)
def run_entry_form(client, db, as_of, value, note, doc_number, doc_date):
    before = db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED))
    answer = client.post("/items/MT02/entries", data={"as_of": as_of, "value": value, "note": note,
                                                      "doc_number": doc_number, "doc_date": doc_date})
    assert answer.status_code in (302, *REFUSED), answer.status_code
    db.session.expire_all()
    after = db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED))
    if answer.status_code in REFUSED:
        assert after == before
        assert "lang=\"vi\"" in answer.text
    else:
        assert after == before + 1


def test_progress_form_never_fails_badly(head, db):
    run_entry_form(head, db)


@settings(max_examples=80, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(values=st.dictionaries(st.sampled_from(["dossiers_new_total", "dossiers_new_online",
                                              "dossiers_new_in_person", "dossiers_carried_over",
                                              "resolved_on_time", "pending_not_due", "late_reasons",
                                              "override_explanation"]), TEXT, max_size=6))
def run_stats_form(client, db, path, values):
    before = db.session.scalar(select(ProcedureStats.updated_at))
    answer = client.post(f"{path}/stats", data=values)
    assert answer.status_code in (302, *REFUSED), answer.status_code
    db.session.expire_all()
    if answer.status_code in REFUSED:
        assert db.session.scalar(select(ProcedureStats.updated_at)) == before


def test_stats_form_never_fails_badly(client, make_user, db, week):
    client.post("/login", data={"username": "vanthu", "password": PASSWORD})
    run_stats_form(client, db, f"/reports/{week.id}")


# Every form of the web face, the fields it reads, and a role that may post it.
FORMS = {
    "/account/language": ("secretary", ["language"]),
    "/account/password": ("secretary", ["current", "password", "confirm"]),
    "/admin/users": ("admin", ["username", "full_name", "role", "unit", "password"]),
    "/admin/users/{user}/password": ("admin", ["password"]),
    "/admin/plan-template": ("admin", ["plan_code"]),
    "/directives/{directive}/reply": ("head", ["reply"]),
    "/items/MT02/directives": ("leader", ["text"]),
    "/items/NV05/entries": ("head", ["as_of", "state", "percent", "note", "doc_number", "doc_date",
                                     "doc_issuer", "doc_summary", "supersedes", "reason"]),
    "/items/MT10/entries": ("head", ["as_of", "numerator", "denominator", "note"]),
    "/legal": ("secretary", ["number", "issued_date", "issuer", "kind", "summary", "items"]),
    "/login": ("anonymous", ["username", "password"]),
    "/my/entries": ("head", ["as_of", "doc_number", "MT01-value", "MT10-numerator", "MT10-denominator",
                             "NV05-state", "NV05-percent", "NV05-note"]),
    "/reports": ("secretary", ["kind", "start_date", "end_date", "report_number", "report_date",
                               "signer_name", "recipients"]),
    "/reports/{period}/finance": ("secretary", ["estimate", "approved", "allocated", "disbursed",
                                                "dx_spending", "total_local_spending", "disbursed_for",
                                                "version"]),
    "/reports/{period}/sections": ("secretary", ["section-2", "section-3.1", "section-5.2", "version"]),
    "/reports/{period}": ("secretary", ["dossiers_new_total", "dossiers_new_online", "late_reasons",
                                        "estimate", "approved", "disbursed_for", "section-2", "section-3.1",
                                        "version"]),
    "/reports/{period}/reopen": ("secretary", ["reason"]),
    "/inbox/settings": ("head", ["email", "red-in_app", "red-email", "due-email"]),
}


@pytest.mark.parametrize("path", sorted(FORMS))
def test_every_form_survives_nasty_input(app, db, path, make_user, week, item):
    from tests.test_authorization import USERS, row_counts
    from tracker.services.directives import write_directive

    users = {role: make_user(role, *spec) for role, spec in USERS.items() if role != "secretary"}
    directive = write_directive(db.session, users["leader"], item("MT02"), "Báo cáo")
    db.session.commit()
    names = {"period": week.id, "directive": directive.id, "user": users["other_head"].id}
    role, fields = FORMS[path]
    client = app.test_client()
    if role != "anonymous":
        username = "vanthu" if role == "secretary" else role
        assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.dictionaries(st.sampled_from(fields), TEXT, max_size=len(fields)))
    def post(data):
        before = row_counts(db)
        answer = client.post(path.format(**names), data=data)
        assert answer.status_code < 500, (path, data)
        if answer.status_code in (400, 401, 403, 404, 422, 429):
            db.session.expire_all()
            assert row_counts(db) == before, (path, data)

    post()
