"""The Ngọk Bay seed: it matches the brief, loads idempotently, and bad files change nothing."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import SEED_FILE
from tracker.domain.entries import EntryInput
from tracker.domain.seed_file import SeedError, parse_plan_seed
from tracker.models import AuditEvent, Commune, Plan, ProgressEntry, Target, Task, Unit
from tracker.services.progress import log_progress
from tracker.services.seeding import load_plan_seed, read_plan_seed

SOURCE_TEXT = (SEED_FILE.parent / "sources" / "004_to_trinh_ngok_bay.txt").read_text(encoding="utf-8")

# The brief's table: code -> (measure, target value, deadline)
BRIEF_TARGETS = {
    "MT01": ("count", 25, date(2025, 12, 31)),
    "MT02": ("count", 110, date(2025, 12, 31)),
    "MT03": ("count", 218, date(2025, 12, 31)),
    "MT04": ("count", 14, date(2025, 12, 31)),
    "MT05": ("percent", 100, date(2025, 12, 31)),
    "MT06": ("count", 82, date(2025, 12, 31)),
    "MT07": ("count", 342, date(2025, 12, 31)),
    "MT08": ("percent", 100, date(2025, 12, 31)),
    "MT09": ("percent", 100, date(2025, 12, 31)),
    "MT10": ("ratio", 60, date(2025, 12, 31)),
    "MT11": ("milestone", None, date(2025, 12, 31)),
    "MT12": ("percent", 100, date(2025, 12, 31)),
    "MT13": ("percent", 30, date(2025, 12, 31)),
    "MT14": ("milestone", None, date(2025, 12, 31)),
    "MT15": ("milestone", None, date(2025, 12, 31)),
    "MT16": ("ratio", 3, date(2030, 12, 31)),
}
BRIEF_UNITS = [
    "Thường trực Đảng ủy xã", "Ban Chỉ đạo", "Đảng ủy Ủy ban nhân dân xã", "Đảng bộ các cơ quan Đảng",
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Đảng bộ Công an xã", "Chi bộ Quân sự xã", "Chi bộ Trạm Y tế xã",
    "Phòng Văn hóa - Xã hội", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", "Phòng Kinh tế",
    "Trung tâm Phục vụ hành chính công",
]


def raw_seed() -> dict:
    return yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))


def test_seeded_targets_match_the_brief(db, plan):
    targets = db.session.scalars(select(Target).order_by(Target.sort_order)).all()
    assert [t.code for t in targets] == list(BRIEF_TARGETS)
    for t in targets:
        measure, value, deadline = BRIEF_TARGETS[t.code]
        assert (t.measure, t.target_value, t.deadline) == (measure, value, deadline), t.code
        assert t.start_date == date(2025, 7, 1)
        assert t.direction == "higher"
        assert t.source in SOURCE_TEXT, f"{t.code}: source is not a verbatim quote"


def test_seeded_tasks_form_the_two_deadline_groups(db, plan):
    tasks = db.session.scalars(select(Task).order_by(Task.sort_order)).all()
    assert [t.code for t in tasks] == [f"NV{i:02d}" for i in range(1, len(tasks) + 1)]
    groups = [(t.start_date, t.deadline) for t in tasks]
    early = [g for g in groups if g == (date(2025, 6, 19), date(2025, 6, 30))]
    focus = [g for g in groups if g == (date(2025, 7, 1), date(2025, 12, 31))]
    assert len(early) == 3
    assert len(focus) == 8
    assert len(groups) == 11
    assert groups == early + focus, "the 30/6/2025 group comes first"
    for t in tasks:
        assert t.source in SOURCE_TEXT, f"{t.code}: source is not a verbatim quote"


def test_seeded_units_are_those_of_the_plan(db, plan):
    names = [u.name for u in db.session.scalars(select(Unit))]
    for expected in BRIEF_UNITS:
        assert any(expected in name for name in names), expected
    police = db.session.scalar(select(Unit).where(Unit.code == "CA"))
    assert police.parent.code == "DU"


def test_plan_dates(plan):
    assert plan.tracking_start == date(2025, 6, 19)
    assert plan.commune.name == "Xã Ngọk Bay"


def counts(db) -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Commune, Unit, Plan, Target, Task, ProgressEntry)}


def test_seeding_twice_changes_nothing(db, plan):
    before = counts(db)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = load_plan_seed(db.session, read_plan_seed(SEED_FILE))
    db.session.commit()
    assert not result.changed
    assert counts(db) == before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_editing_the_file_updates_the_plan_and_keeps_entries(db, plan, make_user, item, tmp_path):
    head = make_user("tp.tthcc", "unit_head", "TTHCC")
    log_progress(db.session, head, item("MT02"), EntryInput(as_of=date(2025, 9, 30), value=74),
                 today=date(2025, 11, 1))
    db.session.commit()
    data = raw_seed()
    data["targets"][1]["title"] = "Cung cấp 120 dịch vụ công trực tuyến toàn trình"
    data["targets"][1]["target"] = 120
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = load_plan_seed(db.session, read_plan_seed(edited))
    db.session.commit()
    assert result.updated == {"target": 1}
    mt02 = item("MT02")
    assert mt02.target_value == 120
    # The unit head's entry is kept, beside the plan's own three (NV01-NV03, done by 30/6/2025).
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry)
                             .where(ProgressEntry.author_id.is_not(None))) == 1
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry)) == 4


def problems_for(data, name="ke-hoach.yaml") -> list[str]:
    with pytest.raises(SeedError) as caught:
        parse_plan_seed(data, name)
    return caught.value.problems


def test_missing_field_is_named():
    data = raw_seed()
    del data["targets"][2]["deadline"]
    assert problems_for(data) == ["ke-hoach.yaml: chỉ tiêu MT03: trường 'deadline' bị thiếu"]


def test_unknown_unit_is_named():
    data = raw_seed()
    data["tasks"][0]["lead"] = "KHONGCO"
    assert problems_for(data) == [
        "ke-hoach.yaml: nhiệm vụ NV01: trường 'lead' trỏ tới đơn vị không có: 'KHONGCO'"]


def test_duplicate_code_is_named():
    data = raw_seed()
    data["targets"][1]["code"] = "MT01"
    assert "ke-hoach.yaml: mã chỉ tiêu/nhiệm vụ 'MT01' bị trùng" in problems_for(data)


def test_impossible_dates_are_named():
    data = raw_seed()
    data["targets"][0]["deadline"] = "2025-02-30"
    data["tasks"][3]["deadline"] = date(2025, 1, 1)
    problems = problems_for(data)
    assert any("MT01: trường 'deadline' '2025-02-30' không phải ngày hợp lệ" in p for p in problems)
    assert any("NV04: trường 'deadline' 2025-01-01 trước ngày bắt đầu" in p for p in problems)


def test_every_problem_is_reported_at_once():
    data = raw_seed()
    data["targets"][0]["measure"] = "volume"
    data["targets"][4]["target"] = -5
    data["units"][0]["name"] = "  "
    problems = problems_for(data)
    assert len(problems) == 3


def test_a_bad_file_leaves_the_database_as_it_was(db, plan, tmp_path):
    before = counts(db)
    bad = tmp_path / "bad.yaml"
    bad.write_text("commune: [unclosed\n", encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        read_plan_seed(bad)
    assert str(bad) in caught.value.problems[0]
    assert counts(db) == before


def test_decomposed_unicode_is_stored_composed(db, tmp_path):
    import unicodedata

    data = raw_seed()
    data["commune"]["name"] = unicodedata.normalize("NFD", "Xã Ngọk Bay")
    path = tmp_path / "nfd.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_plan_seed(db.session, read_plan_seed(path))
    db.session.commit()
    assert db.session.scalar(select(Commune.name)) == "Xã Ngọk Bay"


def test_source_copy_is_the_seed_document():
    shared = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "004_49d69e7b05e9e3af.txt"
    if not shared.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    assert shared.read_bytes() == (SEED_FILE.parent / "sources" / "004_to_trinh_ngok_bay.txt").read_bytes()
