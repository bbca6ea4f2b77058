"""The commune–province loop through the services, the pages, the job and the API: due dates from the
province's calendar, submit on time or late, accept, return with a reason, the refusals, the
completeness board (and what it costs in statements), the reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.test_api import bearer, conforms
from tests.test_query_counts import counting, engine_of
from tracker.domain.review import ACCEPTED, RETURNED, SUBMITTED
from tracker.jobs.tasks import report_reminder_job, weekly_draft_job
from tracker.models import (
    AuditEvent,
    Commune,
    Notification,
    OutboxMail,
    ProcedureStats,
    ReportingCalendar,
    ReportingPeriod,
)
from tracker.services.audit import AuditFilter, activity_page
from tracker.services.calendar import CalendarInput, save_calendar
from tracker.services.errors import EntryRefused, NotAllowed
from tracker.services.figures import save_figures
from tracker.services.notifications import MailSettings
from tracker.services.periods import PeriodInput, StaleEdit, create_period, reopen_period, submit_period
from tracker.services.review import accept_period, build_board, return_period
from tracker.services.tokens import create_token
from tracker.services.users import create_user

MAIL = MailSettings("127.0.0.1", 25, None, None, False, 5, "tracker@localhost", "http://tracker.test")
WEEK = (date(2025, 11, 3), date(2025, 11, 9))  # Monday–Sunday: due 10:00 Monday 10/11/2025 (03:00 UTC)
DUE = datetime(2025, 11, 10, 3, 0, tzinfo=UTC)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@pytest.fixture
def province_user(db, plan, data_app):
    """Return a function that creates a user of the seeded commune's province."""
    def make(username: str, role: str):
        user = create_user(db.session, province=plan.commune.province, username=username, password=PASSWORD,
                           role=role, full_name=f"Ông {username}",
                           hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                           min_length=data_app.config["PASSWORD_MIN_LENGTH"])
        db.session.commit()
        return user
    return make


@pytest.fixture
def reviewer(province_user):
    return province_user("vp.tinh", "secretary")


@pytest.fixture
def secretary(make_user, db):
    user = make_user("vanthu", "secretary", "VP")
    user.email = "vanthu@xa.test"
    db.session.commit()
    return user


@pytest.fixture
def period(db, plan, secretary):
    """The draft week 03–09/11/2025."""
    made = create_period(db.session, secretary, plan.commune, PeriodInput("week", *WEEK))
    db.session.commit()
    return made


def submitted(db, secretary, period, at: datetime) -> ReportingPeriod:
    submit_period(db.session, secretary, period, expected_version=period.version)
    period.submitted_at = at  # as if submitted at that instant
    db.session.commit()
    return period


def test_the_seeded_province_has_the_default_calendar(db, plan):
    rows = {r.kind: (r.days_after_end, r.due_time) for r in db.session.scalars(select(ReportingCalendar))}
    assert rows == {"week": (1, time(10, 0)), "month": (5, time(10, 0)), "quarter": (10, time(10, 0))}


def test_an_opened_period_carries_its_due_moment_from_the_calendar(db, plan, secretary, period,
                                                                   province_user):
    assert aware(period.due_at) == DUE
    admin = province_user("qt.tinh", "admin")
    save_calendar(db.session, admin, plan.commune.province,
                  {"week": CalendarInput(2, time(17, 0)), "month": CalendarInput(5, time(10, 0)),
                   "quarter": CalendarInput(10, time(10, 0))})
    db.session.commit()
    later = create_period(db.session, secretary, plan.commune, PeriodInput("week", date(2025, 11, 10),
                                                                           date(2025, 11, 16)))
    assert aware(later.due_at) == datetime(2025, 11, 18, 10, 0, tzinfo=UTC)  # Tuesday 17:00 local
    db.session.refresh(period)
    assert aware(period.due_at) == DUE, "a period already opened keeps its due moment"
    custom = create_period(db.session, secretary, plan.commune,
                           PeriodInput("custom", date(2025, 7, 1), date(2025, 9, 30)))
    assert custom.due_at is None


def test_only_a_province_admin_changes_the_calendar(db, plan, reviewer, secretary):
    for who in (reviewer, secretary):
        with pytest.raises(NotAllowed):
            save_calendar(db.session, who, plan.commune.province, {"week": CalendarInput(1, time(9, 0))})


def test_the_monday_job_opens_the_week_with_its_due_moment(db, plan, secretary, data_app):
    monday = datetime(2025, 11, 10, 0, 30, tzinfo=UTC)  # 07:30 Monday local
    done = weekly_draft_job(db.session, monday, data_app.config)
    db.session.commit()
    opened = db.session.get(ReportingPeriod, done["periods"][0])
    assert (opened.start_date, opened.end_date) == WEEK
    assert aware(opened.due_at) == DUE
    note = db.session.scalar(select(Notification).where(Notification.user_id == secretary.id))
    assert "10:00 thứ Hai 10/11/2025" in note.body


