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

from tracker.domain.seed_schemas import (
    CODE_PATTERN,
    DIRECTIONS,
    MEASURES,
    UNIT_KINDS,
    SeedCommune,
    SeedPlan,
    SeedSchema,
    SeedTask,
    SeedUnit,
    as_text,
    nfc,
    read_seed,
    seed_target_model,
    written,
)

# Read here for the readers of the seed file's codes and choices (the app's code rule, the template).
__all__ = ["CODE_PATTERN", "DIRECTIONS", "MEASURES", "UNIT_KINDS", "CommuneSpec", "DocumentSpec", "DoneSpec",
           "PlanSeed", "PlanSpec",
           "SeedError", "TargetSpec", "TaskSpec", "UnitSpec", "code_from_name", "nfc", "parse_plan_seed"]


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
class DocumentSpec:
    """The plan's document as evidence: its number (if any), date, issuer and summary."""

    number: str | None
    date: date | None
    issuer: str
    summary: str


@dataclass(frozen=True)
class DoneSpec:
    """A completion the plan's document declares: as of when, in the document's words."""

    as_of: date
    quote: str


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
    document: DocumentSpec | None = None


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
    lead_by: str = "commune"
    support_by: str = "commune"
    assignment_source: str | None = None
    assignment_section: str | None = None


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
    lead_by: str = "commune"
    support_by: str = "commune"
    assignment_source: str | None = None
    assignment_section: str | None = None
    deliverable: str = "other"
    done: DoneSpec | None = None


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


@dataclass
class _Reader:
    """Reads the items of one file through their schemas, recording problems under a location label."""

    filename: str
    problems: list[str] = field(default_factory=list)

    def fail(self, where: str, key: str, message: str) -> None:
        self.problems.append(f"{self.filename}: {where}: trường '{key}' {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problems.append(f"{self.filename}: {where}: phải là một bảng khóa: giá trị")
            return {}
        return value

    def item(self, model: type[SeedSchema], data: dict[str, Any], where: str) -> dict[str, Any]:
        """The item's values (None where refused), each refused field recorded as a problem."""
        values, problems = read_seed(model, data)
        for key, message in problems.items():
            self.fail(where, key, message)
        return values


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


def _where(kind: str, d: dict, position: str) -> str:
    """An item as a problem names it: by its code as written, else by its place in the file."""
    return f"{kind} {written(d.get('code') or position)}"


def _parse_commune(r: _Reader, d: dict) -> CommuneSpec:
    return CommuneSpec(**r.item(SeedCommune, d, "commune"))


def _parse_unit(r: _Reader, d: dict, i: int) -> UnitSpec:
    values = r.item(SeedUnit, d, _where("đơn vị", d, f"units[{i}]"))
    return UnitSpec(duty=values.pop("role"), **values)


def _parse_plan(r: _Reader, d: dict) -> PlanSpec:
    values = r.item(SeedPlan, d, "plan")
    document = values.pop("document")
    return PlanSpec(**values, document=DocumentSpec(**dict(document)) if document else None)


def _parse_target(r: _Reader, d: dict, i: int) -> TargetSpec:
    where = _where("chỉ tiêu", d, f"targets[{i}]")
    spec = TargetSpec(**r.item(seed_target_model(d.get("measure")), d, where))
    if as_text(d.get("derived_from")) is not None and spec.measure != "ratio":
        r.fail(where, "derived_from", "chỉ dùng cho chỉ tiêu dạng tỷ lệ (ratio)")
    return spec


def _parse_task(r: _Reader, d: dict, i: int) -> TaskSpec:
    values = r.item(SeedTask, d, _where("nhiệm vụ", d, f"tasks[{i}]"))
    done = values.pop("done")
    return TaskSpec(**values, done=DoneSpec(**dict(done)) if done else None)


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
            if "document" in (item.lead_by, item.support_by) and not item.assignment_source:
                r.fail(where, "assignment_source", "bị thiếu: phân công theo văn bản phải trích dẫn văn bản")
            if item.deadline and item.start_date and item.deadline < item.start_date:
                r.fail(where, "deadline", f"{item.deadline.isoformat()} trước ngày bắt đầu "
                                          f"{item.start_date.isoformat()}")
            if item.start_date and plan.tracking_start and item.start_date < plan.tracking_start:
                r.fail(where, "start_date", f"{item.start_date.isoformat()} trước ngày bắt đầu "
                                            f"theo dõi của kế hoạch {plan.tracking_start.isoformat()}")
    known_targets = {t.code for t in targets}
    for task in tasks:
        if task.done is not None and plan.document is None:
            r.fail(f"nhiệm vụ {task.code}", "done",
                   "cần khai báo văn bản của kế hoạch (plan.document) làm minh chứng")
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
