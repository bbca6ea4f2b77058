"""Development commands: seed-demo and synth, run in the context of ``tracker.create_app()``.

A command group of its own (``python -m devtools``), so the production package does not know these
commands exist: no ``flask.commands`` entry point, which an installed wheel would point at a module
it does not ship, and no registration in ``tracker.cli``.
"""

from __future__ import annotations

import os
import time

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext
from werkzeug.security import generate_password_hash

from devtools.demo import load_demo
from devtools.synth import SynthError, SynthOptions, create_synthetic_province
from tracker import create_app
from tracker.cli import fail, project_path
from tracker.domain.dates import local_today, parse_iso_date
from tracker.domain.seed_file import SeedError
from tracker.extensions import db
from tracker.services.seeding import read_plan_seed, read_yaml
from tracker.transaction import in_transaction


@click.command("seed-demo")
@with_appcontext
@in_transaction
def seed_demo_command() -> None:
    """Add demo users and progress (development only; never in production)."""
    if current_app.config["ENV_NAME"] == "production":
        fail("Dữ liệu mẫu không bao giờ được nạp ở chế độ production.")
    password = os.environ.get("TRACKER_DEMO_PASSWORD", "demo-ngokbay")
    path = project_path(current_app.config["DEMO_FILE"])
    try:
        result = load_demo(
            db.session, read_yaml(path), str(path), password=password,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
            today=local_today(current_app.config["TIMEZONE"]),
        )
    except SeedError as exc:
        fail(["Không nạp được dữ liệu mẫu; cơ sở dữ liệu không thay đổi.", *exc.problems])
    click.echo(f"Dữ liệu mẫu: thêm {result.users} người dùng, {result.entries} số liệu, "
               f"{result.directives} ý kiến chỉ đạo, {result.periods} kỳ báo cáo.")
    click.echo("Đăng nhập thử: admin, bithu (lãnh đạo), vanthu (văn phòng), tp.tthcc (trưởng đơn vị), "
               "tinh.vanphong (văn phòng tỉnh), tinh.quantri (quản trị tỉnh);"
               " mật khẩu là TRACKER_DEMO_PASSWORD (mặc định demo-ngokbay).")


@click.command("synth")
@with_appcontext
@click.option("--communes", type=click.IntRange(1, 999), default=96, show_default=True)
@click.option("--months", type=click.IntRange(1, 120), default=18, show_default=True)
@click.option("--seed", "seed_number", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--history-factor", type=click.IntRange(1, 50), default=1, show_default=True,
              help="Progress entries per item per week (10 for the 10× history benchmark).")
@click.option("--start", "start_text", default=None,
              help="First day, YYYY-MM-DD (default: the plan's start).")
@click.option("--template", "template_path", default=None, help="Template plan seed file.")
@in_transaction
def synth_command(communes: int, months: int, seed_number: int, history_factor: int, start_text: str | None,
                  template_path: str | None) -> None:
    """Create a synthetic province for measurement (never in production); deterministic per seed."""
    if current_app.config["ENV_NAME"] == "production":
        fail("Dữ liệu tổng hợp không bao giờ được tạo ở chế độ production.")
    try:
        start = parse_iso_date(start_text)
        template = read_plan_seed(project_path(template_path or current_app.config["SEED_FILE"]))
    except (ValueError, SeedError) as exc:
        fail(getattr(exc, "problems", None) or str(exc))
    password = os.environ.get("TRACKER_PASSWORD", "synth-mat-khau")
    began = time.perf_counter()
    password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    click.echo(f"Tạo dữ liệu tổng hợp: {communes} xã × {months} tháng, hệ số lịch sử {history_factor}, "
               f"seed {seed_number} ({db.engine.dialect.name})")
    try:
        result = create_synthetic_province(
            db.session, template, SynthOptions(communes, months, seed_number, history_factor, start),
            password_hash=password_hash, log=click.echo)
    except SynthError as exc:
        fail(str(exc))
    committing = time.perf_counter()
    db.session.commit()  # within the command's unit of work: timed here for the benchmark's log
    click.echo(f"  ghi (commit): {time.perf_counter() - committing:.2f} s")
    click.echo("Đã tạo: " + ", ".join(f"{name} {count}" for name, count in result.rows.items())
               + f"; tổng {time.perf_counter() - began:.1f} s.")
    click.echo("Đăng nhập: synth.tinh.lanhdao (lãnh đạo tỉnh), synth-001.lanhdao, synth-001.tthcc …; "
               "mật khẩu là TRACKER_PASSWORD (mặc định synth-mat-khau).")


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Development commands for tracker: demo data, a synthetic province (never in production)."""
    if not isinstance(ctx.obj, ScriptInfo):  # a test runner brings its own app
        ctx.obj = ScriptInfo(create_app=create_app, set_debug_flag=False)


cli.add_command(seed_demo_command)
cli.add_command(synth_command)
