"""The API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs, served locally)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from . import errors

api = NinjaAPI(
    title="持证 chizheng API",
    version="1",
    description="平顶山市职业培训信息化管理系统接口。错误统一返回 {code, message, detail}。",
    auth=django_auth,
    urls_namespace="api",
)
errors.install(api)

from chizheng.core import api as core_api  # noqa: E402
from chizheng.jobs import api as jobs_api  # noqa: E402
from chizheng.online import api as online_api  # noqa: E402
from chizheng.plan import api as plan_api  # noqa: E402
from chizheng.registry import api as registry_api  # noqa: E402
from chizheng.subsidy import api as subsidy_api  # noqa: E402
from chizheng.training import api as training_api  # noqa: E402

api.add_router("/", core_api.router)
api.add_router("/", registry_api.router)
api.add_router("/", training_api.router)
api.add_router("/plan", plan_api.router)
api.add_router("/online", online_api.router)
api.add_router("/", subsidy_api.router)
api.add_router("/", jobs_api.router)
