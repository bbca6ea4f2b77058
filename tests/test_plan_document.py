"""The plan says what the document (seed 004) says, and no more: completed tasks recorded from the
document, assignments marked as the document's or the commune's own, titles with the document's content,
and section 1 of the report listing only legal-document tasks (issue 14, point 11)."""

from datetime import date

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import SEED_FILE
from tests.test_reports import text_of
from tracker.domain.seed_file import SeedError, parse_plan_seed
from tracker.models import ProgressEntry, Unit
from tracker.services.outline import build_outline_report
from tracker.services.periods import PeriodInput, create_period
from tracker.services.seeding import load_plan_seed, read_plan_seed
from tracker.services.status import plan_status

SOURCE_TEXT = (SEED_FILE.parent / "sources" / "004_to_trinh_ngok_bay.txt").read_text(encoding="utf-8")


def test_tasks_completed_by_30_6_2025_are_done_with_the_document_as_evidence(db, plan, item):
    for code in ("NV01", "NV02", "NV03"):
        entries = db.session.scalars(
            select(ProgressEntry).where(ProgressEntry.item_id == item(code).id)).all()
        assert len(entries) == 1, code
        entry = entries[0]
        assert (entry.state, entry.as_of) == ("done", date(2025, 6, 30)), code
        assert entry.author_id is None, "recorded from the plan, not by a person"
        assert entry.origin == "plan"
        assert entry.doc_issuer == "Ủy ban nhân dân xã Ngọk Bay"
        assert entry.doc_summary.startswith("Tờ trình về việc trình Dự thảo Kế hoạch")
        assert "Các nhiệm vụ đã hoàn thành đến ngày 30/6/2025" in entry.note
        assert "Các nhiệm vụ đã hoàn thành đến ngày 30/6/2025" in SOURCE_TEXT
    lights = {r.code: r.status.colour for r in plan_status(db.session, plan, date(2025, 7, 15))}
    assert {lights["NV01"], lights["NV02"], lights["NV03"]} == {"green"}
    assert lights["NV04"] != "green"


def test_seeding_again_records_the_completed_tasks_once(db, plan):
    before = db.session.scalar(select(func.count()).select_from(ProgressEntry))
    result = load_plan_seed(db.session, read_plan_seed(SEED_FILE))
    db.session.commit()
    assert not result.changed
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry)) == before == 3


def test_section_1_lists_only_legal_document_tasks(db, plan, secretary, item):
    assert item("NV01").deliverable == "legal_document"
    assert item("NV02").deliverable == "other"
    period = create_period(db.session, secretary, plan.commune,
                           PeriodInput("custom", date(2026, 1, 1), date(2026, 1, 31)))
    db.session.commit()
    section_1 = text_of(build_outline_report(db.session, plan, period, today=date(2026, 2, 2)).blocks[0])
    late = section_1.split("Những văn bản chưa được ban hành theo tiến độ: ")[1].split("\n")[0]
    assert "NV07 –" in late, "a training plan is a document, due 31/12/2025, not issued"
    for code in ("NV02", "NV03", "NV04", "NV05", "NV06", "NV08", "NV11"):
        assert f"{code} –" not in late, f"{code} is not a document"


def test_leads_follow_the_document(db, plan, item):
    assert item("NV11").lead_unit.name == "Đảng bộ Công an xã", "Phần V.6: network and information security"
    ubnd = db.session.scalar(select(Unit).where(Unit.code == "UBND"))
    for code in ("MT16", "NV09", "NV10"):
        assert item(code).lead_unit_id == ubnd.id, f"{code}: Phần V.9, UBND xã leads the budget estimates"
        assert item(code).lead_assigned_by == "document"
    assert item("NV11").lead_assigned_by == "document"
    for code in ("NV11", "MT16", "NV09", "NV10"):
        assert item(code).assignment_source in SOURCE_TEXT, code
    assert item("MT01").lead_assigned_by == "commune"
    assert item("MT01").support_assigned_by == "commune"


def test_reseeding_an_existing_database_moves_the_leads(db, plan, item):
    vhxh = db.session.scalar(select(Unit).where(Unit.code == "VHXH"))
    kt = db.session.scalar(select(Unit).where(Unit.code == "KT"))
    item("NV11").lead_unit_id = vhxh.id
    item("MT16").lead_unit_id = kt.id
    db.session.commit()
    result = load_plan_seed(db.session, read_plan_seed(SEED_FILE))
    db.session.commit()
    assert result.updated.get("target")
    assert result.updated.get("task")
    assert item("NV11").lead_unit.code == "CA"
    assert item("MT16").lead_unit.code == "UBND"


def test_titles_keep_the_documents_content(db, plan, item):
    phrases = {
        "MT05": ("Đáp ứng yêu cầu cung cấp 100% kết quả điện tử", "đối tượng tuân thủ", "tần suất thấp",
                 "lĩnh vực đặc thù"),
        "MT13": ("ít nhất 30% tài liệu lưu trữ lịch sử có giá trị cao", "tạo tiền đề",
                 "toàn bộ công tác số hóa tài liệu lưu trữ trong năm 2026"),
        "MT14": ("văn bản quy phạm pháp luật", "thể chế hóa đầy đủ", "chủ trương, định hướng",
                 "Nghị quyết số 57-NQ/TW"),
        "MT16": ("phát triển khoa học, công nghệ", "đẩy mạnh thu hút nguồn lực xã hội", "ít nhất 3%"),
    }
    for code, wanted in phrases.items():
        title = item(code).title
        for phrase in wanted:
            assert phrase in title, f"{code}: {phrase!r} missing from {title!r}"
            assert phrase.casefold() in SOURCE_TEXT.casefold(), phrase


