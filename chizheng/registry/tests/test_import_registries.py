"""Institution, teacher and roster imports: checked row by row, set-based, idempotent."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.registry import imports
from chizheng.registry.models import (
    Institution,
    Person,
    Roster,
    RosterEntry,
    Teacher,
    TeacherCertificate,
)

from . import flow
from .conftest import person_row

pytestmark = pytest.mark.django_db


def _csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


INST_HEADERS = [
    "机构名称",
    "统一社会信用代码",
    "机构类型",
    "所属县（市、区）",
    "行业主管部门",
    "评价机构类别",
    "备案日期",
]


def test_institutions_import(occupations: None, make_user: Callable[..., User]) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    rows = [
        ["甲培训学校", "91410400MA0000001A", "民办职业培训学校", "新华区", "", "", ""],
        [
            "乙评价中心",
            "91410400MA0000002B",
            "评价机构",
            "410482",
            "",
            "社会培训评价组织",
            "2022-03-01",
        ],
        ["丙", "123", "学校", "火星区", "", "", ""],
    ]
    job = flow.validate(
        actor=office, kind="institutions", filename="i.csv", content=_csv(INST_HEADERS, rows)
    )
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (4, "统一社会信用代码"),
        (4, "机构类型"),
        (4, "所属县（市、区）"),
    }
    job = flow.confirm(actor=office, job_id=job.pk, good_rows_only=True)
    assert job.result["created"] == 2
    evaluator = Institution.objects.get(credit_code="91410400MA0000002B")
    assert evaluator.is_filed_evaluator and evaluator.county.code == "410482"
    again = imports.import_file(
        actor=office, kind="institutions", filename="i.csv", content=_csv(INST_HEADERS, rows[:2])
    )
    assert (again.result["created"], again.result["updated"]) == (0, 0)


def test_a_county_user_cannot_overwrite_another_countys_institution(
    occupations: None,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    county: Callable[..., Any],
) -> None:
    other = make_institution("410482")
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    rows = [["改名", other.credit_code, "民办职业培训学校", "新华区", "", "", ""]]
    job = flow.validate(
        actor=xinhua, kind="institutions", filename="i.csv", content=_csv(INST_HEADERS, rows)
    )
    assert job.errors == [
        {
            "row": 2,
            "column": "统一社会信用代码",
            "reason": "该机构已由其他县（市、区）登记，无权修改",
        }
    ]


TEACHER_HEADERS = [
    "机构统一社会信用代码",
    "姓名",
    "身份证号码",
    "是否专职",
    "任教职业编码",
    "资格证书类型",
    "证书编号",
    "证书职业编码",
    "证书等级",
]


def test_teachers_import(
    occupations: None, make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution()
    a, b = person_row(1)[1], person_row(2)[1]
    rows = [
        [
            inst.credit_code,
            "李老师",
            a,
            "是",
            "6-18-02-05、6-18-02-01",
            "职业技能等级证书",
            "Z001",
            "6-18-02-05",
            "2",
        ],
        [inst.credit_code, "王老师", b, "否", "", "", "", "", ""],
        [
            inst.credit_code,
            "赵老师",
            b[:17] + "0" if b[17] != "0" else b[:17] + "1",
            "也许",
            "1-1",
            "",
            "",
            "",
            "9",
        ],
    ]
    job = flow.validate(
        actor=office, kind="teachers", filename="t.csv", content=_csv(TEACHER_HEADERS, rows)
    )
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (4, "身份证号码"),
        (4, "是否专职"),
        (4, "任教职业编码"),
        (4, "证书等级"),
    }
    job = flow.confirm(actor=office, job_id=job.pk, good_rows_only=True)
    assert job.result == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "occupations_added": 2,
        "certificates_added": 1,
        "skipped_bad_rows": 1,
    }
    li = Teacher.objects.get(name="李老师")
    assert li.full_time and sorted(o.code for o in li.occupations.all()) == [
        "6-18-02-01",
        "6-18-02-05",
    ]
    assert TeacherCertificate.objects.get().level == 2
    again = imports.import_file(
        actor=office, kind="teachers", filename="t.csv", content=_csv(TEACHER_HEADERS, rows[:2])
    )
    assert again.result["created"] == 0 and again.result["occupations_added"] == 0
    assert again.result["certificates_added"] == 0


def test_roster_import_by_an_institution_user(
    occupations: None,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    make_person: Callable[..., Person],
) -> None:
    inst = make_institution("410402")
    user = make_user(Role.INSTITUTION, institution=inst)
    known = make_person("410482", name="老学员")
    headers = ["姓名", "身份证号码", "手机号码"]
    rows = [["新学员", person_row(11)[1], ""], ["改了名", known.id_number, ""]]
    job = imports.import_file(
        actor=user,
        kind="roster",
        filename="r.csv",
        content=_csv(headers, rows),
        institution_id=inst.pk,
        roster_title="2022年第1期焊工班",
    )
    assert job.result["entries_added"] == 2 and job.result["people_created"] == 1
    roster = Roster.objects.get(title="2022年第1期焊工班")
    assert RosterEntry.objects.filter(roster=roster).count() == 2
    assert (
        Person.objects.get(pk=known.pk).name == "老学员"
    )  # an institution does not edit the registry
    assert Person.objects.get(name="新学员").county == inst.county
    again = imports.import_file(
        actor=user,
        kind="roster",
        filename="r.csv",
        content=_csv(headers, rows),
        institution_id=inst.pk,
        roster_title="2022年第1期焊工班",
    )
    assert again.result["entries_added"] == 0 and Roster.objects.count() == 1


def test_a_used_job_cannot_be_imported_twice(
    occupations: None, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    job = imports.import_file(
        actor=office,
        kind="institutions",
        filename="i.csv",
        content=_csv(
            INST_HEADERS, [["甲", "91410400MA0000009Z", "用人单位", "新华区", "", "", ""]]
        ),
    )
    from chizheng.core.errors import ValidationError

    with pytest.raises(ValidationError):
        flow.confirm(actor=office, job_id=job.pk)


def test_another_users_job_is_not_found(occupations: None, make_user: Callable[..., User]) -> None:
    from chizheng.core.errors import NotFound

    a, b = make_user(Role.PROGRAMME_OFFICE), make_user(Role.PROGRAMME_OFFICE)
    job = flow.validate(
        actor=a, kind="institutions", filename="i.csv", content=_csv(INST_HEADERS, [])
    )
    with pytest.raises(NotFound):
        flow.confirm(actor=b, job_id=job.pk)
