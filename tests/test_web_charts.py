"""Chart images over HTTP: access, types, ETags and 304, and the words on the pages."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import event

from tests.conftest import PASSWORD
from tracker.domain.entries import EntryInput
from tracker.extensions import db as _db
from tracker.services.progress import log_progress

TODAY = date(2025, 12, 1)
MT10 = "/items/MT10/trend.svg?as_of=2025-11-03"


@pytest.fixture
def head(make_user):
    return make_user("tp.tthcc", "unit_head", "TTHCC")


@pytest.fixture
def signed_in(client, make_user):
    make_user("bithu", "leader", "TTDU")
    client.post("/login", data={"username": "bithu", "password": PASSWORD})
    return client


def log(db, head, item, day, **figures):
    log_progress(db.session, head, item, EntryInput(as_of=day, **figures), today=TODAY)
    db.session.commit()


def test_trend_svg_and_png(signed_in, db, head, item, hand_ratio):
    log(db, head, item("MT10"), date(2025, 10, 31), numerator=170, denominator=300)
    svg = signed_in.get(MT10)
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert ET.fromstring(svg.data).tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314 (our own output)
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in svg.headers["Content-Security-Policy"]
    assert svg.headers["Cache-Control"] in ("private, max-age=300", "max-age=300, private")
    png = signed_in.get("/items/MT10/trend.png?as_of=2025-11-03")
    assert png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.headers["Content-Disposition"] == 'inline; filename="MT10-2025-11-03.png"'
    assert png.get_etag() != svg.get_etag()
    task = signed_in.get("/items/NV03/trend.svg?as_of=2025-11-03")
    assert task.status_code == 200


def test_charts_need_a_signed_in_user_and_a_known_item(client, signed_in):
    assert signed_in.get("/items/XX99/trend.svg").status_code == 404
    assert signed_in.get("/items/MT10/trend.gif").status_code == 404
    assert signed_in.get("/items/MT10/trend.svg?as_of=31/13/2025").status_code == 400
    signed_in.post("/logout")
    assert client.get(MT10).status_code == 302
    assert client.get("/charts/colours.svg").status_code == 302


def test_etag_answers_304_until_what_is_drawn_changes(signed_in, db, head, item, hand_ratio):
    first = signed_in.get(MT10)
    etag = first.headers["ETag"]
    again = signed_in.get(MT10, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "max-age=300" in again.headers["Cache-Control"]
    assert signed_in.get("/items/MT10/trend.svg?as_of=2025-11-04").headers["ETag"] != etag
    log(db, head, item("MT10"), date(2025, 11, 20), numerator=10, denominator=300)
    assert signed_in.get(MT10, headers={"If-None-Match": etag}).status_code == 304, "dated after as_of"
    log(db, head, item("MT10"), date(2025, 10, 31), numerator=170, denominator=300)
    changed = signed_in.get(MT10, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_trend_queries_do_not_grow_with_entries(app, signed_in, db, head, item, hand_ratio):
    def queries() -> int:
        seen = []
        with app.app_context():
            engine = _db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert signed_in.get(MT10).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    log(db, head, item("MT10"), date(2025, 8, 31), numerator=50, denominator=300)
    one = queries()
    for month in (9, 10):
        log(db, head, item("MT10"), date(2025, month, 28), numerator=50 + month, denominator=300)
    assert queries() == one


def test_item_page_has_the_chart_and_its_words(signed_in, db, head, item, hand_ratio):
    log(db, head, item("MT10"), date(2025, 10, 31), numerator=170, denominator=300)
    page = signed_in.get("/items/MT10?as_of=2025-11-03").text
    assert 'src="/items/MT10/trend.svg?as_of=2025-11-03"' in page
    assert ('alt="Giá trị thực tế 56,67% ngày 31/10/2025; yêu cầu theo tiến độ đến ngày 03/11/2025 '
            '40,98%; chỉ tiêu 60% hạn 31/12/2025; tình trạng: Đạt / đúng tiến độ."') in page
    assert "/items/MT10/trend.png?as_of=2025-11-03" in page
    assert "hx-swap-oob" not in page


def test_overview_has_the_colour_chart_and_filters_move_it(signed_in, db, head, item):
    log(db, head, item("NV03"), date(2025, 6, 30), state="in_progress", percent=80)
    page = signed_in.get("/plan?as_of=2025-11-03").text
    assert page.count('id="colour-chart"') == 1
    assert 'src="/charts/colours.svg?as_of=2025-11-03"' in page
    assert "Toàn kế hoạch đến ngày 03/11/2025 có 27 mục: 1 chậm / quá hạn" in page
    assert "hx-swap-oob" not in page
    fragment = signed_in.get("/plan?as_of=2025-11-04&unit=KT", headers={"HX-Request": "true"}).text
    assert 'id="colour-chart" hx-swap-oob="true"' in fragment
    assert "/charts/colours.svg?as_of=2025-11-04" in fragment
    assert "có 27 mục" in fragment, "the chart is of the whole plan, not of the filtered items"
    chart = signed_in.get("/charts/colours.svg?as_of=2025-11-03")
    assert chart.status_code == 200
    assert chart.mimetype == "image/svg+xml"
    assert signed_in.get("/charts/colours.png").data.startswith(b"\x89PNG")
