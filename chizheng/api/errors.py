"""JSON errors with a stable ``code``: ``{code, message, detail}``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from chizheng.core.errors import DomainError


def install(api: NinjaAPI) -> None:
    def body(code: str, message: str, detail: object = None) -> dict[str, object]:
        return {"code": code, "message": message, "detail": detail}

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.http_status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = [
            {"field": ".".join(str(x) for x in e.get("loc", ())[1:]), "reason": e.get("msg", "")}
            for e in exc.errors
        ]
        names = "、".join(f["field"] for f in fields if f["field"]) or "请求"
        return api.create_response(
            request, body("invalid", f"请求参数有误：{names}", fields), status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, body("unauthenticated", "请先登录"), status=401)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, body("not_found", "记录不存在或无权查看"), status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, body(f"http_{exc.status_code}", str(exc)), status=exc.status_code
        )
