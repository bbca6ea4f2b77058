"""The reminder rules with a controlled clock: before, on and after a deadline; stale; turned red."""

from datetime import date

import pytest

from tracker.domain.reminders import (
    ItemFacts,
    backoff_minutes,
    deadline_reminder,
    previous_week,
    red_alert,
    stale_reminder,
    turned_red,
)

DEADLINE = date(2025, 12, 31)


def facts(colour="amber", met=False, last_update=date(2025, 12, 20), start=date(2025, 7, 1)):
    return ItemFacts("target", "MT01", "Dịch vụ công trực tuyến", start, DEADLINE, colour, met, last_update)


@pytest.mark.parametrize(("today", "kind", "key_prefix", "words"), [
    (date(2025, 12, 23), None, None, None),                      # 8 days before: nothing yet
    (date(2025, 12, 24), "due_soon", "due7", "còn 7 ngày"),       # 7 days before
    (date(2025, 12, 28), "due_soon", "due7", "còn 3 ngày"),       # a missed run is caught up
    (date(2025, 12, 30), "due_soon", "due1", "ngày mai"),         # the day before
    (date(2025, 12, 31), "due_soon", "due1", "hôm nay"),          # on the deadline
    (date(2026, 1, 1), "overdue", "overdue", "quá hạn 31/12/2025"),  # the day after
    (date(2026, 3, 1), "overdue", "overdue", "quá hạn"),
])
def test_deadline_reminders_around_the_deadline(today, kind, key_prefix, words):
    reminder = deadline_reminder(facts(), today)
    if kind is None:
        assert reminder is None
        return
    assert reminder.kind == kind
    assert reminder.key == f"{key_prefix}:target:MT01:2025-12-31"
    assert words in reminder.title + reminder.body
    assert "MT01" in reminder.body
    assert "có nguy cơ chậm" in reminder.body  # the light, in words


def test_the_key_is_the_same_every_day_of_a_window():
    keys = {deadline_reminder(facts(), date(2025, 12, day)).key for day in range(24, 30)}
    assert keys == {"due7:target:MT01:2025-12-31"}


@pytest.mark.parametrize("today", [date(2025, 12, 24), date(2025, 12, 31), date(2026, 1, 1)])
def test_met_items_get_no_deadline_reminder(today):
    assert deadline_reminder(facts(colour="green", met=True), today) is None


def test_no_reminder_before_the_item_starts():
    assert deadline_reminder(facts(start=date(2025, 12, 28)), date(2025, 12, 26)) is None


@pytest.mark.parametrize(("last_update", "today", "stale"), [
    (date(2025, 11, 1), date(2025, 12, 1), False),   # exactly 30 days: not yet
    (date(2025, 11, 1), date(2025, 12, 2), True),    # 31 days
    (None, date(2025, 7, 31), False),                # never updated, 30 days since the start
    (None, date(2025, 8, 1), True),
])
def test_stale_nudges(last_update, today, stale):
    reminder = stale_reminder(facts(last_update=last_update), today, 30)
    assert (reminder is not None) == stale
    if reminder:
        assert reminder.key == f"stale:target:MT01:{(last_update or date(2025, 7, 1)).isoformat()}"
        assert "quá 30 ngày" in reminder.title


def test_met_items_are_never_stale():
    assert stale_reminder(facts(met=True, last_update=date(2025, 1, 1)), date(2025, 12, 1), 30) is None


@pytest.mark.parametrize(("previous", "current", "alert"), [
    ("amber", "red", True), ("green", "red", True), ("grey", "red", True),
    ("red", "red", False), (None, "red", False), ("amber", "amber", False), ("red", "green", False),
])
def test_turned_red_only_on_a_change(previous, current, alert):
    assert turned_red(previous, current) is alert


def test_red_alert_text():
    alert = red_alert(facts(colour="red"), date(2026, 1, 1))
    assert alert.key == "red:target:MT01:2026-01-01"
    assert "MT01" in alert.title
    assert "chậm / quá hạn" in alert.body
    assert "01/01/2026" in alert.body


@pytest.mark.parametrize(("today", "week"), [
    (date(2025, 11, 10), (date(2025, 11, 3), date(2025, 11, 9))),   # Monday
    (date(2025, 11, 16), (date(2025, 11, 3), date(2025, 11, 9))),   # Sunday
    (date(2026, 1, 5), (date(2025, 12, 29), date(2026, 1, 4))),     # across the year
])
def test_previous_week(today, week):
    assert previous_week(today) == week


def test_backoff_doubles():
    assert [backoff_minutes(n) for n in range(1, 6)] == [1, 2, 4, 8, 16]
    assert backoff_minutes(30) == 24 * 60
