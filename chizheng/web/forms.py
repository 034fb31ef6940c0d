"""The base of every form of the pages: the boundary's checks, as the API has them.

``BoundedForm`` gives each field what a value typed into a page must satisfy before a
service sees it, so that a NUL, a control character, an over-long text or a number beyond a
column's range is a field error on the form, never a 500 from the database:

- text fields refuse control characters (tab and line breaks allowed in a text area) and,
  when they declare no length, take at most ``inputs.LONG_TEXT`` characters;
- whole-number fields without a maximum take at most what a PostgreSQL ``integer`` holds
  (an id beyond a key's range is already "not found": Django 5 drops such lookups).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator

from chizheng.core import inputs

INT32_MAX = 2**31 - 1


def refuse_control_characters(*, multiline: bool) -> Callable[[str], None]:
    def check(value: str) -> None:
        at = inputs.first_control_character(value, multiline=multiline)
        if at is not None:
            raise forms.ValidationError(inputs.control_character_reason(at, value))

    return check


def bound_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators.append(refuse_control_characters(multiline=multiline))
            if field.max_length is None:
                field.max_length = inputs.LONG_TEXT
                field.validators.append(MaxLengthValidator(inputs.LONG_TEXT))
                field.widget.attrs.setdefault("maxlength", str(inputs.LONG_TEXT))
        elif isinstance(field, forms.IntegerField) and field.max_value is None:
            field.max_value = INT32_MAX
            field.validators.append(MaxValueValidator(INT32_MAX))


class BoundedForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_fields(self)
