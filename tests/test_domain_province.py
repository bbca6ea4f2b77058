"""The province's figure per target: summed, pooled or averaged as the target's measure requires."""

import pytest

from tracker.domain.permissions import (
    Actor,
    can_direct,
    can_log_progress,
    can_manage_users,
    can_read_audit,
    can_report,
    can_run_jobs,
    can_view,
    can_view_province,
)
from tracker.domain.province import CommuneFigure, aggregate_target, figure_text, goal_text, total_text


@pytest.mark.parametrize(("measure", "figures", "value", "target", "reporting"), [
    # Counts: how many communes met their own target, of all whose plan has it (1 of 3 here); a
    # commune without a figure has not met it.
    ("count", [CommuneFigure(20, target=25), CommuneFigure(25, target=25), CommuneFigure(target=25)],
     1, 3, 2),
    # The status rule's verdict wins over the plain comparison when the service gives it.
    ("count", [CommuneFigure(30, target=25, met=False), CommuneFigure(5, target=25, met=True)], 1, 2, 2),
    # Percentages are averaged over the communes that reported.
    ("percent", [CommuneFigure(100, target=100), CommuneFigure(50, target=100), CommuneFigure(target=100)],
     75, 100, 2),
    # Ratios pool numerators and denominators: 1/10 and 90/90 is 91/100 = 91%, not the mean 55%.
    ("ratio", [CommuneFigure(numerator=10, denominator=100, target=60),
               CommuneFigure(numerator=90, denominator=100, target=60)], 50, 60, 2),
    ("ratio", [CommuneFigure(numerator=1, denominator=10, target=60),
               CommuneFigure(numerator=90, denominator=90, target=60)], 91, 60, 2),
    # A zero denominator or a missing part is not a figure.
    ("ratio", [CommuneFigure(numerator=0, denominator=0, target=60), CommuneFigure(target=60)], None, 60, 0),
    # Milestones: how many communes are done, out of all.
    ("milestone", [CommuneFigure(value=100, done=True), CommuneFigure(value=40), CommuneFigure()], 1, 3, 2),
    # Nothing reported anywhere: no commune met its target.
    ("count", [CommuneFigure(target=10), CommuneFigure(target=10)], 0, 2, 0),
    ("percent", [], None, None, 0),
])
def test_aggregate_target(measure, figures, value, target, reporting):
    figure = aggregate_target(measure, figures)
    assert figure.value == (pytest.approx(value) if value is not None else None)
    assert figure.target == (pytest.approx(target) if target is not None else None)
    assert figure.reporting == reporting
    assert figure.communes == len(figures)


def test_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="unknown measure"):
        aggregate_target("weight", [])


def test_figures_are_worded_the_vietnamese_way():
    count = aggregate_target("count", [CommuneFigure(1300, target=1250), CommuneFigure(1000, target=1250)])
    assert figure_text(count, "dịch vụ") == "01/02 xã đạt"
    assert goal_text(count, "dịch vụ") == "02/02 xã"
    assert total_text(count, "dịch vụ") == "tổng: 2.300/2.500 dịch vụ", "the sum kept as a second figure"
    assert count.method == "số xã đạt chỉ tiêu của xã"
    ratio = aggregate_target("ratio", [CommuneFigure(numerator=1, denominator=3, target=60)])
    assert figure_text(ratio) == "33,33% (01/03)", "counts under ten padded as in the reports"
    assert goal_text(ratio) == "≥ 60%", "a goal is written as on the item's page, with its comparator"
    late = aggregate_target("percent", [CommuneFigure(4, target=5)], higher_is_better=False)
    assert (figure_text(late), goal_text(late)) == ("4%", "≤ 5%")
    done = aggregate_target("milestone", [CommuneFigure(done=True), CommuneFigure()])
    assert figure_text(done) == "01/02 xã"
    assert goal_text(done) == "02/02 xã"
    assert figure_text(aggregate_target("percent", [])) == "—"


PROVINCE_LEADER = Actor("leader", None, province_id=1)
COMMUNE_LEADER = Actor("leader", 10)


@pytest.mark.parametrize(("actor", "commune", "province", "expected"), [
    (COMMUNE_LEADER, 10, 1, True),
    (COMMUNE_LEADER, 11, 1, False),  # a commune user never reads a neighbour, same province or not
    (PROVINCE_LEADER, 10, 1, True),
    (PROVINCE_LEADER, 12, 2, False),  # nor a province user another province's commune
    (PROVINCE_LEADER, 10, None, False),
    (Actor("leader", None), 10, None, False),  # no scope at all reads nothing
])
def test_who_sees_which_commune(actor, commune, province, expected):
    assert can_view(actor, commune, province) is expected


def test_province_users_read_but_never_write():
    for role in ("leader", "secretary", "admin"):
        actor = Actor(role, None, province_id=1)
        assert can_view_province(actor, 1)
        assert not can_view_province(actor, 2)
        assert not can_log_progress(actor, 10, 5)
        assert not can_direct(actor, 10)
        assert not can_report(actor, 10)
        assert not can_manage_users(actor)
        assert not can_read_audit(actor)
    assert can_run_jobs(Actor("admin", None, province_id=1))
    assert not can_view_province(COMMUNE_LEADER, 1)
    assert not can_view_province(Actor("unit_head", None, province_id=1), 1)


def test_a_province_reads_how_many_communes_met_a_count_target_not_the_sum():
    """The issue: a sum of counts (1.599 against 2.425) says nothing of which communes are behind."""
    figures = [CommuneFigure(30, target=25)] * 40 + [CommuneFigure(10, target=25)] * 56
    count = aggregate_target("count", figures)
    assert figure_text(count, "dịch vụ") == "40/96 xã đạt"
    assert total_text(count, "dịch vụ") == "tổng: 1.760/2.400 dịch vụ"
    # Fewer is better (e.g. late dossiers): a commune at or under its ceiling met it.
    fewer = aggregate_target("count", [CommuneFigure(3, target=5), CommuneFigure(8, target=5)],
                             higher_is_better=False)
    assert figure_text(fewer) == "01/02 xã đạt"
    assert total_text(aggregate_target("percent", [CommuneFigure(50, target=60)])) is None
