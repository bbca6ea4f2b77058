"""Statistics by spreadsheet: export, import through the same rules as the form, all or nothing."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.test_domain_stats import BA_DINH, MINH_LONG, NGOK_TU
from tracker.models import AuditEvent, FinanceFigures, ProcedureStats, ProgressEntry
from tracker.render.spreadsheet import SHEET, read_stats_workbook
from tracker.services.errors import NotAllowed
from tracker.services.figures import record_stats
from tracker.services.periods import submit_period
from tracker.services.stats_io import export_period, import_stats

TODAY = date(2025, 11, 20)




def edited(data: bytes, changes: dict[str, object]) -> bytes:
    """The spreadsheet with cells (``B6``, or a field's value cell by its name) set to new values."""
    cells = read_stats_workbook(data).cells
    book = load_workbook(io.BytesIO(data))
    for where, value in changes.items():
        book[SHEET][cells.get(where, where)] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows(db) -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (ProcedureStats, FinanceFigures, ProgressEntry, AuditEvent)}


def run(db, actor, data: bytes, *, dry_run: bool = False):
    """Import as the CLI does: commit only a clean, real import."""
    result = import_stats(db.session, actor, actor.commune, data, today=TODAY, dry_run=dry_run)
    if result.problems or dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return result


def mt10_entries(db, item):
    return db.session.scalars(select(ProgressEntry).where(ProgressEntry.item_id == item("MT10").id)
                              .order_by(ProgressEntry.id)).all()


def test_an_edited_export_is_recorded_and_updates_the_derived_target(db, secretary, week, item):
    record_stats(db.session, secretary, week, BA_DINH, today=TODAY)
    db.session.commit()
    data = edited(export_period(db.session, week), {
        "dossiers_new_online_full": 20, "dossiers_new_online_partial": "18",
        "estimate": "650.000.000", "approved": 600_000_000, "late_reasons": "Đường truyền chập chờn"})
    result = run(db, secretary, data)
    assert result.problems == []
    assert [(c.field, c.cell, c.before, c.after) for c in result.changes] == [
        ("dossiers_new_online_full", "D22", 16, 20), ("dossiers_new_online_partial", "D23", 22, 18),
        ("estimate", "D32", None, 650_000_000), ("approved", "D33", None, 600_000_000),
        ("late_reasons", "D39", None, "Đường truyền chập chờn")]
    assert (week.stats.dossiers_new_online_full, week.finance.estimate) == (20, 650_000_000)
    entries = mt10_entries(db, item)
    assert [(e.numerator, e.denominator) for e in entries] == [(16, 65), (20, 65)]
    assert entries[1].supersedes_id == entries[0].id
    assert read_stats_workbook(export_period(db.session, week)).stats["dossiers_new_online_full"] == 20


def test_ngok_tu_needs_an_explanation_in_its_cell(db, secretary, week):
    empty = export_period(db.session, week)
    before = rows(db)
    result = run(db, secretary, edited(empty, NGOK_TU))
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert "D28" in problem.cell.split(", "), "the cell of pending_not_due"
    assert problem.message.startswith("Ô D19, D20, D26, D27, D28, D29: Đã giải quyết + đang giải quyết")
    assert "811" in problem.message
    assert rows(db) == before, "nothing saved"
    result = run(db, secretary, edited(empty, {**NGOK_TU, "override_explanation": "01 hồ sơ bị rút."}))
    assert result.problems == []
    assert week.stats.override_explanation == "01 hồ sơ bị rút."
    assert week.stats.dossiers_new_total == 812


def test_minh_long_is_refused_even_with_an_explanation(db, secretary, week):
    data = edited(export_period(db.session, week), {**MINH_LONG, "override_explanation": "theo báo cáo"})
    before = rows(db)
    problems = run(db, secretary, data).problems
    assert [p.cell for p in problems] == ["D21, D23"]
    assert "(619) không được lớn hơn" in problems[0].message
    assert rows(db) == before


