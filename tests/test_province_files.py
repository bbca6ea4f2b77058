"""The province's heat-map and summary PDF: drawn ahead by the nightly job, kept as files, served
without drawing while current, drawn again when a figure or the date changes (issue 15); and the
summary's first page is not left blank by a heat-map too tall for it."""

import io
import os
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select

from devtools.synth import SynthOptions, create_synthetic_province
from tests.conftest import PASSWORD, SEED_FILE
from tracker.domain.entries import EntryInput
from tracker.jobs import JOBS
from tracker.jobs.tasks import province_files_job
from tracker.models import Plan, Province, Target, User
from tracker.services import charts
from tracker.services.outline import build_province_summary
from tracker.services.progress import log_progress
from tracker.services.province import build_rollup
from tracker.services.province_files import draw_ahead, kept_heatmap, kept_summary_pdf, prune
from tracker.services.seeding import read_plan_seed
from tracker.services.users import create_user

AS_OF = date(2025, 9, 14)
TODAY = date(2025, 9, 15)


def _pdf_or_skip():
    from tracker.render.render_pdf import PdfUnavailable, load_weasyprint

    try:
        load_weasyprint()
    except PdfUnavailable as exc:
        pytest.skip(f"PDF test skipped: {exc}")


def _synth(db, communes: int, months: int = 3) -> Province:
    create_synthetic_province(db.session, read_plan_seed(SEED_FILE),
                              SynthOptions(communes=communes, months=months, seed=7), password_hash="x")
    db.session.commit()
    return db.session.scalar(select(Province))


class Forbidden:
    """Stands for a drawing function that must not run: the kept copy is served."""

    def __init__(self, what: str):
        self.what = what

    def __call__(self, *args, **kwargs):
        raise AssertionError(f"{self.what} was called: the kept copy should have been served")


@pytest.fixture
def no_drawing(monkeypatch):
    """Make any drawing fail: matplotlib's heat-map, WeasyPrint's PDF (memory cache emptied), and
    even the status rule over the grid (a kept copy needs no roll-up computed)."""
    def forbid():
        charts.cache.clear()
        monkeypatch.setattr("tracker.services.charts.heatmap_chart", Forbidden("heatmap_chart"))
        monkeypatch.setattr("tracker.render.render_pdf.render_pdf", Forbidden("WeasyPrint"))
        monkeypatch.setattr("tracker.services.province.compute_status", Forbidden("the status rule"))
    return forbid


def test_kept_copies_are_served_without_drawing(db, tmp_path, no_drawing):
    _pdf_or_skip()
    province = _synth(db, 3)
    drawn, paths = draw_ahead(db.session, tmp_path, province, today=AS_OF)
    assert drawn == {"heatmap.svg": True, "heatmap.png": True, "summary.pdf": True}
    assert all(path.exists() for path in paths)
    assert draw_ahead(db.session, tmp_path, province, today=AS_OF)[0] == dict.fromkeys(drawn, False)
    no_drawing()
    kept = kept_summary_pdf(db.session, tmp_path, province, AS_OF, today=AS_OF)
    assert not kept.drawn
    assert kept.data.startswith(b"%PDF")
    assert kept.filename == "tong-hop-tinh-2025-09-14.pdf"
    assert kept_heatmap(db.session, tmp_path, province, AS_OF).render("png").startswith(b"\x89PNG")
    assert b"<svg" in kept_heatmap(db.session, tmp_path, province, AS_OF).render("svg")


def test_a_changed_figure_or_another_date_is_drawn_again(db, tmp_path):
    _pdf_or_skip()
    province = _synth(db, 3)
    first = kept_summary_pdf(db.session, tmp_path, province, AS_OF, today=TODAY)
    assert first.drawn
    assert not kept_summary_pdf(db.session, tmp_path, province, AS_OF, today=TODAY).drawn
    heatmap = kept_heatmap(db.session, tmp_path, province, AS_OF)
    # A commune logs a new figure for a count target: the printed "x/N xã đạt" or sum changes.
    plan = db.session.scalars(select(Plan).order_by(Plan.id)).first()
    target = db.session.scalar(select(Target).where(Target.plan_id == plan.id, Target.code == "MT02"))
    author = db.session.scalars(select(User).where(User.commune_id == plan.commune_id,
                                                   User.unit_id == target.lead_unit_id)).first()
    log_progress(db.session, author, target, EntryInput(value=target.target_value, as_of=AS_OF), today=TODAY)
    db.session.commit()
    changed = kept_summary_pdf(db.session, tmp_path, province, AS_OF, today=TODAY)
    assert changed.drawn, "a commune's figure changed since it was drawn: stale"
    assert changed.data != first.data
    assert kept_heatmap(db.session, tmp_path, province, AS_OF).fingerprint != heatmap.fingerprint
    # Another as_of is another document; so is another day of issue (its date is printed).
    assert kept_summary_pdf(db.session, tmp_path, province, date(2025, 9, 1), today=TODAY).drawn
    assert kept_summary_pdf(db.session, tmp_path, province, AS_OF, today=date(2025, 9, 16)).drawn
    assert len(list(tmp_path.rglob("summary-*.pdf"))) == 4


