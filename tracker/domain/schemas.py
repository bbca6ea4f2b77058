"""One declared schema per input shape, read by every face: the web forms, the API, the spreadsheet
import; the OpenAPI document is generated from the same declarations.

A schema says which fields a shape has, their types and their bounds (from
``tracker.domain.bounds`` only). How a value is written depends on where it comes from, so every
read names its *face*:

- ``JSON``: an API body, strictly: a number in quotes, a bool for a number, a number for a text
  are refused;
- ``FORM``: form text typed the Vietnamese way (``1.234,5``), dates typed day first
  (``dd/mm/yyyy``, or ISO; ``tracker.domain.dates.parse_day``); an empty field is "no figure";
- ``CELL``: a spreadsheet cell, a number or Vietnamese text.

``read`` returns the validated model or raises ``Refused`` with one message per field in the
reader's language (``tracker.domain.i18n``): pydantic's own English never reaches a person. The
rules that relate several fields stay where they are (``check_entry``, ``check_stats``,
``check_finance``) and run after this reading, as before.

The parts of a plan seed file are declared beside this module, in ``tracker.domain.seed_schemas``,
with a SEED face worded as the seed reader's problems always were.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
)
from pydantic_core import PydanticCustomError

from tracker.domain.bounds import MAX_AMOUNT, MAX_COUNT, MAX_FIGURE, MAX_PERCENT
from tracker.domain.dates import DateOutOfRange, date_range_message, parse_day, parse_iso_date
from tracker.domain.entries import (
    FIGURE_LABELS,
    MAX_NOTE,
    MAX_SHORT,
    TASK_STATES,
    EntryInput,
    clean_text,
    figure_problem,
    parse_number,
)
from tracker.domain.formatting import format_number
from tracker.domain.i18n import gettext as _
from tracker.domain.stats import (
    FIELD_NAMES,
    FINANCE_FIELDS,
    LABELS,
    amount_problem,
    count_problem,
)

JSON, FORM, CELL = "json", "form", "cell"
FACES = (JSON, FORM, CELL)
MAX_SUMMARY = 1000


class Refused(ValueError):
    """Input that does not fit its schema; ``errors`` maps each field's path to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _face(info: ValidationInfo) -> str:
    return (info.context or {}).get("face", JSON)


def _number(value: Any, info: ValidationInfo) -> Any:
    """Numbers typed as text (forms, cells) are parsed the Vietnamese way; JSON keeps its types."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_number", "a bool is not a number", {"text": str(value).upper()})
    if _face(info) == JSON:
        return value
    if isinstance(value, str):
        try:
            value = parse_number(value, kind=number_kind(info.field_name, (info.context or {})))
        except ValueError as exc:
            raise PydanticCustomError("number_text", "{problem}",
                                      {"problem": str(exc), "text": value.strip()[:40]}) from None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a count however large, so its bound (not its size) is what refuses it
    return value


def number_kind(name: str | None, context: dict[str, Any]) -> str:
    """What a typed number is (``NUMBER_EXAMPLES``): a count, an amount of đồng, a percentage (a task's
    percent done, or the value of a percent target when the form says so), or any number."""
    if name in FIELD_NAMES:
        return "count"
    if name in FINANCE_FIELDS:
        return "amount"
    if name == "percent" or (name == "value" and context.get("value_is_percent")):
        return "percent"
    return "number"


def _day(value: Any, info: ValidationInfo) -> Any:
    """A date within the accepted range (``tracker.domain.dates``): ``YYYY-MM-DD`` in JSON and cells;
    typed in a form, day first (``dd/mm/yyyy``, ``d/m/yyyy``) or ISO, read by ``parse_day``."""
    if value is None or (isinstance(value, date) and _face(info) != JSON):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "not a date string")
    try:
        return parse_day(value) if _face(info) == FORM else parse_iso_date(value)
    except DateOutOfRange:
        raise PydanticCustomError("date_range", "date out of range", {"text": value.strip()[:40]}) from None
    except ValueError:
        raise PydanticCustomError("date_format", "not a date", {"text": value[:40]}) from None


Number = Annotated[float | None, BeforeValidator(_number)]
Count = Annotated[Annotated[int, Field(ge=0, le=MAX_COUNT)] | None, BeforeValidator(_number)]
Amount = Annotated[Annotated[int, Field(ge=0, le=MAX_AMOUNT)] | None, BeforeValidator(_number)]
Day = Annotated[date | None, BeforeValidator(_day)]


def _text(value: Any) -> Any:
    """Text is stored in NFC and trimmed (``clean_text``), so a bound counts what is stored."""
    return clean_text(value) if isinstance(value, str) else value


def text(max_length: int | None = None, **extra: Any) -> Any:
    """A free text field, at most ``max_length`` characters once normalised; ``extra`` for the document."""
    bounded = Annotated[str, Field(max_length=max_length)]
    return Annotated[bounded | None, BeforeValidator(_text), Field(**extra)]


class Schema(BaseModel):
    """Unknown fields are refused; a number must be finite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class Document(Schema):
    """The document an entry rests on; with a date, issuer or summary it must have a number."""

    model_config = ConfigDict(title="Document", json_schema_extra={
        "description": "Văn bản làm căn cứ (số hiệu, ngày, cơ quan ban hành, trích yếu); có ngày, cơ quan "
                       "hay trích yếu thì phải có số hiệu."})

    number: text(MAX_SHORT, examples=["119/QĐ-UBND"]) = None
    date: Day = None
    issuer: text(MAX_SHORT) = None
    summary: text(MAX_SUMMARY) = None