def test_item_page_says_whose_assignment_it_is(client, make_user, login, plan):
    make_user("lanhdao", "leader")
    login("lanhdao")
    page = client.get("/items/MT01").get_data(as_text=True)
    assert "Phân công của xã" in page
    page = client.get("/items/NV11").get_data(as_text=True)
    assert "Theo văn bản" in page
    assert "Phần V.6" in page
    overview = client.get("/plan?as_of=2025-11-03").get_data(as_text=True)
    assert "Phân công của xã" in overview
    assert "Theo văn bản" in overview


def test_report_marks_the_communes_own_assignments(db, plan, secretary):
    period = create_period(db.session, secretary, plan.commune,
                           PeriodInput("custom", date(2025, 10, 1), date(2025, 10, 31)))
    db.session.commit()
    report = build_outline_report(db.session, plan, period, today=date(2025, 11, 2))
    rows = {row[0]: row for block in report.appendix for table in block.tables for row in table.rows}
    assert rows["MT01"][2] == "Trung tâm Phục vụ hành chính công xã (phân công của xã)"
    assert rows["NV11"][2] == "Đảng bộ Công an xã (theo văn bản, Phần V.6)"


def test_a_completed_task_is_never_stale(db, plan):
    rows = {r.code: r.status for r in plan_status(db.session, plan, date(2025, 11, 3))}
    assert rows["NV01"].colour == "green"
    assert not rows["NV01"].stale, "done on 30/6/2025 per the document: nothing newer is owed"


def test_the_migration_goes_down_and_up_with_a_seeded_plan(empty_database_url):
    """0014: existing items become the commune's own assignments and 'other' tasks until seeded again;
    going back removes the plan's own entries (they have no author), and up again re-seeding restores."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from tests.conftest import ROOT
    from tracker import create_app
    from tracker.config import TestConfig
    from tracker.extensions import db

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        load_plan_seed(db.session, read_plan_seed(SEED_FILE))
        db.session.commit()
        db.session.remove()
        downgrade(directory=directory, revision="0013")
        assert "origin" not in {c["name"] for c in inspect(db.engine).get_columns("progress_entry")}
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM progress_entry")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM latest_entry")).scalar() == 0
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT DISTINCT lead_assigned_by FROM plan_item")).scalars().all() == [
                "commune"]
            assert conn.execute(text("SELECT DISTINCT deliverable FROM plan_item WHERE kind = 'task'")
                                ).scalars().all() == ["other"]
        result = load_plan_seed(db.session, read_plan_seed(SEED_FILE))
        db.session.commit()
        assert result.created == {"entry": 3}
        from tracker.models import PlanItem
        nv11 = db.session.scalar(select(PlanItem).where(PlanItem.code == "NV11"))
        assert (nv11.lead_unit.code, nv11.lead_assigned_by, nv11.deliverable) == ("CA", "document", "other")
        nv01 = db.session.scalar(select(PlanItem).where(PlanItem.code == "NV01"))
        assert nv01.deliverable == "legal_document"
        db.session.remove()
        db.engine.dispose()


def test_every_quote_of_the_plan_file_is_the_documents_words():
    seed = read_plan_seed(SEED_FILE)
    quotes = [t.done.quote for t in seed.tasks if t.done] + [
        i.assignment_source for i in (*seed.targets, *seed.tasks) if i.assignment_source]
    assert len(quotes) == 3 + 4
    for quote in quotes:
        assert quote in SOURCE_TEXT, quote
    assert {t.code for t in seed.tasks if t.done} == {"NV01", "NV02", "NV03"}
    for item in (*seed.targets, *seed.tasks):
        assert (item.lead_by == "document") == bool(item.assignment_source), item.code


def test_the_new_fields_are_checked_with_named_problems():
    data = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    data["tasks"][0]["done"] = {"as_of": "30/6/2025"}
    data["tasks"][1]["lead_by"] = "document"
    data["tasks"][2]["deliverable"] = "van_ban"
    del data["plan"]["document"]
    with pytest.raises(SeedError) as caught:
        parse_plan_seed(data, "kh.yaml")
    problems = caught.value.problems
    assert "kh.yaml: nhiệm vụ NV01: trường 'done' không hợp lệ: trường 'as_of' '30/6/2025' không phải ngày " \
           "hợp lệ (viết YYYY-MM-DD)" in problems
    assert any("nhiệm vụ NV02: trường 'assignment_source' bị thiếu" in p for p in problems)
    assert any("nhiệm vụ NV03: trường 'deliverable' 'van_ban' không hợp lệ" in p for p in problems)
    assert any("nhiệm vụ NV03: trường 'done' cần khai báo văn bản của kế hoạch" in p for p in problems)
