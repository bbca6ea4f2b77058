"""Flask commands: seed, create-user, create-token, tokens, status, stats export/import."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import click
import yaml
from flask import Flask, current_app
from flask.cli import with_appcontext

from tracker.domain.dates import local_today, parse_iso_date, period_name
from tracker.domain.formatting import format_date, format_datetime, format_number
from tracker.domain.plan_template import seed_document
from tracker.domain.seed_file import SeedError
from tracker.domain.status import COLOUR_LABELS
from tracker.extensions import db
from tracker.models import ReportingPeriod
from tracker.render import render
from tracker.render.spreadsheet import MAX_XLSX_BYTES
from tracker.services.access import current_plan, find_commune, find_province
from tracker.services.backup import BackupError, backup_database, restore_database
from tracker.services.errors import NotAllowed, NotFound
from tracker.services.outline import build_outline_report, build_province_summary, build_summary
from tracker.services.periods import period_for_range
from tracker.services.plan_template import find_or_create_commune, plan_from_template
from tracker.services.progress import MAX_ID
from tracker.services.province import build_rollup
from tracker.services.seeding import load_plan_seed, read_plan_seed
from tracker.services.stats_io import export_period, import_stats
from tracker.services.status import plan_status, status_document
from tracker.services.tokens import (
    DEFAULT_TOKEN_DAYS,
    MAX_TOKEN_DAYS,
    TokenError,
    create_token,
    list_tokens,
    revoke_token,
    token_state,
)
from tracker.services.users import UserError, create_user, find_user
from tracker.transaction import discard_changes, in_transaction


def fail(lines: list[str] | str) -> None:
    """Print the problems and exit 1; the command's boundary (``in_transaction``) rolls back."""
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(1)


