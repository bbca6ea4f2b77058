"""The shapes of the API's answers, declared once: the OpenAPI document is generated from them and
from the input schemas of ``tracker.domain.schemas`` (an entry's ``document`` is the same
``Document`` a client posts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from tracker.api.responses import ERRORS
from tracker.domain.entries import TASK_STATES
from tracker.domain.schemas import INPUT_MODELS, Document
from tracker.domain.status import COLOUR_ORDER

ErrorCode = Literal[tuple(code for code, _ in ERRORS.values())]  # type: ignore[valid-type]
Colour = Literal[tuple(COLOUR_ORDER)]  # type: ignore[valid-type]
State = Literal[tuple(TASK_STATES)]  # type: ignore[valid-type]


class Answer(BaseModel):
    """An answer's shape; it is only written to the OpenAPI document, never used to build the answer."""


class Error(Answer):
    error: ErrorCode
    message: str = Field(description="Thông báo bằng tiếng Việt.")
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="Trường bị lỗi (đường dẫn JSON, ví dụ document.number) → thông báo.")


class Item(Answer):
    model_config = ConfigDict(json_schema_extra={
        "description": "Một chỉ tiêu hoặc nhiệm vụ với đèn trạng thái; giống lệnh `status --format json`."})

    code: str
    kind: Literal["target", "task"]
    title: str
    unit: str = Field(description="Đơn vị chủ trì.")
    unit_assigned_by: Literal["document", "commune"] = Field(
        description="Ai giao đơn vị chủ trì: văn bản kế hoạch (\"document\") "
                    "hay xã tự phân công (\"commune\").")
    deadline: date
    target: float | None
    current: float | None
    required_text: str = Field(description="Yêu cầu như trang và báo cáo viết, ví dụ \"≥ 60%\".")
    current_text: str = Field(description="Giá trị hiện tại như trang và báo cáo viết (làm tròn nửa lên, "
                                          "hai chữ số thập phân), ví dụ \"24,62%\"; \"—\" khi chưa có.")
    status: Colour
    expected: float | None
    pace: float | None
    stale: bool
    last_update: date | None


class PlanSummary(Answer):
    code: str
    number: str | None
    title: str
    commune: str


class StatusDocument(Answer):
    as_of: date
    plan: PlanSummary
    items: list[Item]


class Author(Answer):
    username: str
    full_name: str


class Entry(Answer):
    id: int
    as_of: date
    value: float | None
    numerator: float | None
    denominator: float | None
    state: State | None
    percent: float | None
    note: str | None
    document: Document | None
    author: Author | None = Field(description="Người ghi nhận; không có khi chính kế hoạch khai báo "
                                              "(origin = \"plan\", văn bản của kế hoạch là minh chứng).")
    origin: Literal["plan"] | None = Field(
        None, description="\"plan\": bản ghi do văn bản của kế hoạch khai báo.")
    created_at: datetime
    supersedes: int | None = Field(description="Số liệu mà bản ghi này điều chỉnh.")
    superseded_by: int | None = Field(description="Bản ghi điều chỉnh số liệu này, nếu có.")
    reason: str | None = Field(description="Lý do điều chỉnh.")


class ItemDetail(Item):
    as_of: date
    history: list[Entry] = Field(description="Mọi số liệu của mục, mới nhất trước.")


class Period(Answer):
    id: int
    kind: Literal["week", "month", "quarter", "custom"]
    start_date: date
    end_date: date
    status: Literal["draft", "submitted", "returned", "accepted"] = Field(
        description="dự thảo, đã gửi (khóa), bị tỉnh trả lại (sửa được), đã được tỉnh tiếp nhận (khóa hẳn).")
    report_number: str | None = None
    due_at: datetime | None = Field(default=None, description="Hạn gửi theo lịch báo cáo của tỉnh.")


class PeriodList(Answer):
    periods: list[Period]


class StatsProblem(Answer):
    fields: list[str]
    message: str
    overridable: bool


class StatsDocument(Answer):
    period: Period
    stats: dict[str, int | None]
    late_reasons: str | None = None
    override_explanation: str | None = None
    shares: dict[str, str]
    problems: list[StatsProblem]


