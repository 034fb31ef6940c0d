from django.contrib import admin
from django.urls import include, path

from chizheng.api.root import api

# The admin in the system's own words, not "Django 管理" (issue 16).
admin.site.site_header = admin.site.site_title = "持证 · 系统管理"
admin.site.index_title = "数据维护"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("account/", include("chizheng.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("chizheng.registry.urls")),
    path("classes/", include("chizheng.training.urls")),
    path("plan/", include("chizheng.plan.urls")),
    path("online/", include("chizheng.online.urls")),
    path("supervision/", include("chizheng.supervision.urls")),
    path("competitions/", include("chizheng.competitions.urls")),
    path("subsidy/", include("chizheng.subsidy.urls")),
    path("jobs/", include("chizheng.jobs.urls")),
    path("notices/", include("chizheng.subsidy.public_urls")),
    path("verify/", include("chizheng.assessment.urls_verify")),
    path("record/", include("chizheng.subsidy.record_urls")),
    path("ledgers/", include("chizheng.ledgers.urls")),
    path("calendar/", include("chizheng.core.urls")),
    path("", include("chizheng.web.urls")),
]