def test_the_nightly_job_draws_ahead_and_is_registered(db, app, tmp_path, no_drawing):
    _pdf_or_skip()
    _synth(db, 2)
    assert "province_files" in JOBS
    config = {**app.config, "PROVINCE_FILES_DIR": str(tmp_path)}
    now = datetime(2025, 9, 14, 20, 0, tzinfo=UTC)  # 03:00 on the 15th in Vietnam
    done = province_files_job(db.session, now, config)
    assert done["as_of"] == "2025-09-15"
    assert done["provinces"]["synth-tinh"] == {"heatmap.svg": True, "heatmap.png": True,
                                               "summary.pdf": True, "removed": 0}
    no_drawing()
    again = province_files_job(db.session, now, config)
    assert again["provinces"]["synth-tinh"]["summary.pdf"] is False


@pytest.fixture
def province_client(app, db, data_app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "PROVINCE_FILES_DIR", str(tmp_path))
    province = _synth(db, 3)
    create_user(db.session, province=province, username="tinh", password=PASSWORD, role="leader",
                hash_method=data_app.config["PASSWORD_HASH_METHOD"],
                min_length=data_app.config["PASSWORD_MIN_LENGTH"])
    db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"username": "tinh", "password": PASSWORD}).status_code == 302
    return client


def _statements(app, client, path: str) -> tuple[int, object]:
    from tracker.extensions import db

    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        answer = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen), answer


def test_the_pages_serve_the_kept_copies_with_the_rollups_statements_only(app, province_client, no_drawing,
                                                                          tmp_path):
    _pdf_or_skip()
    query = f"as_of={AS_OF.isoformat()}"
    first = province_client.get(f"/province/report.pdf?{query}")  # drawn on demand, then kept
    assert first.status_code == 200
    assert first.headers["Content-Disposition"] == 'attachment; filename="tong-hop-tinh-2025-09-14.pdf"'
    assert province_client.get(f"/province/heatmap.png?{query}").status_code == 200
    assert len(list(tmp_path.rglob("*"))) >= 3
    rollup_statements, page = _statements(app, province_client, f"/province?{query}")
    assert page.status_code == 200
    no_drawing()
    statements, pdf = _statements(app, province_client, f"/province/report.pdf?{query}")
    assert pdf.status_code == 200
    assert pdf.data == first.data
    assert statements <= rollup_statements, "a kept PDF costs the roll-up's statements, no more"
    statements, png = _statements(app, province_client, f"/province/heatmap.png?{query}")
    assert png.data.startswith(b"\x89PNG")
    assert statements <= rollup_statements


def test_the_summary_opens_with_its_heatmap_on_page_one(db):
    """Page 1 was 90% blank: the heat-map of 96 communes was sized 230 mm tall, more than the room
    left under the header, so WeasyPrint moved it whole to page 2. Its caption (the picture's
    text, printed under it) must now be on page 1."""
    _pdf_or_skip()
    from pypdf import PdfReader

    from tracker.render import render

    province = _synth(db, 96, months=2)
    rollup = build_rollup(db.session, province, AS_OF)
    data, _, _ = render(build_province_summary(rollup, today=TODAY), "pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    first = " ".join(pages[0].split())
    assert "1. Tổng hợp chung" in first
    assert "96 xã × 16 chỉ tiêu" in first, "the heat-map and its caption are on page 1"
    assert "2. Số liệu toàn tỉnh theo từng chỉ tiêu" in " ".join(pages[1].split())
    # The count targets read as communes that met them, with the sum beside.
    assert "xã đạt (tổng:" in " ".join(" ".join(p.split()) for p in pages)


def test_old_copies_are_removed_but_not_the_current_ones(db, tmp_path):
    province = _synth(db, 2)
    folder = tmp_path / f"province-{province.id}"
    folder.mkdir()
    old, current = folder / "heatmap-v1-old.svg", folder / "heatmap-v1-current.svg"
    for path in (old, current):
        path.write_bytes(b"<svg/>")
        os.utime(path, (0, 0))
    assert prune(tmp_path, province, {current}) == 1
    assert current.exists()
    assert not old.exists()