def test_finance_and_text_refusals_name_their_cells(db, secretary, week):
    data = edited(export_period(db.session, week), {"estimate": 1, "approved": 2, "late_reasons": "<b>x</b>"})
    messages = [p.message for p in run(db, secretary, data).problems]
    assert messages == [
        "Ô D39 (Nguyên nhân, lý do của việc giải quyết hồ sơ quá hạn): Không được chứa mã HTML (ví dụ <b>, "
        "<script>); chỉ nhập văn bản thuần.",
        "Ô D33: Kinh phí được duyệt (2 đồng) không được lớn hơn dự toán kinh phí thực hiện các nhiệm vụ "
        "(1 đồng).",
    ]
    assert rows(db)["FinanceFigures"] == 0


def test_a_dry_run_shows_the_changes_and_saves_nothing(db, secretary, week, item):
    record_stats(db.session, secretary, week, BA_DINH, today=TODAY)
    db.session.commit()
    before = rows(db)
    result = run(db, secretary, edited(export_period(db.session, week), {"dossiers_new_online_full": 20,
                                                                         "dossiers_new_online_partial": 18}),
                 dry_run=True)
    assert result.problems == []
    assert result.dry_run
    assert [(c.field, c.before, c.after) for c in result.changes] == [
        ("dossiers_new_online_full", 16, 20), ("dossiers_new_online_partial", 22, 18)]
    assert rows(db) == before
    assert week.stats.dossiers_new_online_full == 16
    assert [(e.numerator, e.denominator) for e in mt10_entries(db, item)] == [(16, 65)]


def test_a_submitted_period_is_refused_once(db, secretary, week):
    record_stats(db.session, secretary, week, BA_DINH, today=TODAY)
    submit_period(db.session, secretary, week)
    db.session.commit()
    data = edited(export_period(db.session, week), {"dossiers_new_total": 66})
    problems = run(db, secretary, data).problems
    assert [p.message for p in problems] == [
        "Kỳ báo cáo đã gửi nên số liệu đã khóa; mở lại kỳ (kèm lý do) để sửa."]
    assert week.stats.dossiers_new_total == 65


def test_the_period_must_exist_in_the_actors_commune(db, secretary, week):
    data = export_period(db.session, week)
    missing = run(db, secretary, edited(data, {"B6": "ngok-bay|week|2025-11-03"})).problems
    assert [p.message for p in missing] == [
        "Ô B6: xã chưa có kỳ báo cáo tuần bắt đầu ngày 03/11/2025; tạo kỳ báo cáo trước rồi nhập lại."]
    other = run(db, secretary, edited(data, {"B6": "xa-khac|week|2025-10-27"})).problems
    assert other[0].message == ("Ô B6: tệp là số liệu của xã mã 'xa-khac', không phải của Xã Ngọk Bay.")


@pytest.mark.parametrize("role", ["leader", "unit_head"])
def test_only_secretaries_and_admins_import(db, make_user, week, role):
    user = make_user("u", role, "TTHCC")
    with pytest.raises(NotAllowed):
        import_stats(db.session, user, user.commune, b"not even read", today=TODAY, dry_run=True)


def test_an_admin_may_import(db, make_user, week):
    admin = make_user("quantri", "admin")
    assert run(db, admin, edited(export_period(db.session, week), BA_DINH)).problems == []
    assert week.stats.updated_by_id == admin.id


# --- the commands -----------------------------------------------------------------------------

