"""No lost updates on period figures: same starting point → the second save is told, keeps its input."""

import io
import json
import threading
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH
from tracker.models import AuditEvent, ProcedureStats, ReportingPeriod
from tracker.render.spreadsheet import SHEET, read_stats_workbook
from tracker.services.stats_io import export_period, import_stats
from tracker.services.tokens import create_token


def form(stats: dict, version: int) -> dict[str, str]:
    return {**{k: str(v) for k, v in stats.items()}, "version": str(version)}


def test_second_save_from_the_same_start_is_refused_with_input_kept(app, db, week, make_user):
    make_user("vanthu2", "secretary", "VP")
    first, second = app.test_client(), app.test_client()
    first.post("/login", data={"username": "vanthu", "password": PASSWORD})
    second.post("/login", data={"username": "vanthu2", "password": PASSWORD})
    start = week.version
    assert first.post(f"/reports/{week.id}/stats", data=form(BA_DINH, start)).status_code == 302
    mine = {**BA_DINH, "entered_late": 3}
    refused = second.post(f"/reports/{week.id}/stats", data=form(mine, start))
    assert refused.status_code == 422
    assert "vừa được lưu bởi vanthu" in refused.text
    assert 'id="s-entered_late" name="entered_late" inputmode="numeric" size="8" value="3"' in refused.text
    db.session.expire_all()
    assert db.session.scalar(select(ProcedureStats.entered_late)) == 0, "the first save stands"
    again = second.post(f"/reports/{week.id}/stats", data=form(mine, start + 1))
    assert again.status_code == 302, "after reviewing, saving on the new version works"


