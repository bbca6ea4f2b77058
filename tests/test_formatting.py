"""The one way figures are written (``tracker.domain.formatting``): rounding half up to two decimals
as a spreadsheet's ROUND does, Vietnamese thousands, counts padded as the province's reports pad
them, and money in triệu / tỷ đồng."""

from decimal import Decimal

import pytest

from tracker.domain.formatting import (
    UNREADABLE,
    format_count,
    format_money,
    format_money_exact,
    format_number,
    format_percent,
    format_ratio,
    format_share,
    percent_of,
    round_half_up,
)


@pytest.mark.parametrize(("value", "rounded"), [
    (2.0979, "2.10"), (24.615, "24.62"), (0.005, "0.01"), (0.004999, "0.00"), (1.005, "1.01"),
    (2.675, "2.68"), (0.125, "0.13"), (-0.005, "-0.01"), (-0.001, "0.00"), (Decimal("24.615"), "24.62"),
    (7, "7.00"), (10**12, "1000000000000.00"),
    (23 / 160 * 100, "14.38"),  # the float is 14.374999999999998; the share is exactly 14,375
    (201 / 20000 * 100, "1.01"),
])
def test_round_half_up_as_a_spreadsheets_round(value, rounded):
    # float round() gives 2.67 for 2.675 and 0.12 for 0.125; Babel's default (half even) 0,12.
    assert round_half_up(value) == Decimal(rounded)
    assert str(round_half_up(value)) == rounded


@pytest.mark.parametrize(("part", "whole", "share"), [
    (3, 143, "2.10"), (16, 65, "24.62"), (1, 231, "0.43"), (2, 40, "5.00"), (1, 20000, "0.01"),
    (1, 8, "12.50"), (0, 65, "0.00"), (65, 65, "100.00"), (23, 160, "14.38"), (201, 20000, "1.01"),
])
def test_percent_of_is_exact_then_rounded_half_up(part, whole, share):
    assert percent_of(part, whole) == Decimal(share)


def test_a_share_from_a_float_is_written_as_the_exact_share():
    """The status rule keeps a ratio as a float (numerator / denominator × 100); the page writes that
    float, the report writes the share from its parts: both must say the same."""
    for whole in range(1, 1001):
        for part in range(whole + 1):
            assert round_half_up(part / whole * 100) == percent_of(part, whole), (part, whole)


def test_percent_of_without_a_whole():
    assert percent_of(None, 5) is None
    assert percent_of(5, None) is None
    assert percent_of(1, 0) is None


@pytest.mark.parametrize(("value", "text"), [
    (2.0979, "2,1"), (0.005, "0,01"), (0.125, "0,13"), (2.675, "2,68"), (1234.5, "1.234,5"),
    (1234567, "1.234.567"), (0, "0"), (-0.001, "0"), (None, "—"),
    (float("inf"), UNREADABLE), (float("nan"), UNREADABLE), (1e30, UNREADABLE),
])
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (2.0979, "2,10%"), (24.615, "24,62%"), (24.615384615384617, "24,62%"), (0.005, "0,01%"),
    (5, "5%"), (100, "100%"), (99.999, "100%"), (85.5, "85,50%"), (0.43, "0,43%"), (None, "—"),
    (float("inf"), UNREADABLE),
])
def test_format_percent(value, text):
    assert format_percent(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (1, "01"), (2, "02"), (9, "09"), (9.0, "09"), (10, "10"), (67, "67"), (143, "143"),
    (1234, "1.234"), (2.5, "2,5"), (None, "—"),
])
def test_format_count_pads_as_the_province_writes(value, text):
    # Seed 001: "02 hồ sơ", "01 thủ tục", "06 máy vi tính", "03/143 TTHC", and "0 hồ sơ".
    assert format_count(value) == text


@pytest.mark.parametrize(("part", "whole", "text"), [
    (558, 1234, "558/1.234"), (3, 143, "03/143"), (0, 65, "0/65"), (2, 40, "02/40"), (None, 5, "—"),
])
def test_format_ratio(part, whole, text):
    assert format_ratio(part, whole) == text


@pytest.mark.parametrize(("part", "whole", "text"), [
    (3, 143, "2,10% (03/143 TTHC)"), (1, 231, "0,43% (01/231 TTHC)"), (2, 40, "5% (02/40 TTHC)"),
    (0, 5, "0% (0/05 TTHC)"), (143, 143, "100% (143/143 TTHC)"), (558, 1234, "45,22% (558/1.234 TTHC)"),
])
def test_format_share(part, whole, text):
    assert format_share(part, whole, "TTHC") == text


def test_format_share_without_a_figure_says_what_the_caller_asks():
    assert format_share(None, 5) == "—"
    assert format_share(1, 0, empty="không") == "không"


def test_format_share_of_amounts_writes_the_money_units():
    assert (format_share(410_000_000, 28_500_000_000, money=True)
            == "1,44% (410 triệu đồng/28,5 tỷ đồng)")


@pytest.mark.parametrize(("value", "text"), [
    (410_000_000, "410 triệu đồng"), (28_500_000_000, "28,5 tỷ đồng"), (1_000_000_000, "1 tỷ đồng"),
    (999_999_999, "1 tỷ đồng"), (999_994_999, "999,99 triệu đồng"), (999_995_000, "1 tỷ đồng"),
    (1_000_000, "1 triệu đồng"), (999_999, "1 triệu đồng"), (994_999, "994.999 đồng"),
    (1_234_567_890_123, "1.234,57 tỷ đồng"), (28_455_000_000, "28,46 tỷ đồng"),
    (650_500_000, "650,5 triệu đồng"), (0, "0 đồng"), (500_000, "500.000 đồng"), (None, "—"),
    (float("inf"), UNREADABLE),
])
def test_format_money_in_trieu_and_ty(value, text):
    assert format_money(value) == text


def test_format_money_exact():
    assert format_money_exact(28_500_000_000) == "28.500.000.000 đồng"
    assert format_money_exact(None) == "—"