def test_a_late_submission_is_recorded_late(db, plan, secretary):
    old = create_period(db.session, secretary, plan.commune, PeriodInput("week", *WEEK))
    submit_period(db.session, secretary, old, expected_version=old.version)  # today is long after 10/11/2025
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "period.submit"))
    assert event.after["late"] is True


def test_accept_locks_the_period_for_both_sides(db, secretary, reviewer, period):
    with pytest.raises(EntryRefused) as refused:
        accept_period(db.session, reviewer, period, expected_version=period.version)
    assert "period" in refused.value.errors, "a draft cannot be accepted"
    submitted(db, secretary, period, DUE)
    accept_period(db.session, reviewer, period, expected_version=period.version, mail=MAIL)
    db.session.commit()
    assert period.status == ACCEPTED
    assert period.is_submitted
    assert period.accepted_by_id == reviewer.id
    with pytest.raises(EntryRefused) as refused:
        reopen_period(db.session, secretary, period, "Sửa số liệu", expected_version=period.version)
    assert "period" in refused.value.errors
    with pytest.raises(EntryRefused):
        save_figures(db.session, secretary, period, today=date(2025, 11, 12), expected_version=period.version,
                     stats={"dossiers_new_total": 5})
    with pytest.raises(EntryRefused):
        submit_period(db.session, secretary, period, expected_version=period.version)
    with pytest.raises(EntryRefused):
        return_period(db.session, reviewer, period, "Trả lại", expected_version=period.version)
    with pytest.raises(EntryRefused):
        accept_period(db.session, reviewer, period, expected_version=period.version)


def test_return_needs_a_reason_and_reopens_the_period_for_the_commune(db, plan, secretary, reviewer, period):
    submitted(db, secretary, period, DUE + timedelta(hours=2))
    for reason in (None, "   "):
        with pytest.raises(EntryRefused) as refused:
            return_period(db.session, reviewer, period, reason, expected_version=period.version, mail=MAIL)
        assert "reason" in refused.value.errors
    assert period.status == SUBMITTED
    return_period(db.session, reviewer, period, "Số hồ sơ trực tuyến không khớp tổng.",
                  expected_version=period.version, mail=MAIL)
    db.session.commit()
    assert period.status == RETURNED
    assert not period.is_submitted
    assert period.return_reason == "Số hồ sơ trực tuyến không khớp tổng."
    assert period.returned_by_id == reviewer.id
    # Editable again, then submitted again.
    save_figures(db.session, secretary, period, today=date(2025, 11, 12), expected_version=period.version,
                 stats={"dossiers_new_total": 5})
    submit_period(db.session, secretary, period, expected_version=period.version)
    assert period.status == SUBMITTED
    # The secretaries were told, in the app and by e-mail.
    note = db.session.scalar(select(Notification).where(Notification.user_id == secretary.id,
                                                        Notification.kind == "report_review"))
    assert "Số hồ sơ trực tuyến không khớp tổng." in note.body
    assert note.link == f"/reports/{period.id}"
    assert db.session.scalar(select(OutboxMail.to_address)) == "vanthu@xa.test"
    # The commune's activity log shows it, naming the province user.
    page = activity_page(db.session, plan.commune_id, AuditFilter(kind="period.return"))
    [(event, sentence)] = page.rows
    assert event.actor_id == reviewer.id
    assert event.commune_id == plan.commune_id
    assert "Ông vp.tinh" in sentence
    assert "Số hồ sơ trực tuyến không khớp tổng." in sentence


def test_a_stale_review_is_refused(db, secretary, reviewer, period):
    submitted(db, secretary, period, DUE)
    with pytest.raises(StaleEdit):
        accept_period(db.session, reviewer, period, expected_version=period.version - 1)


def test_only_the_provinces_secretaries_and_leaders_review(db, secretary, province_user, make_user, period):
    submitted(db, secretary, period, DUE)
    for who in (province_user("qt.tinh", "admin"), make_user("bithu", "leader", "TTDU"), secretary):
        with pytest.raises(NotAllowed):
            accept_period(db.session, who, period, expected_version=period.version)
    accept_period(db.session, province_user("ld.tinh", "leader"), period, expected_version=period.version)


# --- the pages --------------------------------------------------------------------------------

def sign_in(client, username: str) -> None:
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def test_a_commune_user_cannot_reach_the_board(client, secretary, period):
    sign_in(client, "vanthu")
    assert client.get("/province/reports").status_code == 403
    assert client.get("/province/calendar").status_code == 403
    answer = client.post(f"/province/reports/{period.id}/accept", data={"version": period.version})
    assert answer.status_code == 403


