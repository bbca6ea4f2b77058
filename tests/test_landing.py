"""Where each role starts, the current period, period names, the kept date, the leader page (issue 14)."""

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD
from tracker.domain.dates import period_title
from tracker.services.periods import PeriodInput, create_period, current_period
from tracker.services.views import build_attention


def sign_in(client, make_user, username, role, unit=None):
    make_user(username, role, unit)
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(("kind", "start", "end", "name"), [
    ("month", date(2025, 10, 1), date(2025, 10, 31), "Tháng 10/2025"),
    ("month", date(2025, 2, 1), date(2025, 2, 28), "Tháng 02/2025"),
    ("week", date(2025, 10, 27), date(2025, 11, 2), "Tuần 27/10–02/11/2025"),
    ("week", date(2025, 12, 29), date(2026, 1, 4), "Tuần 29/12/2025–04/01/2026"),
    ("quarter", date(2025, 10, 1), date(2025, 12, 31), "Quý IV/2025"),
    ("month", date(2025, 10, 5), date(2025, 10, 31), "Tháng 05/10–31/10/2025"),  # not a calendar month
    ("custom", date(2025, 10, 1), date(2025, 10, 15), "Tùy chọn 01/10–15/10/2025"),
])
def test_period_names_say_which_period(app, kind, start, end, name):
    with app.test_request_context():
        assert period_title(kind, start, end) == name


def test_the_reports_list_names_each_period(client, make_user):
    sign_in(client, make_user, "vanthu", "secretary", "VP")
    for kind, start, end in (("month", "2025-10-01", "2025-10-31"), ("week", "2025-10-27", "2025-11-02")):
        answer = client.post("/reports", data={"kind": kind, "start_date": start, "end_date": end})
        assert answer.status_code == 302
    page = client.get("/reports").text
    assert ">Tháng 10/2025</a>" in page
    assert ">Tuần 27/10–02/11/2025</a>" in page
    assert ">Tháng</a>" not in page


def test_current_period_prefers_the_draft_week_inside_the_month(db, plan, secretary):
    day = date(2025, 10, 29)
    assert current_period(db.session, plan.commune_id, day) is None
    month = create_period(db.session, secretary, plan.commune, PeriodInput("month", date(2025, 10, 1),
                                                                           date(2025, 10, 31)))
    assert current_period(db.session, plan.commune_id, day) == month
    week = create_period(db.session, secretary, plan.commune, PeriodInput("week", date(2025, 10, 27),
                                                                          date(2025, 11, 2)))
    assert current_period(db.session, plan.commune_id, day) == week
    assert current_period(db.session, plan.commune_id, date(2025, 11, 3)) is None


@pytest.mark.parametrize(("role", "unit", "where"), [
    ("unit_head", "TTHCC", "/my?as_of=2025-11-03"),
    ("leader", "TTDU", "/attention?as_of=2025-11-03"),
    ("secretary", "VP", "/reports?as_of=2025-11-03"),
    ("admin", None, "/plan?as_of=2025-11-03"),
])
def test_home_sends_each_role_to_its_work(client, make_user, role, unit, where):
    sign_in(client, make_user, "someone", role, unit)
    assert client.get("/?as_of=2025-11-03").headers["Location"] == where


def test_the_date_is_kept_on_links_and_today_drops_it(client, make_user):
    sign_in(client, make_user, "bithu", "leader", "TTDU")
    past = client.get("/plan?as_of=2025-11-03").text
    assert 'href="/scorecard?as_of=2025-11-03"' in past
    assert 'href="/reports?as_of=2025-11-03"' in past
    assert "Đang xem ngày 03/11/2025" in past
    assert 'href="/plan">về hôm nay</a>' in past
    today = client.get("/plan").text
    assert 'href="/scorecard"' in today
    assert "Đang xem ngày" not in today
    assert "Đơn vị của tôi" not in today, "a leader's unit leads nothing: no empty page in the menu"


def test_the_language_choice_is_in_the_header(client, make_user):
    sign_in(client, make_user, "bithu", "leader", "TTDU")
    assert 'href="/account/password#language">Ngôn ngữ / <span lang="en">Language</span></a>' in \
        client.get("/plan").text


def test_attention_lists_red_then_amber_and_the_weeks_changes(db, plan, make_user, item):
    from tracker.domain.entries import EntryInput
    from tracker.services.progress import log_progress

    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    as_of = date(2025, 11, 3)
    entry = EntryInput(as_of=as_of - timedelta(days=2), state="in_progress", percent=80)
    log_progress(db.session, head, item("NV03"), entry, today=as_of)
    db.session.commit()
    page = build_attention(db.session, plan, as_of)
    colours = [r.status.colour for r in page.urgent]
    assert colours
    assert colours == sorted(colours, key=("red", "amber").index)
    changed = {c.row.code: c for c in page.changes}
    assert changed["NV03"].entry.author_name == "tp.tthcc"
    assert changed["NV03"].colour_before == "green"  # done on 30/6/2025 per the plan's document
    assert sum(page.counts.values()) == 27


def test_the_period_print_view_has_a_way_back(client, make_user):
    sign_in(client, make_user, "vanthu", "secretary", "VP")
    page = client.post("/reports", data={"kind": "month", "start_date": "2025-10-01",
                                         "end_date": "2025-10-31"}).headers["Location"]
    printed = client.get(f"{page}/report.html")
    assert f'<a class="back" href="{page}">← Tháng 10/2025</a>' in printed.text
    assert "data-print" in printed.text
    assert f'href="{page}/report.pdf"' in printed.text
    assert "script-src 'self'" in printed.headers["Content-Security-Policy"]
