"""Forms: parse and validate what a person typed; the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from chizheng.core.review import Seen
from chizheng.registry.models import CertificateType, SkillLevel
from chizheng.web.forms import BoundedForm

from .models import AppliedBy, Inspection, Mode, Opinion, Review, Session

DATE = forms.DateInput(attrs={"type": "date"})
SMALLINT_MAX = 2**15 - 1  # the columns are PositiveSmallIntegerField

# The occupation picker: typing a code's start or a part of the name offers the matching
# entries of the classification with their level (issue 16, item 6); the page holds the
# ``<datalist id="occupation-options">`` the options go into.
OCCUPATION_PICKER = {
    "list": "occupation-options",
    "autocomplete": "off",
    "placeholder": "如 6-18-02-05 或 焊工",
    "hx-get": reverse_lazy("registry:occupation_pick"),
    "hx-trigger": "input changed delay:300ms, focus once",
    "hx-target": "#occupation-options",
    "hx-swap": "innerHTML",
}


class ClassForm(BoundedForm):
    batch = forms.CharField(label="开班批次", max_length=40)
    start_date = forms.DateField(label="开班时间", widget=DATE)
    end_date = forms.DateField(label="结束时间", widget=DATE)
    programme_id = forms.TypedChoiceField(
        label="专项（十大专项）", coerce=int, empty_value=None, required=False, choices=[]
    )
    occupation_code = forms.CharField(
        label="培训工种（输入代码或名称查找）",
        max_length=20,
        widget=forms.TextInput(attrs=OCCUPATION_PICKER),
    )
    skill_level = forms.TypedChoiceField(
        label="级别",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *SkillLevel.choices],
    )
    certificate_type = forms.ChoiceField(label="考核证书类型", choices=CertificateType.choices)
    planned_count = forms.IntegerField(label="拟培训人数", min_value=1)
    class_hours = forms.IntegerField(label="总课时", min_value=1)
    practical_hours = forms.IntegerField(label="实操课时", min_value=0)
    online_theory_hours = forms.IntegerField(label="线上理论课时", min_value=0, initial=0)
    class_hour_minutes = forms.IntegerField(
        label="每课时分钟数", min_value=1, max_value=SMALLINT_MAX, initial=45
    )
    mode = forms.ChoiceField(label="培训方式", choices=Mode.choices)
    platform_id = forms.TypedChoiceField(
        label="线上平台", coerce=int, empty_value=None, required=False, choices=[]
    )
    teacher_ids = forms.TypedMultipleChoiceField(
        label="师资", coerce=int, required=False, choices=[]
    )
    site_ids = forms.TypedMultipleChoiceField(label="场地", coerce=int, required=False, choices=[])
    tags = forms.MultipleChoiceField(
        label="培训项目（专项行动中的，可多选）",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    bank_name = forms.CharField(label="开户银行名称", max_length=100, required=False)
    bank_account = forms.CharField(label="银行帐号", max_length=40, required=False)
    plan_in_system = forms.BooleanField(label="培训计划已在系统填报", required=False, initial=True)
    roster_in_system = forms.BooleanField(
        label="人员名册已在系统填报", required=False, initial=True
    )

    def __init__(
        self,
        *args: object,
        teachers: list[tuple[int, str]],
        sites: list[tuple[int, str]],
        platforms: list[tuple[int, str]],
        programmes: list[tuple[int, str]],
        tags: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher_ids"].choices = teachers  # type: ignore[attr-defined]
        self.fields["site_ids"].choices = sites  # type: ignore[attr-defined]
        self.fields["platform_id"].choices = [("", "—"), *platforms]  # type: ignore[attr-defined]
        self.fields["programme_id"].choices = [("", "—"), *programmes]  # type: ignore[attr-defined]
        self.fields["tags"].choices = tags  # type: ignore[attr-defined]


class RosterForm(BoundedForm):
    id_numbers = forms.CharField(
        label="身份证号码（每行一个）", widget=forms.Textarea(attrs={"rows": 6})
    )


class ReviewForm(BoundedForm):
    decision = forms.ChoiceField(label="审核结论", choices=Review.Decision.choices)
    opinion = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # What the reviewer saw: the step and the class's version when the page was drawn.
    level = forms.ChoiceField(choices=Review.Level.choices, widget=forms.HiddenInput)
    step = forms.ChoiceField(choices=Review.Step.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def seen(self) -> Seen:
        d = self.cleaned_data
        return Seen(level=d["level"], step=d["step"], version=d["version"])


class SessionForm(BoundedForm):
    held_on = forms.DateField(label="日期", widget=DATE)
    kind = forms.ChoiceField(label="类型", choices=Session.Kind.choices)
    class_hours = forms.IntegerField(label="课时数", min_value=1, max_value=SMALLINT_MAX)
    minutes = forms.IntegerField(label="时长（分钟）", min_value=1)
    recorded_minutes = forms.IntegerField(label="录像总时长（分钟）", min_value=0, initial=0)
    longest_continuous = forms.CharField(
        label="每课时最长连续录像（分钟，逗号分隔）", required=False
    )
    shows_all_trainees = forms.BooleanField(label="录像显示全体学员", required=False, initial=True)

    def clean_longest_continuous(self) -> list[int]:
        raw = self.cleaned_data["longest_continuous"].replace("，", ",")
        try:
            return [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError("请填写整数，用逗号分隔") from None


class InspectionForm(BoundedForm):
    kind = forms.ChoiceField(label="检查类型", choices=Inspection.Kind.choices)
    held_on = forms.DateField(label="时间", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    present = forms.IntegerField(label="在位学员人数", min_value=0)
    signed_in = forms.IntegerField(label="签到人数", min_value=0)
    teachers_present = forms.IntegerField(label="在岗教师人数", min_value=0)
    materials_kept = forms.BooleanField(label="培训资料留存", required=False, initial=True)
    notes = forms.CharField(
        label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessmentForm(BoundedForm):
    evaluator_id = forms.TypedChoiceField(label="评价机构", coerce=int, choices=[])
    held_on = forms.DateField(label="考核日期", widget=DATE)
    applied_by = forms.ChoiceField(
        label="申请考核方",
        choices=AppliedBy.choices,
    )

    def __init__(
        self,
        *args: object,
        evaluators: list[tuple[int, str]],
        pure_online: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator_id"].choices = evaluators  # type: ignore[attr-defined]
        if pure_online:
            # §20(4): a pure-online class is assessed only on the application of an enterprise
            # or of the worker himself; the institution may not apply for it.
            applied_by = self.fields["applied_by"]
            applied_by.choices = [  # type: ignore[attr-defined]
                (v, label) for v, label in AppliedBy.choices if v != AppliedBy.INSTITUTION
            ]
            applied_by.initial = AppliedBy.ENTERPRISE
            applied_by.help_text = "纯线上培训只能由企业或劳动者个人申请考核（§20(4)）"


class SurveyForm(BoundedForm):
    satisfied = forms.TypedChoiceField(
        label="您对本次培训是否满意？",
        coerce=lambda v: v == "1",
        choices=[("1", "满意"), ("0", "不满意")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PureOnlineAddForm(BoundedForm):
    occupation_code = forms.CharField(
        label="职业（工种）代码",
        max_length=20,
        widget=forms.TextInput(attrs={**OCCUPATION_PICKER, "placeholder": "如 4-07-05-02"}),
    )
    valid_from = forms.DateField(label="起始日期", widget=DATE)
    reason = forms.CharField(label="依据", max_length=200)


class PureOnlineEndForm(BoundedForm):
    valid_until = forms.DateField(label="截止日期", widget=DATE)
    reason = forms.CharField(label="原因", max_length=200, required=False)


class ContractForm(BoundedForm):
    """One apprentice's labour contract (企业新型学徒制), per roster line."""

    contract_start = forms.DateField(label="劳动合同起始", widget=DATE)
    contract_end = forms.DateField(label="劳动合同终止", widget=DATE)


class OpinionForm(BoundedForm):
    """An office's signed box of 附件2: the HR bureau's opinion on the supervision or the
    results, an inspector's patrol of the assessment (the page sets ``kind``)."""

    kind = forms.ChoiceField(label="类型", choices=Opinion.Kind.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label="意见",
        max_length=Opinion._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
