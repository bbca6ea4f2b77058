"""Paper reports checked: seeds 000, 001 and 002 keyed in as printed, and every flag they earn.

Each figure is typed as the report prints it, with the report's sentence quoted beside it. The
flags each seed must get are worked out by hand in the test's docstring, with the arithmetic.
"""

from decimal import Decimal

import pytest

from tracker.domain import stats
from tracker.domain.formatting import percent_of
from tracker.domain.paper_check import (
    KEYS,
    NOT_WHOLE,
    OTHER_BASE,
    PART,
    ROUNDING,
    SUM,
    UNIT,
    UNSTATED,
    VALUE,
    Figure,
    check_paper,
    decimals,
    parse_percent,
    read_paper_form,
    whole_counts,
)


def _count(key: str, value: int) -> Figure:
    return Figure(key, count=value)


def _share(key: str, percent: str, base_key: str | None = None, base_number: int | None = None,
           count: int | None = None) -> Figure:
    return Figure(key, count=count, percent=Decimal(percent), base_key=base_key, base_number=base_number)


def _found(flags) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.kind, f.keys) for f in flags}


# Seed 000 (xã Ngọk Tụ, quý III/2025), section 4.1 and 4.4.
SEED_000 = [
    # "tổng số TTHC thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã 393 TTHC"
    _count("tthc_total", 393),
    # "Tổng số TTHC được niêm yết công khai: 393 TTHC."
    _count("tthc_published", 393),
    # "Số lượng TTHC đưa ra thực hiện theo cơ chế một cửa, một cửa liên thông: 393 TTHC"
    _count("tthc_one_stop", 393),
    # "Số lượng TTHC thực hiện qua dịch vụ bưu chính công ích: 0 TTHC"
    _count("tthc_postal", 0),
    # "Số lượng TTHC thực hiện qua dịch vụ công trực tuyến là: 331 TTHC, trong đó có 266 TTHC một
    # phần, 65 TTHC toàn trình"
    _count("tthc_online", 331), _count("tthc_online_partial", 266), _count("tthc_online_full", 65),
    # "Tổng số TTHC không phụ thuộc vào địa giới hành chính là: 155 TTHC."
    _count("tthc_boundary_free", 155),
    # "Tổng số hồ sơ TTHC đã tiếp nhận trong quý III năm 2025 là: 812 hồ sơ"
    _count("dossiers_received_total", 812),
    # "Tiếp nhận mới: 812 hồ sơ, ... (Trong đó: trực tuyến 254 hồ sơ; trực tiếp 558 hồ sơ; qua dịch vụ
    # bưu chính công ích 0 hồ sơ)."
    _count("dossiers_new_total", 812), _count("dossiers_new_online", 254),
    _count("dossiers_new_in_person", 558), _count("dossiers_new_postal", 0),
    # "Số hồ sơ từ kỳ trước chuyển qua: 0 hồ sơ."
    _count("dossiers_carried_over", 0),
    # "Số hồ sơ đã giải quyết là 797 hồ sơ, trong đó: Trước hạn 790 hồ sơ, , quá hạn 07 hồ sơ."
    _count("resolved_total", 797), _count("resolved_on_time", 790), _count("resolved_late", 7),
    # "Số lượng hồ sơ đang giải quyết 14 hồ sơ (chưa đến hạn)."
    _count("pending_not_due", 14),
]

