"""Issue 14's phone walk, server side: refusals summarised on every full-page form, a favicon, a
history that shows a dash for nothing and begins its sentences in capitals, saves that say what
changed."""

import re
from datetime import date

from tracker.domain.entries import EntryInput
from tracker.services.progress import log_progress


def summary(html: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*autofocus[^>]*>(.*?)</div>', html, re.S)
    assert found, "a focused summary at the top"
    return found[1]


def test_a_refused_password_change_is_summarised(client, make_user, login):
    make_user("tp.a", "unit_head", "VP")
    login("tp.a")
    answer = client.post("/account/password", data={"current": "sai", "password": "x", "confirm": "y"})
    assert answer.status_code == 422
    assert "href=\"#confirm\"" in summary(answer.text)


def test_a_refused_period_is_summarised_first(client, make_user, login):
    make_user("vanthu", "secretary", "VP")
    login("vanthu")
    answer = client.post("/reports", data={"kind": "custom", "start_date": "27/10/2025"})
    assert answer.status_code == 422
    assert answer.text.index("error-summary") < answer.text.index("<h1")
    assert 'href="#end_date"' in summary(answer.text)


def test_the_favicon_is_served(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code in (301, 302)
    icon = client.get(answer.headers["Location"])
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    icon.close()


def test_history_shows_a_dash_for_no_document_and_capital_sentence_starts(client, make_user, login, item,
                                                                          db):
    author = make_user("tp.tthcc", "unit_head", "TTHCC")
    target = item("MT09")
    first = log_progress(db.session, author, target, EntryInput(as_of=date(2025, 10, 1), value=10),
                         today=date(2025, 11, 3))
    log_progress(db.session, author, target, EntryInput(as_of=date(2025, 10, 1), value=12,
                                                        reason="nhập sai"),
                 today=date(2025, 11, 3), supersedes=first)
    db.session.commit()
    login("tp.tthcc")
    html = client.get("/items/MT09").text
    cells = re.findall(r'<td data-label="Căn cứ">(.*?)</td>', html, re.S)
    assert cells, html
    assert all(c.strip() for c in cells), cells
    assert "<em>Điều chỉnh số liệu do" in html
    assert "<em>Đã được điều chỉnh bởi" in html
    assert "<em>điều" not in html
    assert "<em>đã" not in html


def test_a_change_is_written_with_its_unit_once():
    from tracker.domain.figure_text import EMPTY, change_text
    assert change_text("88 dịch vụ", "95 dịch vụ") == "88 → 95 dịch vụ"
    assert change_text(EMPTY, "104 dịch vụ") == "104 dịch vụ"
    assert change_text("50%", "100%") == "50% → 100%"
    assert change_text("95 dịch vụ", "95 dịch vụ") == "95 dịch vụ"


def test_a_due_date_missing_from_the_calendar_is_named_as_such():
    """The directive's due date had its own parser, which read 31/02/2026 as a format error; it is read
    by the one parser of typed dates now."""
    import pytest

    from tracker.domain.dates import parse_day
    with pytest.raises(ValueError, match="không có trong lịch") as caught:
        parse_day("31/02/2026", "Hạn trả lời")
    assert str(caught.value) == "Ngày 31/02/2026 không có trong lịch."
    with pytest.raises(ValueError, match="ngày/tháng/năm"):
        parse_day("12/31/2026", "Hạn trả lời")


def test_a_refused_reopening_is_summarised(client, secretary, week, login, db):
    from tracker.services.periods import submit_period
    submit_period(db.session, secretary, week)
    db.session.commit()
    login("vanthu")
    answer = client.post(f"/reports/{week.id}/reopen", data={"reason": " "})
    assert answer.status_code == 422
    assert 'href="#reason"' in summary(answer.text)


def test_a_refused_e_mail_is_summarised(client, make_user, login):
    make_user("tp.b", "unit_head", "VP")
    login("tp.b")
    answer = client.post("/inbox/settings", data={"email": "không phải thư"})
    assert 'href="#email"' in summary(answer.text)
