"""Form input for the registry pages; the services do the checking that matters."""

from __future__ import annotations

from typing import Any

from django import forms

from chizheng.accounts.models import User
from chizheng.org.models import County, Department
from chizheng.org.selectors import county_list
from chizheng.web.forms import BoundedForm

from .models import (
    CatalogEntry,
    ImportJob,
    Institution,
    KeyGroup,
    Sanction,
    SkillLevel,
    TeacherCertificate,
)

DATE = forms.DateInput(attrs={"type": "date"})


class _ScopedCounty(BoundedForm):
    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "county" in self.fields:
            field = self.fields["county"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = county_list(actor=actor)


class InstitutionForm(_ScopedCounty):
    name = forms.CharField(label="名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    kind = forms.ChoiceField(label="类型", choices=Institution.Kind.choices)
    county = forms.ModelChoiceField(label="所属县（市、区）", queryset=County.objects.none())
    department = forms.ModelChoiceField(
        label="行业主管部门", queryset=Department.objects.all(), required=False
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    evaluator_kind = forms.ChoiceField(
        label="评价机构类别",
        choices=[("", "—"), *list(Institution.EvaluatorKind.choices)],
        required=False,
    )
    # Filing and catalog status are the city office's decisions on the institution page
    # (``DecisionForm``), not fields of this form.


class DecisionForm(forms.Form):
    """A filing or catalog decision of the city office; which fields count depends on it."""

    on = forms.DateField(label="日期", required=False, widget=DATE)
    number = forms.CharField(label="备案编号", max_length=50, required=False)
    reason = forms.CharField(label="理由", max_length=500, required=False)


class EvaluationScopeForm(BoundedForm):
    occupation_code = forms.CharField(label="职业编码", max_length=10)
    levels = forms.TypedMultipleChoiceField(
        label="可评价等级",
        choices=SkillLevel.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CatalogForm(BoundedForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    occupation_code = forms.CharField(label="职业编码", max_length=10)
    valid_from = forms.DateField(label="起始日期", widget=DATE)
    source = forms.ChoiceField(label="纳入方式", choices=CatalogEntry.Source.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)


class TeacherForm(BoundedForm):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18)
    full_time = forms.BooleanField(label="专职", required=False, initial=True)
    occupation_codes = forms.CharField(label="任教职业编码（多个用顿号分隔）", required=False)
    certificate_kind = forms.ChoiceField(
        label="资格证书类型",
        choices=[("", "—"), *list(TeacherCertificate.Kind.choices)],
        required=False,
    )
    certificate_number = forms.CharField(label="证书编号", max_length=60, required=False)


class SiteForm(BoundedForm):
    name = forms.CharField(label="场地名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)
    area_m2 = forms.IntegerField(label="面积（平方米）", min_value=0, required=False)


class WorkstationForm(BoundedForm):
    occupation_code = forms.CharField(label="职业编码", max_length=10)
    count = forms.IntegerField(label="工位数（0为删除）", min_value=0)


class PersonForm(_ScopedCounty):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18)
    phone = forms.CharField(label="手机号码", max_length=11, required=False)
    county = forms.ModelChoiceField(label="所属县（市、区）", queryset=County.objects.none())
    key_group = forms.ChoiceField(
        label="重点群体", choices=[("", "—"), *list(KeyGroup.choices)], required=False
    )


class PersonEditForm(BoundedForm):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号码（不改请留空）", max_length=11, required=False)
    key_group = forms.ChoiceField(
        label="重点群体", choices=[("", "—"), *list(KeyGroup.choices)], required=False
    )
    employer = forms.CharField(label="工作单位统一社会信用代码", max_length=18, required=False)
    post_occupation = forms.CharField(label="岗位职业编码", max_length=10, required=False)
    former_occupation = forms.CharField(
        label="原岗位职业编码（转岗）", max_length=10, required=False
    )
    transferred_on = forms.DateField(label="转岗日期", required=False, widget=DATE)
    school = forms.CharField(label="在读学校统一社会信用代码", max_length=18, required=False)
    major_occupation = forms.CharField(label="在读专业对应职业编码", max_length=10, required=False)
    graduation_year = forms.IntegerField(
        label="毕业年份", min_value=1950, max_value=2100, required=False
    )


class SanctionForm(BoundedForm):
    kind = forms.ChoiceField(label="类型", choices=Sanction.Kind.choices)
    starts_on = forms.DateField(label="起始日期（平台禁入：违规日期）", widget=DATE)
    ends_on = forms.DateField(label="到期日期（仅黑名单，可不填）", widget=DATE, required=False)
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 3}))


class LiftForm(BoundedForm):
    lifted_on = forms.DateField(label="解除/退出日期", widget=DATE)
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(BoundedForm):
    kind = forms.ChoiceField(label="导入类型", choices=ImportJob.Kind.choices)
    file = forms.FileField(label="文件（.xlsx 或 .csv）")
    institution = forms.ModelChoiceField(
        label="花名册所属机构", queryset=Institution.objects.none(), required=False
    )
    roster_title = forms.CharField(label="花名册名称", max_length=100, required=False)

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutions
