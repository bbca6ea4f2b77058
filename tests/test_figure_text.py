"""One text for a figure: the item page, the built report (HTML, PDF, DOCX), the province roll-up
and the summaries word the same item the same way (``tracker.domain.figure_text``)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest

from tests.conftest import PASSWORD
from tracker.domain.entries import EntryInput
from tracker.domain.figure_text import (
    amount_text,
    entry_text,
    milestone_text,
    ratio_text,
    required_text,
    target_text,
    value_text,
)
from tracker.domain.province import CommuneFigure, aggregate_target, figure_text, goal_text, total_text
from tracker.domain.status import ItemSpec
from tracker.render import render
from tracker.render.document import NONE_TEXT
from tracker.services.outline import build_outline_report, build_summary
from tracker.services.periods import PeriodInput, create_period
from tracker.services.progress import log_progress
from tracker.services.province import build_rollup
from tracker.services.status import plan_status

DAY = date(2025, 9, 1)
PERIOD_END = date(2025, 9, 30)


def spec(**kwargs) -> ItemSpec:
    kwargs.setdefault("progress_based", False)
    return ItemSpec(start=date(2025, 1, 1), deadline=date(2025, 12, 31), **kwargs)


@pytest.mark.parametrize(("item", "required", "actual", "current"), [
    (spec(progress_based=True), "Hoàn thành", 40, "40%"),
    (spec(target=90, unit_label="%"), "≥ 90%", 85.5, "85,50%"),  # shares: two decimals unless whole
    (spec(target=5, unit_label="%", higher_is_better=False), "≤ 5%", 4, "4%"),
    (spec(target=1200, unit_label="hồ sơ"), "1.200 hồ sơ", 25, "25 hồ sơ"),
    # Counts under ten padded as the province's reports pad them (issue 14: "02 hồ sơ" everywhere).
    (spec(target=3, unit_label="hồ sơ", higher_is_better=False), "≤ 03 hồ sơ", 4, "04 hồ sơ"),
    (spec(target=25), "25", 2, "2"),
    (spec(target=None, unit_label="dịch vụ"), "—", None, "—"),
])
def test_an_items_goal_and_value_as_text(item, required, actual, current):
    assert required_text(item) == required
    assert value_text(item, actual) == current


def test_amounts_ratios_milestones_and_history_entries():
    assert amount_text(1234.5, "dịch vụ") == "1.234,5 dịch vụ"
    assert amount_text(None, "dịch vụ", empty=NONE_TEXT) == "không"
    assert amount_text(float("inf"), "%") == "?", "an unreadable number keeps no unit"
    assert target_text(60, "%") == "≥ 60%"
    assert ratio_text(170, 300) == "56,67% (170/300)"
    assert ratio_text(1, 0) == "—"
    assert milestone_text(12, 96) == "12/96 xã"
    assert entry_text(spec(unit_label="%"), None, 170, 300) == "56,67% (170/300)"
    assert entry_text(spec(unit_label="dịch vụ"), 25) == "25 dịch vụ"


# --- the same item on the page, in the report and in the province -----------------------------------


@pytest.fixture
def logged(db, plan, make_user):
    """MT01 (a count, 25 dịch vụ) at 20 and MT13 (a percent, made lower-is-better: ≤ 30%) at 20%."""
    mt13 = next(t for t in plan.targets if t.code == "MT13")
    mt13.direction = "lower"
    mt01 = next(t for t in plan.targets if t.code == "MT01")
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    office = make_user("cvp", "unit_head", "VP")
    log_progress(db.session, head, mt01, EntryInput(as_of=DAY, value=20), today=DAY)
    log_progress(db.session, office, mt13, EntryInput(as_of=DAY, value=20), today=DAY)
    db.session.commit()
    return {"MT01": ("25 dịch vụ", "20 dịch vụ"), "MT13": ("≤ 30%", "20%")}


def page_texts(client, code: str) -> tuple[str, str]:
    """The item page's Required and Current, as shown."""
    answer = client.get(f"/items/{code}?as_of={PERIOD_END.isoformat()}")
    assert answer.status_code == 200
    required, current = re.findall(r"<dt>[^<]*</dt><dd>([^<]*)</dd>", answer.text)[:2]
    return required, current.split(" (")[0]  # without "(figures of dd/mm/yyyy)"


def report_rows(db, plan, secretary) -> dict[str, tuple[str, ...]]:
    period = create_period(db.session, secretary, plan.commune,
                           PeriodInput("custom", date(2025, 9, 1), PERIOD_END))
    db.session.commit()
    report = build_outline_report(db.session, plan, period, today=PERIOD_END)
    (table,) = report.appendix[0].tables
    return report, {row[0]: row for row in table.rows}


