"""Administrative-procedure (TTHC) statistics of a period: the fields, the rules that relate
them, and the ratios the reports print (``2,09% (03/143 TTHC)``).

One list of fields serves the form, the spreadsheet, the API and the report. Counts may be
``None`` (no figure, printed "không"); a rule is only checked when its figures are present.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tracker.domain.formatting import format_number


@dataclass(frozen=True)
class Field:
    """One count of the statistics: its name, its Vietnamese label and what it counts."""

    name: str
    label: str
    unit: str  # "TTHC" or "hồ sơ"


FIELDS: tuple[Field, ...] = (
    Field("tthc_total", "Tổng số TTHC thuộc thẩm quyền giải quyết", "TTHC"),
    Field("tthc_published", "Số TTHC đã niêm yết, công khai", "TTHC"),
    Field("tthc_online_full", "TTHC thực hiện trực tuyến toàn trình", "TTHC"),
    Field("tthc_online_partial", "TTHC thực hiện trực tuyến một phần", "TTHC"),
    Field("tthc_in_person", "TTHC thực hiện trực tiếp", "TTHC"),
    Field("tthc_postal", "TTHC thực hiện qua dịch vụ bưu chính công ích", "TTHC"),
    Field("tthc_boundary_free", "TTHC không phụ thuộc địa giới hành chính", "TTHC"),
    Field("tthc_active_online_full", "TTHC trực tuyến toàn trình có phát sinh hồ sơ trong kỳ", "TTHC"),
    Field("tthc_active_online_partial", "TTHC trực tuyến một phần có phát sinh hồ sơ trong kỳ", "TTHC"),
    Field("tthc_active_in_person", "TTHC trực tiếp có phát sinh hồ sơ trong kỳ", "TTHC"),
    Field("dossiers_carried_over", "Hồ sơ kỳ trước chuyển sang", "hồ sơ"),
    Field("dossiers_new_total", "Hồ sơ tiếp nhận mới trong kỳ", "hồ sơ"),
    Field("dossiers_new_online", "– trong đó tiếp nhận trực tuyến", "hồ sơ"),
    Field("dossiers_new_online_full", "   + trực tuyến toàn trình", "hồ sơ"),
    Field("dossiers_new_online_partial", "   + trực tuyến một phần", "hồ sơ"),
    Field("dossiers_new_in_person", "– tiếp nhận trực tiếp", "hồ sơ"),
    Field("dossiers_new_postal", "– qua dịch vụ bưu chính công ích", "hồ sơ"),
    Field("resolved_on_time", "Hồ sơ đã giải quyết trước hạn, đúng hạn", "hồ sơ"),
    Field("resolved_late", "Hồ sơ đã giải quyết quá hạn", "hồ sơ"),
    Field("pending_not_due", "Hồ sơ đang giải quyết, chưa đến hạn", "hồ sơ"),
    Field("pending_overdue", "Hồ sơ đang giải quyết, quá hạn (tiếp nhận trong kỳ)", "hồ sơ"),
    Field("pending_overdue_cumulative", "Hồ sơ đang giải quyết, quá hạn (lũy kế)", "hồ sơ"),
    Field("entered_late", "Hồ sơ chậm cập nhật vào hệ thống", "hồ sơ"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
LABELS = {f.name: f.label.strip(" –+") for f in FIELDS}
TEXT_FIELDS = ("late_reasons", "override_explanation")
MAX_COUNT = 10_000_000
# A million billion đồng: far above any budget, far below what a BIGINT column holds.
MAX_AMOUNT = 10**15
# Money for the plan in a period (outline 3.2), in đồng; and the local budget for the 3% target.
FINANCE_FIELDS = {
    "estimate": "Dự toán kinh phí thực hiện các nhiệm vụ",
    "approved": "Kinh phí được duyệt",
    "allocated": "Kinh phí được phân bổ",
    "not_allocated": "Kinh phí chưa được phân bổ",
    "disbursed": "Kinh phí đã giải ngân",
    "dx_spending": "Chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "total_local_spending": "Tổng chi ngân sách địa phương",
}
# The free texts that go with the figures, as the report words them.
TEXT_LABELS = {
    "late_reasons": "Nguyên nhân, lý do của việc giải quyết hồ sơ quá hạn",
    "override_explanation": "Giải trình số liệu (khi các số không cộng khớp)",
    "disbursed_for": "Nội dung giải ngân",
}


@dataclass(frozen=True)
class Problem:
    """A broken rule: the fields it names, a Vietnamese message, and whether it may be overridden."""

    fields: tuple[str, ...]
    message: str
    overridable: bool


def _sum(stats: dict[str, Any], names: tuple[str, ...]) -> int | None:
    values = [stats.get(n) for n in names]
    return None if any(v is None for v in values) else sum(values)


def _sum_rule(stats, parts: tuple[str, ...], whole: tuple[str, ...], what: str) -> Problem | None:
    """``sum(parts) == sum(whole)`` when every figure is present."""
    left, right = _sum(stats, parts), _sum(stats, whole)
    if left is None or right is None or left == right:
        return None
    shown_left = " + ".join(f"{LABELS[n].lower()} {format_number(stats[n])}" for n in parts)
    shown_right = " + ".join(f"{LABELS[n].lower()} {format_number(stats[n])}" for n in whole)
    return Problem(parts + whole, f"{what}: {shown_left} = {format_number(left)}, nhưng "
                                  f"{shown_right} = {format_number(right)}.", overridable=True)


# Sums that real reports are expected to satisfy (they can be overridden with an explanation).
SUM_RULES = (
    (("dossiers_new_online", "dossiers_new_in_person", "dossiers_new_postal"), ("dossiers_new_total",),
     "Các kênh tiếp nhận phải cộng lại bằng số hồ sơ tiếp nhận mới"),
    (("dossiers_new_online_full", "dossiers_new_online_partial"), ("dossiers_new_online",),
     "Hồ sơ toàn trình và một phần phải cộng lại bằng số hồ sơ trực tuyến"),
    (("resolved_on_time", "resolved_late", "pending_not_due", "pending_overdue"),
     ("dossiers_carried_over", "dossiers_new_total"),
     "Đã giải quyết + đang giải quyết phải bằng hồ sơ kỳ trước chuyển sang + hồ sơ tiếp nhận mới"),
)
# A part never exceeds its whole (never overridable).
PART_RULES = (
    ("tthc_published", "tthc_total"),
    ("tthc_boundary_free", "tthc_total"),
    ("tthc_online_full", "tthc_total"),
    ("tthc_online_partial", "tthc_total"),
    ("tthc_in_person", "tthc_total"),
    ("tthc_postal", "tthc_total"),
    ("tthc_active_online_full", "tthc_online_full"),
    ("tthc_active_online_partial", "tthc_online_partial"),
    ("tthc_active_in_person", "tthc_in_person"),
    ("dossiers_new_online", "dossiers_new_total"),
    ("dossiers_new_online_full", "dossiers_new_online"),
    ("dossiers_new_online_partial", "dossiers_new_online"),
    ("dossiers_new_in_person", "dossiers_new_total"),
    ("dossiers_new_postal", "dossiers_new_total"),
    ("pending_overdue", "pending_overdue_cumulative"),
    ("entered_late", "dossiers_new_total"),
)


def check_stats(stats: dict[str, Any]) -> list[Problem]:
    """Return every broken rule of a period's statistics (empty when consistent)."""
    problems: list[Problem] = []
    for name in FIELD_NAMES:
        value = stats.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem((name,), f"{LABELS[name]}: phải là số nguyên.", False))
        elif value < 0:
            problems.append(Problem((name,), f"{LABELS[name]}: không được âm ({value}).", False))
        elif value > MAX_COUNT:
            problems.append(Problem((name,), f"{LABELS[name]}: số quá lớn ({format_number(value)}).", False))
    if problems:
        return problems
    for part, whole in PART_RULES:
        if stats.get(part) is not None and stats.get(whole) is not None and stats[part] > stats[whole]:
            problems.append(Problem(
                (part, whole), f"{LABELS[part]} ({format_number(stats[part])}) không được lớn hơn "
                               f"{LABELS[whole].lower()} ({format_number(stats[whole])}).", False))
    forms = ("tthc_online_full", "tthc_online_partial", "tthc_in_person")
    by_form, total = _sum(stats, forms), stats.get("tthc_total")
    if total is not None and by_form is not None and by_form > total:
        problems.append(Problem(forms + ("tthc_total",),
                                f"Tổng TTHC theo các hình thức ({format_number(by_form)}) không được "
                                f"lớn hơn tổng số TTHC ({format_number(total)}).", False))
    for parts, whole, what in SUM_RULES:
        if problem := _sum_rule(stats, parts, whole, what):
            problems.append(problem)
    return problems


def blocking(problems: list[Problem], explanation: str | None) -> list[Problem]:
    """The problems that still stop saving: all hard ones, and sums unless explained in writing."""
    explained = bool(explanation and explanation.strip())
    return [p for p in problems if not (p.overridable and explained)]


def format_share(part: int | None, whole: int | None, unit: str) -> str:
    """``2,09% (03/143 TTHC)``; "không" when a figure is missing or the whole is zero."""
    if part is None or whole is None or whole == 0:
        return "không"
    # The reports cut (not round) to two decimals: 3/143 = 2,0979…% is written 2,09%.
    percent = format_number((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_DOWN))
    return f"{percent}% ({part:02d}/{whole:02d} {unit})"


def shares(stats: dict[str, Any]) -> dict[str, str]:
    """The derived ratios of outline section 4, already formatted."""
    new = stats.get("dossiers_new_total")
    return {
        "tthc_active_online_full": format_share(stats.get("tthc_active_online_full"),
                                                stats.get("tthc_online_full"), "TTHC"),
        "tthc_active_online_partial": format_share(stats.get("tthc_active_online_partial"),
                                                   stats.get("tthc_online_partial"), "TTHC"),
        "tthc_active_in_person": format_share(stats.get("tthc_active_in_person"),
                                              stats.get("tthc_in_person"), "TTHC"),
        "dossiers_new_online_full": format_share(stats.get("dossiers_new_online_full"), new, "hồ sơ"),
        "dossiers_new_online_partial": format_share(stats.get("dossiers_new_online_partial"), new, "hồ sơ"),
        "dossiers_new_online": format_share(stats.get("dossiers_new_online"), new, "hồ sơ"),
        "dossiers_new_in_person": format_share(stats.get("dossiers_new_in_person"), new, "hồ sơ"),
        "dossiers_new_postal": format_share(stats.get("dossiers_new_postal"), new, "hồ sơ"),
    }


# Targets whose value is derived from period figures (``Target.derived_from``).
DERIVED = {
    "dossiers_online_full_share": ("dossiers_new_online_full", "dossiers_new_total"),
    "dx_budget_share": ("dx_spending", "total_local_spending"),
}
