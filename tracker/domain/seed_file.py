"""Reading a plan seed file (see ``seed/ngok_bay.yaml``) into checked value objects.

Every problem is collected and reported together, each naming the file, the item and the
field, so an editor can fix the file in one pass. Nothing here touches the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain.bounds import MAX_FIGURE, MAX_PERCENT, is_number
from tracker.domain.dates import date_range_message, in_range
from tracker.domain.formatting import format_number
from tracker.domain.stats import DERIVED
from tracker.domain.text import has_bad_character

MEASURES = ("count", "percent", "ratio", "milestone")
DIRECTIONS = ("higher", "lower")
UNIT_KINDS = ("party", "steering", "government", "office", "front", "police", "military", "health")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class SeedError(ValueError):
    """A seed file that cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    name: str
    province: str


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    duty: str | None


@dataclass(frozen=True)
class PlanSpec:
    code: str
    number: str | None
    title: str
    issuing_body: str
    implements: str | None
    issued_date: date | None
    tracking_start: date
    end_date: date


@dataclass(frozen=True)
class TargetSpec:
    code: str
    title: str
    section: str
    measure: str
    target: float | None
    baseline: float | None
    direction: str
    unit_label: str | None
    numerator_label: str | None
    denominator_label: str | None
    start_date: date
    deadline: date
    lead: str
    support: tuple[str, ...]
    source: str
    derived_from: str | None = None


@dataclass(frozen=True)
class TaskSpec:
    code: str
    title: str
    group: str
    start_date: date
    deadline: date
    lead: str
    support: tuple[str, ...]
    targets: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PlanSeed:
    commune: CommuneSpec
    units: tuple[UnitSpec, ...]
    plan: PlanSpec
    targets: tuple[TargetSpec, ...]
    tasks: tuple[TaskSpec, ...]


def code_from_name(name: str) -> str:
    """Return an ASCII code for a Vietnamese name: "Tỉnh Quảng Ngãi" -> "tinh-quang-ngai"."""
    folded = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "tinh"


def nfc(text: str) -> str:
    """Normalise Vietnamese text to NFC and trim it."""
    return unicodedata.normalize("NFC", text).strip()


@dataclass
class _Reader:
    """Reads fields of one mapping, recording problems under a location label."""

    filename: str
    problems: list[str] = field(default_factory=list)

    def fail(self, where: str, key: str, message: str) -> None:
        self.problems.append(f"{self.filename}: {where}: trường '{key}' {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problems.append(f"{self.filename}: {where}: phải là một bảng khóa: giá trị")
            return {}
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, key, "bị thiếu hoặc để trống")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(where, key, "phải là chữ")
            return None
        if has_bad_character(str(value)):
            self.fail(where, key, "có ký tự không được phép (ký tự điều khiển như NUL, hoặc ký tự "
                                  "Unicode không hợp lệ)")
            return None
        return nfc(str(value))

    def code(self, data: dict, key: str, where: str) -> str | None:
        value = self.text(data, key, where)
        if value is not None and not CODE_PATTERN.match(value):
            self.fail(where, key, f"'{value}' chỉ được gồm chữ không dấu, số, '_', '.', '-'")
            return None
        return value

    def choice(self, data: dict, key: str, where: str, options: tuple[str, ...]) -> str | None:
        value = self.text(data, key, where)
        if value is not None and value not in options:
            self.fail(where, key, f"'{value}' không hợp lệ (chọn một trong: {', '.join(options)})")
            return None
        return value

    def day(self, data: dict, key: str, where: str, *, required: bool = True) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, key, "bị thiếu")
            return None
        day = None
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value.strip())
            except ValueError:
                pass
        elif isinstance(value, date):
            day = value
        if day is None:
            self.fail(where, key, f"'{value}' không phải ngày hợp lệ (viết YYYY-MM-DD)")
        elif not in_range(day):
            self.fail(where, key, f"'{day.isoformat()}' nằm ngoài khoảng ngày cho phép: "
                                  f"{date_range_message()}")
            day = None
        return day

    def number(self, data: dict, key: str, where: str, *, required: bool,
               high: float = MAX_FIGURE) -> float | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, key, "bị thiếu")
            return None
        if not is_number(value):
            self.fail(where, key, f"'{_shown(value)}' không phải là số hữu hạn")
            return None
        if not 0 <= value <= high:
            self.fail(where, key,
                      f"'{_shown(value)}' nằm ngoài khoảng cho phép từ 0 đến {format_number(high)}")
            return None
        return float(value)

    def codes(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, key, "phải là danh sách mã, ví dụ [VP, KT]")
            return ()
        return tuple(nfc(v) for v in value)


