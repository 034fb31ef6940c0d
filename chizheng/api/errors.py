"""JSON errors with a stable ``code``: ``{code, message, detail}``.

Every refusal of the API has this shape (``ERROR_SCHEMA`` in the OpenAPI document):
a ``DomainError`` with its own code and status; a request that fails the schema's checks
(``types.py``) as 422 ``invalid`` with one ``{field, reason}`` per problem, the reasons in
Chinese; a body that cannot be parsed as 400 ``bad_request``; 401 ``unauthenticated``; 403 ``csrf_failed`` for a session request without its
CSRF token; 404 ``not_found``; and, as a last resort, a value the database refused
(``chizheng.core.dbinput``) as 422 — logged, because a boundary check is missing.
"""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from chizheng.core import dbinput
from chizheng.core.errors import DomainError

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "错误：code 稳定（客户端据此判断），message 为中文说明，detail 为结构化明细",
    "properties": {
        "code": {"type": "string", "description": "稳定的错误代码，如 invalid、not_found"},
        "message": {"type": "string", "description": "中文说明"},
        "detail": {"description": "明细：如 [{field, reason}]、不合格的行"},
    },
    "required": ["code", "message", "detail"],
}

# Chinese reasons for pydantic's own error types; ``ctx`` fills the braces. Errors raised
# by ``types.py`` (control characters, choices) carry their Chinese message already.
REASONS: dict[str, str] = {
    "missing": "必填",
    "string_type": "应为文本",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_too_short": "不能少于 {min_length} 个字符",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_parsing_size": "整数过大",
    "int_from_float": "应为整数",
    "float_type": "应为数值",
    "float_parsing": "应为数值",
    "finite_number": "应为有限的数值",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2022-05-10",
    "date_parsing": "应为日期，如 2022-05-10",
    "date_from_datetime_parsing": "应为日期，如 2022-05-10",
    "date_from_datetime_inexact": "应为日期（不含时间），如 2022-05-10",
    "datetime_type": "应为带时区的日期时间",
    "datetime_parsing": "应为带时区的日期时间",
    "decimal_type": "应为数值",
    "decimal_parsing": "应为数值",
    "decimal_max_digits": "数字不能超过 {max_digits} 位",
    "decimal_max_places": "小数不能超过 {decimal_places} 位",
    "decimal_whole_digits": "整数部分不能超过 {whole_digits} 位",
    "list_type": "应为列表",
    "too_long": "不能超过 {max_length} 项",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "extra_forbidden": "不认识的字段",
    "literal_error": "应为：{expected}",
    "enum": "应为：{expected}",
}


def body(code: str, message: str, detail: object = None) -> dict[str, object]:
    return {"code": code, "message": message, "detail": detail}


UNREADABLE = body(
    "bad_request", "请求内容无法解析：应为有效的 JSON（上传文件时为 multipart/form-data）"
)


def _field(loc: tuple[Any, ...]) -> str:
    # ("body", "payload", "kind") -> "kind"; ("query", "page") -> "page"
    parts = list(loc[2:] if loc and loc[0] == "body" and len(loc) > 2 else loc[1:])
    return ".".join(str(x) for x in parts)


def _reason(error: dict[str, Any]) -> str:
    template = REASONS.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template


def invalid_request(errors: list[dict[str, Any]]) -> dict[str, object]:
    fields = [{"field": _field(tuple(e.get("loc", ()))), "reason": _reason(e)} for e in errors]
    shown = "；".join(
        f"{f['field']}：{f['reason']}" if f["field"] else f["reason"] for f in fields[:3]
    )
    more = f" 等 {len(fields)} 项" if len(fields) > 3 else ""
    return body("invalid", f"请求参数有误：{shown}{more}", fields)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.http_status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return api.create_response(request, invalid_request(list(exc.errors)), status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, body("unauthenticated", "请先登录，或使用有效的接口令牌"), status=401
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, body("not_found", "记录不存在或无权查看"), status=404)

    @api.exception_handler(MultiPartParserError)
    def unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return api.create_response(request, UNREADABLE, status=400)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja could not parse the body
            return api.create_response(request, UNREADABLE, status=400)
        if exc.status_code == 403 and "CSRF" in str(exc):
            return api.create_response(
                request,
                body("csrf_failed", "请求缺少有效的 CSRF 令牌（会话请求须带 X-CSRFToken 头）"),
                status=403,
            )
        return api.create_response(
            request, body(f"http_{exc.status_code}", str(exc)), status=exc.status_code
        )

    def database(request: HttpRequest, exc: Any) -> HttpResponse:
        if not dbinput.from_database(exc):
            raise exc
        refused = dbinput.refusal(exc, path=request.path)
        return api.create_response(request, refused.as_dict(), status=refused.http_status)

    for kind in (DataError, ValueError, ArithmeticError):
        api.add_exception_handler(kind, database)
