"""The OpenAPI document: ninja's, with the error responses every operation can give.

Every error has one shape (``errors.ERROR_SCHEMA``, ``#/components/schemas/Error``). Which
statuses an operation documents follows from what it is:

- 400 when it takes a body: one that cannot be parsed at all;
- 401 and 403 when it needs a credential (403: the role may not, or a session request
  lacks its CSRF token);
- 404 and 422 when it takes parameters or a body: a record it names (in the path, the
  query or the body) may be missing or out of scope — both look the same —, and the
  input must pass the schema's checks and the services' rules;
- 409 when it changes state (a POST: a step already taken, a sanction in force, funds short).

An operation may list its statuses itself with ``openapi_extra={"x-errors": [...]}``.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from .errors import ERROR_SCHEMA

DESCRIPTIONS = {
    400: "请求内容无法解析（不是有效的 JSON 或 multipart）",
    401: "未登录，或接口令牌无效、已过期、已停用",
    403: "无权执行此操作，或会话请求缺少 CSRF 令牌",
    404: "记录不存在或无权查看",
    409: "与记录当前状态冲突（如已审核、处理措施生效中、资金不足）",
    422: "请求参数或内容不合格（code=invalid 时 detail 为 [{field, reason}]）",
}
METHODS = ("get", "put", "post", "delete", "patch")


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    declared = operation.pop("x-errors", None)
    if declared is not None:
        return sorted(declared)
    codes: set[int] = set()
    if operation.get("security"):
        codes |= {401, 403}
    params = operation.get("parameters") or []
    if params or operation.get("requestBody"):
        codes |= {404, 422}
    if operation.get("requestBody"):
        codes.add(400)
    if method == "post" and operation.get("security"):
        codes.add(409)
    return sorted(codes)


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in error_statuses(path, method, operation):
                responses.setdefault(
                    str(code),
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return schema


class ChizhengAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        return add_error_responses(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )
