"""No lost updates on period figures: same starting point → the second save is told, keeps its input."""

import threading

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.test_domain_stats import BA_DINH
from tracker.models import ProcedureStats, ReportingPeriod


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
