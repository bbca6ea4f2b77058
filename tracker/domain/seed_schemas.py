"""The shapes of a plan seed file (``seed/ngok_bay.yaml``), declared once, and their SEED face.

Like the shapes of ``tracker.domain.schemas`` (an entry, a period's figures), each part of a seed
file is a declared pydantic schema: the commune, a unit, the plan header, a target, a task. The
seed reader (``tracker.domain.seed_file``) reads every item through them; the rules across items
(codes unique, references known, dates in order) stay in the reader.

The measure of a target decides which of its fields are required and the upper bound of its
target and baseline (``tracker.domain.bounds``): ``seed_target_model`` picks the declaration.

The SEED face reads YAML values as they are (a date or ``YYYY-MM-DD`` text, a number, text) and
words every problem the way the seed file has always been answered, in Vietnamese, naming the
field: ``trường 'deadline' bị thiếu``. Unknown keys are ignored, as they always were; a null is a
missing value. Every field is read on its own, so one item reports all its problems at once and
the fields that fit are still known (the reader checks references with them).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tracker.domain.bounds import MAX_FIGURE, MAX_PERCENT, is_number
from tracker.domain.dates import date_range_message, in_range
from tracker.domain.formatting import format_number
from tracker.domain.stats import DERIVED
from tracker.domain.text import has_bad_character

SEED = "seed"
MEASURES = ("count", "percent", "ratio", "milestone")
DIRECTIONS = ("higher", "lower")
ASSIGNERS = ("commune", "document")
DELIVERABLES = ("legal_document", "other")
UNIT_KINDS = ("party", "steering", "government", "office", "front", "police", "military", "health")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def nfc(text: str) -> str:
    """Normalise Vietnamese text to NFC and trim it."""
    return unicodedata.normalize("NFC", text).strip()


def _text(value: Any) -> str:
    """Text, or a number written as text; blank is missing."""
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("seed_blank", "blank")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise PydanticCustomError("seed_not_text", "not text")
    try:
        text = str(value)
    except ValueError:  # an int of more than 4,300 digits is no text anyone wrote
        raise PydanticCustomError("seed_not_text", "not text") from None
    if has_bad_character(text):
        raise PydanticCustomError("seed_bad_character", "bad character")
    return nfc(text)


def _optional_text(value: Any) -> str | None:
    return None if isinstance(value, str) and not value.strip() else _text(value)


def as_text(value: Any) -> str | None:
    """``value`` read as a text field reads it, or None (missing, blank, or not text)."""
    try:
        return None if value is None else _optional_text(value)
    except PydanticCustomError:
        return None


def _day(value: Any) -> date:
    """A date as YAML gives it, or ``YYYY-MM-DD`` text, within the accepted range."""
    day = None
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        day = value
    if day is None:
        raise PydanticCustomError("seed_not_date", "not a date")
    if not in_range(day):
        raise PydanticCustomError("seed_date_range", "date out of range", {"day": day.isoformat()})
    return day


def _number(value: Any) -> Any:
    """A finite number (an int of any size, or a float); its bounds are the field's."""
    if not is_number(value):
        raise PydanticCustomError("seed_not_number", "not a finite number")
    return value


def _codes(value: Any) -> tuple[str, ...]:
    value = value or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PydanticCustomError("seed_not_codes", "not a list of codes")
    return tuple(nfc(v) for v in value)


def figure(high: float) -> Any:
    """A target's target or baseline: a number from 0 to ``high``."""
    return Annotated[float, Ge(0), Le(high), BeforeValidator(_number)]


def choice(options: tuple[str, ...]) -> Any:
    return Annotated[Literal[options], BeforeValidator(_text)]  # type: ignore[valid-type]


Text = Annotated[str, BeforeValidator(_text)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
Code = Annotated[str, Field(pattern=CODE_PATTERN.pattern), BeforeValidator(_text)]
Day = Annotated[date, BeforeValidator(_day)]
OptionalDay = Annotated[date | None, BeforeValidator(_day)]
Codes = Annotated[tuple[str, ...], BeforeValidator(_codes)]
Figure = figure(MAX_FIGURE)
Share = figure(MAX_PERCENT)
OptionalFigure = Annotated[figure(MAX_FIGURE) | None, BeforeValidator(_number)]


class SeedSchema(BaseModel):
    """A part of a seed file: unknown keys are ignored, values are YAML's."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_missing(cls, data: Any) -> Any:
        """A null is a missing value, in a nested part (the plan's document) as at the top."""
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


class SeedCommune(SeedSchema):
    code: Code
    name: Text
    province: Text


class SeedUnit(SeedSchema):
    code: Code
    name: Text
    kind: choice(UNIT_KINDS)
    parent: OptionalText = None
    role: OptionalText = None


class SeedDocument(SeedSchema):
    """The plan's own document, the evidence of what the plan declares done: its reference."""

    number: OptionalText = None
    date: OptionalDay = None
    issuer: Text
    summary: Text


class SeedDone(SeedSchema):
    """A task the plan's document says was completed: by when, and the document's words (an exact
    excerpt, like ``source``)."""

    as_of: Day
    quote: Text


class SeedPlan(SeedSchema):
    code: Code
    number: OptionalText = None
    title: Text
    issuing_body: Text
    implements: OptionalText = None
    issued_date: OptionalDay = None
    tracking_start: Day
    end_date: Day
    document: SeedDocument | None = None


class SeedTarget(SeedSchema):
    """A target; as declared here, a count: target and baseline required, up to ``MAX_FIGURE`` (a
    count's unit is free: people, accounts, đồng). The other measures differ below."""

    code: Code
    title: Text
    section: Text
    measure: choice(MEASURES)
    target: Figure
    baseline: Figure
    direction: choice(DIRECTIONS)
    unit_label: OptionalText = None
    numerator_label: OptionalText = None
    denominator_label: OptionalText = None
    start_date: Day
    deadline: Day
    lead: Code
    support: Codes = ()
    lead_by: choice(ASSIGNERS) = "commune"
    support_by: choice(ASSIGNERS) = "commune"
    assignment_source: OptionalText = None
    assignment_section: OptionalText = None
    source: Text
    derived_from: Annotated[Literal[tuple(DERIVED)] | None,  # type: ignore[valid-type]
                            BeforeValidator(_optional_text)] = None


class SeedPercentTarget(SeedTarget):
    """A percent target: target and baseline from 0 to ``MAX_PERCENT``."""

    target: Share
    baseline: Share


class SeedRatioTarget(SeedPercentTarget):
    """A ratio target: in percent points, logged as a numerator over a denominator, both named."""

    numerator_label: Text
    denominator_label: Text


class SeedMilestoneTarget(SeedTarget):
    """A milestone: logged as a state, so it has no target nor baseline (a given one is still checked)."""

    target: OptionalFigure = None
    baseline: OptionalFigure = None


SEED_TARGETS: dict[str, type[SeedTarget]] = {
    "count": SeedTarget, "percent": SeedPercentTarget, "ratio": SeedRatioTarget,
    "milestone": SeedMilestoneTarget,
}


class SeedTask(SeedSchema):
    code: Code
    title: Text
    group: Text
    start_date: Day
    deadline: Day
    lead: Code
    support: Codes = ()
    lead_by: choice(ASSIGNERS) = "commune"
    support_by: choice(ASSIGNERS) = "commune"
    assignment_source: OptionalText = None
    assignment_section: OptionalText = None
    targets: Codes = ()
    deliverable: choice(DELIVERABLES) = "other"
    done: SeedDone | None = None
    source: Text


SEED_MODELS: tuple[type[SeedSchema], ...] = (SeedCommune, SeedUnit, SeedPlan, *SEED_TARGETS.values(),
                                              SeedTask)


def seed_target_model(measure: Any) -> type[SeedTarget]:
    """The declaration a target of ``measure`` is read with (an unknown measure: a count's)."""
    cleaned = nfc(measure) if isinstance(measure, str) else measure
    return SEED_TARGETS.get(cleaned, SeedTarget) if isinstance(cleaned, str) else SeedTarget


def read_seed(model: type[SeedSchema], data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Read one item of a seed file: the value of every field (see ``_read_field``) and, for each
    refused field, the problem in the seed file's words (``bị thiếu``, ``'x' không hợp lệ ...``)."""
    given = {key: value for key, value in data.items() if value is not None}
    try:
        return dict(model.model_validate(given, context={"face": SEED})), {}
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems: dict[str, str] = {}
    for error in errors:
        name = str(error["loc"][0])
        problems.setdefault(name, seed_problem(model, name, error, given.get(name)))
    values = {name: _read_field(model, name, given, name in problems) for name in model.model_fields}
    return values, problems


def _read_field(model: type[SeedSchema], name: str, given: dict[str, Any], refused: bool) -> Any:
    """One field's value; a refused one's is its default (an empty list of codes) or None."""
    field = model.model_fields[name]
    if refused or name not in given:
        return None if field.is_required() else field.get_default(call_default_factory=True)
    return _adapter(model, name).validate_python(given[name], context={"face": SEED})


@cache
def _adapter(model: type[SeedSchema], name: str) -> TypeAdapter:
    field = model.model_fields[name]
    return TypeAdapter(Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation)


def _bare(annotation: Any) -> Any:
    """The type a field holds, without ``| None`` and ``Annotated``."""
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) in (Union, UnionType, Annotated) and args:
        return _bare(args[0])
    return annotation


@cache
def upper_bound(model: type[SeedSchema], name: str) -> float:
    """The largest number a figure field of ``model`` accepts, as its JSON schema declares it."""
    declared = model.model_json_schema()["properties"][name]
    return next(part["maximum"] for part in (declared, *declared.get("anyOf", ())) if "maximum" in part)


def written(value: Any) -> str:
    """``str(value)``, never an error (Python refuses to write an int of more than 4,300 digits)."""
    try:
        return str(value)
    except ValueError:
        return "số quá dài"


def shown(value: Any) -> str:
    """A number as a problem quotes it: short."""
    return f"{value:g}" if isinstance(value, float) else written(value)[:40]


def seed_problem(model: type[SeedSchema], name: str, error: dict[str, Any], value: Any) -> str:
    """One refused field, in the words the seed file has always been answered in (they follow
    ``trường 'name'``). What is wrong depends on what the field holds: a date, a number, text."""
    kind, held = error["type"], _bare(model.model_fields[name].annotation)
    if isinstance(held, type) and issubclass(held, SeedSchema):
        if len(error["loc"]) < 2 or str(error["loc"][1]) not in held.model_fields:
            return "phải là một bảng khóa: giá trị"
        inner = str(error["loc"][1])
        inner_value = value.get(inner) if isinstance(value, dict) else None
        return (f"không hợp lệ: trường '{inner}' "
                + seed_problem(held, inner, {**error, "loc": error["loc"][1:]}, inner_value))
    if kind == "missing":
        return "bị thiếu" if held in (date, float) else "bị thiếu hoặc để trống"
    if held is date and kind == "seed_date_range":
        return f"'{error['ctx']['day']}' nằm ngoài khoảng ngày cho phép: {date_range_message()}"
    if held is date:
        return f"'{written(value)}' không phải ngày hợp lệ (viết YYYY-MM-DD)"
    if held is float and kind == "seed_not_number":
        return f"'{shown(value)}' không phải là số hữu hạn"
    if held is float:  # beyond its bounds, or an int too large for any float
        high = format_number(upper_bound(model, name))
        return f"'{shown(value)}' nằm ngoài khoảng cho phép từ 0 đến {high}"
    if get_origin(held) is tuple:
        return "phải là danh sách mã, ví dụ [VP, KT]"
    if kind == "seed_blank":
        return "bị thiếu hoặc để trống"
    if kind == "seed_bad_character":
        return "có ký tự không được phép (ký tự điều khiển như NUL, hoặc ký tự Unicode không hợp lệ)"
    if kind == "string_pattern_mismatch":
        return f"'{nfc(str(value))}' chỉ được gồm chữ không dấu, số, '_', '.', '-'"
    if kind == "literal_error":
        options = ", ".join(get_args(held))
        if name == "derived_from":
            return f"'{nfc(str(value))}' không hợp lệ (chọn: {options})"
        return f"'{nfc(str(value))}' không hợp lệ (chọn một trong: {options})"
    return "phải là chữ"
