"""The commands: flask seed, create-user, create-token, status; python -m devtools seed-demo."""

import json

from sqlalchemy import func, select

from devtools.cli import seed_demo_command
from tracker.models import ApiToken, ProgressEntry, User
from tracker.services.tokens import user_for_token


def test_seed_command_is_idempotent(runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "'target': 16" in first.output
    second = runner.invoke(args=["seed"])
    assert "không có gì thay đổi" in second.output


def test_seed_command_refuses_a_bad_file(runner, tmp_path, db):
    bad = tmp_path / "bad.yaml"
    bad.write_text("commune: {code: x, name: X, province: P}\nunits: []\n", encoding="utf-8")
    result = runner.invoke(args=["seed", "--file", str(bad)])
    assert result.exit_code == 1
    assert "cơ sở dữ liệu không thay đổi" in result.output
    assert f"{bad}: trường 'units' phải là một danh sách không rỗng" in result.output


def test_create_user_takes_the_password_from_the_environment(runner, plan, db):
    result = runner.invoke(args=["create-user", "tp.kt", "--role", "unit_head", "--unit", "KT"],
                           env={"TRACKER_PASSWORD": "mot-mat-khau-dai"})
    assert result.exit_code == 0, result.output
    assert "mot-mat-khau-dai" not in result.output
    user = db.session.scalar(select(User).where(User.username == "tp.kt"))
    assert user.unit.code == "KT"
    assert "mot-mat-khau-dai" not in user.password_hash


def test_create_user_asks_for_the_password(runner, plan, db):
    result = runner.invoke(args=["create-user", "bithu", "--role", "leader"],
                           input="mot-mat-khau-dai\nmot-mat-khau-dai\n", env={"TRACKER_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_create_user_refusals(runner, plan, db):
    no_unit = runner.invoke(args=["create-user", "x", "--role", "unit_head"],
                            env={"TRACKER_PASSWORD": "mot-mat-khau-dai"})
    assert no_unit.exit_code == 1
    assert "Trưởng đơn vị phải gắn với một đơn vị." in no_unit.output
    short = runner.invoke(args=["create-user", "x", "--role", "leader"], env={"TRACKER_PASSWORD": "ngan"})
    assert "ít nhất 8 ký tự" in short.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_status_json_format(runner, plan):
    result = runner.invoke(args=["status", "--as-of", "2025-11-03", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["as_of"] == "2025-11-03"
    assert doc["plan"]["code"] == "KH-CDS-NGOKBAY"
    assert len(doc["items"]) == 27
    first = doc["items"][0]
    assert {"code", "kind", "title", "unit", "deadline", "target", "current", "status"} <= set(first)
    assert first["code"] == "MT01"
    assert first["kind"] == "target"
    assert first["deadline"] == "2025-12-31"
    assert first["target"] == 25
    assert first["status"] == "grey"
    assert doc["items"][-1]["kind"] == "task"


def test_status_with_demo_data_shows_every_colour(runner, plan, db):
    demo = runner.invoke(seed_demo_command, args=[], env={"TRACKER_DEMO_PASSWORD": "demo-mat-khau"})
    assert demo.exit_code == 0, demo.output
    assert "2 ý kiến chỉ đạo, 3 kỳ báo cáo" in demo.output
    assert runner.invoke(seed_demo_command, args=[]).output.startswith(
        "Dữ liệu mẫu: thêm 0 người dùng, 0 số liệu, 0 ý kiến chỉ đạo, 0 kỳ báo cáo")
    doc = json.loads(runner.invoke(args=["status", "--as-of", "2025-11-03", "--format", "json"]).output)
    assert {i["status"] for i in doc["items"]} == {"green", "amber", "red", "grey"}
    mt10 = next(i for i in doc["items"] if i["code"] == "MT10")
    assert mt10["current"] is not None
    assert db.session.scalar(select(func.count()).select_from(ProgressEntry)) > 20


def test_seed_demo_is_refused_in_production(runner, plan, data_app, monkeypatch, db):
    # The runner's commands run in the test's app context (data_app).
    monkeypatch.setitem(data_app.config, "ENV_NAME", "production")
    result = runner.invoke(seed_demo_command, args=[])
    assert result.exit_code == 1
    assert "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_status_refuses_a_bad_date(runner, plan):
    result = runner.invoke(args=["status", "--as-of", "03/11/2025"])
    assert result.exit_code == 1
    assert "không hợp lệ" in result.output


def test_create_token_prints_the_token_once(runner, make_user, db):
    make_user("tp.tthcc", "unit_head", "TTHCC")
    result = runner.invoke(args=["create-token", "TP.TTHCC", "--name", "báo cáo"])
    assert result.exit_code == 0, result.output
    assert "sẽ không được hiển thị lại" in result.output
    plain = result.stdout.strip()
    assert "\n" not in plain, "stdout holds the token alone, for TOKEN=$(...)"
    assert user_for_token(db.session, plain).username == "tp.tthcc"
    assert db.session.scalar(select(ApiToken.name)) == "báo cáo"


def test_create_token_refuses_an_unknown_user(runner, plan, db):
    result = runner.invoke(args=["create-token", "ai-do"])
    assert result.exit_code == 1
    assert "Không có tài khoản 'ai-do'." in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
