"""Constrained types shared by every API schema and parameter: the boundary's checks.

A value is checked here, before any endpoint runs, for its type, range, length, choice and
characters; a bad one is answered 422 ``{code: "invalid", message, detail}`` naming the
field and the reason in Chinese (``errors.py`` renders pydantic's errors), never a 500.
The OpenAPI document shows the same constraints (``maxLength``, ``pattern``, ``enum``,
``minimum``/``maximum``), so a client can check before sending.

- ``Annotated[str, Text(100)]`` — text without control characters, at most 100 characters;
  ``Text.of(Model, "field")`` takes the length from the model field it is stored in.
- ``Annotated[str, Choice(Sanction.Kind, "处理类型")]`` — one of the declared values; the
  refusal names the allowed ones by their Chinese labels (``chizheng.core.inputs``).
- ``Id``, ``Count``, ``SmallCount``, ``PageNo``, ``PageSize``, ``Year``, ``Day``, ``Money``.

The numeric bounds are the storage's (a PostgreSQL ``integer`` holds 2^31−1) or the ranges
of dates and years the programme deals with — not policy values, which the rules check.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from annotated_types import Ge, Le
from django.db import models
from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from chizheng.core import inputs

from .pagination import MAX_PAGE, MAX_PAGE_SIZE

INT32_MAX = 2**31 - 1  # PostgreSQL integer (PositiveIntegerField)
INT16_MAX = 2**15 - 1  # PostgreSQL smallint (PositiveSmallIntegerField)
INT64_MAX = 2**63 - 1  # PostgreSQL bigint (primary keys)
LONG_TEXT, FIRST_DAY, LAST_DAY = inputs.LONG_TEXT, inputs.FIRST_DAY, inputs.LAST_DAY


class Text:
    """Metadata for ``Annotated[str, Text(n)]``: no control characters, at most ``n``
    characters (``multiline`` keeps tab and line breaks; ``min_length`` for required text)."""

    def __init__(self, max_length: int, *, multiline: bool = False, min_length: int = 0) -> None:
        self.max_length = max_length
        self.multiline = multiline
        self.min_length = min_length

    @classmethod
    def of(cls, model: type[models.Model], field: str, **kw: Any) -> Text:
        """The length of the model field the value is stored in (``LONG_TEXT`` for a
        ``TextField``); a ``TextField`` holds several lines."""
        f = model._meta.get_field(field)
        length = getattr(f, "max_length", None)
        multiline = kw.pop("multiline", isinstance(f, models.TextField))
        return cls(length or LONG_TEXT, multiline=multiline, **kw)

    def _check(self, value: str) -> str:
        at = inputs.first_control_character(value, multiline=self.multiline)
        if at is not None:
            raise PydanticCustomError(
                "control_character", inputs.control_character_reason(at, value)
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            self._check,
            core_schema.str_schema(max_length=self.max_length, min_length=self.min_length),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["pattern"] = inputs.MULTI_LINE_PATTERN if self.multiline else inputs.SINGLE_LINE_PATTERN
        return out


class Choice:
    """Metadata for ``Annotated[str, Choice(Model.Kind, "类型")]`` (or ``int`` for integer
    choices): one of the declared values (``""`` too when ``blank``)."""

    def __init__(self, choices: Any, label: str, *, blank: bool = False) -> None:
        self.values = inputs.choice_values(choices, blank=blank)
        self.message = inputs.choice_message(label, choices, blank=blank)

    def _check(self, value: Any) -> Any:
        if value not in self.values:
            raise PydanticCustomError("choice", self.message)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        base = (
            core_schema.int_schema()
            if all(isinstance(v, int) for v in self.values)
            else core_schema.str_schema()
        )
        return core_schema.no_info_after_validator_function(self._check, base)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["enum"] = list(self.values)
        return out


# Bounds as annotated-types markers (pydantic's own vocabulary), not ``Field(...)``: a
# ``Field`` inside ``Annotated`` would make an endpoint's parameter lose its default.
Id = Annotated[int, Ge(1), Le(INT64_MAX)]
Count = Annotated[int, Ge(0), Le(INT32_MAX)]
SmallCount = Annotated[int, Ge(0), Le(INT16_MAX)]
PageNo = Annotated[int, Ge(1), Le(MAX_PAGE)]
PageSize = Annotated[int, Ge(1), Le(MAX_PAGE_SIZE)]
Year = Annotated[int, Ge(FIRST_DAY.year), Le(LAST_DAY.year)]
Day = Annotated[dt.date, Ge(FIRST_DAY), Le(LAST_DAY)]
# Amounts of money as the models store them (DecimalField(max_digits=14, decimal_places=2)).
Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]
