"""Issue 12, finding 11: dates out of range, NUL/control characters and lone surrogates, and two
corrections of one entry at once. Each answers a clear Vietnamese refusal, never a 500, and changes
nothing. Run on PostgreSQL too (NUL is only fatal there): ``TEST_DATABASE_URL=... pytest``."""

import re
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import LOGGED, PASSWORD
from tracker.domain.dates import EARLIEST_DATE, LATEST_DATE, parse_iso_date
from tracker.domain.text import character_problem
from tracker.models import AuditEvent, ProcedureStats, ProgressEntry, User
from tracker.services.tokens import create_token

OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]
RANGE_TEXT = "01/01/1900"  # the earliest date as pages write it


def entries(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ProgressEntry).where(LOGGED))


@pytest.fixture
def no_raise(app, monkeypatch):
    """A crash must answer 500 (as in production), not raise into the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.fixture
def admin(client, make_user, no_raise):
    make_user("admin", "admin")
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def head(client, make_user, no_raise):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    assert client.post("/login", data={"username": "tp.tthcc", "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def api_head(db, make_user, no_raise):
    plain = create_token(db.session, make_user("api.head", "unit_head", "TTHCC"), "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


# --- dates ----------------------------------------------------------------------------------------

def test_the_range_is_one_pair_of_dates_in_the_domain():
    assert (EARLIEST_DATE, LATEST_DATE) == (date(1900, 1, 1), date(2100, 12, 31))
    assert parse_iso_date("1900-01-01") == EARLIEST_DATE
    assert parse_iso_date("2100-12-31") == LATEST_DATE
    for text in OUT_OF_RANGE:
        with pytest.raises(ValueError, match="01/01/1900"):
            parse_iso_date(text)


@pytest.mark.parametrize("as_of", OUT_OF_RANGE)
@pytest.mark.parametrize("path", ["/plan", "/items/MT02", "/items/MT02/trend.svg", "/items/NV05/trend.png",
                                  "/charts/colours.svg", "/scorecard", "/units/TTHCC"])
def test_pages_and_charts_answer_400_for_a_date_out_of_range(head, path, as_of):
    answer = head.get(path, query_string={"as_of": as_of})
    assert answer.status_code == 400, (path, as_of, answer.status_code)
    assert RANGE_TEXT in answer.text


@pytest.mark.parametrize("as_of", ["1900-01-01", "2100-12-31"])
def test_every_page_and_chart_answers_at_the_ends_of_the_range(head, api_head, client, as_of, hand_ratio):
    """The trend's weeks, the charts' margins and the windows stay computable at the range's ends."""
    for code, value in (("MT02", "74"), ("MT10", None), ("NV05", None)):
        data = {"as_of": "2025-10-01", "value": value} if value else (
            {"as_of": "2025-10-01", "numerator": "170", "denominator": "300"} if code == "MT10"
            else {"as_of": "2025-10-01", "state": "in_progress", "percent": "40"})
        assert head.post(f"/items/{code}/entries", data=data).status_code == 302
    for path in ("/plan", "/items/MT02", "/items/MT10", "/items/NV05", "/items/MT02/trend.svg",
                 "/items/MT10/trend.png", "/items/NV05/trend.svg", "/charts/colours.svg", "/scorecard",
                 "/units/TTHCC"):
        answer = head.get(path, query_string={"as_of": as_of})
        assert answer.status_code == 200, (path, answer.status_code)
    for url in ("/api/v1/items", "/api/v1/items/MT02"):
        assert client.get(url, query_string={"as_of": as_of}, headers=api_head).status_code == 200


