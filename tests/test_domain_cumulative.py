"""The year-to-date cover of a derived target: periods without overlap, longer ones first, sums."""

from datetime import date

import pytest

from tracker.domain.cumulative import PeriodFigures, year_cover

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def period(key, kind, start, end, numerator, denominator):
    return PeriodFigures(key, kind, start, end, numerator, denominator)


OCTOBER = period(1, "month", date(2025, 10, 1), date(2025, 10, 31), 34, 60)
WEEK_STRADDLING = period(2, "week", date(2025, 10, 27), date(2025, 11, 2), 16, 65)
WEEK_AFTER = period(3, "week", date(2025, 11, 3), date(2025, 11, 9), 16, 65)
WEEK_INSIDE = period(4, "week", date(2025, 10, 6), date(2025, 10, 12), 9, 14)


def test_a_month_and_a_later_week_are_added():
    cover = year_cover([WEEK_AFTER, OCTOBER], *YEAR)
    assert [p.key for p in cover.used] == [1, 3]
    assert (cover.numerator, cover.denominator) == (50, 125)
    assert cover.end == date(2025, 11, 9)
    assert cover.left_out == ()


def test_a_week_inside_or_straddling_a_month_is_left_out_naming_the_month():
    cover = year_cover([WEEK_INSIDE, WEEK_STRADDLING, OCTOBER, WEEK_AFTER], *YEAR)
    assert [p.key for p in cover.used] == [1, 3]
    assert [(left.key, clash.key) for left, clash in cover.left_out] == [(4, 1), (2, 1)]
    assert (cover.numerator, cover.denominator) == (50, 125)


def test_weeks_alone_count_until_their_month_is_entered():
    weeks = [WEEK_INSIDE, period(5, "week", date(2025, 10, 13), date(2025, 10, 19), 5, 10)]
    assert year_cover(weeks, *YEAR).numerator == 14
    assert [p.key for p in year_cover([*weeks, OCTOBER], *YEAR).used] == [1]


def test_a_quarter_replaces_its_months():
    quarter = period(6, "quarter", date(2025, 10, 1), date(2025, 12, 31), 100, 200)
    cover = year_cover([OCTOBER, quarter, WEEK_AFTER], *YEAR)
    assert [p.key for p in cover.used] == [6]
    assert {left.key for left, _ in cover.left_out} == {1, 3}


def test_only_periods_inside_the_year_with_a_denominator_count():
    across_new_year = period(7, "week", date(2024, 12, 30), date(2025, 1, 5), 3, 4)
    last_year = period(8, "month", date(2024, 10, 1), date(2024, 10, 31), 1, 2)
    empty = period(9, "week", date(2025, 3, 3), date(2025, 3, 9), 0, 0)
    cover = year_cover([across_new_year, last_year, empty, OCTOBER], *YEAR)
    assert [p.key for p in cover.used] == [1]
    assert cover.left_out == ()


def test_nothing_to_add():
    cover = year_cover([], *YEAR)
    assert cover.used == ()
    assert cover.end is None
    assert (cover.numerator, cover.denominator) == (0, 0)


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 2, 0]])
def test_the_choice_does_not_depend_on_the_order_given(order):
    given = [OCTOBER, WEEK_STRADDLING, WEEK_AFTER]
    assert year_cover([given[i] for i in order], *YEAR) == year_cover(given, *YEAR)