# Seed 001 (xã Ba Dinh, tuần 27/10–03/11/2025), section 4.
SEED_001 = [
    # "Tổng số thủ tục hành chính đã được đồng bộ tích hợp trên cổng dịch vụ công Quốc gia là: 414 thủ tục"
    _count("tthc_total", 414),
    # "+ Trực tuyến toàn trình: 143 TTHC / + Trực tuyến một phần: 231 TTHC / + Trực tiếp: 40 TTHC"
    _count("tthc_online_full", 143), _count("tthc_online_partial", 231), _count("tthc_in_person", 40),
    # "+ Trực tuyến toàn trình: 2,09% (03/143 TTHC)"
    _share("tthc_active_online_full", "2.09", "tthc_online_full", count=3),
    # "+ Trực tuyến một phần: 0,43% (01/231 TTHC)"
    _share("tthc_active_online_partial", "0.43", "tthc_online_partial", count=1),
    # "+ Trực tiếp: 5% (02/40 TTHC)"
    _share("tthc_active_in_person", "5", "tthc_in_person", count=2),
    # "Tổng số hồ sơ tiếp nhận từ 27/10 đến ngày 31/10/2025: 67 hồ sơ. Trong đó tiếp nhận trực tuyến:
    # 38 hồ sơ; trực tiếp 27 hồ sơ; kỳ trước 02 hồ sơ."
    _count("dossiers_received_total", 67), _count("dossiers_new_online", 38),
    _count("dossiers_new_in_person", 27), _count("dossiers_carried_over", 2),
    # "+ Trực tuyến toàn trình: 16 hồ sơ. / + Trực tuyến một phần: 22 hồ sơ, kỳ trước 02 hồ sơ."
    _count("dossiers_new_online_full", 16), _count("dossiers_new_online_partial", 22),
    # "Số lượng hồ sơ đã giải quyết: 65 hồ sơ, trước hạn 65 hồ sơ, 02 hồ sơ đang giải quyết."
    _count("resolved_total", 65), _count("pending_not_due", 2),
    # "Tổng số hồ sơ xử lý đúng hạn, trước hạn: 67 hồ sơ" (the outline's own line for this figure)
    _count("resolved_on_time", 67),
    # "Tổng số hồ sơ chậm cập nhật vào hệ thống ...: 0 hồ sơ"
    _count("entered_late", 0),
    # "Tổng số hồ sơ giải quyết quá hạn (đã hoàn thành việc xử lý): 0 hồ sơ"
    _count("resolved_late", 0),
    # "Tổng số hồ sơ giải quyết quá hạn đang xử lý (đối với hồ sơ tiếp nhận trong kỳ báo cáo); tổng số
    # hồ sơ giải quyết quá hạn đang xử lý (tính lũy kế đến kỳ báo cáo): 0 hồ sơ"
    _count("pending_overdue", 0), _count("pending_overdue_cumulative", 0),
]

# Seed 002 (xã Minh Long, tháng 10/2025), section 4: all of it.
SEED_002 = [
    # "Số lượng TTHC thực hiện theo hình thức trực tuyến toàn trình là 266 thủ tục; một phần, trực tiếp
    # 496 thủ tục."
    _count("tthc_online_full", 266), _count("tthc_partial_or_in_person", 496),
    # "Tỷ lệ hồ sơ THHC phát sinh theo từng hình thức trực tiếp 19,95%, trực tuyến 80,05 % thủ tục
    # toàn trình." — a share of the dossiers arising ("hồ sơ ... phát sinh"), the figure the next
    # sentence prints as 687.
    _share("dossiers_new_in_person", "19.95", "dossiers_new_total"),
    _share("dossiers_new_online_full", "80.05", "dossiers_new_total"),
    # "Tỷ lệ hồ sơ TTHC một phần trên tổng số hồ sơ TTHC phát sinh 687 hồ sơ trực tuyến chiếm tỷ lệ
    # 90,16 % (trong kỳ báo cáo)."
    _count("dossiers_new_total", 687),
    _share("dossiers_new_online_partial", "90.16", "dossiers_new_total"),
]


