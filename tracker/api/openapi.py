"""The OpenAPI 3.1 document of API v1: the paths declared here, every request and answer body a
reference to a schema generated from its declaration (``tracker.api.schemas``,
``tracker.domain.schemas``)."""

from __future__ import annotations

from typing import Any

from tracker.api.schemas import component_schemas

DATE = {"type": "string", "format": "date", "examples": ["2025-10-01"]}



def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


AS_OF_PARAMETER = {
    "name": "as_of", "in": "query", "required": False, "schema": DATE,
    "description": "Ngày tính trạng thái (YYYY-MM-DD); mặc định là hôm nay theo giờ của xã.",
}
CODE_PARAMETER = {
    "name": "code", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 40},
    "description": "Mã chỉ tiêu hoặc nhiệm vụ, ví dụ MT02 hoặc NV05.",
    "examples": {"target": {"value": "MT02"}},
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


PROVINCE_TOKEN = _error("Mã truy cập của tài khoản cấp tỉnh: các địa chỉ của xã không dùng được "
                        "(dùng /province/…).")
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
                        "422": _error("Chỉ tiêu tính tự động từ số liệu các kỳ báo cáo; không nhập tay."),
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
            "/province/reports": {
                "get": {
                    "operationId": "getProvinceReports",
                    "summary": "Bảng theo dõi báo cáo của các xã trong tỉnh",
                    "description": ("Cho mã của người dùng cấp tỉnh (lãnh đạo, văn phòng, quản trị). Mỗi xã: "
                                    "chưa mở, dự thảo, gửi đúng hạn, gửi muộn, đã tiếp nhận, bị trả lại; "
                                    "thời điểm gửi, các quy tắc số liệu TTHC bị vi phạm và giải trình; "
                                    "tỷ lệ báo cáo (phải gửi, đã gửi, đúng hạn)."),
                    "parameters": [
                        {"name": "kind", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": ["week", "month", "quarter"],
                                    "default": "week"},
                         "description": "Loại kỳ báo cáo."},
                        {"name": "start", "in": "query", "required": False, "schema": DATE,
                         "description": ("Một ngày trong kỳ (YYYY-MM-DD; kỳ chứa ngày đó); mặc định là kỳ "
                                         "gần nhất đã đến hạn theo lịch báo cáo của tỉnh.")},
                    ],
                    "responses": {
                        "200": {"description": "Bảng theo dõi của kỳ.",
                                "content": {"application/json": {"schema": _ref("ProvinceBoard")}}},
                        "400": _error("`kind` hoặc `start` không hợp lệ."),
                        **auth_errors,
                        "403": _error("Mã không thuộc người dùng cấp tỉnh."),
                    },
                },
            },
            "/province/rollup": {
                "get": {
                    "operationId": "getProvinceRollup",
                    "summary": "Tổng hợp của tỉnh: mọi xã, mọi chỉ tiêu",
                    "description": ("Chỉ mã truy cập của tài khoản cấp tỉnh (lãnh đạo, văn phòng, quản trị). "
                                    "Mỗi xã: số đèn mỗi màu và đèn, số liệu của từng chỉ tiêu; mỗi chỉ tiêu: "
                                    "số liệu toàn tỉnh. Xã nhiều đèn đỏ trước."),
                    "parameters": [AS_OF_PARAMETER],
                    "responses": {
                        "200": {"description": "Tổng hợp của tỉnh tính đến ngày `as_of`.",
                                "content": {"application/json": {"schema": _ref("ProvinceRollup")}}},
                        "400": _error("Ngày `as_of` không hợp lệ."),
                        **auth_errors,
                        "403": _error("Mã truy cập của tài khoản cấp xã: chỉ tài khoản cấp tỉnh xem được."),
                    },
                },
            },
        },
        "components": {
            "schemas": component_schemas(),
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
    # A commune's endpoints refuse a province user's token (403): it belongs to no commune.
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                operation["responses"].setdefault("400", BAD_CHARACTERS)
                if operation.get("security") != [] and not path.startswith("/province/"):
                    operation["responses"].setdefault("403", PROVINCE_TOKEN)
    return document