@pytest.mark.parametrize("field", ["from", "to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_audit_filters_out_of_range_answer_400(admin, field, day):
    for path in ("/admin/audit", "/admin/audit.csv"):
        answer = admin.get(path, query_string={field: day})
        assert answer.status_code == 400, (path, answer.status_code)
        assert RANGE_TEXT in answer.text


@pytest.mark.parametrize("as_of", OUT_OF_RANGE)
def test_api_as_of_out_of_range_is_400_json(client, api_head, as_of):
    for url in ("/api/v1/items", "/api/v1/items/MT02"):
        answer = client.get(url, query_string={"as_of": as_of}, headers=api_head)
        assert answer.status_code == 400
        assert "01/01/1900" in answer.json["fields"]["as_of"]


def test_api_document_date_out_of_range_is_refused(client, api_head, db):
    body = {"as_of": "2025-10-01", "value": 74, "document": {"number": "1/QĐ", "date": "0001-01-01"}}
    answer = client.post("/api/v1/items/MT02/entries", json=body, headers=api_head)
    assert answer.status_code == 400
    assert "01/01/1900" in answer.json["fields"]["document.date"]
    assert entries(db) == 0


def test_entry_form_dates_out_of_range_are_refused_by_the_field(head, db):
    answer = head.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                     "doc_number": "1/QĐ", "doc_date": "0001-01-01"})
    assert answer.status_code == 422
    assert RANGE_TEXT in answer.text
    assert entries(db) == 0


def test_period_dates_out_of_range_are_refused_by_the_field(client, secretary, db, no_raise):
    client.post("/login", data={"username": "vanthu", "password": PASSWORD})
    answer = client.post("/reports", data={"kind": "week", "start_date": "0001-01-01",
                                           "end_date": "0001-01-07"})
    assert answer.status_code == 422
    assert RANGE_TEXT in answer.text


def test_cli_dates_out_of_range_are_a_message(runner, plan):
    result = runner.invoke(args=["status", "--as-of", "9999-12-31"])
    assert result.exit_code != 0
    assert "01/01/1900" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- text: NUL, control characters, lone surrogates -------------------------------------------------

def test_the_domain_check_names_nul_controls_and_surrogates():
    for bad in ("a\x00b", "\ud800", "x\udfffy", "\x1b[31m", "\x7f", "\x85"):
        assert character_problem(bad), repr(bad)
    for good in ("Bảy mươi tư", "dòng 1\r\ndòng 2\tcột", "", "😀", "\ufeffBOM"):
        assert character_problem(good) is None, repr(good)
    assert character_problem("a\nb", multiline=False)
    assert character_problem("a\tb", multiline=False)


def test_api_note_with_a_lone_surrogate_is_400_json(client, api_head, db):
    raw = '{"as_of": "2025-10-01", "value": 74, "note": "\\ud800"}'  # valid JSON, not valid text
    answer = client.post("/api/v1/items/MT02/entries", data=raw, headers=api_head,
                         content_type="application/json")
    assert answer.status_code == 400
    assert answer.is_json
    assert "note" in answer.json["fields"]
    assert entries(db) == 0


@pytest.mark.parametrize("raw", ['{"as_of": "2025-10-01", "value": 74, "note": "a\\u0000b"}',
                                 '{"as_of": "2025-10-01", "value": 74, "\\ud800": 1}',
                                 '{"as_of": "2025-10-01", "value": 74, "document": {"number": "\\udc00"}}'])
def test_api_entry_with_nul_or_surrogates_anywhere_is_400_json(client, api_head, db, raw):
    answer = client.post("/api/v1/items/MT02/entries", data=raw, headers=api_head,
                         content_type="application/json")
    assert answer.status_code == 400, answer.status_code
    assert answer.is_json
    assert answer.json["error"] == "invalid"
    assert entries(db) == 0


@pytest.mark.parametrize("text", ["\\ud800", "a\\u0000b", "\\u001b"])
def test_api_late_reasons_with_bad_characters_are_400_json(client, secretary, week, db, no_raise, text):
    plain = create_token(db.session, secretary, "test")
    db.session.commit()
    before = db.session.scalar(select(ProcedureStats.updated_at))
    raw = '{"late_reasons": "' + text + '"}'
    answer = client.put(f"/api/v1/periods/{week.id}/stats", data=raw, content_type="application/json",
                        headers={"Authorization": f"Bearer {plain}"})
    assert answer.status_code == 400, answer.status_code
    assert answer.is_json
    db.session.expire_all()
    assert db.session.scalar(select(ProcedureStats.updated_at)) == before


