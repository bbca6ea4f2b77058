"""Dates are typed and shown dd/mm/yyyy whatever the browser's language (issue 14, point 12): no
native date field, one parser for every date a person types, ISO kept in ``?as_of=`` addresses."""

from datetime import date
from pathlib import Path

import pytest

from tracker.domain.dates import DateOutOfRange, format_day_input, parse_day

TEMPLATES = Path(__file__).resolve().parent.parent / "tracker" / "templates"


@pytest.mark.parametrize(("text", "day"), [
    ("03/11/2025", date(2025, 11, 3)),
    ("3/11/2025", date(2025, 11, 3)),
    ("3/1/2025", date(2025, 1, 3)),
    (" 30/06/2025 ", date(2025, 6, 30)),
    ("2025-11-03", date(2025, 11, 3)),
    ("03112025", date(2025, 11, 3)),
    ("29/02/2024", date(2024, 2, 29)),
])
def test_the_one_parser_reads_the_ways_a_date_is_written(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["11/31/2025", "2025/11/03", "03.11.2025", "3/11/25",
                                  "hôm nay", "03/11/2025x", "١/١/٢٠٢٥", "11312025"])
def test_anything_else_is_refused_in_vietnamese(text):
    with pytest.raises(ValueError, match="ngày/tháng/năm") as caught:
        parse_day(text, "as_of")
    assert not isinstance(caught.value, DateOutOfRange)


@pytest.mark.parametrize(("text", "shown"), [("31/02/2026", "31/02/2026"), ("29/2/2025", "29/02/2025"),
                                            ("31042026", "31/04/2026"), ("00/04/2026", "00/04/2026")])
def test_a_well_written_day_missing_from_the_calendar_is_named_as_such(text, shown):
    """The format is right, the day does not exist: say so, not "write it as dd/mm/yyyy" (issue 14)."""
    with pytest.raises(ValueError, match="không có trong lịch") as caught:
        parse_day(text, "as_of")
    assert str(caught.value) == f"Ngày {shown} không có trong lịch."
    assert "ngày/tháng/năm" not in str(caught.value)


def test_empty_is_no_date_and_far_dates_are_out_of_range():
    assert parse_day("") is None
    assert parse_day(None) is None
    with pytest.raises(DateOutOfRange):
        parse_day("01/01/1800")


def test_a_date_is_written_back_dd_mm_yyyy():
    assert format_day_input(date(2025, 6, 3)) == "03/06/2025"
    assert format_day_input(None) == ""


def test_no_template_has_a_native_date_field():
    native = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")
              if {'type="date"', "type='date'"} & set(p.read_text(encoding="utf-8").split())
              or 'type="date"' in p.read_text(encoding="utf-8")]
    assert native == []


def test_an_entry_typed_dd_mm_yyyy_is_saved(client, make_user, login, item, db):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    login("tp.tthcc")
    form = client.get("/items/MT02").get_data(as_text=True)
    assert 'placeholder="dd/mm/yyyy"' in form
    assert 'inputmode="numeric"' in form
    answer = client.post("/items/MT02/entries", data={"as_of": "03/11/2025", "value": "74",
                                                      "doc_number": "119/QĐ-UBND", "doc_date": "1/11/2025"})
    assert answer.status_code in (200, 302, 303), answer.get_data(as_text=True)[:500]
    from sqlalchemy import select

    from tests.conftest import LOGGED
    from tracker.models import ProgressEntry
    entry = db.session.scalar(select(ProgressEntry).where(LOGGED))
    assert (entry.as_of, entry.doc_date) == (date(2025, 11, 3), date(2025, 11, 1))


def test_a_month_first_date_is_refused_with_a_clear_message(client, make_user, login, db):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    login("tp.tthcc")
    answer = client.post("/items/MT02/entries", data={"as_of": "11/30/2025", "value": "74"})
    page = answer.get_data(as_text=True)
    assert "ngày/tháng/năm" in page
    assert 'value="11/30/2025"' in page, "what was typed is kept"


def test_a_period_is_created_from_dd_mm_yyyy(client, secretary, login, db):
    login("vanthu")
    answer = client.post("/reports", data={"kind": "week", "start_date": "27/10/2025",
                                           "end_date": "02/11/2025", "report_date": "3/11/2025"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:800]
    from sqlalchemy import select

    from tracker.models import ReportingPeriod
    period = db.session.scalar(select(ReportingPeriod))
    assert (period.start_date, period.end_date, period.report_date) == (
        date(2025, 10, 27), date(2025, 11, 2), date(2025, 11, 3))


def test_as_of_typed_dd_mm_yyyy_goes_to_the_iso_address(client, make_user, login):
    make_user("lanhdao", "leader")
    login("lanhdao")
    answer = client.get("/?as_of=03/11/2025&unit=TTHCC")
    assert answer.status_code in (302, 303)
    assert "as_of=2025-11-03" in answer.headers["Location"]
    assert "unit=TTHCC" in answer.headers["Location"]
    page = client.get("/plan?as_of=2025-11-03").get_data(as_text=True)
    assert 'value="03/11/2025"' in page


def test_the_batch_update_reads_dd_mm_yyyy(client, make_user, login, db):
    from sqlalchemy import select

    from tests.conftest import LOGGED
    from tracker.models import ProgressEntry

    make_user("tp.tthcc", "unit_head", "TTHCC")
    login("tp.tthcc")
    page = client.get("/my").get_data(as_text=True)
    assert 'id="b-as_of" name="as_of" type="text"' in page
    answer = client.post("/my/entries", data={"as_of": "01/11/2025", "doc_date": "31/10/2025",
                                              "doc_number": "119/QĐ-UBND", "MT01-value": "25"})
    assert answer.status_code == 302
    entry = db.session.scalar(select(ProgressEntry).where(LOGGED))
    assert (entry.as_of, entry.doc_date) == (date(2025, 11, 1), date(2025, 10, 31))


def test_a_legal_document_is_registered_from_dd_mm_yyyy(client, secretary, login, db):
    from sqlalchemy import select

    from tracker.models import LegalDocument

    login("vanthu")
    answer = client.post("/legal", data={
        "number": "119/QĐ-UBND", "issued_date": "15/8/2025", "issuer": "UBND xã Ngọk Bay",
        "kind": "Quyết định", "summary": "Ban hành danh mục TTHC", "items": ["NV01"]})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:600]
    assert db.session.scalar(select(LegalDocument.issued_date)) == date(2025, 8, 15)
