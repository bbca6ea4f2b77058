"""Figures an old database may hold (stored before the bounds, or by hand): every page, document,
API answer and nightly job still answers, and shows a marker where a number cannot be written."""

import math
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import update

from tests.whole_app import ITEMS, WholeApp
from tracker.domain.bounds import usable
from tracker.domain.formatting import UNREADABLE, format_number, format_percent
from tracker.domain.status import GREY, MAX_PACE, ItemSpec, Reading, StatusRules, compute_status
from tracker.models import FinanceFigures, ProgressEntry, Target
from tracker.services.access import find_item

# What the bounds now refuse but an older database may contain. NaN cannot be stored in SQLite
# (it becomes NULL); PostgreSQL keeps it.
STORED = [1e26, 1.7976931348623157e308, -1e300, math.inf, -math.inf, math.nan, 5e-324]


def store_everywhere(db, plan, number: float) -> None:
    """Put ``number`` in every float column an item's status, pages and documents read."""
    head_id = db.session.scalar(db.select(db.text("id")).select_from(db.text('"user"'))
                                .where(db.text("username = 'tp.tthcc'")))
    day = date(2025, 10, 1)
    for kind, code in ITEMS.items():
        item = find_item(db.session, plan, code)
        link = {"item_id": item.id}
        if kind in ("count", "percent"):
            figures = {"value": number}
        elif kind == "ratio":
            figures = {"numerator": number, "denominator": number}
        else:
            figures = {"state": "in_progress", "percent": number}
        db.session.add(ProgressEntry(**link, as_of=day, author_id=head_id, **figures))
    db.session.execute(update(Target).where(Target.plan_id == plan.id, Target.code.in_(["MT02", "MT10"]))
                       .values(target_value=number, baseline=number))
    db.session.commit()


@pytest.mark.parametrize("number", STORED, ids=repr)
def test_every_page_document_and_job_answers_whatever_is_stored(app, db, plan, week, make_user, data_app,
                                                               number):
    whole = WholeApp.build(app, db, plan, week, make_user, data_app)
    store_everywhere(db, plan, number)
    # Every page each time; the PDFs and PNG copies (slow, the same drawing) for two of the values.
    slow = number == 1e26 or number == math.inf
    assert whole.failures(pdf=slow, png=slow) == []


def test_finance_amounts_beyond_the_bound_are_still_written(app, db, plan, week, make_user, data_app):
    whole = WholeApp.build(app, db, plan, week, make_user, data_app)
    db.session.add(FinanceFigures(period_id=week.id, estimate=2**62, approved=2**62, allocated=2**61,
                                  dx_spending=2**62, total_local_spending=1))
    db.session.commit()
    assert whole.failures(png=False, pdf=False, jobs=False) == []


@pytest.mark.parametrize("number", [*STORED, 10**30, -(10**30)], ids=repr)
def test_formatting_and_the_status_rule_are_total(number):
    shown = format_number(number)
    assert shown == UNREADABLE or (math.isfinite(number) and abs(number) < 1e26)
    assert format_percent(number) in (UNREADABLE, f"{shown}%")
    spec = ItemSpec(progress_based=False, start=date(2025, 9, 1), deadline=date(2025, 12, 31), target=100.0,
                    baseline=0.0)
    for item, reading in ((spec, Reading(date(2025, 10, 1), value=number)),
                          (replace(spec, target=number), Reading(date(2025, 10, 1), value=50.0)),
                          (replace(spec, baseline=number), Reading(date(2025, 10, 1), value=50.0)),
                          (replace(spec, progress_based=True), Reading(date(2025, 10, 1), state="in_progress",
                                                                       percent=number))):
        status = compute_status(item, reading, date(2025, 11, 1), StatusRules())
        if usable(number):
            assert status.colour != GREY
        else:
            assert (status.colour, status.actual, status.pace) == (GREY, None, None)
            assert "Không đọc được số liệu" in status.reason


def test_a_tiny_expected_progress_gives_a_bounded_pace():
    # A day into an eight-thousand-year line to 10^18, nearly there already: the pace is clamped.
    spec = ItemSpec(progress_based=False, start=date(2025, 1, 1), deadline=date(9999, 12, 31), target=1e18,
                    baseline=0.0)
    status = compute_status(spec, Reading(date(2025, 1, 2), value=9e17), date(2025, 1, 2), StatusRules())
    assert (status.colour, status.pace) == ("green", MAX_PACE)
