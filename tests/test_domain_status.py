"""The traffic-light rule, case by case (see docs/status-rules.md)."""

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from tracker.domain.status import (
    AMBER,
    GREEN,
    GREY,
    RED,
    ItemSpec,
    Reading,
    StatusRules,
    compute_status,
    current_entry,
    expected_value,
)

START, DEADLINE = date(2025, 1, 1), date(2025, 1, 11)  # ten days: 1 day = 10% of the line
MID = date(2025, 1, 6)  # expected is exactly half way
RULES = StatusRules()
COUNT = ItemSpec(progress_based=False, start=START, deadline=DEADLINE, target=100, baseline=0)
LOWER = ItemSpec(progress_based=False, start=START, deadline=DEADLINE, target=20, baseline=100,
                 higher_is_better=False)
FLAT = ItemSpec(progress_based=False, start=START, deadline=DEADLINE, target=100, baseline=100)
TASK = ItemSpec(progress_based=True, start=START, deadline=DEADLINE)


def value(v: float, on: date = MID) -> Reading:
    return Reading(as_of=on, value=v)


def task(state: str, percent: float, on: date = MID) -> Reading:
    return Reading(as_of=on, state=state, percent=percent)


@pytest.mark.parametrize(("name", "spec", "reading", "as_of", "colour", "pace"), [
    ("no entry", COUNT, None, MID, GREY, None),
    ("met early", COUNT, value(100), MID, GREEN, None),
    ("above target", COUNT, value(130), MID, GREEN, None),
    ("pace exactly 0.9", COUNT, value(45), MID, GREEN, 0.9),
    ("pace just under 0.9", COUNT, value(44.9), MID, AMBER, 0.898),
    ("pace exactly 0.8", COUNT, value(40), MID, AMBER, 0.8),
    ("pace just under 0.8", COUNT, value(39.9), MID, RED, 0.798),
    ("on the deadline day, on pace", COUNT, value(95, DEADLINE), DEADLINE, GREEN, 0.95),
    ("on the deadline day, behind", COUNT, value(85, DEADLINE), DEADLINE, AMBER, 0.85),
    ("day after the deadline, not met", COUNT, value(99, DEADLINE), date(2025, 1, 12), RED, None),
    ("day after the deadline, met", COUNT, value(100, DEADLINE), date(2025, 1, 12), GREEN, None),
    ("before the start: nothing expected yet", COUNT, value(0, date(2024, 12, 30)), date(2024, 12, 31),
     GREEN, 1.0),
    ("lower is better, on pace", LOWER, value(64), MID, GREEN, 0.9),
    ("lower is better, behind", LOWER, value(70), MID, RED, 0.75),
    ("lower is better, met", LOWER, value(20), MID, GREEN, None),
    ("lower is better, late", LOWER, value(21), date(2025, 1, 12), RED, None),
    ("baseline equals target, not met: pace 1", FLAT, value(90), MID, GREEN, 1.0),
    ("baseline equals target, late", FLAT, value(90), date(2025, 1, 12), RED, None),
    ("task done", TASK, task("done", 100), MID, GREEN, None),
    ("task done after the deadline stays green", TASK, task("done", 100, DEADLINE), date(2025, 3, 1),
     GREEN, None),
    ("task on pace", TASK, task("in_progress", 45), MID, GREEN, 0.9),
    ("task at risk", TASK, task("in_progress", 40), MID, AMBER, 0.8),
    ("task behind", TASK, task("blocked", 10), MID, RED, 0.2),
    ("task overdue", TASK, task("in_progress", 95, DEADLINE), date(2025, 1, 12), RED, None),
    ("task not started at the start", TASK, task("not_started", 0, START), START, GREEN, 1.0),
])
def test_colour(name, spec, reading, as_of, colour, pace):
    status = compute_status(spec, reading, as_of, RULES)
    assert status.colour == colour, f"{name}: {status.reason}"
    if pace is None:
        assert status.pace is None
    else:
        assert status.pace == pytest.approx(pace, abs=1e-3)
    assert status.reason


def test_thresholds_are_plan_settings():
    strict = StatusRules(green_pace=1.0, amber_pace=0.95)
    assert compute_status(COUNT, value(45), MID, strict).colour == RED
    assert compute_status(COUNT, value(48), MID, strict).colour == AMBER


@pytest.mark.parametrize(("days_old", "stale"), [(0, False), (30, False), (31, True)])
def test_stale_after_the_plan_period(days_old, stale):
    as_of = date(2025, 3, 1)
    reading = value(100, date.fromordinal(as_of.toordinal() - days_old))
    status = compute_status(COUNT, reading, as_of, RULES)
    assert status.stale is stale
    assert status.colour == GREEN  # staleness is a flag beside the colour


def test_expected_line_is_clamped():
    assert expected_value(START, DEADLINE, 0, 100, date(2024, 1, 1)) == 0
    assert expected_value(START, DEADLINE, 0, 100, MID) == 50
    assert expected_value(START, DEADLINE, 0, 100, date(2026, 1, 1)) == 100
    assert expected_value(DEADLINE, DEADLINE, 0, 100, DEADLINE) == 100


def test_reason_explains_in_vietnamese_with_local_formats():
    status = compute_status(COUNT, value(1234.5), MID, StatusRules())
    assert "1.234,5" in status.reason
    late = compute_status(COUNT, value(40, DEADLINE), date(2025, 1, 12), RULES)
    assert "quá hạn 11/01/2025" in late.reason


@dataclass
class E:
    id: int
    as_of: date
    created_at: datetime
    supersedes_id: int | None = None


def test_current_entry_is_latest_non_superseded_on_or_before():
    t = datetime(2025, 1, 1)
    entries = [
        E(1, date(2025, 1, 5), t),
        E(2, date(2025, 1, 8), t),
        E(3, date(2025, 1, 8), t, supersedes_id=2),  # correction of #2
        E(4, date(2025, 1, 20), t),  # after as_of
    ]
    assert current_entry(entries, date(2025, 1, 10)).id == 3
    assert current_entry(entries, date(2025, 1, 6)).id == 1
    assert current_entry(entries, date(2025, 1, 4)) is None
    assert current_entry(entries, date(2025, 1, 31)).id == 4


def test_same_day_entries_take_the_last_recorded():
    entries = [E(1, date(2025, 1, 5), datetime(2025, 1, 5, 9)),
               E(2, date(2025, 1, 5), datetime(2025, 1, 5, 8))]
    assert current_entry(entries, date(2025, 1, 5)).id == 1