class NewEntry(Schema):
    """A progress entry: the figures its item's shape takes, its date, note, document and correction."""

    model_config = ConfigDict(title="NewEntry", json_schema_extra={
        "description": "Số liệu mới. Chỉ tiêu đếm/tỷ lệ %: `value`; chỉ tiêu tử số/mẫu số: `numerator` và "
                       "`denominator`; nhiệm vụ và mốc: `state` và `percent`. Điều chỉnh: `supersedes` và "
                       "`reason`.",
        "required": ["as_of"],
        "examples": [{"as_of": "2025-10-01", "value": 74, "note": "Theo báo cáo tháng 10",
                      "document": {"number": "119/QĐ-UBND", "date": "2025-09-30", "issuer": "UBND xã"}}],
    })

    # Required (the document says so), but a missing date is the entry rule's to word, together
    # with the entry's other problems (``check_entry``: "Choose the date of the figures.").
    as_of: Annotated[Day, Field(json_schema_extra={"examples": ["2025-10-01"]})] = None
    value: Number = Field(None, ge=0, le=MAX_FIGURE,
                          description=f"0–{MAX_FIGURE:.0e}; chỉ tiêu phần trăm: 0–{MAX_PERCENT}.")
    numerator: Number = Field(None, ge=0, le=MAX_FIGURE)
    denominator: Number = Field(None, gt=0, le=MAX_FIGURE)
    state: Literal[tuple(TASK_STATES)] | None = None  # type: ignore[valid-type]
    percent: Number = Field(None, ge=0, le=MAX_PERCENT)
    note: text(MAX_NOTE) = None
    document: Document | None = None
    supersedes: int | None = Field(None, ge=1)
    reason: text(MAX_NOTE) = None


FIGURES = ("value", "numerator", "denominator", "state", "percent")


def _stats_fields() -> dict[str, Any]:
    return {name: (Count, Field(None, title=str(LABELS[name]))) for name in FIELD_NAMES}


class _StatsBase(Schema):
    late_reasons: text() = None
    override_explanation: text() = None


def _model(name: str, base: type[Schema], fields: dict[str, Any], doc: str, extra: dict[str, Any]) -> type:
    """A schema whose fields come from the domain's list of fields (statistics, finance)."""
    model = create_model(name, __base__=base, __doc__=doc, **fields)
    model.model_config = {**base.model_config, "title": name, "json_schema_extra": extra}
    model.model_rebuild(force=True)
    return model


PeriodStats = _model(
    "Stats", _StatsBase, _stats_fields(),
    "A period's TTHC statistics: whole counts from 0 to MAX_COUNT, or null (no figure yet).",
    {"description": "Số liệu thủ tục hành chính của một kỳ; null là chưa có số liệu (in là \"không\").",
     "examples": [{"dossiers_carried_over": 2, "dossiers_new_total": 65, "dossiers_new_online": 38,
                   "dossiers_new_in_person": 27, "dossiers_new_postal": 0, "resolved_on_time": 65,
                   "resolved_late": 0, "pending_not_due": 2, "pending_overdue": 0}]},
)


class _FinanceBase(Schema):
    disbursed_for: text() = None


Finance = _model(
    "Finance", _FinanceBase,
    {name: (Amount, Field(None, title=str(label))) for name, label in FINANCE_FIELDS.items()},
    "A period's funding figures in đồng: whole amounts from 0 to MAX_AMOUNT, or null.",
    {"description": "Kinh phí thực hiện kế hoạch trong kỳ (đồng); null là chưa có số liệu."},
)


# The register of legal documents (outline section 1): the kinds, and how long each text may be.
DOCUMENT_KINDS = ("Nghị quyết", "Kế hoạch", "Quyết định", "Chỉ thị", "Công văn", "Thông báo",
                  "Hướng dẫn", "Báo cáo", "Khác")
REGISTER_LIMITS = {"number": 100, "issuer": 300, "summary": 2000}


class RegisteredDocument(Schema):
    """A document of the legal register; which fields are required is the register's rule
    (``tracker.services.legal.register_document``)."""

    model_config = ConfigDict(title="RegisteredDocument", json_schema_extra={
        "description": "Văn bản trong sổ văn bản triển khai kế hoạch (mục 1 của báo cáo)."})

    number: text(REGISTER_LIMITS["number"]) = None
    issued_date: Day = None
    issuer: text(REGISTER_LIMITS["issuer"]) = None
    kind: text(examples=list(DOCUMENT_KINDS)) = None
    summary: text(REGISTER_LIMITS["summary"]) = None


def read(model: type[BaseModel], data: Any, face: str, *, value_is_percent: bool = False) -> Any:
    """Validate ``data`` against ``model`` as ``face`` writes it; raise ``Refused`` naming every field.

    ``value_is_percent``: the entry's ``value`` is a percentage (a percent target), so "70%" is read.
    """
    if face not in FACES:
        raise ValueError(f"unknown face {face!r}")
    try:
        return model.model_validate(data, strict=face == JSON,
                                    context={"face": face, "value_is_percent": value_is_percent})
    except ValidationError as exc:
        raise Refused(messages(exc, face, model)) from None


def read_partly(model: type[BaseModel], data: dict[str, Any], face: str
                ) -> tuple[dict[str, Any], dict[str, str]]:
    """Read what can be read: the values of the fields that fit (so a refused form still shows what
    they give) and a message for each field that does not."""
    try:
        return read(model, data, face).model_dump(), {}
    except Refused as refused:
        errors = refused.errors
    readable = {name: value for name, value in data.items() if name not in errors}
    try:
        return read(model, readable, face).model_dump(), errors
    except Refused:  # only a rule across fields is left; none is declared on the flat shapes
        return {}, errors


def messages(exc: ValidationError, face: str, model: type[BaseModel] | None = None) -> dict[str, str]:
    """Return ``{path: message}`` for a validation error: the path joins locations with dots
    (``document.number``), the message is ours, in the reader's language."""
    found: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"]) or "body"
        found.setdefault(path, problem(error, face, path))
    return found


def label(path: str) -> str:
    """The words a message uses for a field: the form's label, or the JSON path."""
    name = path.rsplit(".", 1)[-1]
    return str(LABELS.get(name) or FINANCE_FIELDS.get(name) or FIGURE_LABELS.get(name) or path)


