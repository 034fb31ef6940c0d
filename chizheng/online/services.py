"""Writes of the online area: ingesting batches of events, running the audit to a file,
and bringing the audit's results into the system (credited online class hours per
enrolment, per-platform void time per day, confirming a platform's violations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.crypto import blind_index
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_text
from chizheng.registry import services as registry
from chizheng.registry.models import Institution, Sanction
from chizheng.training.models import Enrolment, TrainingClass

from . import audit as audit_mod
from . import config, results, validation
from .models import OnlineCourse, OnlineLearner, PlatformCode, PlatformVoidDay
from .store import Ingested, check_platform

MAX_BATCH_BYTES = 256 * 1024 * 1024


def ingest_bytes(
    *,
    data: bytes,
    name: str,
    platform: str,
    now: dt.datetime | None = None,
    institution: Institution | None = None,
) -> Ingested:
    """Check and store one batch; all rows or none (``BatchRefused`` lists the bad ones).

    ``institution`` is the uploading platform (the API passes the token's): a platform
    under a sanction that stops uploads (§20(3) ban, blacklist) is refused first.
    """
    check_platform(platform)
    if institution is not None:
        registry.ensure_may_act(institution=institution, action="online.upload")
    if not data:
        raise validation.BadFile("文件为空", message_en="empty file")
    if len(data) > MAX_BATCH_BYTES:
        raise validation.BadFile("文件过大，请分批上传", message_en="file too large; split it")
    now = now or clock.now()
    fmt = validation.detect_format(name, data[:64])
    table = validation.read_batch(data, fmt=fmt, platform=platform, now=now)
    return config.store().ingest(table, platform=platform, now=now)


def ingest_files(*, paths: Sequence[Path], platform: str) -> list[Ingested]:
    """Each file is one batch, checked and stored on its own."""
    out: list[Ingested] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise ValidationError(
                f"无法读取文件 {path}：{e.strerror}",
                code="online_bad_file",
                message_en=f"cannot read {path}",
            ) from e
        out.append(ingest_bytes(data=data, name=str(path), platform=platform))
    return out


def audit_to_file(
    *,
    sources: Sequence[Path],
    out: Path,
    at: dt.date | None = None,
    engine: audit_mod.Engine = "duckdb",
) -> int:
    """Audit ``sources`` (Parquet files), or everything stored when none are given."""
    if sources:
        return audit_mod.audit_to_parquet(list(sources), out, at=at, engine=engine)
    files = config.store().files()
    if not files:
        raise ValidationError(
            "尚无已接收的线上学习事件", code="online_no_events", message_en="no events stored yet"
        )
    return audit_mod.audit_to_parquet(files, out, at=at, engine=engine, unique=True)


# --- results in the system -------------------------------------------------------------


def learner_key(*, platform_code: str, id_index: str) -> str:
    """The pseudonymous key a platform writes as ``learner`` for one person.

    A keyed hash (the system's index key) of the person's ID-number index salted with the
    platform code: stable, so a platform can use it from the class's enrolment on; different
    on every platform, so two platforms' logs cannot be joined on it; and the ID number
    cannot be recovered from it (the spec forbids raw ID numbers in logs).
    """
    return "OL" + blind_index(f"online-learner|{platform_code}|{id_index}")[:32]


def _platform_code(platform: Institution) -> str:
    row = PlatformCode.objects.filter(institution=platform).first()
    if row is None:
        raise ValidationError(
            f"{platform.name} 尚未登记平台代码，不能绑定课程",
            code="online_no_platform_code",
            message_en="the platform has no code yet",
        )
    return row.code


def ensure_learner_keys(*, class_ids: list[int] | None = None) -> int:
    """Give every trainee of a class with an online course his learner key (set-based:
    one read, one bulk insert); returns how many were added."""
    enrolments = Enrolment.objects.filter(
        training_class__online_courses__isnull=False, online__isnull=True
    )
    if class_ids is not None:
        enrolments = enrolments.filter(training_class_id__in=class_ids)
    codes = dict(PlatformCode.objects.values_list("institution_id", "code"))
    new = [
        OnlineLearner(
            enrolment_id=pk,
            learner_key=learner_key(platform_code=codes[platform_id], id_index=index),
        )
        for pk, platform_id, index in enrolments.distinct().values_list(
            "pk", "training_class__platform_id", "person__id_index"
        )
        if platform_id in codes
    ]
    OnlineLearner.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def bind_course(*, actor: User, class_id: int, course_key: str) -> OnlineCourse:
    """Bind a platform course to a class (the institution running it, or the city office)."""
    training_class = access_by_id(actor, TrainingClass.objects.select_related("platform"), class_id)
    require(actor, "online.bind", training_class)
    key = course_key.strip()
    check_text(key, field="course_key", label="平台课程代码")
    if not key or len(key) > 64:
        raise ValidationError(
            "请填写平台课程代码（不超过64个字符）",
            message_en="a course key (≤ 64 characters) is required",
            detail={"field": "course_key"},
        )
    if training_class.platform is None:
        raise ValidationError(
            "该培训班未选择线上平台", code="online_no_platform", message_en="no platform"
        )
    _platform_code(training_class.platform)
    taken = OnlineCourse.objects.filter(platform=training_class.platform, course_key=key).first()
    if taken is not None and taken.training_class_id != training_class.pk:
        raise ValidationError(
            f"课程 {key} 已绑定到其他培训班",
            code="online_course_taken",
            message_en="the course is bound to another class",
        )
    course, created = OnlineCourse.objects.get_or_create(
        platform=training_class.platform,
        course_key=key,
        defaults={"training_class": training_class, "bound_at": clock.now(), "bound_by": actor},
    )
    ensure_learner_keys(class_ids=[training_class.pk])
    if created:
        audit.record(actor=actor, action="online.course.bind", obj=course, after={"course": key})
    return course


@dataclass(frozen=True)
class Applied:
    segments: int
    learners_credited: int
    unmatched_pairs: int
    platform_days: int


def _utc_offset_s() -> int:
    offset = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    return int(offset.total_seconds()) if offset else 0


@transaction.atomic
def apply_results(*, actor: User | None, result_path: Path | None = None) -> Applied:
    """Turn the latest audit result into credited online class hours per enrolment and
    per-platform void time per day (idempotent: the result replaces what the last one
    wrote; set-based: a fixed number of queries however many learners)."""
    if actor is not None:
        require(actor, "online.manage")
    path = result_path or config.latest_result()
    if not path.exists():
        raise ValidationError(
            "尚无审计结果，请先运行 chizheng online audit",
            code="online_no_result",
            message_en="no audit result yet",
        )
    table = pq.read_table(path)
    now = clock.now()
    ensure_learner_keys()
    per: list[dict[str, Any]] = []
    if table.num_rows:
        first = min(table["start"].to_pylist()).date()
        per = results.by_learner_course(table, at=first).to_pylist()
    courses: dict[int, set[str]] = {}
    for training_class_id, key in OnlineCourse.objects.values_list(
        "training_class_id", "course_key"
    ):
        courses.setdefault(training_class_id, set()).add(key)
    by_key: dict[str, list[OnlineLearner]] = {}
    learners = list(OnlineLearner.objects.select_related("enrolment"))
    for row in learners:
        by_key.setdefault(row.learner_key, []).append(row)
        row.valid_s = row.void_s = Decimal(0)
        row.segments = row.void_segments = row.credited_hours = 0
        row.audited_at = now
    unmatched = 0
    for r in per:
        matched = False
        for row in by_key.get(r["learner"], []):
            if r["course"] in courses.get(row.enrolment.training_class_id, set()):
                row.valid_s += Decimal(str(r["valid_s"]))
                row.void_s += Decimal(str(r["void_s"]))
                row.segments += int(r["segments"])
                row.void_segments += int(r["void_segments"])
                row.credited_hours += int(r["credited_class_hours"])
                matched = True
        unmatched += not matched
    OnlineLearner.objects.bulk_update(
        learners,
        ["valid_s", "void_s", "segments", "void_segments", "credited_hours", "audited_at"],
        batch_size=1000,
    )
    days = _platform_days(table)
    credited = sum(1 for row in learners if row.credited_hours)
    applied = Applied(
        segments=table.num_rows,
        learners_credited=credited,
        unmatched_pairs=unmatched,
        platform_days=days,
    )
    audit.record(
        actor=actor,
        action="online.results.apply",
        object_type="online.result",
        object_id=path.name,
        after={
            "segments": applied.segments,
            "learners_credited": credited,
            "unmatched_pairs": unmatched,
            "platform_days": days,
        },
    )
    return applied


def _platform_days(table: Any) -> int:
    """Replace the per-platform, per-day void time with the result's."""
    files = [str(f) for f in config.store().files()]
    owners = results.segment_platforms(files)
    daily = results.by_platform_day(table, owners, utc_offset_s=_utc_offset_s()).to_pylist()
    ids = dict(PlatformCode.objects.values_list("code", "institution_id"))
    PlatformVoidDay.objects.all().delete()

    def dec(v: float | None) -> Decimal:
        return Decimal(str(round(v or 0.0, 3)))

    new = [
        PlatformVoidDay(
            platform_id=ids[d["platform"]],
            day=d["day"],
            valid_s=dec(d["valid_s"]),
            void_s=dec(d["void_s"]),
            **{f"{c.lower()}_s": dec(d[f"{c.lower()}_s"]) for c in results.RULE_CODES},
        )
        for d in daily
        if d["platform"] in ids
    ]
    PlatformVoidDay.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def confirm_platform_violation(
    *, actor: User, institution_id: int, violated_on: dt.date, reason: str
) -> Sanction:
    """The city office confirms a platform's violations (§20(3)): the platform is banned
    from subsidised training for ``online.platform_ban_years`` through the registry's
    sanctions, after which its uploads are refused."""
    require(actor, "online.manage")
    platform = access_by_id(
        actor, Institution.objects.filter(kind=Institution.Kind.PLATFORM), institution_id
    )
    if not reason.strip():
        raise ValidationError(
            "请填写违规事实", message_en="a reason is required", detail={"field": "reason"}
        )
    if violated_on > clock.today():
        raise ValidationError(
            "违规日期不能晚于今天", message_en="the violation date is in the future"
        )
    sanction = registry.sanction_platform_ban(
        actor=actor, institution_id=platform.pk, violated_on=violated_on, reason=reason.strip()
    )
    audit.record(
        actor=actor,
        action="online.violation.confirm",
        obj=platform,
        reason=reason.strip(),
        after={"sanction": sanction.pk, "violated_on": violated_on, "ends_on": sanction.ends_on},
    )
    return sanction
