"""The chart drawings: plain inputs, valid SVG and PNG, the same bytes for the same inputs."""

import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tracker.render.charts import colour_breakdown_chart, trend_chart

START, DEADLINE, AS_OF = date(2025, 7, 1), date(2025, 12, 31), date(2025, 11, 3)
POINTS = [(date(2025, 8, 31), 20.0), (date(2025, 10, 31), 56.67)]


def draw(points=POINTS, as_of=AS_OF, **options):
    return trend_chart(points, START, DEADLINE, 0, 60, as_of, unit_label="%", **options)


def svg_root(data: bytes) -> ET.Element:
    root = ET.fromstring(data)  # noqa: S314 (our own output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def test_trend_is_a_small_valid_svg():
    data = draw()
    svg_root(data)
    assert len(data) < 60_000


@pytest.mark.parametrize("points", [POINTS, []], ids=["entries", "no entries"])
@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 2, 1), date(2025, 6, 1)],
                         ids=["during", "after the deadline", "before the start"])
def test_trend_draws_every_case(points, as_of):
    svg_root(draw([p for p in points if p[0] <= as_of], as_of))


def test_task_and_count_trends():
    svg_root(trend_chart([(date(2025, 9, 1), 40.0)], START, DEADLINE, 0, 100, AS_OF,
                         unit_label="%", progress_based=True))
    svg_root(trend_chart([(date(2025, 9, 1), 7.0)], START, DEADLINE, 0, 25, AS_OF,
                         unit_label="dịch vụ"))
    svg_root(trend_chart([(date(2025, 9, 1), 9.0)], START, DEADLINE, 12, 5, AS_OF,
                         unit_label="ngày", higher_is_better=False))


def test_png_for_documents():
    assert draw(fmt="png").startswith(b"\x89PNG\r\n\x1a\n")
    assert colour_breakdown_chart({"red": 1, "green": 2}, fmt="png").startswith(b"\x89PNG\r\n\x1a\n")


def test_equal_inputs_give_equal_bytes():
    assert draw() == draw()
    assert draw(fmt="png") == draw(fmt="png")
    counts = {"red": 1, "amber": 0, "grey": 25, "green": 1}
    assert colour_breakdown_chart(counts) == colour_breakdown_chart(dict(counts))


def test_a_changed_entry_or_date_changes_the_picture():
    assert draw() != draw([POINTS[0], (date(2025, 10, 31), 50.0)])
    assert draw() != draw(as_of=date(2025, 11, 4))
    assert colour_breakdown_chart({"red": 1, "green": 2}) != colour_breakdown_chart({"red": 2, "green": 1})


def test_colour_breakdown_is_a_valid_svg():
    data = colour_breakdown_chart({"red": 1, "amber": 0, "grey": 25, "green": 1})
    svg_root(data)
    assert len(data) < 60_000


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown chart format"):
        draw(fmt="pdf")


def test_pyplot_is_never_imported():
    draw()
    colour_breakdown_chart({"green": 1})
    assert "matplotlib.pyplot" not in sys.modules