def test_seed_000_reproduces_its_figures_and_is_flagged_only_for_the_missing_dossier():
    """Seed 000 keyed in as printed.

    Its sums, by hand:
    - channels: online 254 + in person 558 + postal 0 = 812 = new 812. Holds.
    - received in all: carried over 0 + new 812 = 812 = received 812. Holds.
    - resolved: on time 790 + late 7 = 797 = resolved 797. Holds.
    - TTHC online: fully 65 + partially 266 = 331 = online 331. Holds; by form 65 + 266 = 331 ≤ 393.
    - parts: published 393, one-stop 393, boundary-free 155, postal 0, all ≤ total 393. Hold.
    - resolved + in process = carried over + new: 790 + 7 + 14 + (overdue in process, not printed,
      counted as 0) = 811, but 0 + 812 = 812: one dossier is not accounted for. **Flagged** (the
      rule of ``stats.SUM_RULES``, the same 811 ≠ 812 that ``stats.check_stats`` finds).
    It prints no percentage, so there is no share to reproduce.
    """
    flags = check_paper(SEED_000)
    resolved_rule = stats.SUM_RULES[2]
    assert resolved_rule[0][0] == "resolved_on_time"
    assert _found(flags) == {(SUM, ("resolved_on_time", "resolved_late", "pending_not_due",
                                    "dossiers_carried_over", "dossiers_new_total"))}
    message = flags[0].message
    assert "= 811" in message
    assert "= 812" in message
    assert "quá hạn (tiếp nhận trong kỳ)" in message  # says the overdue in process was counted as 0


def test_seed_001_reproduces_its_shares_and_is_flagged_where_it_contradicts_itself():
    """Seed 001 keyed in as printed.

    Its shares, by hand, rounded half up at the printed precision:
    - 1/231 = 0,4329…% → 0,43% (2 decimals): printed 0,43%. Reproduced.
    - 2/40 = 5% (0 decimals): printed 5%. Reproduced.
    - 3/143 = 2,0979…% → 2,10% (2 decimals): printed 2,09%, the share cut after two decimals
      instead of rounded. **Flagged** (rounding).
    Its sums:
    - dossiers newly received are not printed: received in all 67 − carried over 2 = 65 (derived).
    - channels: online 38 + in person 27 + postal (not printed, 0) = 65 = new 65. Holds.
    - online: fully 16 + partially 22 = 38 = online 38. Holds.
    - TTHC by form: 143 + 231 + 40 = 414 ≤ total 414. Holds.
    - resolved: on time 67 ("xử lý đúng hạn, trước hạn: 67") + late 0 = 67, but resolved 65 ("đã giải
      quyết: 65 hồ sơ, trước hạn 65 hồ sơ"). **Flagged** (sum; the part rule on time ≤ resolved
      is the same contradiction and is not listed twice).
    - resolved + in process = carried over + new: 67 + 0 + 2 + 0 = 69, but 2 + 65 = 67. **Flagged**.
    """
    flags = check_paper(SEED_001)
    assert _found(flags) == {
        (ROUNDING, ("tthc_active_online_full", "tthc_online_full")),
        (SUM, ("resolved_on_time", "resolved_late", "resolved_total")),
        (SUM, ("resolved_on_time", "resolved_late", "pending_not_due", "pending_overdue",
               "dossiers_carried_over", "dossiers_new_total")),
    }
    rounding = next(f for f in flags if f.kind == ROUNDING)
    assert "2,0979…%" in rounding.message
    assert "2,10%" in rounding.message
    assert "2,09%" in rounding.message
    assert "= 69" in next(f for f in flags if len(f.keys) == 6).message
    # The shares the code computes from the counts are the printed ones, at their precision.
    for fig in SEED_001:
        if fig.percent is not None and fig.key != "tthc_active_online_full":
            base = next(f.count for f in SEED_001 if f.key == fig.base_key)
            places = decimals(fig.percent)
            assert round(percent_of(fig.count, base), places) == fig.percent


