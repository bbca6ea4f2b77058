"""Building the API's JSON answers: readable UTF-8, and the error shape every failure uses."""

from __future__ import annotations

import math
from typing import Any

from flask import Response, current_app


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Return ``body`` as JSON with Vietnamese left readable (UTF-8, not ``\\u`` escapes).

    Strict JSON: a number that is not finite (only an old database holds one) is sent as null.
    """
    text = current_app.json.dumps(finite(body), ensure_ascii=False) + "\n"
    return current_app.response_class(text, status=status, headers=headers, mimetype="application/json")


def finite(body: Any) -> Any:
    """Return ``body`` with every float that is not finite (inf, NaN) replaced by None."""
    if isinstance(body, float):
        return body if math.isfinite(body) else None
    if isinstance(body, dict):
        return {key: finite(value) for key, value in body.items()}
    if isinstance(body, list | tuple):
        return [finite(value) for value in body]
    return body


ERRORS = {
    400: ("invalid", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Cần mã truy cập: gửi tiêu đề 'Authorization: Bearer <mã>'."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ hoặc mục bạn cần."),
    405: ("method_not_allowed", "Phương thức này không được hỗ trợ ở địa chỉ này."),
    409: ("conflict", "Yêu cầu xung đột với dữ liệu hiện có."),
    412: ("precondition_failed", "Dữ liệu đã thay đổi sau khi bạn đọc; không lưu gì."),
    413: ("too_large", "Nội dung gửi lên quá lớn."),
    422: ("unprocessable", "Yêu cầu không thể thực hiện với mục này."),
    428: ("precondition_required", "Cần tiêu đề If-Match với ETag đã đọc."),
    500: ("server_error", "Có lỗi trong hệ thống. Vui lòng thử lại sau."),
}
BEARER_CHALLENGE = 'Bearer realm="tracker"'


def json_error(status: int, message: str | None = None, fields: dict[str, str] | None = None,
               headers: dict[str, str] | None = None) -> Response:
    """Return ``{"error", "message", "fields"?}`` with ``status``."""
    error, default = ERRORS.get(status, ("error", "Có lỗi."))
    body: dict[str, object] = {"error": error, "message": message or default}
    if fields:
        body["fields"] = fields
    return json_response(body, status, headers)


def unauthorized(message: str, *, invalid_token: bool) -> Response:
    """Return a 401 with the RFC 6750 challenge."""
    challenge = BEARER_CHALLENGE + (', error="invalid_token"' if invalid_token else "")
    return json_error(401, message, headers={"WWW-Authenticate": challenge})
