"""API of the registries (scoped through the access layer; ID numbers and phones masked)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import Ge, Le
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import User
from chizheng.api.pagination import Page, paginate
from chizheng.api.types import INT64_MAX, Choice, Day, Id, PageNo, PageSize, Text, Year
from chizheng.core import clock
from chizheng.core.errors import NotFound
from chizheng.org.models import County, Department
from chizheng.org.selectors import county_list

from . import imports, selectors, services
from .models import (
    CatalogEntry,
    ImportJob,
    Institution,
    KeyGroup,
    Occupation,
    Person,
    Sanction,
    Site,
    Teacher,
)
from .tables import export_xlsx, tables_for

router = Router(tags=["registry"])

Query = Annotated[str, Text(100)]  # a search text
CountyCode = Annotated[str, Text(12)]
OccupationCode = Annotated[str, Text(20)]


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _page(qs: Any, page: int, page_size: int, row: Any) -> dict[str, object]:
    count, rows = paginate(qs, page=page, page_size=page_size)
    return {"count": count, "page": page, "page_size": page_size, "items": [row(x) for x in rows]}


class CountyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    order: int


@router.get("/counties", response=list[CountyOut], summary="县（市、区）")
def counties(request: HttpRequest) -> object:
    return list(county_list(actor=_actor(request)))


# --- occupations -------------------------------------------------------------------------


class OccupationOut(Schema):
    code: str
    name: str
    level: str
    parent: str


def _occupation(o: Occupation) -> dict[str, object]:
    return {
        "code": o.code,
        "name": o.name,
        "level": o.level,
        "parent": o.parent.code if o.parent else "",
    }


@router.get("/occupations", response=Page, summary="职业分类（2022年版）")
def occupations(
    request: HttpRequest,
    q: Query = "",
    level: Annotated[str, Choice(Occupation.Level, "层级", blank=True)] = "",
    parent: OccupationCode = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.occupation_list(actor=_actor(request), level=level, q=q, parent=parent)
    return _page(qs, page, page_size, _occupation)


@router.get("/occupations/{code}", response=OccupationOut, summary="按编码查职业")
def occupation(request: HttpRequest, code: OccupationCode) -> dict[str, object]:
    found = selectors.occupation_by_code(code=code)
    if found is None:
        raise NotFound(
            "职业编码不存在", message_en="no such occupation code", detail={"code": code}
        )
    return _occupation(
        access_by_id(_actor(request), Occupation.objects.select_related("parent"), found.pk)
    )


# --- institutions ------------------------------------------------------------------------


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str
    county: str
    department: str = ""
    evaluator_kind: str = ""
    filing_status: str = ""
    filed_on: dt.date | None = None
    catalog_status: str = ""


def _institution(i: Institution) -> dict[str, object]:
    return {
        "id": i.pk,
        "name": i.name,
        "kind": i.kind,
        "credit_code": i.credit_code,
        "county": i.county.code,
        "department": i.department.code if i.department else "",
        "evaluator_kind": i.evaluator_kind,
        "filing_status": i.filing_status,
        "filed_on": i.filed_on,
        "catalog_status": i.catalog_status,
    }


@router.get("/institutions", response=Page, summary="机构列表")
def institutions(
    request: HttpRequest,
    q: Query = "",
    kind: Annotated[str, Choice(Institution.Kind, "机构类型", blank=True)] = "",
    county: CountyCode = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.institution_search(actor=_actor(request), q=q, kind=kind, county=county)
    return _page(qs, page, page_size, _institution)


@router.get("/institutions/{institution_id}", response=InstitutionOut, summary="机构详情")
def institution(request: HttpRequest, institution_id: Id) -> dict[str, object]:
    actor = _actor(request)
    return _institution(
        access_by_id(actor, selectors.institution_list(actor=actor), institution_id)
    )


class InstitutionIn(Schema):
    name: Annotated[str, Text.of(Institution, "name", min_length=1)]
    credit_code: Annotated[str, Text(18, min_length=18)]
    kind: Annotated[str, Choice(Institution.Kind, "机构类型")]
    county: CountyCode  # 区划代码
    department: Annotated[str, Text(20)] = ""
    address: Annotated[str, Text.of(Institution, "address")] = ""
    evaluator_kind: Annotated[
        str, Choice(Institution.EvaluatorKind, "评价机构类别", blank=True)
    ] = ""
    # No filing or catalog status: those are the city office's decisions (registry.workflow).


@router.post("/institutions", response={201: InstitutionOut}, summary="登记机构")
def institution_create(request: HttpRequest, body: InstitutionIn) -> Status[dict[str, object]]:
    actor = _actor(request)
    county = access_by_id(actor, county_list(actor=actor), _county_pk(body.county))
    department = (
        Department.objects.filter(code=body.department).first() if body.department else None
    )
    inst = services.institution_create(
        actor=actor,
        name=body.name,
        credit_code=body.credit_code,
        kind=body.kind,
        county=county,
        department=department,
        address=body.address,
        evaluator_kind=body.evaluator_kind,
    )
    return Status(201, _institution(inst))


def _county_pk(code: str) -> int:
    found = County.objects.filter(code=code).values_list("id", flat=True).first()
    return found or 0


class SanctionOut(Schema):
    id: int
    institution: int
    kind: str
    clause: str
    reason: str
    starts_on: dt.date
    ends_on: dt.date | None
    lifted_on: dt.date | None
    active: bool


def _sanction(s: Sanction) -> dict[str, object]:
    return {
        "id": s.pk,
        "institution": s.institution_id,
        "kind": s.kind,
        "clause": s.clause,
        "reason": s.reason,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "lifted_on": s.lifted_on,
        "active": s.is_active(clock.today()),
    }


@router.get(
    "/institutions/{institution_id}/sanctions/active",
    response=list[SanctionOut],
    summary="机构在某日生效的处理措施",
)
def institution_active_sanctions(
    request: HttpRequest, institution_id: Id, on: Day | None = None
) -> object:
    actor = _actor(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), institution_id)
    return [_sanction(s) for s in selectors.active_sanctions(party=inst, on=on or clock.today())]


class SanctionIn(Schema):
    kind: Annotated[str, Choice(Sanction.Kind, "处理类型")]
    starts_on: Day  # for a platform ban: the day of the violation
    reason: Annotated[str, Text.of(Sanction, "reason", min_length=1)]
    ends_on: Day | None = None  # blacklist only


@router.post(
    "/institutions/{institution_id}/sanctions", response={201: SanctionOut}, summary="作出处理措施"
)
def sanction_create(
    request: HttpRequest, institution_id: Id, body: SanctionIn
) -> Status[dict[str, object]]:
    s = services.sanction_create(
        actor=_actor(request),
        institution_id=institution_id,
        kind=body.kind,
        starts_on=body.starts_on,
        reason=body.reason,
        ends_on=body.ends_on,
    )
    return Status(201, _sanction(s))


class LiftIn(Schema):
    lifted_on: Day
    reason: Annotated[str, Text.of(Sanction, "lift_reason", min_length=1)]


@router.post(
    "/sanctions/{sanction_id}/lift", response=SanctionOut, summary="解除处理/黑名单动态退出"
)
def sanction_lift(request: HttpRequest, sanction_id: Id, body: LiftIn) -> dict[str, object]:
    return _sanction(
        services.sanction_lift(
            actor=_actor(request),
            sanction_id=sanction_id,
            lifted_on=body.lifted_on,
            reason=body.reason,
        )
    )


@router.get("/sanctions", response=Page, summary="处理措施列表")
def sanctions(
    request: HttpRequest,
    kind: Annotated[str, Choice(Sanction.Kind, "处理类型", blank=True)] = "",
    active: bool = False,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.sanction_list(
        actor=_actor(request), kind=kind, active_on=clock.today() if active else None
    )
    return _page(qs, page, page_size, _sanction)


@router.get("/sanctions/{sanction_id}", response=SanctionOut, summary="处理措施详情")
def sanction(request: HttpRequest, sanction_id: Id) -> dict[str, object]:
    actor = _actor(request)
    return _sanction(access_by_id(actor, selectors.sanction_list(actor=actor), sanction_id))


# --- catalog, teachers, sites ------------------------------------------------------------


def _catalog(e: CatalogEntry) -> dict[str, object]:
    return {
        "id": e.pk,
        "year": e.year,
        "institution": e.institution_id,
        "occupation": e.occupation.code,
        "valid_from": e.valid_from,
        "valid_until": e.valid_until,
        "source": e.source,
    }


@router.get("/catalog", response=Page, summary="目录清单")
def catalog(
    request: HttpRequest,
    year: Year | None = None,
    q: Query = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    return _page(
        selectors.catalog_list(actor=_actor(request), year=year, q=q), page, page_size, _catalog
    )


class CatalogIn(Schema):
    year: Year
    occupation: OccupationCode
    valid_from: Day
    source: Annotated[str, Choice(CatalogEntry.Source, "纳入方式")] = CatalogEntry.Source.ANNUAL
    note: Annotated[str, Text.of(CatalogEntry, "note")] = ""


@router.post("/institutions/{institution_id}/catalog", response={201: dict}, summary="纳入目录清单")
def catalog_add(
    request: HttpRequest, institution_id: Id, body: CatalogIn
) -> Status[dict[str, object]]:
    entry = services.catalog_add(
        actor=_actor(request),
        institution_id=institution_id,
        year=body.year,
        occupation_code=body.occupation,
        valid_from=body.valid_from,
        source=body.source,
        note=body.note,
    )
    return Status(201, _catalog(entry))


def _teacher(t: Teacher) -> dict[str, object]:
    return {
        "id": t.pk,
        "institution": t.institution_id,
        "name": t.name,
        "id_number": t.id_masked,
        "full_time": t.full_time,
        "occupations": [o.code for o in t.occupations.all()],
    }


@router.get("/teachers", response=Page, summary="师资（身份证号码脱敏）")
def teachers(
    request: HttpRequest,
    q: Query = "",
    institution_id: Id | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.teacher_list(
        actor=_actor(request), q=q, institution_id=institution_id
    ).prefetch_related("occupations")
    return _page(qs, page, page_size, _teacher)


@router.get("/teachers/{teacher_id}", response=dict, summary="师资详情")
def teacher(request: HttpRequest, teacher_id: Id) -> dict[str, object]:
    actor = _actor(request)
    return _teacher(access_by_id(actor, selectors.teacher_list(actor=actor), teacher_id))


def _site(s: Site) -> dict[str, object]:
    return {
        "id": s.pk,
        "institution": s.institution_id,
        "name": s.name,
        "address": s.address,
        "workstations": {w.occupation.code: w.count for w in s.workstations.all()},
    }


@router.get("/sites", response=Page, summary="场地与工位")
def sites(
    request: HttpRequest,
    q: Query = "",
    institution_id: Id | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.site_list(
        actor=_actor(request), q=q, institution_id=institution_id
    ).prefetch_related("workstations__occupation")
    return _page(qs, page, page_size, _site)


@router.get("/sites/{site_id}", response=dict, summary="场地详情")
def site(request: HttpRequest, site_id: Id) -> dict[str, object]:
    actor = _actor(request)
    qs = selectors.site_list(actor=actor).prefetch_related("workstations__occupation")
    return _site(access_by_id(actor, qs, site_id))


# --- people ------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    phone: str  # masked
    county: str
    key_group: str = ""
    employer: int | None = None
    post_occupation: str = ""
    former_occupation: str = ""
    school: int | None = None
    major_occupation: str = ""
    graduation_year: int | None = None


def _person(p: Person) -> dict[str, object]:
    return {
        "id": p.pk,
        "name": p.name,
        "id_number": p.id_masked,
        "phone": p.phone_masked,
        "county": p.county.code,
        "key_group": p.key_group,
        "employer": p.employer_id,
        "post_occupation": p.post_occupation.code if p.post_occupation else "",
        "former_occupation": p.former_occupation.code if p.former_occupation else "",
        "school": p.school_id,
        "major_occupation": p.major_occupation.code if p.major_occupation else "",
        "graduation_year": p.graduation_year,
    }


_PERSON_RELATED = ("county", "post_occupation", "former_occupation", "major_occupation")


@router.get("/people", response=Page, summary="人员列表（身份证号码、手机号脱敏）")
def people(
    request: HttpRequest,
    q: Query = "",
    county: CountyCode = "",
    key_group: Annotated[str, Choice(KeyGroup, "重点群体", blank=True)] = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.person_search(actor=_actor(request), q=q, county=county, key_group=key_group)
    return _page(qs.select_related(*_PERSON_RELATED), page, page_size, _person)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情（脱敏）")
def person(request: HttpRequest, person_id: Id) -> dict[str, object]:
    actor = _actor(request)
    qs = selectors.person_list(actor=actor).select_related(*_PERSON_RELATED)
    return _person(access_by_id(actor, qs, person_id))


# --- import, export ----------------------------------------------------------------------


class ImportOut(Schema):
    id: int
    kind: str
    status: str
    total_rows: int
    bad_rows: int
    errors: list[dict[str, Any]]
    result: dict[str, Any]
    # The background job now checking or writing the file (GET /jobs/{id}), if any.
    job_id: int | None


def _job(j: ImportJob) -> dict[str, object]:
    return {
        "id": j.pk,
        "kind": j.kind,
        "status": j.status,
        "total_rows": j.total_rows,
        "bad_rows": j.bad_rows,
        "errors": j.errors,
        "result": j.result,
        "job_id": j.current_job_id,
    }


@router.post(
    "/imports",
    response={201: ImportOut},
    summary="上传导入文件（.xlsx/.csv）：后台逐行校验，状态为 validating，完成后为 validated",
)
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Annotated[str, Choice(ImportJob.Kind, "导入类型")] = Form(...),
    institution_id: Annotated[int, Ge(0), Le(INT64_MAX)] = Form(0),
    roster_title: Annotated[str, Text.of(ImportJob, "roster_title")] = Form(""),
) -> Status[dict[str, object]]:
    job = imports.import_upload(
        actor=_actor(request),
        kind=kind,
        filename=file.name or "upload",
        content=file.read(),
        institution_id=institution_id or None,
        roster_title=roster_title,
    )
    return Status(201, _job(job))


class ConfirmIn(Schema):
    good_rows_only: bool = False


@router.post(
    "/imports/{job_id}/confirm",
    response={202: ImportOut},
    summary="确认导入（可选仅导入无误的行）：后台写入，状态为 importing，完成后为 imported",
)
def import_confirm(request: HttpRequest, job_id: Id, body: ConfirmIn) -> Status[dict[str, object]]:
    return Status(
        202,
        _job(
            imports.import_confirm(
                actor=_actor(request), job_id=job_id, good_rows_only=body.good_rows_only
            )
        ),
    )


@router.get("/imports/{job_id}", response=ImportOut, summary="导入任务及错误明细")
def import_job(request: HttpRequest, job_id: Id) -> dict[str, object]:
    return _job(selectors.import_job_for(actor=_actor(request), job_id=job_id))


class JobRef(Schema):
    job_id: int
    state: str


@router.get(
    "/exports/{name}.xlsx",
    response={200: None, 202: JobRef},
    summary="导出列表为Excel（按权限范围，身份证号码脱敏）；行数多时返回 202 和后台任务编号，"
    "完成后从 /jobs/{id}/file 下载",
)
def export(
    request: HttpRequest, name: Annotated[str, Text(40)]
) -> HttpResponse | Status[dict[str, object]]:
    actor = _actor(request)
    table = tables_for(actor).get(name)
    if table is None:
        raise NotFound("没有这个列表", message_en="no such list", detail={"name": name})
    qs = table.query(actor, request.GET)
    if qs.count() > settings.EXPORT_DIRECT_MAX_ROWS:
        job = services.export_start(actor=actor, table=name, filters=request.GET)
        return Status(202, {"job_id": job.pk, "state": job.state})
    body = export_xlsx(table, qs.iterator(chunk_size=2000))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
