"""One transaction boundary per request: a view that failed or refused leaves nothing saved, even
what its service flushed before refusing; a commit that fails answers the face's error page or JSON."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tracker.domain.seed_file import SeedError
from tracker.models import AuditEvent, Plan
from tracker.services.errors import EntryRefused, NotAllowed
from tracker.services.tokens import create_token

CHANGED = "Đổi rồi bị từ chối"
FAIL_COMMIT = "tracker_test_fail_commit"


def title_of(db, plan) -> str:
    db.session.expire_all()
    return db.session.get(Plan, plan.id).title


def flush_a_change(session: Session) -> None:
    """What a service does before it finds a reason to refuse: change a row and flush it."""
    session.scalars(select(Plan)).one().title = CHANGED
    session.flush()


@pytest.fixture
def failing_commits():
    """Make the commit of a session that a fake service marked fail with the given error."""
    def fail(session: Session) -> None:
        error = session.info.pop(FAIL_COMMIT, None)
        if error is not None:
            raise error

    event.listen(Session, "before_commit", fail)
    yield
    event.remove(Session, "before_commit", fail)


def failing_service(error: Exception | None, commit_error: Exception | None = None):
    def service(session, *args, **kwargs):
        flush_a_change(session)
        if commit_error is not None:
            session.info[FAIL_COMMIT] = commit_error
        if error is not None:
            raise error
    return service


# --- the web face -------------------------------------------------------------------------------


@pytest.fixture
def leader(make_user, login):
    make_user("bithu", "leader", "TTDU")
    login("bithu")


def post_directive(client):
    return client.post("/items/MT01/directives", data={"text": "Đẩy nhanh"}, headers={"HX-Request": "true"})


def test_a_refusal_after_a_flush_saves_nothing(client, db, plan, leader, monkeypatch):
    monkeypatch.setattr("tracker.web.directives.routes.write_directive",
                        failing_service(EntryRefused({"text": "Không hợp lệ."})))
    before = title_of(db, plan)
    response = post_directive(client)
    assert response.status_code == 422  # htmx swaps it (base.html's responseHandling), nothing kept
    assert "Không hợp lệ." in response.text
    assert title_of(db, plan) == before


def test_not_allowed_after_a_flush_is_the_403_page_and_saves_nothing_but_its_audit(
        client, db, plan, leader, monkeypatch):
    monkeypatch.setattr("tracker.web.directives.routes.write_directive",
                        failing_service(NotAllowed("no")))
    before = title_of(db, plan)
    response = post_directive(client)
    assert response.status_code == 403
    assert "error" in response.text or "403" in response.text
    assert title_of(db, plan) == before
    denied = db.session.scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "auth.denied"))
    assert denied == 1  # the refusal is audited in a unit of work of its own


@pytest.mark.parametrize(("commit_error", "status"), [
    (IntegrityError("COMMIT", {}, Exception("unique")), 409),
    (OperationalError("COMMIT", {}, Exception("server closed the connection")), 500),
])
def test_a_failed_commit_is_the_error_page_and_saves_nothing(
        client, db, plan, leader, monkeypatch, failing_commits, commit_error, status):
    monkeypatch.setattr("tracker.web.directives.routes.write_directive",
                        failing_service(None, commit_error))
    monkeypatch.setattr("tracker.web.directives.routes.item_directives", lambda *args: [])
    before = title_of(db, plan)
    response = post_directive(client)
    assert response.status_code == status
    assert 'class="error' in response.text or "<h1" in response.text  # the error page, not the list
    assert title_of(db, plan) == before


def test_the_409_page_says_nothing_was_saved(client, db, plan, leader, monkeypatch, failing_commits):
    monkeypatch.setattr("tracker.web.directives.routes.write_directive",
                        failing_service(None, IntegrityError("COMMIT", {}, Exception("unique"))))
    response = post_directive(client)
    assert "không lưu gì" in response.text


# --- the API ------------------------------------------------------------------------------------


@pytest.fixture
def head(db, make_user) -> dict[str, str]:
    plain = create_token(db.session, make_user("tp.tthcc", "unit_head", "TTHCC"), "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def post_entry(client, head):
    return client.post("/api/v1/items/MT01/entries", data=json.dumps({"as_of": "2025-11-01", "value": 3}),
                       headers=head, content_type="application/json")


@pytest.mark.parametrize(("error", "status"), [
    (EntryRefused({"value": "Không hợp lệ."}), 400),
    (NotAllowed("no"), 403),
])
def test_api_refusal_after_a_flush_is_json_and_saves_nothing(client, db, plan, head, monkeypatch, error,
                                                             status):
    monkeypatch.setattr("tracker.services.evidence.log_progress", failing_service(error))
    before = title_of(db, plan)
    response = post_entry(client, head)
    assert response.status_code == status
    assert response.is_json
    assert title_of(db, plan) == before


@pytest.mark.parametrize(("commit_error", "status", "code"), [
    (IntegrityError("COMMIT", {}, Exception("unique")), 409, "conflict"),
    (OperationalError("COMMIT", {}, Exception("server closed the connection")), 500, "server_error"),
])
def test_api_failed_commit_is_json_and_saves_nothing(
        client, db, plan, head, monkeypatch, failing_commits, commit_error, status, code):
    def service(session, user, found, *args, **kwargs):
        flush_a_change(session)
        session.info[FAIL_COMMIT] = commit_error
        return None

    monkeypatch.setattr("tracker.services.evidence.log_progress", service)
    monkeypatch.setattr("tracker.api.routes.entry_document", lambda *args: {})
    before = title_of(db, plan)
    response = post_entry(client, head)
    assert response.status_code == status
    assert response.json["error"] == code
    assert title_of(db, plan) == before


# --- commands -----------------------------------------------------------------------------------


def test_a_command_that_fails_saves_nothing(runner, db, plan, monkeypatch):
    def load(session, seed):
        flush_a_change(session)
        raise SeedError(["hỏng"])

    monkeypatch.setattr("tracker.cli.load_plan_seed", load)
    before = title_of(db, plan)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 1
    assert title_of(db, plan) == before


def test_a_command_that_succeeds_commits_once(runner, db, plan, monkeypatch):
    class Result:
        changed, created, updated, not_in_file = True, 0, 1, []

    def load(session, seed):
        flush_a_change(session)
        return Result()

    monkeypatch.setattr("tracker.cli.load_plan_seed", load)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert title_of(db, plan) == CHANGED
