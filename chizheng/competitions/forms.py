"""Form input of the competition pages; the services do the checking that matters."""

from __future__ import annotations

from typing import Any

from django import forms

from chizheng.accounts.models import User
from chizheng.org.models import County, Department
from chizheng.registry.models import Institution, SkillLevel
from chizheng.web.forms import BoundedForm

from . import selectors
from .models import Award, Level

DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(BoundedForm):
    name = forms.CharField(label="赛事名称", max_length=100)
    level = forms.ChoiceField(label="竞赛级别", choices=Level.choices)
    occupation_codes = forms.CharField(
        label="竞赛职业编码",
        max_length=2000,
        help_text="职业（细类）编码，多个用逗号或空格分隔，如 6-18-01-01, 4-03-02-01",
    )
    organiser_department = forms.ModelChoiceField(
        label="主办部门", queryset=Department.objects.none(), required=False
    )
    organiser_institution = forms.ModelChoiceField(
        label="承办机构（无主办部门时）", queryset=Institution.objects.none(), required=False
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    place = forms.CharField(label="举办地点", max_length=200)
    county = forms.ModelChoiceField(label="举办地县（市、区）", queryset=County.objects.none())

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, qs in (
            ("organiser_department", selectors.organiser_departments(actor=actor)),
            ("organiser_institution", selectors.organiser_institutions(actor=actor)),
            ("county", selectors.host_counties(actor=actor)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs

    def codes(self) -> list[str]:
        raw = self.cleaned_data["occupation_codes"]
        return [c for c in raw.replace("，", ",").replace(",", " ").split() if c]


class ContestantForm(BoundedForm):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18, min_length=15)
    occupation_code = forms.ChoiceField(label="参赛职业", choices=())

    def __init__(self, *args: Any, occupations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["occupation_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = occupations


class ResultForm(BoundedForm):
    score = forms.DecimalField(
        label="成绩", required=False, min_value=0, max_digits=6, decimal_places=2
    )
    rank = forms.IntegerField(label="名次", required=False, min_value=1, max_value=2**15 - 1)
    award = forms.ChoiceField(label="奖项", choices=Award.choices, required=False)
    certificate_number = forms.CharField(label="竞赛取得的证书编号", max_length=60, required=False)
    conferred_level = forms.TypedChoiceField(
        label="竞赛获奖晋升等级",
        choices=[("", "—"), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    conferred_on = forms.DateField(label="晋升日期", required=False, widget=DATE)


class ImportForm(forms.Form):
    file = forms.FileField(label="选手名单（.xlsx 或 .csv）")
