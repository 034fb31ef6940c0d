"""The form of the token page: what a new API token is for and how long it lasts."""

from __future__ import annotations

from django import forms

from chizheng.web.forms import BoundedForm

from .tokens import DEFAULT_LIFETIME_DAYS, LIFETIMES_DAYS


class TokenForm(BoundedForm):
    name = forms.CharField(
        label="用途",
        max_length=60,
        help_text="如“培训管理系统对接”“学习日志上传”，便于日后区分和停用",
    )
    days = forms.TypedChoiceField(
        label="有效期",
        coerce=int,
        choices=[(d, f"{d} 天") for d in LIFETIMES_DAYS],
        initial=DEFAULT_LIFETIME_DAYS,
    )
