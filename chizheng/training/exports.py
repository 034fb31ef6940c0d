"""Excel export of the class list (the registry's table machinery, scoped rows only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse

from chizheng.core import clock
from chizheng.registry.tables import Col, Table, export_xlsx

from .models import TrainingClass

CLASS_TABLE = Table(
    name="classes",
    title="培训班",
    query=lambda actor, params: TrainingClass.objects.none(),
    columns=(
        Col("编号", lambda k: k.pk),
        Col("开班批次", lambda k: k.batch),
        Col("培训机构", lambda k: k.institution.name),
        Col("县（市、区）", lambda k: k.institution.county.short_name),
        Col("行业主管部门", lambda k: k.department.name),
        Col("职业（工种）代码", lambda k: k.occupation_code),
        Col("职业（工种）", lambda k: k.occupation_name),
        Col("级别", lambda k: k.skill_level or ""),
        Col("培训方式", lambda k: k.get_mode_display()),
        Col("开班时间", lambda k: k.start_date.isoformat()),
        Col("结束时间", lambda k: k.end_date.isoformat()),
        Col("拟培训人数", lambda k: k.planned_count),
        Col("名册人数", lambda k: getattr(k, "trainees", "")),
        Col("总课时", lambda k: k.class_hours),
        Col("状态", lambda k: k.get_status_display()),
    ),
)


def class_list_xlsx(qs: QuerySet[Any]) -> HttpResponse:
    body = export_xlsx(CLASS_TABLE, qs.iterator(chunk_size=2000))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="classes-{clock.today():%Y%m%d}.xlsx"'
    return response
