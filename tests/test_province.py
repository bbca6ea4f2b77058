"""The province roll-up: same lights as the commune pages, bounded queries, pages and documents."""

from datetime import date

import pytest
from sqlalchemy import event, select

from devtools.synth import SynthOptions, create_synthetic_province
from tests.conftest import PASSWORD, SEED_FILE
from tracker.domain.entries import EntryInput
from tracker.models import Commune, Plan, Province
from tracker.services.access import actor_of
from tracker.services.errors import NotAllowed
from tracker.services.progress import log_progress
from tracker.services.province import build_rollup, province_for
from tracker.services.seeding import read_plan_seed
from tracker.services.status import plan_status
from tracker.services.users import create_user

AS_OF = date(2025, 9, 14)


def _synth(db, communes: int) -> Province:
    create_synthetic_province(db.session, read_plan_seed(SEED_FILE),
                              SynthOptions(communes=communes, months=3, seed=7), password_hash="x")
    db.session.commit()
    return db.session.scalar(select(Province))


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def test_rollup_lights_are_the_commune_pages_lights(db):
    province = _synth(db, 3)
    rollup = build_rollup(db.session, province, AS_OF)
    assert len(rollup.rows) == 3
    assert [c.code for c in rollup.columns] == [f"MT{i:02d}" for i in range(1, 17)]
    for row in rollup.rows:
        expected = {r.code: r.status for r in plan_status(db.session, row.plan, AS_OF) if r.kind == "target"}
        assert row.cells == expected
        assert sum(row.counts.values()) == 16
    reds = [row.reds for row in rollup.rows]
    assert reds == sorted(reds, reverse=True)
    assert sum(rollup.totals.values()) == 3 * 16


def test_communes_with_the_same_counts_follow_the_vietnamese_alphabet(db):
    province = Province(code="thu", name="Tỉnh Thử")
    db.session.add(province)
    db.session.flush()
    names = {"b": "Xã Bình Minh", "d2": "Xã Đông Hòa", "a2": "Xã Ăn Phú", "d": "Xã Dục Nông"}
    for code, name in names.items():
        db.session.add(Commune(code=code, name=name, province_id=province.id))
    db.session.commit()
    rollup = build_rollup(db.session, province, AS_OF)
    # Plain code-point order would put Ă after B and Đ after every Latin letter.
    assert [r.commune.code for r in rollup.rows] == ["a2", "b", "d", "d2"]


def test_rollup_query_count_does_not_grow_with_communes(db):
    province = _synth(db, 2)
    with QueryCounter(db.engine) as small:
        build_rollup(db.session, province, AS_OF)
    db.session.expire_all()
    for i in range(3, 9):  # more communes in the same province
        commune = Commune(code=f"them-{i}", name=f"Xã Thêm {i}", province_id=province.id)
        db.session.add(commune)
    db.session.commit()
    assert province.name  # loaded before counting, as the page has it from the signed-in user
    with QueryCounter(db.engine) as large:
        rollup = build_rollup(db.session, province, AS_OF)
    assert small.count == large.count <= 5
    assert len(rollup.rows) == 8


def test_rollup_respects_the_date_and_supersession(db, plan, make_user):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    mt02 = next(t for t in plan.targets if t.code == "MT02")
    first = log_progress(db.session, head, mt02, EntryInput(as_of=date(2025, 9, 1), value=10),
                         today=date(2025, 9, 2))
    log_progress(db.session, head, mt02, EntryInput(as_of=date(2025, 10, 1), value=110),
                 today=date(2025, 10, 2))
    db.session.commit()
    province = plan.commune.province
    assert build_rollup(db.session, province, date(2025, 8, 1)).rows[0].cells["MT02"].actual is None
    assert build_rollup(db.session, province, date(2025, 9, 15)).rows[0].cells["MT02"].actual == 10
    assert build_rollup(db.session, province, date(2025, 10, 15)).rows[0].cells["MT02"].actual == 110
    log_progress(db.session, head, mt02, EntryInput(as_of=date(2025, 9, 1), value=12, reason="Sai số"),
                 today=date(2025, 10, 3), supersedes=first)
    db.session.commit()
    cell = build_rollup(db.session, province, date(2025, 9, 15)).rows[0].cells["MT02"]
    assert cell.actual == 12
    expected = {r.code: r.status for r in plan_status(db.session, plan, date(2025, 9, 15))}
    assert cell == expected["MT02"]