def _shown(value: Any) -> str:
    """A value as a problem quotes it: short, and never an error (Python refuses to write an int of
    more than 4,300 digits)."""
    if isinstance(value, float):
        return f"{value:g}"
    try:
        return str(value)[:40]
    except ValueError:
        return "số quá dài"


def parse_plan_seed(data: Any, filename: str) -> PlanSeed:
    """Check a loaded seed document and return it as value objects, or raise ``SeedError``."""
    r = _Reader(filename)
    top = r.mapping(data, "tệp")
    commune = _parse_commune(r, r.mapping(top.get("commune"), "commune"))
    units = [_parse_unit(r, r.mapping(u, f"units[{i}]"), i) for i, u in enumerate(_list(r, top, "units"))]
    plan = _parse_plan(r, r.mapping(top.get("plan"), "plan"))
    targets = [_parse_target(r, r.mapping(t, f"targets[{i}]"), i)
               for i, t in enumerate(_list(r, top, "targets"))]
    tasks = [_parse_task(r, r.mapping(t, f"tasks[{i}]"), i) for i, t in enumerate(_list(r, top, "tasks"))]
    _check_references(r, units, targets, tasks, plan)
    if r.problems:
        raise SeedError(r.problems)
    return PlanSeed(commune, tuple(units), plan, tuple(targets), tuple(tasks))


def _list(r: _Reader, top: dict, key: str) -> list:
    value = top.get(key)
    if not isinstance(value, list) or not value:
        r.problems.append(f"{r.filename}: trường '{key}' phải là một danh sách không rỗng")
        return []
    return value


def _parse_commune(r: _Reader, d: dict) -> CommuneSpec:
    return CommuneSpec(r.code(d, "code", "commune"), r.text(d, "name", "commune"),
                       r.text(d, "province", "commune"))


def _parse_unit(r: _Reader, d: dict, i: int) -> UnitSpec:
    where = f"đơn vị {d.get('code') or f'units[{i}]'}"
    return UnitSpec(r.code(d, "code", where), r.text(d, "name", where),
                    r.choice(d, "kind", where, UNIT_KINDS),
                    r.text(d, "parent", where, required=False),
                    r.text(d, "role", where, required=False))


def _parse_plan(r: _Reader, d: dict) -> PlanSpec:
    return PlanSpec(
        r.code(d, "code", "plan"), r.text(d, "number", "plan", required=False),
        r.text(d, "title", "plan"), r.text(d, "issuing_body", "plan"),
        r.text(d, "implements", "plan", required=False),
        r.day(d, "issued_date", "plan", required=False),
        r.day(d, "tracking_start", "plan"), r.day(d, "end_date", "plan"),
    )