def test_api_query_string_with_nul_is_400_json(client, api_head):
    answer = client.get("/api/v1/items", query_string={"as_of": "2025-10-01\x00"}, headers=api_head)
    assert answer.status_code == 400
    assert answer.is_json


def test_inbox_email_with_nul_is_400(head, db):
    answer = head.post("/inbox/settings", data={"email": "a\x00@b.vn", "red-email": "on"})
    assert answer.status_code == 400
    assert "ký tự" in answer.text


def test_full_name_with_nul_is_400_and_nothing_is_saved(admin, db):
    answer = admin.post("/admin/users", data={"username": "moi", "full_name": "Nguyễn\x00 Văn A",
                                              "role": "leader", "password": "mat-khau-rat-dai-1"})
    assert answer.status_code == 400
    assert "ký tự" in answer.text
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "moi")) is None


def test_plan_template_code_with_nul_is_400(admin):
    answer = admin.post("/admin/plan-template", data={"plan_code": "KH\x00"})
    assert answer.status_code == 400


@pytest.mark.parametrize("field", ["action", "actor", "from", "to"])
def test_audit_filters_with_nul_are_400(admin, field):
    answer = admin.get("/admin/audit", query_string={field: "x\x00"})
    assert answer.status_code == 400
    assert "ký tự" in answer.text


@pytest.mark.parametrize("path", ["/items/MT%00", "/items/MT02%00/trend.svg", "/units/TT%00HCC"])
def test_nul_in_the_path_is_400(head, path):
    assert head.get(path).status_code == 400


def test_nul_in_an_upload_name_is_400(head, db):
    import io
    answer = head.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                     "files": (io.BytesIO(b"%PDF-1.4"), "a\x00.pdf")},
                       content_type="multipart/form-data")
    assert answer.status_code == 400
    assert entries(db) == 0


def test_login_with_nul_is_refused_not_500(client, make_user, no_raise):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    answer = client.post("/login", data={"username": "tp.tthcc\x00", "password": PASSWORD})
    assert answer.status_code == 400


def test_encoded_surrogates_and_invalid_utf8_in_a_form_or_query_never_fail(head, db):
    """A form body or query string cannot carry a lone surrogate: Werkzeug keeps percent-encoded
    surrogate halves and other invalid UTF-8 as their percent escapes, which are plain text."""
    answer = head.post("/items/MT02/entries", data=b"as_of=2025-10-01&value=74&note=%ED%A0%80x%FF",
                       content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 302
    assert db.session.scalar(select(ProgressEntry.note).where(LOGGED)) == "%ED%A0%80x%FF"
    assert head.get("/items/MT02?as_of=%ED%A0%80").status_code == 400
    with_nul = head.post("/items/MT02/entries", data=b"as_of=2025-10-01&value=75&note=%ED%A0%80%00",
                         content_type="application/x-www-form-urlencoded")
    assert with_nul.status_code == 400
    assert entries(db) == 1


def test_one_line_fields_refuse_line_breaks_and_tabs(admin, make_user, client, db):
    answer = admin.post("/admin/users", data={"username": "moi", "full_name": "Nguyễn\nVăn A",
                                              "role": "leader", "password": "mat-khau-rat-dai-1"})
    assert answer.status_code == 422
    assert "một dòng" in answer.text
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "moi")) is None
    make_user("tp.tthcc", "unit_head", "TTHCC")
    head = client.application.test_client()
    head.post("/login", data={"username": "tp.tthcc", "password": PASSWORD})
    for field in ("doc_number", "doc_issuer"):
        data = {"as_of": "2025-10-01", "value": "74", "doc_number": "119/QĐ", field: "119/QĐ\tUBND"}
        answer = head.post("/items/MT02/entries", data=data)
        assert answer.status_code == 422, field
        assert "một dòng" in answer.text
    assert entries(db) == 0
    assert head.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                   "note": "hai\ndòng"}).status_code == 302


def test_tab_and_newline_pass_the_request_guard(head, db):
    answer = head.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74",
                                                     "note": "dòng 1\r\ndòng 2\tcột"})
    assert answer.status_code == 302
    assert db.session.scalar(select(ProgressEntry.note).where(LOGGED)) == "dòng 1\r\ndòng 2\tcột"