def test_seed_002_is_flagged_on_every_inconsistency():
    """Seed 002 keyed in as printed: 266 fully online TTHC, 496 partially online or in person,
    687 dossiers arising, of which 19,95% in person, 80,05% fully online, 90,16% partially online.

    By hand (a share printed with 2 decimals allows ±0,005 points):
    1. In person 19,95% of 687 = 137,0565 dossiers; 137 is 19,942…% → 19,94%, 138 is 20,087…% →
       20,09%: no whole number of dossiers prints 19,95%. **Flagged** (not whole).
    2. Fully online 80,05% of 687 = 549,9435; 549 → 79,91%, 550 → 80,058…% → 80,06%. **Flagged**.
    3. Partially online 90,16% of 687 = 619,3992; 619 → 90,10%, 620 → 90,247…% → 90,25%. **Flagged**.
    4. 90,16% is 687/762 = 90,157…% → 90,16%, with 762 = 266 + 496, the TTHC by form: the
       dossiers were divided by the number of procedures, a share of another base (and unit) than
       the 687 dossiers it is printed of. **Flagged** (other base). 19,95% and 80,05% are no quotient
       of two figures of the report (266/762, 496/762, 266/687, 496/687, 266/496 are 34,91%, 65,09%,
       38,72%, 72,20%, 53,63%).
    5. Channels: in person 19,95% + online (fully 80,05% + partially 90,16%, online itself not
       printed) + postal (not printed, 0) = 190,16% of the 687 dossiers: the parts exceed their
       whole (in person and fully online alone already make 100,00%). **Flagged** (sum), once: the
       online total derived from its two shares is not checked again as a part of 687.
    Nothing else can be checked: the TTHC total is not printed, so 266 and 496 have no whole.
    """
    flags = check_paper(SEED_002)
    assert _found(flags) == {
        (NOT_WHOLE, ("dossiers_new_in_person", "dossiers_new_total")),
        (NOT_WHOLE, ("dossiers_new_online_full", "dossiers_new_total")),
        (NOT_WHOLE, ("dossiers_new_online_partial", "dossiers_new_total")),
        (OTHER_BASE, ("dossiers_new_online_partial", "dossiers_new_total", "tthc_online_full",
                      "tthc_partial_or_in_person")),
        (SUM, ("dossiers_new_online_full", "dossiers_new_online_partial", "dossiers_new_in_person",
               "dossiers_new_total")),
    }
    in_person = next(f.message for f in flags
                     if f.kind == NOT_WHOLE and f.keys[0] == "dossiers_new_in_person")
    assert "137,06" in in_person
    assert "19,94%" in in_person
    assert "20,09%" in in_person
    other = next(f.message for f in flags if f.kind == OTHER_BASE)
    assert "687" in other
    assert "762 = 266 + 496" in other
    assert "190,16%" in next(f.message for f in flags if f.kind == SUM)


def test_the_rounding_tolerance_is_half_a_unit_of_the_printed_last_digit():
    assert list(whole_counts(Decimal("5"), 40)) == [2]  # 4,5%..5,5% of 40 = 1,8..2,2 dossiers
    assert list(whole_counts(Decimal("37.5"), 7)) == []  # 2,625 dossiers: none
    assert list(whole_counts(Decimal("38"), 7)) == []  # 37,5..38,5% of 7: 2,625..2,695
    assert list(whole_counts(Decimal("43"), 7)) == [3]  # 3/7 = 42,86% → 43%
    assert list(whole_counts(Decimal("42.9"), 7)) == [3]
    assert list(whole_counts(Decimal("42.86"), 7)) == [3]
    assert list(whole_counts(Decimal("42.85"), 7)) == []  # 3/7 = 42,857…% rounds to 42,86%
    # a share exactly halfway rounds up (the formatting rule): 1/8 = 12,5% prints 13%, not 12%
    assert list(whole_counts(Decimal("13"), 8)) == [1]
    assert list(whole_counts(Decimal("12"), 8)) == []


def test_a_share_not_whole_of_a_typed_base():
    flags = check_paper([_share("dossiers_new_online", "37.5", base_number=7)])
    assert _found(flags) == {(NOT_WHOLE, ("dossiers_new_online",))}
    assert "2,63" in flags[0].message or "2,625" in flags[0].message


