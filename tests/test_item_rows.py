"""The item rows written in Python escape every value they take from the data."""

from __future__ import annotations

from datetime import date

from tracker.services.status import plan_status
from tracker.web.item_rows import item_rows, light

HOSTILE = '<script>alert("x")</script> & \'quoted\''


def test_titles_names_and_reasons_are_escaped(app, db, plan, item):
    target = item("MT01")
    target.title = HOSTILE
    target.lead_unit.name = HOSTILE
    db.session.commit()
    rows = [r for r in plan_status(db.session, plan, date(2025, 11, 3)) if r.code == "MT01"]
    with app.test_request_context("/"):
        html = str(item_rows(rows, date(2025, 11, 3)))
        one_light = str(light(rows[0].status))
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39;") == 2
    assert 'href="/items/MT01?as_of=2025-11-03"' in html
    assert html.count("<td") == 7
    assert html.count('data-label="') == 7
    assert 'class="light light-grey"' in html
    assert 'class="light light-grey"' in one_light


def test_a_code_is_quoted_in_its_link(app, db, plan, item):
    target = item("MT01")
    target.code = "MT 01"
    db.session.commit()
    rows = [r for r in plan_status(db.session, plan, date(2025, 11, 3)) if r.code == "MT 01"]
    with app.test_request_context("/"):
        html = str(item_rows(rows, date(2025, 11, 3)))
    assert 'href="/items/MT%2001?as_of=2025-11-03"' in html
    assert ">MT 01</a>" in html
