"""The forms of the case pages: the boundary's checks (``web.forms.BoundedForm``) before a
case service sees a value."""

from __future__ import annotations

from typing import Any

from django import forms

from chizheng.registry.models import Sanction
from chizheng.web.forms import BoundedForm

from .case_flow import CONCLUSIONS
from .case_services import CONCLUSION_MAX, MAX_FILE_BYTES, NOTE_MAX, TITLE_MAX
from .models import Case


class OpenForm(BoundedForm):
    findings = forms.TypedMultipleChoiceField(label="核查线索", coerce=int, choices=())
    title = forms.CharField(label="案由", max_length=TITLE_MAX, required=False)

    def __init__(self, *args: Any, finding_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = [(i, str(i)) for i in finding_ids]  # type: ignore[attr-defined]


class AssignForm(BoundedForm):
    assignee = forms.IntegerField(label="承办人", min_value=1)


class NoteForm(BoundedForm):
    text = forms.CharField(label="核查记录", max_length=NOTE_MAX, widget=forms.Textarea)
    file = forms.FileField(label="证据材料（PDF、JPG、PNG）", required=False)

    def clean_file(self) -> object:
        f = self.cleaned_data.get("file")
        if f is not None and f.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"证据文件不能超过{MAX_FILE_BYTES // (1024 * 1024)}MB")
        return f


class ConcludeForm(BoundedForm):
    outcome = forms.ChoiceField(
        label="核查结论",
        choices=[(k, Case.State(k).label) for k in CONCLUSIONS],
        widget=forms.RadioSelect,
    )
    conclusion = forms.CharField(label="结论说明", max_length=CONCLUSION_MAX, widget=forms.Textarea)
    lines = forms.TypedMultipleChoiceField(
        label="追缴的补贴明细", coerce=int, choices=(), required=False
    )
    sanction_kind = forms.ChoiceField(
        label="处理类型", choices=[("", "—"), *Sanction.Kind.choices], required=False
    )
    institution = forms.TypedChoiceField(
        label="被处理机构", coerce=int, choices=(), required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        lines: list[tuple[int, str]],
        institutions: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = lines  # type: ignore[attr-defined]
        self.fields["institution"].choices = [("", "—"), *institutions]  # type: ignore[attr-defined]
