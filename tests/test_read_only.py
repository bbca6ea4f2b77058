"""A request that only read ends with COMMIT (PostgreSQL keeps its prepared statements); a GET that
changed something without committing keeps nothing, as before. A POST that changed something commits
once at the request's end when its answer is a success (the boundary in ``tracker.transaction``), and
keeps nothing when its answer is a refusal or it failed."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy import event, func, select, table, text, update

from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db as _db
from tracker.models import Plan


@pytest.fixture
def probe_app(db, plan):
    """An app with routes that read, change without committing, or fail; it records how each
    request's transaction ended."""
    probe = create_app(TestConfig)
    ends: list[str] = []

    @probe.get("/_probe/read")
    def read():
        return str(_db.session.scalar(select(func.count()).select_from(Plan)))

    @probe.route("/_probe/change-object", methods=["GET", "POST"])
    def change_object():
        _db.session.scalars(select(Plan)).one().title = "Đổi mà không lưu"
        return "changed", int(request.args.get("status", 200))

    @probe.route("/_probe/flush-change", methods=["GET", "POST"])
    def flush_change():
        _db.session.scalars(select(Plan)).one().title = "Đổi, ghi tạm, không lưu"
        _db.session.flush()
        return "flushed", int(request.args.get("status", 200))

    @probe.route("/_probe/update", methods=["GET", "POST"])
    def update_rows():
        _db.session.execute(update(Plan).values(title="Cập nhật không lưu"))
        return "updated", int(request.args.get("status", 200))

    @probe.route("/_probe/text", methods=["GET", "POST"])
    def textual():
        _db.session.execute(text("UPDATE plan SET title = 'Văn bản SQL không lưu'"))
        return "text", int(request.args.get("status", 200))

    @probe.get("/_probe/fail")
    def fail():
        _db.session.scalar(select(func.count()).select_from(Plan))
        raise RuntimeError("boom")

    @probe.get("/_probe/prepared")
    def prepared():
        _db.session.scalar(select(Plan.id).where(Plan.code == "KH-PROBE"))
        return str(_db.session.scalar(select(func.count()).select_from(table("pg_prepared_statements"))))

    with probe.app_context():
        event.listen(_db.engine, "commit", lambda conn: ends.append("commit"))
        event.listen(_db.engine, "rollback", lambda conn: ends.append("rollback"))
    probe.testing = False  # let the failing route answer 500 instead of raising into the test
    yield probe, ends
    with probe.app_context():
        _db.engine.dispose()


def title_of(plan) -> str:
    _db.session.expire_all()
    return _db.session.get(Plan, plan.id).title


def test_a_request_that_only_read_commits(probe_app, plan):
    probe, ends = probe_app
    assert probe.test_client().get("/_probe/read").text == "1"
    assert ends == ["commit"]


@pytest.mark.parametrize("path", ["/_probe/change-object", "/_probe/flush-change", "/_probe/update",
                                  "/_probe/text"])
def test_a_get_that_changed_something_without_committing_keeps_nothing(probe_app, plan, path):
    probe, ends = probe_app
    before = title_of(plan)
    assert probe.test_client().get(path).status_code == 200
    assert "commit" not in ends
    assert title_of(plan) == before


@pytest.mark.parametrize("path", ["/_probe/change-object", "/_probe/flush-change", "/_probe/update",
                                  "/_probe/text"])
def test_a_post_that_succeeded_commits_what_it_changed_once(probe_app, plan, path):
    probe, ends = probe_app
    before = title_of(plan)
    assert probe.test_client().post(path).status_code == 200
    assert ends == ["commit"]
    assert title_of(plan) != before


@pytest.mark.parametrize("path", ["/_probe/change-object", "/_probe/flush-change", "/_probe/update",
                                  "/_probe/text"])
@pytest.mark.parametrize("status", [400, 403, 422])
def test_a_view_that_answered_a_refusal_keeps_nothing_it_changed(probe_app, plan, path, status):
    probe, ends = probe_app
    before = title_of(plan)
    assert probe.test_client().post(f"{path}?status={status}").status_code == status
    assert "commit" not in ends
    assert title_of(plan) == before


def test_a_request_that_failed_rolls_back(probe_app, plan):
    probe, ends = probe_app
    assert probe.test_client().get("/_probe/fail").status_code == 500
    assert ends == ["rollback"]


def test_postgresql_keeps_the_statements_of_read_only_requests_prepared(probe_app, plan):
    probe, _ends = probe_app
    with probe.app_context():
        if _db.engine.dialect.name != "postgresql":
            pytest.skip("prepared statements are PostgreSQL's")
    client = probe.test_client()
    counts = [int(client.get("/_probe/prepared").text) for _ in range(8)]
    # psycopg prepares a statement from its sixth run on a connection; a ROLLBACK would drop it.
    assert counts[-1] >= 1