def problem(error: dict[str, Any], face: str, path: str) -> str:
    """Our message for one pydantic error (never pydantic's English)."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    name = path.rsplit(".", 1)[-1]
    if face == CELL and (bare := cell_problem(kind, ctx, value, name)):
        return bare
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return bound_problem(name, value, path)
    if kind == "missing":
        return _("Required.")
    if kind == "extra_forbidden":
        return _("This field is not supported.")
    if kind == "number_text":
        return _("%(field)s %(problem)s.", field=label(path), problem=ctx["problem"])
    if kind == "date_range":
        return date_range_message() if face == FORM else _(
            "The date '%(text)s' in '%(field)s' is out of range. %(range)s", text=ctx["text"], field=path,
            range=date_range_message())
    if kind == "date_format":
        return _("The date '%(text)s' is not valid: write it as day/month/year, e.g. 03/11/2025.",
                 text=ctx["text"].strip()) if face == FORM else _(
            "The date '%(text)s' in '%(field)s' is not valid: write it as YYYY-MM-DD.", text=ctx["text"],
            field=path)
    if kind == "date_type":
        return _('Must be a date string "YYYY-MM-DD".')
    if kind == "int_from_float":
        return _("%(field)s: must be a whole number.", field=label(path))
    if kind in ("int_type", "int_parsing") and name in (*FIELD_NAMES, *FINANCE_FIELDS):
        return _("Must be a whole number or null.")
    if kind in ("int_type", "int_parsing"):
        return _("Must be the id of an entry: a positive whole number.")
    if kind in ("float_type", "float_parsing", "bool_number"):
        return _("Must be a JSON number (for example 74 or 56.5), not in quotes.")
    if kind == "finite_number":
        return _("Must be a finite number.")
    if kind in ("string_type", "string_unicode"):
        return _("Must be a string.")
    if kind == "string_too_long":
        return too_long(name, ctx.get("max_length", 0))
    if kind == "literal_error":
        return _("Choose a state: %(states)s.", states=", ".join(map(str, TASK_STATES.values())))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Must be an object {number, date, issuer, summary} or null.")
    return _("The value is not valid.")


def cell_problem(kind: str, ctx: dict[str, Any], value: Any, name: str) -> str | None:
    """A spreadsheet cell's problem without the field's name (the sheet names the cell and the field)."""
    bound = kind in ("greater_than_equal", "less_than_equal", "int_from_float")
    if bound and isinstance(value, str):
        value = parse_number(value, kind="percent" if value.strip().endswith("%") else "number")
    if kind == "number_text":
        return _("'%(text)s' %(problem)s.", text=ctx["text"], problem=ctx["problem"])
    if kind == "int_from_float" and name in FINANCE_FIELDS:
        return _("%(value)s is not a whole amount of đồng (no fractions).", value=format_number(value))
    if kind == "int_from_float":
        return _("%(value)s is not a whole number.", value=format_number(value))
    if kind == "finite_number":
        return _("is not a finite number") + "."
    if kind in ("greater_than_equal", "less_than_equal") and name in FIELD_NAMES:
        return count_problem(value) + "."
    if kind in ("greater_than_equal", "less_than_equal") and name in FINANCE_FIELDS:
        return amount_problem(value) + "."
    return None


def read_value(model: type[BaseModel], name: str, value: Any, face: str) -> Any:
    """Read one field of ``model`` alone (a spreadsheet cell); raise ``Refused`` with its message."""
    return getattr(read(model, {name: value}, face), name)


def too_long(name: str, limit: int) -> str:
    """A text longer than its field allows, in the words ``check_entry`` uses."""
    if name == "note":
        return _("The note is longer than %(max)s characters.", max=format_number(limit))
    if name == "reason":
        return _("The reason is longer than %(max)s characters.", max=format_number(limit))
    if name == "summary":
        return _("The summary is longer than %(max)s characters.", max=format_number(limit))
    return _("Longer than %(max)s characters.", max=format_number(limit))


def bound_problem(name: str, value: Any, path: str = "") -> str:
    """A number outside its declared bounds, in the words of the rule that owns the field."""
    if isinstance(value, str):  # the text a form or a cell gave, read as the before-validator did
        value = parse_number(value, kind="percent" if value.strip().endswith("%") else "number")
    if name in FIELD_NAMES:
        return _("%(field)s: %(problem)s.", field=LABELS[name], problem=count_problem(value))
    if name in FINANCE_FIELDS:
        return _("%(field)s: %(problem)s.", field=FINANCE_FIELDS[name], problem=amount_problem(value))
    if name == "supersedes":
        return _("Must be the id of an entry: a positive whole number.")
    if name in FIGURE_LABELS:
        return figure_problem(name, value)
    # A count declared elsewhere (``Count``): the words of the statistics' counts.
    return _("%(field)s: %(problem)s.", field=label(path or name),
             problem=count_problem(value) or _("The value is not valid."))


INPUT_MODELS: tuple[type[BaseModel], ...] = (Document, NewEntry, PeriodStats, Finance, RegisteredDocument)


def entry_input(posted: NewEntry) -> EntryInput:
    """The entry a read ``NewEntry`` describes, for the domain's rules (``check_entry``)."""
    doc = posted.document or Document()
    return EntryInput(as_of=posted.as_of, value=posted.value, numerator=posted.numerator,
                      denominator=posted.denominator, state=posted.state, percent=posted.percent,
                      note=posted.note, reason=posted.reason, doc_number=doc.number, doc_date=doc.date,
                      doc_issuer=doc.issuer, doc_summary=doc.summary)


class ProvinceReportHeader(Schema):
    """The province's summary report of a period: its own number, date and signer (lengths as a
    period's, ``tracker.models.province_report``)."""

    model_config = ConfigDict(title="ProvinceReportHeader")

    report_number: text(40) = None
    report_date: Day = None
    signer_name: text(200) = None
    signer_title: text(200) = None
