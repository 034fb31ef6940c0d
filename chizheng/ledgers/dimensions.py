"""The ledgers' dimensions as data (§三(二) 分级分类建立培训、评价台账): the levels a ledger
is kept at (city → county → institution → class; for evaluation, → evaluator → occupation)
and the categories it is split by (channel, programme, occupation, skill level, key group of
§10, mode, certificate kind, month). Each says where its value sits, relative to the record
counted, how its value is named, and where a row of it drills down to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, F, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import ExtractMonth

from chizheng.registry.models import Institution

SCHOOL_KINDS = (
    Institution.Kind.TECHNICAL_SCHOOL,
    Institution.Kind.VOCATIONAL_SCHOOL,
    Institution.Kind.UNIVERSITY,
)
ENTERPRISE_KINDS = (Institution.Kind.ENTERPRISE_CENTRE, Institution.Kind.EMPLOYER)
CHANNELS = {"enterprise": "企业培训", "school": "院校培训", "social": "社会培训"}


def channel_of(institution: str) -> Combinable:
    """§三(二)'s three channels, from the kind of the institution at ``institution``: a school
    trains as a school, an enterprise's centre as an enterprise, anyone else as social
    training (as ``training.services.assessment`` files a class's certificates)."""
    return Case(
        When(**{f"{institution}__kind__in": SCHOOL_KINDS}, then=Value("school")),
        When(**{f"{institution}__kind__in": ENTERPRISE_KINDS}, then=Value("enterprise")),
        default=Value("social"),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    # the value's path from a training class (training ledger) or a certificate (evaluation
    # ledger); "" where the dimension does not apply to that ledger
    from_class: str = ""
    from_certificate: str = ""
    person: bool = False  # a person's attribute: counted through the trainee, not the class
    drill: str = ""  # the dimension a row of it opens, filtered by the row's value ("": none)
    level: bool = False  # a level of the hierarchy (the others are categories)
    numeric: bool = False  # its values are numbers (an id, a level, a month)

    def expression(self, path: str) -> Combinable:
        """The value, seen from a record that reaches the class or certificate by ``path``
        ("" for the class or certificate itself)."""
        if self.person:
            return F("person__key_group")
        base = self.from_class or self.from_certificate
        at = f"{path}__" if path else ""
        if base == "@channel":
            return channel_of(f"{at}institution")
        if base == "@month":
            return ExtractMonth(f"{at}issued_on")
        return F(f"{at}{base}")


TRAINING: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "county", "县（市、区）", "institution__county__code", drill="institution", level=True
        ),
        Dimension(
            "institution", "培训机构", "institution_id", drill="class", level=True, numeric=True
        ),
        Dimension("class", "培训班", "id", level=True, numeric=True),
        Dimension("channel", "培训渠道", "@channel", drill="county"),
        Dimension("programme", "专项行动", "programme__number", drill="county", numeric=True),
        Dimension("occupation", "职业（工种）", "occupation_code", drill="county"),
        Dimension("level", "技能等级", "skill_level", drill="county", numeric=True),
        Dimension("group", "重点群体", person=True, drill="county"),
        Dimension("mode", "培训方式", "mode", drill="county"),
        # §1/§8/§9/§10's projects: a class with two counts in both rows
        Dimension("tag", "培训项目", "tag_rows__code", drill="county"),
    )
}

EVALUATION: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("county", "县（市、区）", from_certificate="county__code", drill="evaluator", level=True),
        Dimension("evaluator", "评价机构", from_certificate="issuing_institution_id", drill="occupation", level=True, numeric=True),
        Dimension("occupation", "职业（工种）", from_certificate="occupation_code", drill="list", level=True),
        Dimension("channel", "评价渠道", from_certificate="channel", drill="county"),
        Dimension("level", "技能等级", from_certificate="skill_level", drill="county", numeric=True),
        Dimension("kind", "证书类型", from_certificate="kind", drill="county"),
        Dimension("group", "重点群体", from_certificate="person__key_group", drill="county"),
        Dimension("month", "月份", from_certificate="@month", drill="county", numeric=True),
    )
}  # fmt: skip