def test_export_and_import_commands(runner, db, secretary, week, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    exported = runner.invoke(args=["stats", "export", "--period", str(week.id), "--output", str(path)])
    assert exported.exit_code == 0, exported.output
    assert "Đã xuất số liệu kỳ tuần 27/10–03/11/2025 (Xã Ngọk Bay)" in exported.output
    path.write_bytes(edited(path.read_bytes(), {**BA_DINH, "estimate": "650.000.000"}))
    imported = runner.invoke(args=["stats", "import", str(path), "--as", "vanthu"])
    assert imported.exit_code == 0, imported.output
    assert "Đã nhập số liệu kỳ tuần 27/10–03/11/2025: 20 ô thay đổi." in imported.output
    assert "  D20 Hồ sơ tiếp nhận mới trong kỳ: (trống) → 65" in imported.output
    assert "  D32 Dự toán kinh phí thực hiện các nhiệm vụ: (trống) → 650.000.000" in imported.output
    db.session.rollback()
    assert week.stats.dossiers_new_total == 65


def test_import_command_dry_run(runner, db, secretary, week, tmp_path):
    record_stats(db.session, secretary, week, BA_DINH, today=TODAY)
    db.session.commit()
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(edited(export_period(db.session, week), {"dossiers_new_online_full": 20,
                                                              "dossiers_new_online_partial": 18}))
    before = rows(db)
    result = runner.invoke(args=["stats", "import", str(path), "--dry-run", "--as", "vanthu"])
    assert result.exit_code == 0, result.output
    assert "Kiểm tra xong, chưa lưu gì (--dry-run): kỳ tuần 27/10–03/11/2025, 2 ô sẽ thay đổi." \
        in result.output
    assert "  D22 trực tuyến toàn trình: 16 → 20" in result.output
    db.session.rollback()
    assert rows(db) == before
    assert week.stats.dossiers_new_online_full == 16


def test_import_command_prints_every_problem_and_saves_nothing(runner, db, secretary, week, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(edited(export_period(db.session, week), {**BA_DINH, "dossiers_new_total": "bảy",
                                                              "resolved_late": -1}))
    before = rows(db)
    result = runner.invoke(args=["stats", "import", str(path), "--as", "vanthu"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Không nhập được; cơ sở dữ liệu không thay đổi.",
        "Ô D20 (Hồ sơ tiếp nhận mới trong kỳ): 'bảy' không phải là số (ví dụ: 1.234).",
        "Ô D27 (Hồ sơ đã giải quyết quá hạn): không được âm (-1).",
    ]
    db.session.rollback()
    assert rows(db) == before


def test_import_command_refusals(runner, db, make_user, secretary, week, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(edited(export_period(db.session, week), BA_DINH))
    make_user("bithu", "leader")
    before = rows(db)
    leader = runner.invoke(args=["stats", "import", str(path), "--as", "bithu"])
    assert leader.exit_code == 1
    assert "Tài khoản 'bithu' không được nhập số liệu kỳ báo cáo" in leader.output
    nobody = runner.invoke(args=["stats", "import", str(path), "--as", "khong-co"])
    assert nobody.exit_code == 1
    assert "Không có tài khoản 'khong-co' đang hoạt động." in nobody.output
    no_actor = runner.invoke(args=["stats", "import", str(path)])
    assert no_actor.exit_code == 2, "--as is required"
    not_xlsx = tmp_path / "so-lieu.csv"
    not_xlsx.write_text("dossiers_new_total,65\n", encoding="utf-8")
    csv = runner.invoke(args=["stats", "import", str(not_xlsx), "--as", "vanthu"])
    assert csv.exit_code == 1
    assert "Tệp không phải bảng tính Excel .xlsx." in csv.output
    db.session.rollback()
    assert rows(db) == before
    missing = runner.invoke(args=["stats", "export", "--period", "999", "--output", str(path)])
    assert missing.exit_code == 1
    assert "Không có kỳ báo cáo #999." in missing.output


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","Bấm")', "=1+1"])
def test_a_reason_that_looks_like_a_formula_round_trips_as_text(db, secretary, week, text):
    """Finding 12.8: exported as a live formula, the file then failed its own re-import."""
    record_stats(db.session, secretary, week, {**BA_DINH, "late_reasons": text}, today=TODAY)
    db.session.commit()
    data = export_period(db.session, week)
    book = load_workbook(io.BytesIO(data))
    cell = book[SHEET][read_stats_workbook(data).cells["late_reasons"]]
    assert (cell.value, cell.data_type) == (text, "s")
    result = run(db, secretary, data)
    assert result.problems == []
    assert week.stats.late_reasons == text