def test_the_board_shows_each_commune_and_reviews(client, db, plan, secretary, reviewer, period):
    submitted(db, secretary, period, DUE + timedelta(hours=1))
    sign_in(client, "vp.tinh")
    page = client.get("/province/reports?kind=week&start=05/11/2025")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ngọk Bay" in text
    assert "10:00 thứ Hai 10/11/2025" in text
    assert 'class="board-state state-late"' in text
    # A return without a reason: refused, nothing changed, the page says why.
    refused = client.post(f"/province/reports/{period.id}/return",
                          data={"version": period.version, "reason": " "})
    assert refused.status_code == 422
    assert f'id="reason-{period.id}-error"' in refused.get_data(as_text=True)
    # A stale form with a reason: refused, the reason kept on screen.
    stale = client.post(f"/province/reports/{period.id}/return",
                        data={"version": period.version - 1, "reason": "Thiếu số liệu mục 4"})
    assert stale.status_code == 422
    assert "Thiếu số liệu mục 4" in stale.get_data(as_text=True)
    db.session.refresh(period)
    assert period.status == SUBMITTED
    done = client.post(f"/province/reports/{period.id}/return",
                       data={"version": period.version, "reason": "Thiếu số liệu mục 4"})
    assert done.status_code == 302
    db.session.refresh(period)
    assert period.status == RETURNED


def test_the_commune_sees_the_return_and_the_due_date(client, db, secretary, reviewer, period):
    submitted(db, secretary, period, DUE)
    return_period(db.session, reviewer, period, "Bổ sung mục 2", expected_version=period.version)
    db.session.commit()
    sign_in(client, "vanthu")
    text = client.get(f"/reports/{period.id}").get_data(as_text=True)
    assert "Bổ sung mục 2" in text
    assert 'id="return-reason"' in text
    assert "10:00 thứ Hai 10/11/2025" in text
    listing = client.get("/reports").get_data(as_text=True)
    assert "10:00 thứ Hai 10/11/2025" in listing


def test_an_accepted_period_says_it_cannot_be_reopened(client, db, secretary, reviewer, period):
    submitted(db, secretary, period, DUE)
    accept_period(db.session, reviewer, period, expected_version=period.version)
    db.session.commit()
    sign_in(client, "vanthu")
    assert 'id="locked"' in client.get(f"/reports/{period.id}").get_data(as_text=True)
    answer = client.post(f"/reports/{period.id}/reopen", data={"version": period.version, "reason": "Sửa"})
    assert answer.status_code == 422
    db.session.refresh(period)
    assert period.status == ACCEPTED


def test_the_calendar_page(client, db, plan, province_user, reviewer):
    province_user("qt.tinh", "admin")
    sign_in(client, "vp.tinh")
    assert client.get("/province/calendar").status_code == 200
    assert client.post("/province/calendar", data={"week-days": "2", "week-at": "09:00"}).status_code == 403
    client.post("/logout")
    sign_in(client, "qt.tinh")
    rest = {"month-days": "5", "month-at": "10:00", "quarter-days": "10", "quarter-at": "10:00"}
    bad = client.post("/province/calendar", data={"week-days": "abc", "week-at": "25:00", **rest})
    assert bad.status_code == 422
    assert 'value="abc"' in bad.get_data(as_text=True)
    assert 'value="25:00"' in bad.get_data(as_text=True)
    ok = client.post("/province/calendar", data={"week-days": "2", "week-at": "9:30", **rest})
    assert ok.status_code == 302
    row = db.session.scalar(select(ReportingCalendar).where(ReportingCalendar.kind == "week"))
    db.session.refresh(row)
    assert (row.days_after_end, row.due_time) == (2, time(9, 30))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar.save")) is not None


# --- the job --------------------------------------------------------------------------------