def test_only_province_users_get_a_rollup(db, plan, make_user, data_app):
    leader = make_user("bithu", "leader", "TTDU")
    with pytest.raises(NotAllowed):
        province_for(db.session, actor_of(leader))
    tinh = create_user(db.session, province=plan.commune.province, username="tinh", password=PASSWORD,
                       role="secretary", hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                       min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    assert province_for(db.session, actor_of(tinh)) == plan.commune.province


@pytest.fixture
def province_client(app, db, data_app):
    province = _synth(db, 3)
    create_user(db.session, province=province, username="tinh", password=PASSWORD, role="leader",
                hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"username": "tinh", "password": PASSWORD}).status_code == 302
    return client


def test_rollup_page_grid_counts_and_drill_down(province_client, db):
    answer = province_client.get(f"/province?as_of={AS_OF.isoformat()}")
    assert answer.status_code == 200
    page = answer.text
    assert "Xã Thử Nghiệm 001" in page
    assert '<span aria-hidden="true">✖</span> Chậm' in page  # icon and word, never colour alone
    assert 'href="/plan?commune=synth-001&amp;as_of=2025-09-14"' in page or \
        'href="/plan?as_of=2025-09-14&amp;commune=synth-001"' in page
    assert "tổng tử số ÷ tổng mẫu số" in page
    fragment = province_client.get("/province?as_of=2025-09-14", headers={"HX-Request": "true"})
    assert 'id="province-grid"' in fragment.text[:400]
    # A commune of the province without a plan yet is listed, and says so.
    db.session.add(Commune(code="xa-moi", name="Xã Mới", province_id=db.session.scalar(select(Province.id))))
    db.session.commit()
    listed = province_client.get("/province").text
    assert 'Xã Mới</a> <small class="muted">(chưa có kế hoạch)</small>' in listed
    assert "<html" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    # Drilling down: the commune's dashboard, whose links keep naming the commune; no logging form.
    dashboard = province_client.get("/plan?commune=synth-002&as_of=2025-09-14")
    assert dashboard.status_code == 200
    assert "commune=synth-002" in dashboard.text
    item = province_client.get("/items/MT02?commune=synth-002")
    assert item.status_code == 200
    assert 'action="/items/MT02/entries' not in item.text
    assert province_client.get("/plan?commune=khong-co").status_code == 404
    assert province_client.get("/plan").status_code == 302


def test_rollup_heatmap_and_report_formats(province_client):
    svg = province_client.get("/province/heatmap.svg?as_of=2025-09-14")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    png = province_client.get("/province/heatmap.png?as_of=2025-09-14")
    assert png.data.startswith(b"\x89PNG")
    html = province_client.get("/province/report.html?as_of=2025-09-14")
    assert html.status_code == 200
    assert "Số liệu toàn tỉnh theo từng chỉ tiêu" in html.text
    assert "TỈNH THỬ NGHIỆM (DỮ LIỆU TỔNG HỢP)" in html.text, "synth's own province, not the real one"
    docx = province_client.get("/province/report.docx?as_of=2025-09-14")
    assert docx.data.startswith(b"PK")
    assert province_client.get("/province/report.xlsx").status_code == 404


@pytest.mark.parametrize("query", ["as_of=2025-13-01", "as_of=hôm-nay", "as_of=2025-02-30"])
def test_bad_dates_are_a_clear_400(province_client, query):
    for path in ("/province", "/province/heatmap.svg", "/province/report.html"):
        answer = province_client.get(f"{path}?{query}")
        assert answer.status_code == 400, path
        assert "ngày" in answer.text.lower()


def test_report_pdf(province_client):
    pdf = province_client.get("/province/report.pdf?as_of=2025-09-14")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.data.startswith(b"%PDF")


