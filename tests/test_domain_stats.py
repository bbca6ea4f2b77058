"""Statistics rules, checked against the three real reports in the seeds."""

import pytest

from tracker.domain.stats import blocking, check_stats, format_share, shares

# Seed 000 (Ngọk Tụ, Q3/2025): 812 new (254 online, 558 in person, 0 by post), 0 carried over,
# 797 resolved (790 on time, 7 late), 14 pending: 797 + 14 = 811, one short of 812.
NGOK_TU = {
    "tthc_total": 393, "tthc_published": 393, "tthc_online_full": 65, "tthc_online_partial": 266,
    "tthc_postal": 0, "tthc_boundary_free": 155, "dossiers_carried_over": 0, "dossiers_new_total": 812,
    "dossiers_new_online": 254, "dossiers_new_in_person": 558, "dossiers_new_postal": 0,
    "resolved_on_time": 790, "resolved_late": 7, "pending_not_due": 14, "pending_overdue": 0,
}
# Seed 001 (Ba Dinh, 27/10–03/11/2025): 65 new (16 full + 22 partial online, 27 in person) + 2 carried.
BA_DINH = {
    "tthc_online_full": 143, "tthc_online_partial": 231, "tthc_in_person": 40,
    "tthc_active_online_full": 3, "tthc_active_online_partial": 1, "tthc_active_in_person": 2,
    "dossiers_carried_over": 2, "dossiers_new_total": 65, "dossiers_new_online": 38,
    "dossiers_new_online_full": 16, "dossiers_new_online_partial": 22, "dossiers_new_in_person": 27,
    "dossiers_new_postal": 0, "resolved_on_time": 65, "resolved_late": 0, "pending_not_due": 2,
    "pending_overdue": 0, "pending_overdue_cumulative": 0, "entered_late": 0,
}
# Seed 002 (Minh Long, Oct 2025): 687 dossiers, 19,95% in person and 80,05% online, of which
# "90,16% partially online": as counts, 137 + 550 = 687 but 619 partial > 550 online.
MINH_LONG = {"dossiers_new_total": 687, "dossiers_new_in_person": 137, "dossiers_new_online": 550,
             "dossiers_new_online_partial": 619}


def test_ba_dinh_is_consistent_and_prints_as_the_report():
    assert check_stats(BA_DINH) == []
    printed = shares(BA_DINH)
    # The seed cuts 3/143 = 2,0979…% to 2,09%; the one rule rounds half up (README, "Figures").
    assert printed["tthc_active_online_full"] == "2,10% (03/143 TTHC)"
    assert printed["tthc_active_online_partial"] == "0,43% (01/231 TTHC)"
    assert printed["tthc_active_in_person"] == "5% (02/40 TTHC)"


def test_ngok_tu_is_one_dossier_short_and_can_be_explained():
    problems = check_stats(NGOK_TU)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.overridable
    assert "811" in problem.message
    assert "812" in problem.message
    assert "pending_not_due" in problem.fields
    assert blocking(problems, None) == problems
    assert blocking(problems, "  ") == problems
    assert blocking(problems, "01 hồ sơ bị rút theo đề nghị của công dân") == []


def test_minh_long_part_exceeds_its_whole_and_cannot_be_overridden():
    problems = check_stats(MINH_LONG)
    messages = [p.message for p in problems]
    assert any("(619) không được lớn hơn" in m and "(550)" in m for m in messages), messages
    assert blocking(problems, "giải trình") != []


@pytest.mark.parametrize(("stats", "field"), [
    ({"dossiers_new_total": -1}, "dossiers_new_total"),
    ({"tthc_total": 1.5}, "tthc_total"),
    ({"tthc_total": True}, "tthc_total"),
    ({"tthc_total": 10**9}, "tthc_total"),
])
def test_bad_values_name_the_field(stats, field):
    problems = check_stats(stats)
    assert problems[0].fields == (field,)
    assert not problems[0].overridable


def test_a_rule_without_any_part_or_without_its_total_is_not_checked():
    assert check_stats({}) == []
    assert check_stats({"dossiers_new_total": 10}) == [], "no part given: nothing to add up"
    assert check_stats({"tthc_online_full": 143, "tthc_active_online_full": 3}) == []


def test_an_empty_part_counts_as_0_when_its_whole_is_given():
    """Issue 14 point 10 (before: every rule with an empty part was skipped)."""
    problems = check_stats({"dossiers_new_total": 10, "dossiers_new_online": 4})
    assert len(problems) == 1
    assert problems[0].overridable
    assert problems[0].message.endswith("(phần để trống được tính là 0).")
    assert "để trống" in problems[0].message
    assert "= 4" in problems[0].message
    assert check_stats({"dossiers_new_total": 10, "dossiers_new_online": 10}) == []


def test_seed_000_as_printed_is_flagged():
    """Seed 000 prints 790 + 7 resolved and 14 pending, 812 received; it leaves the overdue part empty."""
    printed = {name: value for name, value in NGOK_TU.items() if name not in ("pending_overdue",
                                                                              "dossiers_carried_over")}
    problems = check_stats(printed)
    assert len(problems) == 1
    assert "811" in problems[0].message
    assert "812" in problems[0].message
    assert "(phần để trống được tính là 0)" in problems[0].message
    assert "pending_overdue" in problems[0].fields


def test_a_total_its_parts_need_cannot_be_left_empty():
    problems = check_stats({"dossiers_new_online": 254, "dossiers_new_in_person": 558,
                            "dossiers_new_postal": 0})
    assert [(p.fields, p.overridable) for p in problems] == [(("dossiers_new_total",), False)]
    assert problems[0].message == (
        "Hồ sơ tiếp nhận mới trong kỳ không được để trống khi đã nhập trong đó tiếp nhận trực tuyến, "
        "tiếp nhận trực tiếp, qua dịch vụ bưu chính công ích; hãy nhập tổng số.")


@pytest.mark.parametrize(("part", "whole", "text"), [
    (3, 143, "2,10% (03/143 TTHC)"), (0, 5, "0% (0/05 TTHC)"), (None, 5, "không"), (1, 0, "không"),
    (143, 143, "100% (143/143 TTHC)"),
])
def test_format_share(part, whole, text):
    assert format_share(part, whole, "TTHC") == text