def project_path(path: str) -> Path:
    """Resolve a project-relative path (seed files live beside the package)."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else Path(current_app.root_path).parent / candidate


@click.command("seed")
@with_appcontext
@click.option("--file", "path", default=None, help="Plan seed file (default: TRACKER_SEED_FILE).")
@in_transaction
def seed_command(path: str | None) -> None:
    """Load or update a plan from its seed file; safe to run again."""
    try:
        seed = read_plan_seed(project_path(path or current_app.config["SEED_FILE"]))
        result = load_plan_seed(db.session, seed)
    except SeedError as exc:
        fail(["Không nạp được kế hoạch; cơ sở dữ liệu không thay đổi.", *exc.problems])
    if not result.changed:
        click.echo(f"Kế hoạch {seed.plan.code}: không có gì thay đổi.")
    else:
        click.echo(f"Kế hoạch {seed.plan.code}: thêm {result.created}, cập nhật {result.updated}.")
    if result.not_in_file:
        click.echo("Có trong cơ sở dữ liệu nhưng không còn trong tệp (giữ nguyên): "
                   + ", ".join(result.not_in_file))


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "leader", "unit_head", "secretary"]))
@click.option("--unit", "unit_code", default=None, help="Unit code (required for unit_head).")
@click.option("--name", "full_name", default=None, help="Full name shown in the app.")
@click.option("--commune", "commune_code", default=None, help="Commune code (when there are several).")
@click.option("--province", "province_code", default=None,
              help="Province code: a province-level user (leader, secretary, admin) instead of a commune's.")
@in_transaction
def create_user_command(username: str, role: str, unit_code: str | None, full_name: str | None,
                        commune_code: str | None, province_code: str | None) -> None:
    """Create a user; the password comes from TRACKER_PASSWORD or is asked for."""
    password = os.environ.get("TRACKER_PASSWORD") or click.prompt(
        "Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")
    try:
        commune = None if province_code else find_commune(db.session, commune_code)
        province = find_province(db.session, province_code) if province_code else None
        user = create_user(db.session, commune=commune, province=province, username=username,
                           password=password, role=role, full_name=full_name, unit_code=unit_code,
                           hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                           min_length=current_app.config["PASSWORD_MIN_LENGTH"])
    except (NotFound, UserError) as exc:
        fail(str(exc))
    click.echo(f"Đã tạo tài khoản {user.username} ({role}).")


@click.command("create-token")
@with_appcontext
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for, e.g. 'báo cáo tỉnh'.")
@click.option("--days", type=click.IntRange(1, MAX_TOKEN_DAYS), default=DEFAULT_TOKEN_DAYS, show_default=True,
              help="Days until the token expires.")
@in_transaction
def create_token_command(username: str, name: str, days: int) -> None:
    """Create an API token for a user, valid for --days days, and print it once."""
    user = find_user(db.session, username)
    if user is None:
        fail(f"Không có tài khoản '{username}'.")
    try:
        plain = create_token(db.session, user, name, days=days)
    except TokenError as exc:
        fail(str(exc))
    # Only the token goes to stdout, so TOKEN=$(flask --app tracker create-token ...) works.
    click.echo(f"Mã truy cập API cho {user.username} ({name}), hết hạn sau {days} ngày:", err=True)
    click.echo(plain)
    click.echo("Hãy lưu lại ngay: mã này sẽ không được hiển thị lại.", err=True)


TOKEN_STATES = {"active": "còn hiệu lực", "expired": "hết hạn", "revoked": "đã thu hồi"}


@click.group("tokens")
def tokens_group() -> None:
    """API tokens: list them, revoke one."""


@tokens_group.command("list")
@with_appcontext
@click.argument("username", required=False)
@in_transaction
def tokens_list_command(username: str | None) -> None:
    """List every API token (or USERNAME's): id, user, name, created, last used, expires, state."""
    user = None
    if username is not None and (user := find_user(db.session, username)) is None:
        fail(f"Không có tài khoản '{username}'.")
    tz = current_app.config["TIMEZONE"]
    click.echo("id\ttài khoản\ttên\ttạo lúc\tdùng lần cuối\thết hạn\ttrạng thái")
    for token in list_tokens(db.session, user):
        times = (format_datetime(t, tz) for t in (token.created_at, token.last_used_at, token.expires_at))
        click.echo("\t".join([str(token.id), token.user.username, token.name, *times,
                              TOKEN_STATES[token_state(token)]]))


@tokens_group.command("revoke")
@with_appcontext
@click.argument("token_id", type=click.IntRange(1, MAX_ID))
@in_transaction
def tokens_revoke_command(token_id: int) -> None:
    """Revoke the token TOKEN_ID (see `tokens list`) at once; the API refuses it from then on."""
    try:
        token = revoke_token(db.session, token_id)
    except TokenError as exc:
        fail(str(exc))
    click.echo(f"Đã thu hồi mã truy cập số {token.id} ({token.name}) của {token.user.username}.")


@click.command("status")
@with_appcontext
@click.option("--as-of", "as_of_text", default=None, help="YYYY-MM-DD (default: today).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
@click.option("--commune", "commune_code", default=None)
@click.option("--plan", "plan_code", default=None)
@in_transaction
def status_command(as_of_text: str | None, fmt: str, commune_code: str | None,
                   plan_code: str | None) -> None:
    """Print every item's light as of a date."""
    try:
        as_of = parse_iso_date(as_of_text, "--as-of") or local_today(current_app.config["TIMEZONE"])
        plan = current_plan(db.session, find_commune(db.session, commune_code).id, plan_code)
    except (ValueError, NotFound) as exc:
        fail(str(exc))
    rows = plan_status(db.session, plan, as_of)
    if fmt == "json":
        click.echo(json.dumps(status_document(plan, rows, as_of), ensure_ascii=False, indent=2))
        return
    click.echo(f"{plan.title} — tình hình đến {format_date(as_of)}")
    for row in rows:
        click.echo(f"{row.code:6} {COLOUR_LABELS[row.status.colour]:20} "
                   f"{row.current_text:>14}  {row.lead_unit.name}")


@click.group("stats")
def stats_group() -> None:
    """A period's statistics and finance as an XLSX spreadsheet (export, edit, import)."""


def _shown(value: object) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, int):
        return format_number(value)
    text = " ".join(str(value).split())
    return f"'{text[:57]}...'" if len(text) > 60 else f"'{text}'"


@stats_group.command("export")
@with_appcontext
@click.option("--period", "period_id", required=True, type=click.IntRange(1, MAX_ID), help="Period id.")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the .xlsx file.")
@in_transaction
def stats_export_command(period_id: int, output: Path) -> None:
    """Write a period's statistics and finance to an XLSX file that `stats import` reads back."""
    period = db.session.get(ReportingPeriod, period_id)
    if period is None:
        fail(f"Không có kỳ báo cáo #{period_id}.")
    output.write_bytes(export_period(db.session, period))
    name = period_name(period.kind, period.start_date, period.end_date)
    click.echo(f"Đã xuất số liệu kỳ {name} ({period.commune.name}) ra {output}.")


@stats_group.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show the changes without saving.")
@click.option("--as", "username", required=True,
              help="The acting user: a secretary or admin of the period's commune.")
@in_transaction
def stats_import_command(path: Path, dry_run: bool, username: str) -> None:
    """Load a period's statistics and finance from an XLSX file made by `stats export`.

    All or nothing: on any problem, or with --dry-run, nothing is saved.
    """
    user = find_user(db.session, username)
    if user is None or not user.active:
        fail(f"Không có tài khoản '{username}' đang hoạt động.")
    if path.stat().st_size > MAX_XLSX_BYTES:  # refuse before reading it into memory
        fail(f"Không nhập được: tệp lớn hơn {MAX_XLSX_BYTES // (1024 * 1024)} MB.")
    try:
        result = import_stats(db.session, user, user.commune, path.read_bytes(),
                              today=local_today(current_app.config["TIMEZONE"]), dry_run=dry_run)
    except NotAllowed:
        fail(f"Tài khoản '{user.username}' không được nhập số liệu kỳ báo cáo (chỉ văn phòng/tổng hợp "
              "hoặc quản trị của xã).")
    if result.problems:
        fail(["Không nhập được; cơ sở dữ liệu không thay đổi.", *(p.message for p in result.problems)])
    name = period_name(result.period.kind, result.period.start_date, result.period.end_date)
    for note in result.notes:
        click.echo(note)
    if dry_run:
        discard_changes()
        click.echo(f"Kiểm tra xong, chưa lưu gì (--dry-run): kỳ {name}, {len(result.changes)} ô sẽ thay đổi.")
    else:
        click.echo(f"Đã nhập số liệu kỳ {name}: {len(result.changes)} ô thay đổi.")
    for change in result.changes:
        click.echo(f"  {change.cell or '—'} {change.label}: {_shown(change.before)} → {_shown(change.after)}")


@click.command("report")
@with_appcontext
@click.option("--from", "start_text", required=True, help="First day of the period, YYYY-MM-DD.")
@click.option("--to", "end_text", required=True,
              help="Last day of the period (the summary's date), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "docx", "xlsx"]), default="pdf")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--summary", is_flag=True, help="The one-page status summary as of --to instead.")
@click.option("--commune", "commune_code", default=None)
@click.option("--province", "province_code", default=None,
              help="The province summary of every commune as of --to instead (province code).")
@in_transaction
def report_command(start_text: str, end_text: str, fmt: str, output: str, summary: bool,
                   commune_code: str | None, province_code: str | None) -> None:
    """Write the outline report of a period, the one-page summary, or the province summary."""
    try:
        start, end = parse_iso_date(start_text, "--from"), parse_iso_date(end_text, "--to")
        if province_code:
            if fmt == "xlsx":
                raise ValueError("Báo cáo tổng hợp của tỉnh có dạng html, pdf hoặc docx.")
            rollup = build_rollup(db.session, find_province(db.session, province_code), end)
            today = local_today(current_app.config["TIMEZONE"])
            data, _, _ = render(build_province_summary(rollup, today=today), fmt)
            Path(output).write_bytes(data)
            click.echo(f"Đã ghi {output} ({len(data):,} byte).".replace(",", "."))
            return
        commune = find_commune(db.session, commune_code)
        plan = current_plan(db.session, commune.id)
    except (ValueError, NotFound) as exc:
        fail(str(exc))
    today = local_today(current_app.config["TIMEZONE"])
    if summary:
        if fmt == "xlsx":
            fail("Bản tóm tắt có dạng html, pdf hoặc docx.")
        data, _, _ = render(build_summary(db.session, plan, end, today=today), fmt)
    else:
        period = period_for_range(db.session, commune.id, start, end)
        if period is None:
            fail(f"Không có kỳ báo cáo từ {format_date(start)} đến {format_date(end)}: "
                  "tạo kỳ ở trang Báo cáo.")
        if fmt == "xlsx":
            data = export_period(db.session, period)
        else:
            data, _, _ = render(build_outline_report(db.session, plan, period, today=today), fmt)
    Path(output).write_bytes(data)
    click.echo(f"Đã ghi {output} ({len(data):,} byte).".replace(",", "."))


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the whole database to PATH (SQLite: online backup; PostgreSQL: pg_dump custom format)."""
    try:
        backup_database(db.engine, path)
    except (BackupError, sqlite3.Error, OSError) as exc:
        fail(f"Không sao lưu được: {exc}")
    click.echo(f"Đã sao lưu cơ sở dữ liệu vào {path} ({path.stat().st_size:,} byte).".replace(",", "."))


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's content with the backup at PATH (stop the app and scheduler first)."""
    if not yes:
        click.confirm("Toàn bộ dữ liệu hiện tại sẽ bị thay bằng bản sao lưu. Tiếp tục?", abort=True)
    db.session.remove()
    try:
        checked = restore_database(db.engine, path, Path(current_app.extensions["migrate"].directory))
    except (BackupError, sqlite3.Error, OSError) as exc:
        fail(f"Không khôi phục được: {exc}")
    click.echo(f"Đã khôi phục cơ sở dữ liệu từ {path}.")
    if not checked.current:
        click.echo(f"Bản sao lưu có lược đồ phiên bản {checked.revision}, cũ hơn mã nguồn: chạy "
                   "`flask --app tracker db upgrade` trước khi mở lại ứng dụng.")


@click.command("plan-from-template")
@with_appcontext
@click.option("--commune", "commune_code", required=True, help="Commune code (created when --name is given).")
@click.option("--name", default=None, help="The commune's name, e.g. 'Xã Ba Tơ', to create a new commune.")
@click.option("--province", "province_name", default=None,
              help="Province of a new commune (default: the template's province).")
@click.option("--template", "template_path", default=None,
              help="Template plan seed file (default: TRACKER_SEED_FILE, the Ngọk Bay plan).")
@click.option("--plan-code", default=None, help="Code of the new plan (default: KH-CDS-<COMMUNE>).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the new plan as a seed file, to adjust and load again with 'seed --file'.")
@in_transaction
def plan_from_template_command(commune_code: str, name: str | None, province_name: str | None,
                               template_path: str | None, plan_code: str | None, output: Path | None) -> None:
    """Create a commune's plan from the provincial template; units are matched by code."""
    try:
        template = read_plan_seed(project_path(template_path or current_app.config["SEED_FILE"]))
        commune = find_or_create_commune(db.session, commune_code, name,
                                         province_name or template.commune.province)
        plan, adapted = plan_from_template(db.session, template, commune, plan_code)
    except SeedError as exc:
        fail(["Không tạo được kế hoạch; cơ sở dữ liệu không thay đổi.", *exc.problems])
    click.echo(f"Đã tạo kế hoạch {plan.code} cho {commune.name}: {len(adapted.targets)} chỉ tiêu, "
               f"{len(adapted.tasks)} nhiệm vụ.")
    if output is not None:
        output.write_text(yaml.safe_dump(seed_document(adapted), allow_unicode=True, sort_keys=False,
                                         width=110), encoding="utf-8")
        click.echo(f"Tệp kế hoạch để điều chỉnh: {output} (sửa rồi nạp lại: flask --app tracker seed "
                   f"--file {output}).")


def register_cli(app: Flask) -> None:
    """Attach the commands to ``flask --app tracker``."""
    from tracker.jobs.cli import jobs_group, scheduler_command

    for command in (seed_command, create_user_command, create_token_command, tokens_group,
                    status_command, stats_group, report_command, backup_command, restore_command,
                    scheduler_command, jobs_group, plan_from_template_command):
        app.cli.add_command(command)
