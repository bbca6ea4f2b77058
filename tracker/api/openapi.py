"""The OpenAPI 3.1 document of API v1, built in this one place."""

from __future__ import annotations

from typing import Any

from tracker.domain.bounds import MAX_COUNT, MAX_FIGURE, MAX_PERCENT
from tracker.domain.entries import MAX_NOTE, MAX_SHORT, TASK_STATES
from tracker.domain.stats import FIELD_NAMES
from tracker.domain.status import COLOUR_ORDER

DATE = {"type": "string", "format": "date", "examples": ["2025-10-01"]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Allow null beside ``schema`` (OpenAPI 3.1 is JSON Schema: no ``nullable``)."""
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


NUMBER_OR_NULL = {"type": ["number", "null"]}
AS_OF_PARAMETER = {
    "name": "as_of", "in": "query", "required": False, "schema": DATE,
    "description": "Ngày tính trạng thái (YYYY-MM-DD); mặc định là hôm nay theo giờ của xã.",
}
CODE_PARAMETER = {
    "name": "code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 40},
    "description": "Mã chỉ tiêu hoặc nhiệm vụ, ví dụ MT02 hoặc NV05.",
    "examples": {"target": {"value": "MT02"}},
}
DOCUMENT_INPUT = {
    "type": "object",
    "description": "Văn bản làm căn cứ; có ngày, cơ quan hay trích yếu thì phải có số hiệu.",
    "additionalProperties": False,
    "properties": {
        "number": {"type": ["string", "null"], "maxLength": MAX_SHORT, "examples": ["119/QĐ-UBND"]},
        "date": _nullable(DATE),
        "issuer": {"type": ["string", "null"], "maxLength": MAX_SHORT},
        "summary": {"type": ["string", "null"], "maxLength": 1000},
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "enum": ["invalid", "unauthorized", "forbidden", "not_found",
                                                  "method_not_allowed", "conflict", "precondition_failed",
                                                  "too_large", "precondition_required", "server_error"]},
            "message": {"type": "string", "description": "Thông báo bằng tiếng Việt."},
            "fields": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "Trường bị lỗi (đường dẫn JSON, ví dụ document.number) → thông báo."},
        },
    },
    "Item": {
        "type": "object",
        "description": "Một chỉ tiêu hoặc nhiệm vụ với đèn trạng thái; giống lệnh `status --format json`.",
        "required": ["code", "kind", "title", "unit", "deadline", "target", "current", "status",
                     "expected", "pace", "stale", "last_update"],
        "properties": {
            "code": {"type": "string"},
            "kind": {"type": "string", "enum": ["target", "task"]},
            "title": {"type": "string"},
            "unit": {"type": "string", "description": "Đơn vị chủ trì."},
            "deadline": DATE,
            "target": NUMBER_OR_NULL,
            "current": NUMBER_OR_NULL,
            "status": {"type": "string", "enum": list(COLOUR_ORDER)},
            "expected": NUMBER_OR_NULL,
            "pace": NUMBER_OR_NULL,
            "stale": {"type": "boolean"},
            "last_update": _nullable(DATE),
        },
    },
    "StatusDocument": {
        "type": "object",
        "required": ["as_of", "plan", "items"],
        "properties": {
            "as_of": DATE,
            "plan": {
                "type": "object",
                "required": ["code", "number", "title", "commune"],
                "properties": {"code": {"type": "string"}, "number": {"type": ["string", "null"]},
                               "title": {"type": "string"}, "commune": {"type": "string"}},
            },
            "items": {"type": "array", "items": _ref("Item")},
        },
    },
    "Document": {
        "type": "object",
        "description": "Văn bản làm căn cứ (số hiệu, ngày, cơ quan ban hành, trích yếu).",
        "properties": {
            "number": {"type": ["string", "null"], "maxLength": MAX_SHORT, "examples": ["119/QĐ-UBND"]},
            "date": _nullable(DATE),
            "issuer": {"type": ["string", "null"], "maxLength": MAX_SHORT},
            "summary": {"type": ["string", "null"], "maxLength": 1000},
        },
    },
    "Entry": {
        "type": "object",
        "required": ["id", "as_of", "value", "numerator", "denominator", "state", "percent", "note",
                     "document", "author", "created_at", "supersedes", "superseded_by", "reason"],
        "properties": {
            "id": {"type": "integer"},
            "as_of": DATE,
            "value": NUMBER_OR_NULL,
            "numerator": NUMBER_OR_NULL,
            "denominator": NUMBER_OR_NULL,
            "state": {"enum": [*TASK_STATES, None]},
            "percent": NUMBER_OR_NULL,
            "note": {"type": ["string", "null"]},
            "document": _nullable(_ref("Document")),
            "author": {
                "type": "object",
                "required": ["username", "full_name"],
                "properties": {"username": {"type": "string"}, "full_name": {"type": "string"}},
            },
            "created_at": {"type": "string", "format": "date-time"},
            "supersedes": {"type": ["integer", "null"], "description": "Số liệu mà bản ghi này điều chỉnh."},
            "superseded_by": {"type": ["integer", "null"],
                              "description": "Bản ghi điều chỉnh số liệu này, nếu có."},
            "reason": {"type": ["string", "null"], "description": "Lý do điều chỉnh."},
        },
    },
    "ItemDetail": {
        "allOf": [
            _ref("Item"),
            {
                "type": "object",
                "required": ["as_of", "history"],
                "properties": {
                    "as_of": DATE,
                    "history": {"type": "array", "items": _ref("Entry"),
                                "description": "Mọi số liệu của mục, mới nhất trước."},
                },
            },
        ],
    },
    "NewEntry": {
        "type": "object",
        "description": (
            "Số liệu mới. Chỉ tiêu đếm/tỷ lệ %: `value`; chỉ tiêu tử số/mẫu số: `numerator` và "
            "`denominator`; nhiệm vụ và mốc: `state` và `percent`. Điều chỉnh: `supersedes` và `reason`."
        ),
        "required": ["as_of"],
        "additionalProperties": False,
        "properties": {
            "as_of": DATE,
            "value": {"type": ["number", "null"], "minimum": 0, "maximum": MAX_FIGURE,
                      "description": f"0–{MAX_FIGURE:.0e}; chỉ tiêu phần trăm: 0–{MAX_PERCENT}."},
            "numerator": {"type": ["number", "null"], "minimum": 0, "maximum": MAX_FIGURE},
            "denominator": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": MAX_FIGURE},
            "state": {"enum": [*TASK_STATES, None]},
            "percent": {"type": ["number", "null"], "minimum": 0, "maximum": MAX_PERCENT},
            "note": {"type": ["string", "null"], "maxLength": MAX_NOTE},
            "document": _nullable(DOCUMENT_INPUT),
            "supersedes": {"type": ["integer", "null"], "minimum": 1},
            "reason": {"type": ["string", "null"], "maxLength": MAX_NOTE},
        },
        "examples": [
            {"as_of": "2025-10-01", "value": 74, "note": "Theo báo cáo tháng 10",
             "document": {"number": "119/QĐ-UBND", "date": "2025-09-30", "issuer": "UBND xã"}},
        ],
    },
    "Period": {
        "type": "object",
        "required": ["id", "kind", "start_date", "end_date", "status"],
        "properties": {
            "id": {"type": "integer"}, "kind": {"enum": ["week", "month", "quarter", "custom"]},
            "start_date": DATE, "end_date": DATE, "status": {"enum": ["draft", "submitted"]},
            "report_number": {"type": ["string", "null"]},
        },
    },
    "PeriodList": {
        "type": "object", "required": ["periods"],
        "properties": {"periods": {"type": "array", "items": _ref("Period")}},
    },
    "Stats": {
        "type": "object",
        "description": "Số liệu thủ tục hành chính của một kỳ; null là chưa có số liệu (in là \"không\").",
        "additionalProperties": False,
        "properties": {
            **{name: {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_COUNT}
               for name in FIELD_NAMES},
            "late_reasons": {"type": ["string", "null"]},
            "override_explanation": {"type": ["string", "null"]},
        },
        "examples": [{"dossiers_carried_over": 2, "dossiers_new_total": 65, "dossiers_new_online": 38,
                      "dossiers_new_in_person": 27, "dossiers_new_postal": 0, "resolved_on_time": 65,
                      "resolved_late": 0, "pending_not_due": 2, "pending_overdue": 0}],
    },
    "StatsDocument": {
        "type": "object",
        "required": ["period", "stats", "shares", "problems"],
        "properties": {
            "period": _ref("Period"),
            "stats": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
            "late_reasons": {"type": ["string", "null"]},
            "override_explanation": {"type": ["string", "null"]},
            "shares": {"type": "object", "additionalProperties": {"type": "string"}},
            "problems": {"type": "array", "items": {
                "type": "object", "required": ["fields", "message", "overridable"],
                "properties": {"fields": {"type": "array", "items": {"type": "string"}},
                               "message": {"type": "string"}, "overridable": {"type": "boolean"}}}},
        },
    },
    "Created": {
        "type": "object",
        "required": ["as_of", "item", "entry"],
        "properties": {"as_of": DATE, "item": _ref("Item"), "entry": _ref("Entry")},
    },
}


ETAG_HEADER = {"ETag": {"schema": {"type": "string", "examples": ['"period-12-v3"']},
                        "description": "Phiên bản hiện tại của kỳ báo cáo; gửi lại trong If-Match khi ghi."}}
IF_MATCH_PARAMETER = {
    "name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
    "description": ("ETag nhận được khi đọc số liệu (GET). Nếu kỳ báo cáo đã thay đổi từ đó (ai đó lưu qua "
                    "biểu mẫu, API hoặc nhập bảng tính) thì bị từ chối với 412 và không lưu gì. "
                    "`*` là cố ý thay thế bất kể thay đổi."),
    "examples": {"etag": {"value": '"period-12-v3"'}},
}
PERIOD_PARAMETER = {"name": "period_id", "in": "path", "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                    "description": "Mã số kỳ báo cáo."}


BAD_CHARACTERS = _error("Yêu cầu có ký tự không được phép (ký tự điều khiển như NUL, hoặc ký tự "
                        "Unicode không hợp lệ như `\\ud800`) ở đường dẫn, tham số hoặc nội dung; "
                        "`fields` nêu chỗ có ký tự đó.")


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document served at ``/api/v1/openapi.json``."""
    auth_errors = {"401": _error("Thiếu mã truy cập, mã sai, đã thu hồi hoặc tài khoản bị khóa.")}
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "tracker API",
            "version": "1.0.0",
            "summary": "Theo dõi kế hoạch chuyển đổi số của xã: chỉ tiêu, nhiệm vụ, số liệu, đèn trạng thái.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/openapi.json": {
                "get": {
                    "operationId": "openapi", "summary": "Tài liệu OpenAPI này", "security": [],
                    "responses": {"200": {"description": "Tài liệu OpenAPI 3.1.",
                                          "content": {"application/json": {"schema": {"type": "object"}}}}},
                },
            },
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "summary": "Mọi chỉ tiêu và nhiệm vụ với đèn trạng thái",
                    "parameters": [AS_OF_PARAMETER],
                    "responses": {
                        "200": {"description": "Trạng thái của kế hoạch.",
                                "content": {"application/json": {"schema": _ref("StatusDocument")}}},
                        "400": _error("Ngày `as_of` không hợp lệ."),
                        **auth_errors,
                        "404": _error("Xã chưa có kế hoạch."),
                    },
                },
            },
            "/items/{code}": {
                "get": {
                    "operationId": "getItem",
                    "summary": "Một mục: trạng thái và toàn bộ lịch sử số liệu",
                    "parameters": [CODE_PARAMETER, AS_OF_PARAMETER],
                    "responses": {
                        "200": {"description": "Trạng thái và lịch sử.",
                                "content": {"application/json": {"schema": _ref("ItemDetail")}}},
                        "400": _error("Ngày `as_of` không hợp lệ."),
                        **auth_errors,
                        "404": _error("Không có mục với mã này."),
                    },
                },
            },
            "/items/{code}/entries": {
                "post": {
                    "operationId": "createEntry",
                    "summary": "Ghi số liệu mới hoặc điều chỉnh một số liệu",
                    "description": ("Chỉ trưởng đơn vị chủ trì mục (hoặc quản trị) được ghi. "
                                    "Không lưu gì khi bị từ chối."),
                    "parameters": [CODE_PARAMETER],
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref("NewEntry")}}},
                    "responses": {
                        "201": {"description": "Đã lưu; trạng thái mới của mục (tính đến hôm nay).",
                                "headers": {"Location": {"schema": {"type": "string"},
                                                         "description": "Địa chỉ của mục."}},
                                "content": {"application/json": {"schema": _ref("Created")}}},
                        "400": _error("Số liệu không hợp lệ; `fields` nêu từng trường."),
                        **auth_errors,
                        "403": _error("Không có quyền ghi số liệu cho mục này."),
                        "404": _error("Không có mục với mã này."),
                        "409": _error("Số liệu cần điều chỉnh đã được điều chỉnh trước đó."),
                    },
                },
            },
            "/periods": {
                "get": {
                    "operationId": "listPeriods", "summary": "Các kỳ báo cáo của xã",
                    "responses": {"200": {"description": "Các kỳ, mới nhất trước.",
                                          "content": {"application/json": {"schema": _ref("PeriodList")}}},
                                  **auth_errors},
                },
            },
            "/periods/{period_id}/stats": {
                "parameters": [PERIOD_PARAMETER],
                "get": {
                    "operationId": "getStats", "summary": "Số liệu TTHC của một kỳ",
                    "responses": {
                        "200": {"description": "Số liệu, tỷ lệ và các quy tắc chưa khớp.",
                                "headers": ETAG_HEADER,
                                "content": {"application/json": {"schema": _ref("StatsDocument")}}},
                        **auth_errors, "404": _error("Không có kỳ báo cáo này."),
                    },
                },
                "put": {
                    "operationId": "putStats", "summary": "Ghi (thay thế) số liệu TTHC của một kỳ",
                    "description": ("Văn phòng hoặc quản trị. Quy tắc như biểu mẫu: các kênh cộng lại bằng "
                                    "tổng, đã giải quyết + đang giải quyết = kỳ trước + mới (được giải "
                                    "trình bằng `override_explanation`), phần không lớn hơn tổng. "
                                    "Kỳ đã gửi bị khóa. Phải gửi If-Match là ETag đã đọc: không ghi đè "
                                    "thay đổi của người khác."),
                    "parameters": [IF_MATCH_PARAMETER],
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref("Stats")}}},
                    "responses": {
                        "200": {"description": "Đã lưu; ETag mới.", "headers": ETAG_HEADER,
                                "content": {"application/json": {"schema": _ref("StatsDocument")}}},
                        "400": _error("Số liệu không hợp lệ hoặc không khớp; `fields` nêu từng trường."),
                        **auth_errors,
                        "403": _error("Không có quyền nhập số liệu kỳ báo cáo."),
                        "404": _error("Không có kỳ báo cáo này."),
                        "412": {**_error("Kỳ báo cáo đã thay đổi sau khi đọc (If-Match không khớp): "
                                         "thông báo nói ai đã lưu gì, lúc nào; không lưu gì."),
                                "headers": ETAG_HEADER},
                        "428": _error("Thiếu tiêu đề If-Match."),
                    },
                },
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": ("Mã tạo bằng `flask --app tracker create-token USERNAME [--days N]`; "
                                "hết hạn sau N ngày (mặc định 365), thu hồi được bằng `tokens revoke` "
                                "hoặc ở trang tài khoản."),
            }},
        },
    }
    # Every request, on every route, is refused before it is read when it carries a forbidden
    # character (``tracker.input_guard``).
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method != "parameters":
                operation["responses"].setdefault("400", BAD_CHARACTERS)
    return document