def test_a_lower_is_better_percent_says_at_most_on_the_page_and_in_the_report(
        app, db, plan, secretary, logged):
    client = app.test_client()
    assert client.post("/login", data={"username": "cvp", "password": PASSWORD}).status_code == 302
    assert page_texts(client, "MT13")[0] == "≤ 30%"
    report, rows = report_rows(db, plan, secretary)
    assert rows["MT13"][4:6] == ("≤ 30%", "20%"), "the report once said ≥ 30% here"
    html = render(report, "html")[0].decode()
    assert "≤ 30%" in html
    assert "≥ 30%" not in html
    docx = zipfile.ZipFile(io.BytesIO(render(report, "docx")[0])).read("word/document.xml").decode()
    assert "≤ 30%" in docx
    assert "≥ 30%" not in docx


def test_a_count_keeps_its_unit_in_the_report_and_the_summary(db, plan, secretary, logged):
    report, rows = report_rows(db, plan, secretary)
    assert rows["MT01"][4:6] == ("25 dịch vụ", "20 dịch vụ"), "the report once said 25 and 20"
    # "không" is for an absent section or figure in prose; a table cell says "—" (issue 14, point 9).
    assert rows["MT02"][5] == "—", "no figure yet is a dash in the report's table"
    summary = build_summary(db.session, plan, PERIOD_END, today=PERIOD_END)
    (table,) = summary.blocks[0].tables
    assert {row[0]: row[4] for row in table.rows}["MT01"] == "20 dịch vụ / 25 dịch vụ"


def test_the_pdf_report_says_at_most(db, plan, secretary, logged):
    pytest.importorskip("pypdf")
    from tracker.render.render_pdf import PdfUnavailable, load_weasyprint

    try:
        load_weasyprint()
    except PdfUnavailable as exc:
        pytest.skip(f"PDF test skipped: {exc}")
    from pypdf import PdfReader

    report, _ = report_rows(db, plan, secretary)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render(report, "pdf")[0])).pages)
    assert "≤ 30%" in text
    assert "≥ 30%" not in text


def test_the_page_the_report_and_the_province_word_an_item_alike(app, db, plan, secretary, logged):
    client = app.test_client()
    assert client.post("/login", data={"username": "vanthu", "password": PASSWORD}).status_code == 302
    _, rows = report_rows(db, plan, secretary)
    rollup = build_rollup(db.session, plan.commune.province, PERIOD_END)
    columns = {c.code: c for c in rollup.columns}
    statuses = {r.code: r for r in plan_status(db.session, plan, PERIOD_END)}
    for code, (required, current) in logged.items():
        column = columns[code]
        assert page_texts(client, code) == (required, current), code
        assert (statuses[code].required_text, statuses[code].current_text) == (required, current), code
        assert rows[code][4:6] == (required, current), code
        if column.measure == "count":
            # Issue 15: the province reads a count as the communes that met their own target; the
            # communes' figures summed are its second figure, worded as the commune's.
            met = statuses[code].status.met
            assert figure_text(column.figure, column.unit_label) == ("01/01 xã đạt" if met else "0/01 xã đạt")
            assert goal_text(column.figure, column.unit_label) == "01/01 xã"
            total = total_text(column.figure, column.unit_label)
            assert total.startswith(f"tổng: {current.split()[0]}/"), code
            continue
        assert (goal_text(column.figure, column.unit_label),
                figure_text(column.figure, column.unit_label)) == (required, current), code


def test_the_province_goal_carries_the_direction():
    """A count where fewer is better (overdue dossiers): 4 against at most 3 is not met, 2 is."""
    behind = aggregate_target("count", [CommuneFigure(4, target=3)], higher_is_better=False)
    ahead = aggregate_target("count", [CommuneFigure(2, target=3)], higher_is_better=False)
    assert (figure_text(behind, "hồ sơ"), figure_text(ahead, "hồ sơ")) == ("0/01 xã đạt", "01/01 xã đạt")
    assert goal_text(behind, "hồ sơ") == "01/01 xã"
    assert total_text(behind, "hồ sơ") == "tổng: 04/03 hồ sơ"
    ratio = aggregate_target("ratio", [CommuneFigure(4, 4, 100, target=3)], higher_is_better=False)
    assert goal_text(ratio) == "≤ 3%"


def test_the_status_command_words_the_current_figure_alike(runner, logged):
    output = runner.invoke(args=["status", "--as-of", PERIOD_END.isoformat()]).output
    lines = {line.split()[0]: line for line in output.splitlines()[1:]}
    assert "20 dịch vụ" in lines["MT01"]
    assert " 20% " in lines["MT13"]