def test_seed_file_text_and_dates_are_checked():
    from tests.test_seeding import problems_for, raw_seed

    data = raw_seed()
    data["targets"][0]["title"] = "Dịch vụ\x00 công"
    data["units"][0]["name"] = "\ud800"
    data["targets"][1]["deadline"] = "9999-12-31"
    data["tasks"][0]["deadline"] = date(1, 1, 1)
    problems = problems_for(data)
    assert any("MT01: trường 'title'" in p and "ký tự" in p for p in problems), problems
    assert any("trường 'name'" in p and "ký tự" in p for p in problems), problems
    assert any("MT02: trường 'deadline'" in p and "01/01/1900" in p for p in problems), problems
    assert any("NV01: trường 'deadline'" in p and "01/01/1900" in p for p in problems), problems


# --- two corrections of one entry at once ------------------------------------------------------------

def test_the_loser_of_two_concurrent_corrections_gets_the_message(app, db, make_user, item, no_raise,
                                                                   monkeypatch):
    """Both requests pass the check that the entry is not yet corrected, then both save: the one that
    saves second is refused with the single-user message (409/422 page), not a 500."""
    import tracker.services.progress as progress

    for name in ("head1", "head2"):
        make_user(name, "unit_head", "TTHCC")
    first = app.test_client()
    first.post("/login", data={"username": "head1", "password": PASSWORD})
    assert first.post("/items/MT02/entries", data={"as_of": "2025-10-01", "value": "74"}).status_code == 302
    wrong = db.session.scalar(select(ProgressEntry.id).where(LOGGED))
    clients = {"head1": first, "head2": app.test_client()}
    clients["head2"].post("/login", data={"username": "head2", "password": PASSWORD})

    both_checked = threading.Barrier(2, timeout=10)
    original = progress._check_supersedes

    def check_then_wait(*args, **kwargs):
        result = original(*args, **kwargs)
        both_checked.wait()  # neither has saved yet: both believe the entry is uncorrected
        return result

    monkeypatch.setattr(progress, "_check_supersedes", check_then_wait)
    answers: dict[str, object] = {}

    def correct(name: str, value: str) -> None:
        answers[name] = clients[name].post("/items/MT02/entries", data={
            "as_of": "2025-10-01", "value": value, "supersedes": str(wrong), "reason": "sửa"})

    threads = [threading.Thread(target=correct, args=(name, value))
               for name, value in (("head1", "75"), ("head2", "76"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [302, 422], codes
    loser = next(answer for answer in answers.values() if answer.status_code == 422)
    assert "vừa được điều chỉnh" in loser.text or "đã được điều chỉnh" in loser.text
    db.session.expire_all()
    assert entries(db) == 2
    audit = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "progress.log")).all()
    assert len(audit) == 2


def test_date_fields_are_typed_day_first(head):
    """Every date field is text typed dd/mm/yyyy (issue 14: a native date field shows mm/dd/yyyy on an
    English browser); the server refuses dates out of range with the range in its message."""
    for path in ("/plan", "/items/MT02", "/my"):
        page = head.get(path).text
        assert not re.findall(r'<input[^>]*type="date"[^>]*>', page), path
        inputs = re.findall(r'<input[^>]*placeholder="dd/mm/yyyy"[^>]*>', page)
        assert inputs, path
        for tag in inputs:
            assert 'inputmode="numeric"' in tag, tag
            assert "pattern=" in tag, tag
    answer = head.post("/items/MT02/entries", data={"as_of": "01/01/1800", "value": "1"})
    assert EARLIEST_DATE.strftime("%d/%m/%Y") in answer.text
    assert LATEST_DATE.strftime("%d/%m/%Y") in answer.text


def test_an_out_of_range_date_is_written_the_vietnamese_way(head):
    assert "31/12/9999" in head.get("/plan", query_string={"as_of": "9999-12-31"}).text
    # A year before 1000 keeps its four digits (strftime writes 0202 as "202").
    assert "15/06/0202" in head.get("/plan", query_string={"as_of": "0202-06-15"}).text
