"""A period's statistics and finance by spreadsheet: export the template, import it back.

The import goes through ``save_figures``, the one versioned save of the form and the API, so a
spreadsheet meets the same rules and permissions as the form; the exported file carries the
period's version, and an import of a file exported before the period changed is refused. It
writes to the session but never commits or rolls back: **the caller rolls back when the result
has problems or was a dry run**, and commits otherwise, so an import is all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.dates import PERIOD_KIND_LABELS
from tracker.domain.permissions import can_report
from tracker.domain.stats import FIELD_NAMES, FINANCE_FIELDS
from tracker.models import Commune, ReportingPeriod, User
from tracker.render.spreadsheet import (
    ROWS,
    CellProblem,
    ParsedSheet,
    field_label,
    read_stats_workbook,
    stats_workbook,
)
from tracker.services.access import actor_of
from tracker.services.errors import EntryRefused, NotAllowed
from tracker.services.figures import FiguresRefused, StatsRefused, finance_values, save_figures, stats_values
from tracker.services.periods import StaleEdit

STATS_TEXTS = ("late_reasons", "override_explanation")


@dataclass(frozen=True)
class Change:
    """One field the import changes (or would change): its cell and its value before and after."""

    field: str
    label: str
    cell: str | None
    before: Any
    after: Any


@dataclass
class ImportResult:
    """The outcome of an import: problems (nothing may be kept) or the changes made."""

    period: ReportingPeriod | None = None
    problems: list[CellProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader should know (in Vietnamese)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when the figures passed every check."""
        return not self.problems


def period_info(period: ReportingPeriod) -> dict[str, Any]:
    """Return what the spreadsheet's title block shows of a period."""
    return {"commune_code": period.commune.code, "commune_name": period.commune.name, "kind": period.kind,
            "kind_label": PERIOD_KIND_LABELS.get(period.kind, period.kind),
            "start_date": period.start_date, "end_date": period.end_date, "version": period.version}


def export_period(session: Session, period: ReportingPeriod) -> bytes:
    """Return the period's statistics and finance as the XLSX template the import reads."""
    return stats_workbook(period_info(period), stats_values(period.stats), finance_values(period.finance))


def _figures(period: ReportingPeriod) -> dict[str, Any]:
    values = {name: None for name in (*FIELD_NAMES, *STATS_TEXTS, *FINANCE_FIELDS, "disbursed_for")}
    values.update(stats_values(period.stats))
    values.update(finance_values(period.finance))
    return values


def _find_period(session: Session, commune: Commune, sheet: ParsedSheet) -> ReportingPeriod | CellProblem:
    key, cell = sheet.period_key, sheet.cells.get("period")
    where = f"Ô {cell}: " if cell else ""
    if key.commune_code != commune.code:
        return CellProblem(cell, "period", f"{where}tệp là số liệu của xã mã '{key.commune_code}', "
                                           f"không phải của {commune.name}.")
    period = session.scalar(select(ReportingPeriod).where(
        ReportingPeriod.commune_id == commune.id, ReportingPeriod.kind == key.kind,
        ReportingPeriod.start_date == key.start_date))
    if period is None:
        kind = PERIOD_KIND_LABELS.get(key.kind, key.kind).lower()
        return CellProblem(cell, "period", f"{where}xã chưa có kỳ báo cáo {kind} bắt đầu ngày "
                                           f"{key.start_date:%d/%m/%Y}; tạo kỳ báo cáo trước rồi nhập lại.")
    return period


def _refusal_problems(sheet: ParsedSheet, refused: EntryRefused) -> list[CellProblem]:
    """Put each refused field back on its cell; a rule on several figures names all their cells."""
    order = {row.name: index for index, row in enumerate(ROWS)}
    if isinstance(refused, StatsRefused):
        groups = [(problem.fields, problem.message) for problem in refused.problems]
    else:
        groups = [((name,), message) for name, message in refused.errors.items()]
    problems = []
    for names, message in groups:
        located = sorted((n for n in names if n in order and n in sheet.cells), key=order.__getitem__)
        if not located:
            problems.append(CellProblem(None, names[0], message))
        elif len(located) == 1:
            name = located[0]
            prefix = sheet.where(name)
            if message.casefold().startswith(field_label(name).casefold()):
                prefix = f"Ô {sheet.cells[name]}"  # the message names the field already
            problems.append(CellProblem(sheet.cells[name], name, f"{prefix}: {message}"))
        else:
            cells = ", ".join(sheet.cells[n] for n in located)
            problems.append(CellProblem(cells, located[0], f"Ô {cells}: {message}"))
    return problems


def import_stats(session: Session, actor: User, commune: Commune, data: bytes, *, today: date,
                 dry_run: bool) -> ImportResult:
    """Check and record a period's figures from the XLSX the export produces.

    Returns the problems (by cell, in Vietnamese) or the changes. The session then holds the
    new figures: roll back on problems or a dry run, commit otherwise. Raises ``NotAllowed``
    when ``actor`` may not keep the commune's reports.
    """
    if not can_report(actor_of(actor), commune.id):
        raise NotAllowed(f"{actor.username} may not keep reports")
    result = ImportResult(dry_run=dry_run)
    sheet = read_stats_workbook(data)
    if sheet.problems:
        result.problems = sheet.problems
        return result
    found = _find_period(session, commune, sheet)
    if isinstance(found, CellProblem):
        result.problems = [found]
        return result
    result.period = period = found
    before = _figures(period)
    texts = sheet.texts
    if sheet.version is None:
        result.notes.append("Tệp không ghi phiên bản của kỳ báo cáo (xuất từ bản cũ hơn của hệ thống): không "
                            "kiểm tra được kỳ có thay đổi sau khi xuất hay không; hãy xem kỹ các ô thay đổi.")
    try:
        save_figures(session, actor, period, today=today, expected_version=sheet.version, via="import",
                     stats={**sheet.stats, **{name: texts.get(name) for name in STATS_TEXTS}},
                     finance={**sheet.finance, "disbursed_for": texts.get("disbursed_for")})
    except StaleEdit as stale:
        cell = sheet.cells.get("version")
        result.problems.append(CellProblem(cell, "version", (
            f"Ô {cell}: tệp được xuất khi kỳ báo cáo ở phiên bản {sheet.version}, nay đã là phiên bản "
            f"{period.version}. {stale.since} Xuất lại tệp, chép thay đổi của bạn vào tệp mới rồi "
            "nhập lại.")))
    except FiguresRefused as refused:
        for part in refused.parts:
            result.problems.extend(_refusal_problems(sheet, part))
    except EntryRefused as refused:
        result.problems.extend(_refusal_problems(sheet, refused))
    if result.problems:
        return result
    after = _figures(period)
    result.changes = [Change(row.name, field_label(row.name), sheet.cells.get(row.name), before[row.name],
                             after[row.name])
                      for row in ROWS if before[row.name] != after[row.name]]
    return result