def _parse_target(r: _Reader, d: dict, i: int) -> TargetSpec:
    where = f"chỉ tiêu {d.get('code') or f'targets[{i}]'}"
    measure = r.choice(d, "measure", where, MEASURES)
    valued = measure != "milestone"
    # A percent or ratio target is 0–100%; a count's unit is free (people, accounts, đồng).
    high = MAX_PERCENT if measure in ("percent", "ratio") else MAX_FIGURE
    spec = TargetSpec(
        code=r.code(d, "code", where), title=r.text(d, "title", where),
        section=r.text(d, "section", where), measure=measure,
        target=r.number(d, "target", where, required=valued, high=high),
        baseline=r.number(d, "baseline", where, required=valued, high=high),
        direction=r.choice(d, "direction", where, DIRECTIONS),
        unit_label=r.text(d, "unit_label", where, required=False),
        numerator_label=r.text(d, "numerator_label", where, required=measure == "ratio"),
        denominator_label=r.text(d, "denominator_label", where, required=measure == "ratio"),
        start_date=r.day(d, "start_date", where), deadline=r.day(d, "deadline", where),
        lead=r.code(d, "lead", where), support=r.codes(d, "support", where),
        source=r.text(d, "source", where),
        derived_from=r.text(d, "derived_from", where, required=False),
    )
    if spec.derived_from is not None and spec.derived_from not in DERIVED:
        r.fail(where, "derived_from", f"'{spec.derived_from}' không hợp lệ (chọn: {', '.join(DERIVED)})")
    if spec.derived_from is not None and measure != "ratio":
        r.fail(where, "derived_from", "chỉ dùng cho chỉ tiêu dạng tỷ lệ (ratio)")
    return spec


def _parse_task(r: _Reader, d: dict, i: int) -> TaskSpec:
    where = f"nhiệm vụ {d.get('code') or f'tasks[{i}]'}"
    return TaskSpec(
        code=r.code(d, "code", where), title=r.text(d, "title", where),
        group=r.text(d, "group", where), start_date=r.day(d, "start_date", where),
        deadline=r.day(d, "deadline", where), lead=r.code(d, "lead", where),
        support=r.codes(d, "support", where), targets=r.codes(d, "targets", where),
        source=r.text(d, "source", where),
    )


def _check_references(r: _Reader, units: list[UnitSpec], targets: list[TargetSpec],
                      tasks: list[TaskSpec], plan: PlanSpec) -> None:
    unit_codes = _unique(r, "đơn vị", [u.code for u in units])
    _unique(r, "chỉ tiêu/nhiệm vụ", [t.code for t in targets] + [t.code for t in tasks])
    if plan.end_date and plan.tracking_start and plan.end_date < plan.tracking_start:
        r.fail("plan", "end_date", f"{plan.end_date.isoformat()} trước ngày bắt đầu theo dõi "
                                   f"{plan.tracking_start.isoformat()}")
    for u in units:
        if u.parent is not None and u.parent not in unit_codes:
            r.fail(f"đơn vị {u.code}", "parent", f"trỏ tới đơn vị không có: '{u.parent}'")
    for kind, items in (("chỉ tiêu", targets), ("nhiệm vụ", tasks)):
        for item in items:
            where = f"{kind} {item.code}"
            for key, codes in (("lead", (item.lead,)), ("support", item.support)):
                for code in codes:
                    if code is not None and code not in unit_codes:
                        r.fail(where, key, f"trỏ tới đơn vị không có: '{code}'")
            if item.deadline and item.start_date and item.deadline < item.start_date:
                r.fail(where, "deadline", f"{item.deadline.isoformat()} trước ngày bắt đầu "
                                          f"{item.start_date.isoformat()}")
            if item.start_date and plan.tracking_start and item.start_date < plan.tracking_start:
                r.fail(where, "start_date", f"{item.start_date.isoformat()} trước ngày bắt đầu "
                                            f"theo dõi của kế hoạch {plan.tracking_start.isoformat()}")
    known_targets = {t.code for t in targets}
    for task in tasks:
        for code in task.targets:
            if code not in known_targets:
                r.fail(f"nhiệm vụ {task.code}", "targets", f"trỏ tới chỉ tiêu không có: '{code}'")


def _unique(r: _Reader, label: str, codes: list[str]) -> set[str]:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            r.problems.append(f"{r.filename}: mã {label} '{code}' bị trùng")
        seen.add(code)
    return seen
