"""The training and the evaluation ledger of the actor's scope (§三(二) 分级分类建立培训、评价
台账): a year's records counted by one dimension, filtered by others, each row with what it
drills down to. Read set-based: three grouped queries for the training ledger (enrolments,
certificates, paid claim lines), one for the evaluation ledger; scoped by ``visible``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from chizheng.accounts.access import visible
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.org.models import County
from chizheng.plan.models import Programme
from chizheng.registry.models import HIGH_SKILLED_LEVEL, Institution, KeyGroup
from chizheng.subsidy.models import ClaimLine, ClaimStatus
from chizheng.training.models import Enrolment, Mode, Status, TrainingClass

from .dimensions import CHANNELS, EVALUATION, TRAINING, Dimension

# The classes a training ledger counts: those that started (a draft or an application under
# review trained nobody yet).
STARTED = (Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED)
LEVELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}


@dataclass
class Row:
    key: Any
    label: str
    counts: dict[str, Any]
    drill: dict[str, str] = field(default_factory=dict)  # the filters its drill-down adds


@dataclass
class Ledger:
    by: Dimension
    columns: list[tuple[str, str]]  # (count's name, its header)
    rows: list[Row]
    total: dict[str, Any]


def _typed(dim: Dimension, value: str) -> Any:
    return int(value) if dim.numeric else value


def _filtered(
    qs: QuerySet[Any], dims: Mapping[str, Dimension], filters: Mapping[str, str], path: str
) -> QuerySet[Any]:
    for name, value in filters.items():
        dim = dims[name]
        qs = qs.annotate(**{f"f_{name}": dim.expression(path)}).filter(
            **{f"f_{name}": _typed(dim, value)}
        )
    return qs


def _grouped(
    qs: QuerySet[Any], dim: Dimension, path: str, **counts: Any
) -> dict[Any, dict[str, Any]]:
    rows = qs.annotate(k=dim.expression(path)).values("k").annotate(**counts).order_by("k")
    return {r.pop("k"): r for r in rows}


def training_classes(*, actor: User, year: int) -> QuerySet[TrainingClass]:
    return visible(actor, TrainingClass.objects.filter(start_date__year=year, status__in=STARTED))


def training_ledger(*, actor: User, year: int, by: str, filters: Mapping[str, str]) -> Ledger:
    """Classes, trainees (enrolments), certificates and subsidy paid of the year's started
    classes, by ``by``; a person's attribute (key group) splits trainees, certificates and
    payments by the trainee's."""
    dim = TRAINING[by]
    on_class = {k: v for k, v in filters.items() if not TRAINING[k].person}
    on_person = {k: v for k, v in filters.items() if TRAINING[k].person}
    classes = _filtered(training_classes(actor=actor, year=year), TRAINING, on_class, "")
    enrolments = _filtered(
        Enrolment.objects.filter(training_class__in=classes), TRAINING, on_person, ""
    )
    certificates = _filtered(
        Certificate.objects.filter(training_class__in=classes), TRAINING, on_person, ""
    )
    paid = _filtered(
        ClaimLine.objects.filter(
            claim__training_class__in=classes, payable=True, claim__status=ClaimStatus.PAID
        ),
        TRAINING,
        on_person,
        "",
    )
    e = _grouped(
        enrolments,
        dim,
        "training_class",
        classes=Count("training_class", distinct=True),
        trainees=Count("id"),
    )
    c = _grouped(certificates, dim, "training_class", certified=Count("id"))
    p = _grouped(paid, dim, "claim__training_class", paid=Sum("amount"))
    columns = [
        ("classes", "培训班（个）"),
        ("trainees", "培训人次"),
        ("certified", "取证人数"),
        ("rate", "持证率"),
        ("paid", "已拨付补贴（元）"),
    ]
    keys = sorted(set(e) | set(c) | set(p), key=lambda k: (k is None, str(k)))
    labels = _labels(dim, keys, ledger="training", year=year)
    rows = [
        Row(
            k,
            labels.get(k, "（未填）" if k in (None, "") else str(k)),
            {
                "classes": e.get(k, {}).get("classes", 0),
                "trainees": e.get(k, {}).get("trainees", 0),
                "certified": c.get(k, {}).get("certified", 0),
                "paid": p.get(k, {}).get("paid") or Decimal(0),
            },
            _drill(dim, k),
        )
        for k in keys
    ]
    for r in rows:
        r.counts["rate"] = certification_rate(r.counts["certified"], r.counts["trainees"])
    total = _total(rows, columns)
    total["rate"] = certification_rate(total["certified"], total["trainees"])
    return Ledger(dim, columns, rows, total)