def test_plan_is_unchanged_by_rollup(db):
    province = _synth(db, 2)
    before = db.session.scalars(select(Plan.id)).all()
    build_rollup(db.session, province, AS_OF)
    assert db.session.scalars(select(Plan.id)).all() == before


def test_nasty_query_parameters_never_fail_badly(province_client):
    """?as_of= and ?commune= with anything: a Vietnamese 400 or a 404, never a 500."""
    from hypothesis import HealthCheck, given, settings

    from tests.test_bad_input import TEXT

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(as_of=TEXT, commune=TEXT)
    def probe(as_of, commune):
        for path in ("/province", "/province/heatmap.svg", "/", "/items/MT02"):
            answer = province_client.get(path, query_string={"as_of": as_of, "commune": commune})
            # 303: a date typed day first goes to its ISO address (issue 14)
            assert answer.status_code in (200, 302, 303, 400, 404), (path, as_of, commune, answer.status_code)

    probe()


def test_cli_writes_the_province_summary(runner, db, tmp_path):
    _synth(db, 2)
    output = tmp_path / "tinh.docx"
    answer = runner.invoke(args=["report", "--from", "2025-09-14", "--to", "2025-09-14", "--province",
                                 "synth-tinh", "--format", "docx", "--output", str(output)])
    assert answer.exit_code == 0, answer.output
    assert output.read_bytes().startswith(b"PK")
    missing = runner.invoke(args=["report", "--from", "2025-09-14", "--to", "2025-09-14", "--province",
                                  "khong-co", "--format", "html", "--output", str(output)])
    assert missing.exit_code == 1
    assert "Không có tỉnh" in missing.output


def test_rollup_search_sort_and_filter_by_query_arguments(province_client, db):
    """Search without accents, filter by target and colour, sort by a column: all in the address
    (works without JavaScript, shareable), the date kept on every link; a bad choice is a 400."""
    commune = db.session.scalar(select(Commune).where(Commune.code == "synth-002"))
    commune.name = "Xã Ngọk Bay"
    db.session.commit()
    found = province_client.get("/province?as_of=2025-09-14&q=ngok+bay").text
    assert found.count('<th scope="row" class="commune">') == 1
    assert "Xã Ngọk Bay" in found
    assert "Đang hiện 1/3 xã." in found or "Showing 1 of 3 communes." in found
    assert 'value="ngok bay"' in found, "what was typed stays in the box"
    by_name = province_client.get("/province?as_of=2025-09-14&sort=name").text
    rows = [line for line in by_name.splitlines() if '<th scope="row" class="commune">' in line]
    assert "Ngọk Bay" in rows[0]  # N before T
    assert "Thử Nghiệm 001" in rows[1]
    assert 'aria-sort="ascending"' in by_name
    # The header links keep the date and the other choices, and reverse the column sorted.
    assert "sort=name" in by_name
    assert "order=desc" in by_name
    assert "as_of=2025-09-14" in by_name.split('aria-sort="ascending"', 1)[1][:400]
    red_mt03 = province_client.get("/province?as_of=2025-09-14&target=MT03&colour=red").text
    grid = red_mt03.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    for row in grid.split("<tr>")[1:]:
        assert 'light light-red" href="/items/MT03' in row
    fragment = province_client.get("/province?as_of=2025-09-14&sort=MT03", headers={"HX-Request": "true"})
    assert 'id="rollup-sort" hx-swap-oob="true"' in fragment.text, "the form's sort follows a header click"
    assert '<option value="MT03" selected>' in fragment.text
    for bad in ("sort=MT99", "colour=blue", "target=XX", "order=sideways"):
        answer = province_client.get(f"/province?{bad}")
        assert answer.status_code == 400, bad


def test_count_targets_read_as_communes_that_met_them(province_client):
    page = province_client.get("/province?as_of=2025-09-14").text
    assert "/03 xã đạt" in page
    assert "số xã đạt chỉ tiêu của xã" in page
    assert "tổng: " in page.split("<details class=\"total\">", 1)[1][:300], "the sum on demand"