class BoardRate(Answer):
    expected: int = Field(description="Số xã phải báo cáo (mọi xã của tỉnh).")
    submitted: int = Field(description="Số xã đã gửi (đang chờ hoặc đã được tiếp nhận).")
    on_time: int = Field(description="Số xã đã gửi đúng hạn.")


class BoardCommune(Answer):
    code: str
    name: str
    state: Literal["not_opened", "draft", "on_time", "late", "accepted", "returned"] = Field(
        description="chưa mở / dự thảo / gửi đúng hạn / gửi muộn / đã tiếp nhận / bị trả lại.")
    period_id: int | None = None
    due_at: datetime | None = None
    submitted_at: datetime | None = None
    late: bool
    overdue: bool = Field(description="Còn ở xã (dự thảo hoặc bị trả lại) và đã quá hạn.")
    return_reason: str | None = None
    problems: list[StatsProblem] = Field(description="Quy tắc số liệu TTHC bị vi phạm.")
    explanation: str | None = Field(description="Giải trình của xã khi số liệu không khớp.")


class ProvinceBoard(Answer):
    province: str
    kind: Literal["week", "month", "quarter"]
    start: date
    end: date
    due_at: datetime | None = Field(description="Hạn gửi theo lịch báo cáo của tỉnh.")
    rate: BoardRate
    counts: dict[str, int] = Field(description="Số xã theo từng trạng thái.")
    communes: list[BoardCommune]


class Created(Answer):
    as_of: date
    item: Item
    entry: Entry


class ProvinceSummary(Answer):
    code: str
    name: str


class ProvinceFigure(Answer):
    model_config = ConfigDict(json_schema_extra={
        "description": "Số liệu toàn tỉnh của một chỉ tiêu, cộng từ số liệu các xã theo `method`."})

    value: float | None
    target: float | None
    numerator: float | None = Field(description="Tổng tử số (chỉ tiêu tỷ lệ).")
    denominator: float | None = Field(description="Tổng mẫu số (chỉ tiêu tỷ lệ).")
    reporting: int = Field(description="Số xã đã có số liệu.")
    communes: int = Field(description="Số xã có chỉ tiêu này.")
    method: str = Field(description="Cách cộng số liệu các xã, ví dụ \"tổng tử số ÷ tổng mẫu số\".")
    text: str = Field(description="Số liệu như trang tổng hợp viết, ví dụ \"63,5% (12.034/18.950)\".")
    goal_text: str = Field(description="Yêu cầu như trang tổng hợp viết, ví dụ \"≥ 60%\".")


class RollupTarget(Answer):
    code: str
    title: str
    measure: Literal["count", "ratio", "percent", "milestone"]
    unit_label: str | None
    province: ProvinceFigure


class Light(Answer):
    status: Colour
    current: float | None
    expected: float | None
    pace: float | None
    stale: bool
    last_update: date | None


class RollupCommune(Answer):
    code: str
    name: str
    plan: str | None = Field(description="Mã kế hoạch hiện hành của xã; null khi xã chưa có kế hoạch.")
    counts: dict[Colour, int] = Field(description="Số chỉ tiêu của xã theo từng màu đèn.")
    targets: dict[str, Light] = Field(description="Mã chỉ tiêu → đèn trạng thái và số liệu hiện tại.")


class ProvinceRollup(Answer):
    model_config = ConfigDict(json_schema_extra={
        "description": "Trang tổng hợp của tỉnh: mọi xã × mọi chỉ tiêu, xã nhiều đèn đỏ trước."})

    as_of: date
    province: ProvinceSummary
    totals: dict[Colour, int] = Field(description="Tổng số đèn mỗi màu của cả tỉnh.")
    targets: list[RollupTarget]
    communes: list[RollupCommune]


ANSWER_MODELS: tuple[type[BaseModel], ...] = (Error, Item, StatusDocument, Entry, ItemDetail, Period,
                                               PeriodList, StatsDocument, Created, ProvinceBoard,
                                               ProvinceRollup)


def component_schemas() -> dict[str, Any]:
    """Every request and answer schema as OpenAPI ``components/schemas``, generated from the models."""
    models = [(m, "validation") for m in INPUT_MODELS] + [(m, "serialization") for m in ANSWER_MODELS]
    _, top = models_json_schema(models, ref_template="#/components/schemas/{model}")
    return top["$defs"]
