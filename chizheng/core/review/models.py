"""The abstract models of a two-level review: the reviewed object's version, and one step
(初审 or 复核 of one level) with its acceptance date, deadline, reviewer, decision and opinion.

Each reviewed object has a concrete step model (``training.Review``, ``subsidy.ClaimReview``)
that adds only its foreign key, its ``Level`` choices (and, if the object words a rejection
otherwise, its ``decision`` choices) and its access scope; the fields, their choices and
their Chinese names are these.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Versioned(models.Model):
    """A model whose ``version`` moves on every save (callers hold the row lock while they
    change it, so the count is exact). ``touch`` moves it when only related rows changed."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def touch(self) -> None:
        self.save(update_fields=["version"])


class Step(models.TextChoices):
    """The two steps of every level of 附件2: one person reviews, another of the unit checks."""

    FIRST = "first", "初审"
    SECOND = "second", "复核"


class Decision(models.TextChoices):
    """A step's conclusion. ``reject`` is worded for the object: 不予批准 (an application) is
    the default, a step model may word it otherwise (``decision_choices``)."""

    APPROVE = "approve", "同意"
    RETURN = "return", "退回修改"
    REJECT = "reject", "不予批准"


def decision_choices(*, reject: str) -> list[tuple[str, str]]:
    """The choices of ``decision`` with a rejection worded for the object (不予补贴)."""
    return [(d.value, reject if d == Decision.REJECT else str(d.label)) for d in Decision]


class ReviewStep(models.Model):
    """One step of one level: accepted on a day, due a number of working days later, done
    by one reviewer with a decision and an opinion (审核意见), dated (the seal's date)."""

    Step = Step
    Decision = Decision

    # A concrete model redeclares it with its own ``Level`` choices.
    level = models.CharField("审核层级", max_length=10)
    step = models.CharField("审核环节", max_length=10, choices=Step.choices)
    accepted_on = models.DateField("受理日期")
    due_on = models.DateField("办理时限")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField("审核结论", max_length=10, choices=Decision.choices, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    done_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        level = choice_labels(type(self), "level").get(self.level, self.level)
        return f"{level}{self.get_step_display()}"


def choice_labels(model: type[models.Model], field: str) -> dict[str, str]:
    """The Chinese labels of a choice field of ``model``, by value."""
    f = model._meta.get_field(field)
    assert isinstance(f, models.Field)
    return {str(value): str(label) for value, label in f.flatchoices}
