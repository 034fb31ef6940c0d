"""People import: every bad row reported, nothing written unless chosen, re-import changes nothing."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest

from chizheng.accounts.models import Role, User
from chizheng.core.models import AuditEvent
from chizheng.registry import imports
from chizheng.registry.models import ImportJob, Person
from chizheng.registry.selectors import person_by_id_number

from . import flow
from .conftest import HEADERS, person_row

pytestmark = pytest.mark.django_db

# Each planted error: (what to change in the row, the column reported, a word of the reason).
PLANTS: list[tuple[Callable[[list[str]], None], str, str]] = [
    (
        lambda r: r.__setitem__(1, r[1][:17] + ("0" if r[1][17] != "0" else "1")),
        "身份证号码",
        "校验码",
    ),
    (lambda r: r.__setitem__(1, r[1][:10] + "1345" + r[1][14:]), "身份证号码", "出生日期"),
    (lambda r: r.__setitem__(1, r[1][:16]), "身份证号码", "长度"),
    (lambda r: r.__setitem__(0, ""), "姓名", "必填"),
    (lambda r: r.__setitem__(2, "12345"), "手机号码", "11位"),
    (lambda r: r.__setitem__(3, "999999"), "所属县（市、区）", "不存在"),
    (lambda r: r.__setitem__(4, "工人"), "重点群体", "不在可选范围"),
    (lambda r: r.__setitem__(6, "6-18-02-99"), "岗位职业编码", "不在2022年版"),
    (lambda r: r.__setitem__(8, "2022-13-01"), "转岗日期", "格式错误"),
    (lambda r: r.__setitem__(11, "1800"), "毕业年份", "之间"),
]


def _planted_file(people_csv: Callable[[list[list[str]]], bytes]) -> tuple[bytes, dict[int, str]]:
    rows = [person_row(n) for n in range(10_000)]
    expected: dict[int, str] = {}
    for k in range(50):
        i = 37 + k * 199  # spread over the file
        row_number = i + 2  # header is row 1
        if k % 10 == 9:
            rows[i][1] = rows[i - 5][1]  # a repeat of an earlier row's ID number
            expected[row_number] = "身份证号码"
            continue
        change, column, _ = PLANTS[k % len(PLANTS)]
        change(rows[i])
        expected[row_number] = column
    return people_csv(rows), expected


def test_ten_thousand_rows_with_fifty_errors(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    content, expected = _planted_file(people_csv)
    job = flow.validate(actor=office, kind="people", filename="people.csv", content=content)
    assert job.total_rows == 10_000
    assert job.bad_rows == 50
    assert {(e["row"], e["column"]) for e in job.errors} == set(expected.items())
    assert all(e["reason"] for e in job.errors)
    assert Person.objects.count() == 0

    with pytest.raises(imports.ImportHasErrors) as refused:
        flow.confirm(actor=office, job_id=job.pk)
    assert "50行错误" in refused.value.message
    assert Person.objects.count() == 0  # a file with a bad row imports nothing ...

    job = flow.confirm(actor=office, job_id=job.pk, good_rows_only=True)  # ... unless chosen
    assert job.status == ImportJob.Status.IMPORTED
    assert job.result["created"] == 9_950 and job.result["skipped_bad_rows"] == 50
    assert Person.objects.count() == 9_950
    assert job.content == ""  # the upload is not kept once used
    assert AuditEvent.objects.filter(action="import.people", object_id=str(job.pk)).exists()

    again = imports.import_file(
        actor=office, kind="people", filename="people.csv", content=content, good_rows_only=True
    )
    assert again.result["created"] == 0 and again.result["updated"] == 0
    assert again.result["unchanged"] == 9_950
    assert Person.objects.count() == 9_950


def test_imported_people_are_encrypted_masked_and_found_by_id(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    row = person_row(7)
    row[1] = row[1][:17] + row[1][17].lower()
    imports.import_file(actor=office, kind="people", filename="p.csv", content=people_csv([row]))
    p = person_by_id_number(actor=office, id_number=row[1])
    assert p is not None and p.id_masked == row[1][:6] + "********" + row[1][14:].upper()
    from django.db import connection

    with connection.cursor() as c:
        c.execute("select id_number, phone from registry_person where id = %s", [p.pk])
        raw_id, raw_phone = c.fetchone()
    assert raw_id.startswith("v1:") and row[1] not in raw_id and raw_phone.startswith("v1:")


def test_a_changed_row_updates_only_that_person(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    rows = [person_row(n) for n in range(20)]
    imports.import_file(actor=office, kind="people", filename="p.csv", content=people_csv(rows))
    rows[3][0] = "改名"
    rows[4][4] = "退役军人"
    job = imports.import_file(
        actor=office, kind="people", filename="p.csv", content=people_csv(rows)
    )
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (0, 2, 18)
    assert Person.objects.filter(name="改名").count() == 1
    assert Person.objects.filter(key_group="veteran").count() == 1


def test_xlsx_import_and_the_excel_number_trap(
    occupations: None, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([h + "*" if h in ("姓名", "身份证号码") else h for h in HEADERS])
    good = person_row(1)
    ws.append(good)
    numeric = person_row(2)
    ws.append([numeric[0], int(numeric[1][:15]), *numeric[2:]])  # typed as a number by Excel
    ws.append([])  # blank rows are skipped
    buf = io.BytesIO()
    wb.save(buf)
    job = flow.validate(actor=office, kind="people", filename="p.xlsx", content=buf.getvalue())
    assert job.total_rows == 2
    assert job.errors == [
        {
            "row": 3,
            "column": "身份证号码",
            "reason": "身份证号码被存为数字（末位可能已丢失），请将该列设为文本格式后重新填写",
        }
    ]


def test_missing_required_column_is_reported(
    occupations: None, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    job = flow.validate(
        actor=office,
        kind="people",
        filename="p.csv",
        content="姓名,手机号码\n张三,13900000000\n".encode(),
    )
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (1, "身份证号码"),
        (1, "所属县（市、区）"),
    }


def test_gbk_csv_is_read(occupations: None, make_user: Callable[..., User]) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    row = person_row(3)
    text = ",".join(HEADERS) + "\n" + ",".join(row) + "\n"
    job = imports.import_file(
        actor=office, kind="people", filename="p.csv", content=text.encode("gbk")
    )
    assert job.result["created"] == 1


def test_a_county_user_imports_only_his_county(
    occupations: None,
    make_user: Callable[..., User],
    county: Callable[..., object],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    mine, other = person_row(1, "410402"), person_row(2, "410482")
    blank = person_row(3, "410402")
    blank[3] = ""  # defaults to his own county
    job = flow.validate(
        actor=xinhua, kind="people", filename="p.csv", content=people_csv([mine, other, blank])
    )
    assert job.errors == [
        {"row": 3, "column": "所属县（市、区）", "reason": "“汝州市”不属于本县（市、区），无权导入"}
    ]


def test_a_person_registered_elsewhere_is_not_changed_by_another_county(
    occupations: None,
    make_user: Callable[..., User],
    county: Callable[..., object],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    row = person_row(5, "410482")
    imports.import_file(actor=office, kind="people", filename="p.csv", content=people_csv([row]))
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    moved = list(row)
    moved[3], moved[0] = "410402", "别人"
    job = imports.import_file(
        actor=xinhua, kind="people", filename="p.csv", content=people_csv([moved])
    )
    assert job.result["not_updated_out_of_scope"] == 1
    assert Person.objects.get().county.code == "410482" and Person.objects.get().name == "张5"


def test_roles_without_registry_edit_cannot_import_people(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    from chizheng.core.errors import PermissionDenied

    finance = make_user(Role.FINANCE)
    with pytest.raises(PermissionDenied):
        flow.validate(actor=finance, kind="people", filename="p.csv", content=people_csv([]))


def test_templates_have_chinese_headers() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx("people")))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["姓名*", "身份证号码*"] and "岗位职业编码" in headers
    assert wb.sheetnames == ["人员", "填写说明"]
    assert (
        imports.template_csv("teachers")
        .decode("utf-8-sig")
        .startswith("机构统一社会信用代码*,姓名*")
    )
