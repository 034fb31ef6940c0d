"""The API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs, served locally):
an API token or a session (with its CSRF token) on every operation but the public notices."""

from __future__ import annotations

from . import errors
from .auth import session_auth, token_auth
from .openapi import ChizhengAPI

api = ChizhengAPI(
    title="持证 chizheng API",
    version="1",
    description=(
        "平顶山市职业培训信息化管理系统接口。机构、平台的系统以接口令牌调用"
        "（Authorization: Bearer <令牌>，在“接口令牌”页面签发）；页面会话调用须带 X-CSRFToken。"
        "错误统一返回 {code, message, detail}。"
    ),
    auth=[token_auth, session_auth],
    urls_namespace="api",
)
errors.install(api)

from chizheng.competitions import api as competitions_api  # noqa: E402
from chizheng.core import api as core_api  # noqa: E402
from chizheng.jobs import api as jobs_api  # noqa: E402
from chizheng.online import api as online_api  # noqa: E402
from chizheng.plan import api as plan_api  # noqa: E402
from chizheng.registry import api as registry_api  # noqa: E402
from chizheng.subsidy import api as subsidy_api  # noqa: E402
from chizheng.supervision import api as supervision_api  # noqa: E402
from chizheng.training import api as training_api  # noqa: E402

api.add_router("/", core_api.router)
api.add_router("/", registry_api.router)
api.add_router("/", training_api.router)
api.add_router("/plan", plan_api.router)
api.add_router("/online", online_api.router)
api.add_router("/", subsidy_api.router)
api.add_router("/", jobs_api.router)
api.add_router("/competitions", competitions_api.router)
api.add_router("/", supervision_api.router)
