"""The policy, calendar, ID and audit commands, with bad input and clear messages."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from chizheng.core import audit


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as e:
        return int(e.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


class TestIdcheck:
    def test_valid_and_invalid_numbers(self) -> None:
        code, out, _ = run(
            "idcheck",
            "11010519491231002x",
            "11010519491231002",
            "110105200002300011",
            "110105194912310021",
        )
        assert code == 1
        lines = out.splitlines()
        assert lines[0] == "11010519491231002X valid"
        assert lines[1] == "11010519491231002 invalid: 长度应为18位，实际为17位"
        assert lines[2] == "110105200002300011 invalid: 出生日期20000230不是有效日期"
        assert lines[3] == "110105194912310021 invalid: 校验码错误：应为X，实际为1"

    def test_all_valid_exits_zero(self) -> None:
        assert run("idcheck", "11010519491231002X")[0] == 0


class TestPolicyShow:
    def test_one_parameter_with_its_clause(self) -> None:
        _, out, _ = run("policy", "show", "--at", "2022-06-01", "class.max_size")
        assert out.startswith("class.max_size = 80 人  [§20(1)] 2022-01-01–…")
        assert "每班人数不超过 80 人" in out

    def test_all_parameters(self) -> None:
        _, out, _ = run("policy", "show", "--at", "2022-06-01")
        assert "deadlines.public_notice_min_working_days = 5" in out
        assert "funding.source_order = skills_upgrade_account, employment_subsidy" in out

    def test_a_date_before_the_policy_is_an_error(self) -> None:
        with pytest.raises(CommandError, match="2021-06-01 没有生效的取值"):
            run("policy", "show", "--at", "2021-06-01", "class.max_size")

    def test_a_malformed_date_is_an_error(self) -> None:
        with pytest.raises(CommandError, match="日期格式错误：'2022-13-01'"):
            run("policy", "show", "--at", "2022-13-01")

    def test_an_unknown_parameter_is_an_error(self) -> None:
        with pytest.raises(CommandError, match=r"未知的政策参数：class\.nope"):
            run("policy", "show", "class.nope")


@pytest.mark.django_db
class TestWorkdays:
    def test_add(self) -> None:
        assert run("workdays", "add", "2022-09-28", "10")[1].strip() == "2022-10-17"

    def test_window(self) -> None:
        assert run("workdays", "window", "2022-09-29", "5")[1].strip() == "2022-10-10"

    def test_an_unknown_year_is_an_error(self) -> None:
        with pytest.raises(CommandError, match="不包含2027年"):
            run("workdays", "add", "2026-12-25", "10")

    def test_a_database_override_makes_the_year_known(self) -> None:
        import datetime as dt

        from chizheng.core.models import HolidayOverride, HolidayYear

        HolidayYear.objects.create(year=2027, source="测试通知", status=HolidayYear.Status.KNOWN)
        HolidayOverride.objects.create(day=dt.date(2027, 1, 1), workday=False, name="元旦")
        assert run("workdays", "add", "2026-12-31", "1")[1].strip() == "2027-01-04"

    def test_a_malformed_date_is_an_error(self) -> None:
        with pytest.raises(CommandError, match="日期格式错误：'2022-02-30'"):
            run("workdays", "add", "2022-02-30", "3")

    def test_a_negative_count_is_an_error(self) -> None:
        with pytest.raises(CommandError, match="N 必须是非负整数"):
            run("workdays", "add", "2022-09-28", "-1")


@pytest.mark.django_db
class TestAuditVerify:
    def test_intact(self, make_user) -> None:
        audit.record(actor=make_user(), action="t", after={"a": 1})
        code, out, _ = run("audit", "verify")
        assert code == 0 and "哈希链无断裂" in out

    def test_tampered_row_exits_one_naming_it(self, make_user) -> None:
        actor = make_user()
        events = [audit.record(actor=actor, action="t", after={"a": i}) for i in range(3)]
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
            else:
                cur.execute("DROP TRIGGER core_auditevent_append_only")
            cur.execute(
                "UPDATE core_auditevent SET after = %s WHERE seq = %s", ['{"a": 99}', events[1].seq]
            )
        code, _, err = run("audit", "verify")
        assert code == 1
        assert f"第{events[1].seq}条记录内容被修改" in err