def test_a_share_of_a_base_of_another_kind_is_flagged():
    flags = check_paper([_count("tthc_total", 400), _share("dossiers_new_online", "50", "tthc_total")])
    assert (UNIT, ("dossiers_new_online", "tthc_total")) in _found(flags)


def test_a_part_greater_than_its_whole_and_a_percentage_above_100():
    flags = check_paper([_count("tthc_total", 100), _count("tthc_published", 120),
                         _share("dossiers_new_online", "120", base_number=10)])
    assert _found(flags) == {(PART, ("tthc_published", "tthc_total")), (VALUE, ("dossiers_new_online",))}


def test_shares_of_an_unstated_base_cannot_be_added_to_counts():
    flags = check_paper([_count("dossiers_new_total", 687), _share("dossiers_new_in_person", "19.95"),
                         _count("dossiers_new_online", 550)])
    assert _found(flags) == {(UNSTATED, ("dossiers_new_in_person", "dossiers_new_total"))}


def test_a_consistent_report_has_no_flag():
    assert check_paper([_count("dossiers_new_total", 40), _count("dossiers_new_online", 30),
                        _count("dossiers_new_in_person", 10), _count("dossiers_new_online_partial", 20),
                        _share("dossiers_new_online_full", "25", "dossiers_new_total")]) == []


def test_the_form_keeps_what_was_typed_and_refuses_bad_input():
    form = {"commune_id": "3", "kind": "month", "start_date": "01/10/2025", "end_date": "31/10/2025",
            "dossiers_new_total-count": "1.234", "dossiers_new_online_partial-percent": "90,16 %",
            "dossiers_new_online_partial-base": "dossiers_new_total",
            "tthc_active_in_person-percent": "5,0", "tthc_active_in_person-base": "#",
            "tthc_active_in_person-base_number": "40"}
    data, errors = read_paper_form(form, [3])
    assert errors == {}
    figures = {f.key: f for f in data.figures}
    assert figures["dossiers_new_total"].count == 1234
    assert figures["dossiers_new_online_partial"].percent == Decimal("90.16")
    assert str(figures["tthc_active_in_person"].percent) == "5.0"  # the printed decimal is kept
    assert figures["tthc_active_in_person"].base_number == 40
    assert data.percent_texts["dossiers_new_online_partial"] == "90,16 %"

    bad = {"commune_id": "9", "kind": "year", "start_date": "31/02/2025", "end_date": "",
           "dossiers_new_total-count": "12,5", "dossiers_new_online-percent": "abc",
           "dossiers_new_in_person-base": "#", "dossiers_new_in_person-percent": "3",
           "tthc_total-base": "tthc_total", "tthc_total-percent": "3"}
    _data, errors = read_paper_form(bad, [3])
    assert set(errors) == {"commune_id", "kind", "start_date", "end_date", "dossiers_new_total-count",
                           "dossiers_new_online-percent", "dossiers_new_in_person-base_number",
                           "tthc_total-base"}


@pytest.mark.parametrize(("typed", "value"), [("98,6", "98.6"), ("98,6%", "98.6"), ("5", "5"),
                                              ("0,43", "0.43"), ("100,00", "100.00")])
def test_percentages_keep_their_printed_decimals(typed, value):
    assert str(parse_percent(typed)) == value


def test_every_key_is_a_statistic_or_one_of_the_printed_totals():
    extra = set(KEYS) - set(stats.FIELD_NAMES)
    assert extra == {"tthc_one_stop", "tthc_online", "tthc_partial_or_in_person", "dossiers_received_total",
                     "resolved_total"}
    assert set(stats.FIELD_NAMES) <= set(KEYS)


@pytest.mark.parametrize("typed", ["abc", "-3", "1.000,5", "0" * 30 + "1", "98,12345", "nan"])
def test_percentages_that_cannot_be_stored_as_printed_are_refused(typed):
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the field's, checked in the form test
        parse_percent(typed)
