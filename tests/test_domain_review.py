"""The reporting loop's plain rules: due moments, lateness, allowed transitions, the board's states,
the reporting rate and the reminders (no database, no HTTP)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tracker.domain.review import (
    ACCEPTED,
    DEFAULT_RULES,
    DRAFT,
    LATE,
    NOT_OPENED,
    ON_TIME,
    RETURNED,
    SUBMITTED,
    DueRule,
    PeriodFacts,
    board_state,
    due_moment,
    edit_problem,
    format_due,
    is_late,
    is_overdue,
    latest_due_start,
    period_end,
    period_start_of,
    reopen_problem,
    report_reminder,
    reporting_rate,
    review_problem,
    rule_problems,
    submit_problem,
)

TZ = "Asia/Ho_Chi_Minh"  # UTC+7


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("kind", "end", "due"), [
    # A Monday–Sunday week is due the next Monday at 10:00 (03:00 UTC).
    ("week", date(2025, 11, 9), utc(2025, 11, 10, 3, 0)),
    ("month", date(2025, 10, 31), utc(2025, 11, 5, 3, 0)),
    ("quarter", date(2025, 12, 31), utc(2026, 1, 10, 3, 0)),
])
def test_default_rules_give_the_due_moment(kind, end, due):
    assert due_moment(DEFAULT_RULES[kind], end, TZ) == due


def test_no_rule_no_due_moment():
    assert due_moment(None, date(2025, 11, 9), TZ) is None


def test_due_moment_is_written_as_officials_write_it():
    assert format_due(utc(2025, 11, 10, 3, 0), TZ) == "10:00 thứ Hai 10/11/2025"
    assert format_due(utc(2025, 11, 10, 3, 0), TZ, language="en") == "10:00 Monday 10/11/2025"
    assert format_due(None) == ""


def test_a_submission_after_the_due_moment_is_late():
    due = utc(2025, 11, 10, 3, 0)
    assert not is_late(due, utc(2025, 11, 10, 3, 0))
    assert is_late(due, utc(2025, 11, 10, 3, 1))
    assert is_late(due.replace(tzinfo=None), datetime(2025, 11, 10, 4, 0))  # SQLite's naive UTC
    assert not is_late(None, utc(2030, 1, 1))


def test_overdue_only_while_in_the_communes_hands():
    due, after = utc(2025, 11, 10, 3, 0), utc(2025, 11, 10, 4, 0)
    assert is_overdue(DRAFT, due, after)
    assert is_overdue(RETURNED, due, after)
    assert not is_overdue(SUBMITTED, due, after)
    assert not is_overdue(ACCEPTED, due, after)
    assert not is_overdue(DRAFT, due, utc(2025, 11, 10, 2, 0))


@pytest.mark.parametrize(("status", "submit", "reopen", "edit", "review"), [
    (DRAFT, True, False, True, False),
    (RETURNED, True, False, True, False),
    (SUBMITTED, False, True, False, True),
    (ACCEPTED, False, False, False, False),
])
def test_transitions(status, submit, reopen, edit, review):
    assert (submit_problem(status) is None) is submit
    assert (reopen_problem(status) is None) is reopen
    assert (edit_problem(status) is None) is edit
    assert (review_problem(status) is None) is review


def test_an_accepted_period_says_it_is_locked_for_good():
    assert "reopened" in reopen_problem(ACCEPTED) or "mở lại" in reopen_problem(ACCEPTED)


@pytest.mark.parametrize(("status", "submitted", "state"), [
    (None, None, NOT_OPENED),
    (DRAFT, None, DRAFT),
    (SUBMITTED, utc(2025, 11, 10, 2, 59), ON_TIME),
    (SUBMITTED, utc(2025, 11, 10, 3, 1), LATE),
    (ACCEPTED, utc(2025, 11, 10, 3, 1), ACCEPTED),
    (RETURNED, utc(2025, 11, 10, 2, 0), RETURNED),
])
def test_board_state(status, submitted, state):
    assert board_state(status, utc(2025, 11, 10, 3, 0), submitted) == state


def test_reporting_rate_counts_every_commune_once_and_a_returned_report_as_not_submitted():
    rate = reporting_rate([(ON_TIME, False), (LATE, True), (ACCEPTED, False), (ACCEPTED, True),
                           (RETURNED, False), (DRAFT, False), (NOT_OPENED, False), (NOT_OPENED, False)])
    assert (rate.expected, rate.submitted, rate.on_time) == (8, 4, 2)
    assert rate.percent == 50
    assert rate.on_time_percent == 25
    assert reporting_rate([]).percent is None


@pytest.mark.parametrize(("kind", "day", "start", "end"), [
    ("week", date(2025, 11, 12), date(2025, 11, 10), date(2025, 11, 16)),
    ("month", date(2025, 2, 14), date(2025, 2, 1), date(2025, 2, 28)),
    ("month", date(2024, 12, 31), date(2024, 12, 1), date(2024, 12, 31)),
    ("quarter", date(2025, 11, 12), date(2025, 10, 1), date(2025, 12, 31)),
])
def test_period_bounds(kind, day, start, end):
    assert period_start_of(kind, day) == start
    assert period_end(kind, start) == end


def test_the_board_opens_on_the_latest_period_already_due():
    week = DEFAULT_RULES["week"]
    # Monday 10/11/2025 09:59 local: the week 03–09/11 is not due yet, so 27/10–02/11 is shown.
    assert latest_due_start(week, utc(2025, 11, 10, 2, 59), TZ) == date(2025, 10, 27)
    assert latest_due_start(week, utc(2025, 11, 10, 3, 0), TZ) == date(2025, 11, 3)
    assert latest_due_start(DEFAULT_RULES["month"], utc(2025, 11, 20), TZ) == date(2025, 10, 1)


def test_calendar_rows_are_checked():
    assert rule_problems(1, time(10, 0)) == {}
    assert set(rule_problems(None, None)) == {"days", "at"}
    assert set(rule_problems(61, time(10, 0))) == {"days"}
    assert set(rule_problems(-1, time(10, 0))) == {"days"}


DUE = utc(2025, 11, 10, 3, 0)


def facts(status=DRAFT, due=DUE) -> PeriodFacts:
    return PeriodFacts(7, "tuần 03/11–09/11/2025", "Xã Ngọk Bay", status, due)


def test_reminder_the_day_before_and_once_overdue():
    assert report_reminder(facts(), utc(2025, 11, 8, 1, 0), TZ) is None  # Saturday: two days before
    soon = report_reminder(facts(), utc(2025, 11, 9, 1, 0), TZ)  # Sunday 08:00
    assert soon.key == "report-due-soon:7"
    assert "10:00 thứ Hai 10/11/2025" in soon.body
    assert report_reminder(facts(), utc(2025, 11, 10, 2, 0), TZ).key == "report-due-soon:7"  # a missed run
    overdue = report_reminder(facts(), utc(2025, 11, 10, 5, 0), TZ)
    assert overdue.key == "report-overdue:7"
    assert overdue.kind == "report_due"
    assert report_reminder(facts(RETURNED), utc(2025, 11, 10, 5, 0), TZ).key == "report-overdue:7"
    assert report_reminder(facts(SUBMITTED), utc(2025, 11, 10, 5, 0), TZ) is None
    assert report_reminder(facts(due=None), utc(2025, 11, 10, 5, 0), TZ) is None
    assert report_reminder(facts(), utc(2026, 1, 10), TZ) is None  # long past: not worth a message


def test_a_rule_of_the_province_replaces_the_default():
    rule = DueRule("week", 2, time(17, 0))
    assert due_moment(rule, date(2025, 11, 9), TZ) == utc(2025, 11, 11, 10, 0)