def certification_rate(certified: int, trainees: int) -> Decimal | None:
    """§20(4) 持证率 (把持证率作为检验培训成效的主要标准): certificates of the classes per
    trainee, as a share (None without trainees)."""
    return (
        (Decimal(certified) / Decimal(trainees)).quantize(Decimal("0.0001")) if trainees else None
    )


def evaluation_certificates(
    *, actor: User, year: int, filters: Mapping[str, str]
) -> QuerySet[Certificate]:
    qs = visible(actor, Certificate.objects.filter(issued_on__year=year))
    return _filtered(qs, EVALUATION, filters, "")


def evaluation_ledger(*, actor: User, year: int, by: str, filters: Mapping[str, str]) -> Ledger:
    """Certificates issued in the year, the people holding them, the high-skilled ones and
    those obtained through a class of the system, by ``by``."""
    dim = EVALUATION[by]
    got = _grouped(
        evaluation_certificates(actor=actor, year=year, filters=filters),
        dim,
        "",
        certificates=Count("id"),
        people=Count("person", distinct=True),
        high=Count("id", filter=Q(skill_level__lte=HIGH_SKILLED_LEVEL)),
        trained=Count("id", filter=Q(training_class__isnull=False)),
    )
    columns = [
        ("certificates", "证书（张）"),
        ("people", "持证人数"),
        ("high", "其中高技能"),
        ("trained", "其中经培训取证"),
    ]
    keys = sorted(got, key=lambda k: (k is None, str(k)))
    labels = _labels(dim, keys, ledger="evaluation", year=year)
    rows = [
        Row(k, labels.get(k, "（未填）" if k in (None, "") else str(k)), got[k], _drill(dim, k))
        for k in keys
    ]
    return Ledger(dim, columns, rows, _total(rows, columns))


def filter_labels(
    dims: Mapping[str, Dimension], filters: Mapping[str, str], *, ledger: str, year: int
) -> dict[str, str]:
    """The name of each filter's value (县 410402 → 新华区, 培训机构 4 → its name)."""
    out = {}
    for name, value in filters.items():
        dim = dims[name]
        key = _typed(dim, value)
        out[name] = _labels(dim, [key], ledger=ledger, year=year).get(key, value)
    return out


def _drill(dim: Dimension, key: Any) -> dict[str, str]:
    return {} if key is None or key == "" else {dim.name: str(key)}


def _total(rows: list[Row], columns: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        name: sum((r.counts[name] for r in rows), Decimal(0) if name == "paid" else 0)
        for name, _ in columns
        if name != "rate"  # a share is not added up: computed from the totals
    }


def _labels(dim: Dimension, keys: list[Any], *, ledger: str, year: int) -> dict[Any, str]:
    """The names of the keys of a dimension (a county's short name, an institution's name …)."""
    name = dim.name
    if name == "county":
        return dict(County.objects.filter(code__in=keys).values_list("code", "short_name"))
    if name in ("institution", "evaluator"):
        return dict(Institution.objects.filter(pk__in=keys).values_list("pk", "name"))
    if name == "class":
        return {
            pk: f"{batch} {occupation}"
            for pk, batch, occupation in TrainingClass.objects.filter(pk__in=keys).values_list(
                "pk", "batch", "occupation_name"
            )
        }
    if name == "channel":
        return CHANNELS if ledger == "training" else dict(Certificate.Channel.choices)
    if name == "programme":
        return dict(
            Programme.objects.filter(number__in=keys, plan__year=year).values_list("number", "name")
        )
    if name == "occupation":
        return _occupation_names(keys)
    if name == "level":
        return dict(LEVELS)
    if name == "group":
        return dict(KeyGroup.choices)
    if name == "mode":
        return dict(Mode.choices)
    if name == "tag":
        import datetime as dt

        from chizheng.rules import params

        known = params.current().value("class.programme_tags", dt.date(year, 1, 1))
        return {code: t["name"] for code, t in known.items()}
    if name == "kind":
        return dict(Certificate.Kind.choices)
    if name == "month":
        return {m: f"{m}月" for m in range(1, 13)}
    return {}


def _occupation_names(codes: list[Any]) -> dict[Any, str]:
    from chizheng.registry.models import Occupation

    return {
        code: f"{code} {name}"
        for code, name in Occupation.objects.filter(code__in=codes).values_list("code", "name")
    }