def test_reminders_the_day_before_and_once_overdue(db, plan, secretary, period, data_app):
    config = {**data_app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": 25, "SMTP_STARTTLS": False}
    sunday = datetime(2025, 11, 9, 1, 0, tzinfo=UTC)
    assert report_reminder_job(db.session, sunday, config)["notifications"] == {"due_soon": 1, "overdue": 0}
    assert report_reminder_job(db.session, sunday, config)["notifications"] == {"due_soon": 0, "overdue": 0}
    after = datetime(2025, 11, 10, 5, 0, tzinfo=UTC)
    assert report_reminder_job(db.session, after, config)["notifications"] == {"due_soon": 0, "overdue": 1}
    assert report_reminder_job(db.session, after, config)["notifications"] == {"due_soon": 0, "overdue": 0}
    keys = set(db.session.scalars(select(Notification.key).where(Notification.user_id == secretary.id)))
    assert keys == {f"report-due-soon:{period.id}", f"report-overdue:{period.id}"}
    assert len(db.session.scalars(select(OutboxMail)).all()) == 2


def test_no_reminder_for_a_submitted_period(db, secretary, period, data_app):
    submitted(db, secretary, period, DUE)
    sunday = datetime(2025, 11, 9, 1, 0, tzinfo=UTC)
    assert report_reminder_job(db.session, sunday, data_app.config)["notifications"] == {"due_soon": 0,
                                                                                        "overdue": 0}


# --- the API -----------------------------------------------------------------------------------

def test_the_api_gives_the_board_to_a_province_token(client, db, secretary, reviewer, period):
    submitted(db, secretary, period, DUE + timedelta(hours=1))
    headers = bearer(create_token(db.session, reviewer, "test"))
    db.session.commit()
    answer = client.get("/api/v1/province/reports?kind=week&start=2025-11-05", headers=headers)
    assert answer.status_code == 200, answer.json
    conforms(answer.json, "ProvinceBoard")
    assert answer.json["start"] == "2025-11-03"
    assert answer.json["rate"] == {"expected": 1, "submitted": 1,
                                                                            "on_time": 0}
    [row] = answer.json["communes"]
    assert row["state"] == "late"
    assert row["submitted_at"] == "2025-11-10T04:00:00+00:00"  # UTC, with its offset, on SQLite too
    assert row["due_at"] == "2025-11-10T03:00:00+00:00"
    assert row["period_id"] == period.id
    assert client.get("/api/v1/province/reports?kind=year", headers=headers).status_code == 400
    assert client.get("/api/v1/province/reports?start=05/11/2025", headers=headers).status_code == 400


# --- the board's statements ---------------------------------------------------------------------

STATES = ("draft", SUBMITTED, RETURNED, ACCEPTED, None)  # None: no period opened


def add_communes(db, plan, secretary, prefix: str, count: int) -> None:
    """Communes of the province, each with the week in another state and figures that break a rule
    (more dossiers online than in all), every other one explained."""
    for n in range(count):
        commune = Commune(code=f"{prefix}{n:03d}", name=f"Xã {prefix} {n:03d}",
                          province_id=plan.commune.province_id)
        db.session.add(commune)
        db.session.flush()
        status = STATES[n % len(STATES)]
        if status is None:
            continue
        period = ReportingPeriod(commune_id=commune.id, kind="week", start_date=WEEK[0], end_date=WEEK[1],
                                 status=status, due_at=DUE, submitted_at=DUE + timedelta(hours=n % 2),
                                 submitted_by_id=secretary.id,
                                 return_reason="Sửa" if status == RETURNED else None)
        db.session.add(period)
        db.session.flush()
        db.session.add(ProcedureStats(period_id=period.id, dossiers_new_total=10, dossiers_new_online=20,
                                      override_explanation="Giải trình" if n % 2 else None))
    db.session.commit()


def board_statements(app) -> int:
    """Serve the board to the province secretary; return how many statements it sent."""
    client = app.test_client()
    sign_in(client, "vp.tinh")
    with counting(engine_of(app)) as statements:
        answer = client.get("/province/reports?kind=week&start=2025-11-03")
    assert answer.status_code == 200
    return len(statements)


def test_the_board_costs_the_same_statements_for_3_and_12_communes(app, db, plan, secretary, reviewer):
    add_communes(db, plan, secretary, "A", 2)  # with the seeded commune: 3
    small = board_statements(app)
    board = build_board(db.session, plan.commune.province, "week", WEEK[0])
    assert len(board.rows) == 3
    add_communes(db, plan, secretary, "B", 9)  # 12
    large = board_statements(app)
    assert large == small
    board = build_board(db.session, plan.commune.province, "week", WEEK[0])
    assert len(board.rows) == 12
    assert board.rate.expected == 12
    # The seeded commune and B004 opened nothing; A001 and B001 submitted an hour late, B006 on time.
    assert board.counts == {"not_opened": 2, "draft": 3, "on_time": 1, "late": 2, "accepted": 2,
                            "returned": 2}
    # Submitted: A001, B001 (late), B006, and the accepted B003 (late) and B008; on time: B006, B008.
    assert (board.rate.submitted, board.rate.on_time) == (5, 2)
    breakers = {row.code: row.explanation for row in board.rule_breakers}
    assert len(breakers) == 10
    assert breakers["B001"] == "Giải trình"
    assert breakers["B000"] is None
    assert board.summed_stats.reports == 5
    # The five submitted communes' 10 new dossiers and 20 online, summed; a field none gave stays empty,
    # and the sum breaks the same rule as each of them (more online than in all).
    assert board.summed_stats.figures["dossiers_new_total"] == 50
    assert board.summed_stats.figures["dossiers_new_online"] == 100
    assert board.summed_stats.figures["resolved_late"] is None
    assert board.summed_stats.problems