def test_two_threads_saving_at_once_one_wins(app, db, week):
    start = week.version
    results: list[int] = []
    barrier = threading.Barrier(2)

    def save(extra: int) -> None:
        client = app.test_client()
        client.post("/login", data={"username": "vanthu", "password": PASSWORD})
        barrier.wait()
        answer = client.post(f"/reports/{week.id}/stats",
                             data=form({**BA_DINH, "entered_late": extra}, start))
        results.append(answer.status_code)

    threads = [threading.Thread(target=save, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [302, 422]
    db.session.expire_all()
    version = db.session.scalar(select(ReportingPeriod.version).where(ReportingPeriod.id == week.id))
    assert version == start + 1
    assert db.session.scalar(select(ProcedureStats.entered_late)) in (1, 2)


# --- every channel goes through the one versioned save (issue 12, finding 6) ---------------------

def api(client, method, period, token, body=None, if_match=None):
    headers = {"Authorization": f"Bearer {token}"}
    if if_match is not None:
        headers["If-Match"] = if_match
    return client.open(f"/api/v1/periods/{period.id}/stats", method=method, headers=headers,
                       data=None if body is None else json.dumps(body), content_type="application/json")


def entered_late(db) -> int | None:
    db.session.expire_all()
    return db.session.scalar(select(ProcedureStats.entered_late))


def version_of(db, period) -> int:
    db.session.expire_all()
    return db.session.scalar(select(ReportingPeriod.version).where(ReportingPeriod.id == period.id))


def signed_in(app, username: str):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    return client


def test_form_opened_then_api_put_then_form_save_is_refused(app, db, week, make_user):
    """The API's PUT did not bump the version: a form opened before it saved over it silently."""
    token = create_token(db.session, make_user("vanthu2", "secretary", "VP"), "script")
    db.session.commit()
    form_client = signed_in(app, "vanthu")
    opened = week.version  # the version the form was rendered with
    assert f'name="version" value="{opened}"' in form_client.get(f"/reports/{week.id}").text
    etag = api(app.test_client(), "GET", week, token).headers["ETag"]
    put = api(app.test_client(), "PUT", week, token, {**BA_DINH, "entered_late": 7}, if_match=etag)
    assert put.status_code == 200
    assert version_of(db, week) == opened + 1
    assert put.headers["ETag"] != etag
    refused = form_client.post(f"/reports/{week.id}/stats", data=form({**BA_DINH, "entered_late": 1}, opened))
    assert refused.status_code == 422
    assert "vừa được lưu bởi vanthu2" in refused.text
    assert "số liệu TTHC, qua API" in refused.text, "says what was saved, and how"
    assert entered_late(db) == 7, "the API's figures stand"


def test_form_opened_then_import_then_form_save_is_refused(app, db, week, secretary):
    """The spreadsheet import did not bump the version either."""
    form_client = signed_in(app, "vanthu")
    opened = week.version
    data = export_period(db.session, week)
    book = load_workbook(io.BytesIO(data))
    cells = read_stats_workbook(data).cells
    for name, value in {**BA_DINH, "entered_late": 5}.items():
        book[SHEET][cells[name]] = value
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_stats(db.session, secretary, secretary.commune, buffer.getvalue(),
                          today=date(2025, 11, 20), dry_run=False)
    assert result.problems == []
    db.session.commit()
    assert version_of(db, week) == opened + 1
    refused = form_client.post(f"/reports/{week.id}/stats", data=form({**BA_DINH, "entered_late": 1}, opened))
    assert refused.status_code == 422
    assert "vừa được lưu bởi vanthu" in refused.text
    assert "nhập từ bảng tính" in refused.text, "says how it was saved"
    assert entered_late(db) == 5, "the imported figures stand"


def test_api_put_with_a_stale_if_match_is_refused_saying_who_saved_what(app, db, week, make_user):
    token = create_token(db.session, make_user("vanthu2", "secretary", "VP"), "script")
    db.session.commit()
    etag = api(app.test_client(), "GET", week, token).headers["ETag"]
    assert signed_in(app, "vanthu").post(f"/reports/{week.id}/stats",
                                         data=form(BA_DINH, week.version)).status_code == 302
    stale = api(app.test_client(), "PUT", week, token, {**BA_DINH, "entered_late": 9}, if_match=etag)
    assert stale.status_code == 412
    body = stale.get_json()
    assert body["error"] == "precondition_failed"
    assert "vanthu" in body["message"]
    assert "số liệu TTHC" in body["message"]
    assert stale.headers["ETag"] != etag, "the current ETag comes with the refusal"
    assert entered_late(db) == 0, "nothing saved"
    again = api(app.test_client(), "PUT", week, token, {**BA_DINH, "entered_late": 9},
                if_match=stale.headers["ETag"])
    assert again.status_code == 200
    assert entered_late(db) == 9


def test_api_put_needs_if_match_and_star_replaces_knowingly(app, db, week, make_user):
    token = create_token(db.session, make_user("vanthu2", "secretary", "VP"), "script")
    db.session.commit()
    start = week.version
    missing = api(app.test_client(), "PUT", week, token, BA_DINH)
    assert missing.status_code == 428
    assert missing.get_json()["error"] == "precondition_required"
    assert "If-Match" in missing.get_json()["message"]
    foreign = api(app.test_client(), "PUT", week, token, BA_DINH, if_match='"period-999999-v1"')
    assert foreign.status_code == 412
    assert entered_late(db) is None
    assert version_of(db, week) == start
    star = api(app.test_client(), "PUT", week, token, BA_DINH, if_match="*")
    assert star.status_code == 200
    assert version_of(db, week) == start + 1, "a knowing replacement still makes older forms stale"


def test_two_api_writers_from_the_same_etag_one_wins(app, db, week, make_user):
    token = create_token(db.session, make_user("vanthu2", "secretary", "VP"), "script")
    db.session.commit()
    etag = api(app.test_client(), "GET", week, token).headers["ETag"]
    first = api(app.test_client(), "PUT", week, token, {**BA_DINH, "entered_late": 1}, if_match=etag)
    second = api(app.test_client(), "PUT", week, token, {**BA_DINH, "entered_late": 2}, if_match=etag)
    assert (first.status_code, second.status_code) == (200, 412)
    assert entered_late(db) == 1


def _exported_with(db, week, changes: dict) -> bytes:
    data = export_period(db.session, week)
    cells = read_stats_workbook(data).cells
    book = load_workbook(io.BytesIO(data))
    for name, value in changes.items():
        book[SHEET][cells.get(name, name)] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_of_a_file_exported_before_a_change_is_refused(app, db, week, secretary, runner, tmp_path):
    old_file = _exported_with(db, week, {**BA_DINH, "entered_late": 4})
    assert signed_in(app, "vanthu").post(f"/reports/{week.id}/stats",
                                         data=form(BA_DINH, week.version)).status_code == 302
    page_client = signed_in(app, "vanthu")
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = import_stats(db.session, secretary, secretary.commune, old_file, today=date(2025, 11, 20),
                          dry_run=False)
    db.session.rollback()
    [problem] = result.problems
    assert problem.field == "version"
    assert "vừa được lưu bởi vanthu" in problem.message
    assert "Xuất lại tệp" in problem.message
    path = tmp_path / "cu.xlsx"
    path.write_bytes(old_file)
    cli = runner.invoke(args=["stats", "import", str(path), "--as", "vanthu"])
    assert cli.exit_code != 0
    assert "Xuất lại tệp" in cli.output
    page = page_client.post("/reports/import", data={"file": (io.BytesIO(old_file), "cu.xlsx")},
                                         content_type="multipart/form-data")
    assert page.status_code == 422
    assert "Xuất lại tệp" in page.text
    assert entered_late(db) == 0, "the form's figures stand"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_file_without_a_version_is_imported_with_a_note(app, db, week, secretary):
    old_file = _exported_with(db, week, {**BA_DINH, "C6": None, "D6": None})
    assert read_stats_workbook(old_file).version is None
    start = week.version
    result = import_stats(db.session, secretary, secretary.commune, old_file, today=date(2025, 11, 20),
                          dry_run=False)
    assert result.problems == []
    assert "không ghi phiên bản" in result.notes[0]
    db.session.commit()
    assert version_of(db, week) == start + 1
