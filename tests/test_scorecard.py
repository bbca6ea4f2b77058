"""Unit scorecards: the counting rule, then the numbers from real entries."""

from datetime import date

import pytest

from tests.conftest import PASSWORD
from tracker.domain.entries import EntryInput
from tracker.domain.scorecard import Outcome, tally
from tracker.services.progress import log_progress
from tracker.services.scorecard import unit_scorecards

AS_OF = date(2026, 1, 10)
PAST, FUTURE = date(2025, 12, 31), date(2026, 6, 30)


@pytest.mark.parametrize(("outcome", "bucket"), [
    (Outcome(PAST, met_at_deadline=True, met_now=True, has_entry=True, stale=False), "done_on_time"),
    (Outcome(PAST, met_at_deadline=False, met_now=True, has_entry=True, stale=False), "done_late"),
    (Outcome(PAST, met_at_deadline=False, met_now=False, has_entry=True, stale=True), "overdue"),
    (Outcome(PAST, met_at_deadline=False, met_now=False, has_entry=False, stale=False), "overdue"),
    (Outcome(FUTURE, met_at_deadline=True, met_now=True, has_entry=True, stale=False), "not_due"),
    (Outcome(AS_OF, met_at_deadline=False, met_now=False, has_entry=True, stale=False), "not_due"),
])
def test_each_outcome_lands_in_one_bucket(outcome, bucket):
    card = tally({"X": outcome}, AS_OF)
    assert card.codes == {bucket: ["X"]}
    assert card.total == 1
    assert card.due == (bucket in ("done_on_time", "done_late", "overdue"))


def test_updates_on_time_and_share():
    card = tally({
        "A": Outcome(PAST, True, True, True, False),
        "B": Outcome(PAST, False, False, True, True),
        "C": Outcome(FUTURE, False, False, False, False),
    }, AS_OF)
    assert card.updated == 1
    assert card.on_time_share == 50
    assert tally({}, AS_OF).on_time_share is None


def test_scorecards_from_entries(db, plan, make_user, item):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    today = date(2026, 1, 10)
    # NV05 (due 31/12/2025) done late, NV03 done on time (the plan's document says so), MT01 met
    # before its deadline, MT02 never met.
    log_progress(db.session, head, item("NV05"), EntryInput(as_of=date(2025, 12, 25), state="in_progress",
                                                            percent=80), today=today)
    log_progress(db.session, head, item("NV05"), EntryInput(as_of=date(2026, 1, 5), state="done",
                                                            percent=100), today=today)
    log_progress(db.session, head, item("MT01"), EntryInput(as_of=date(2025, 12, 1), value=25), today=today)
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 12, 1), value=90), today=today)
    db.session.commit()
    scores = {s.unit.code: s.card for s in unit_scorecards(db.session, plan, today)}
    card = scores["TTHCC"]
    assert "NV05" in card.codes["done_late"]
    assert "NV03" in card.codes["done_on_time"]
    assert "MT01" in card.codes["done_on_time"]
    assert "MT02" in card.codes["overdue"]
    assert card.total == card.due + card.not_due
    assert scores["UBND"].codes.get("done_on_time", []) == []


def test_scorecard_page(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    page = client.get("/scorecard?as_of=2026-01-10")
    assert page.status_code == 200
    assert "Quá hạn chưa hoàn thành" in page.text
    assert "Trung tâm Phục vụ hành chính công" in page.text
