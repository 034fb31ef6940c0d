"""Evidence photographs (证据照片): a still of a session's sign-in or recording, uploaded by the
class's institution, or a photo an inspector took at an inspection — stored with its hashes
(``core.photos``) when it is stored, for the supervision scan's ``same_photo`` check."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock, photos
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_choice

from ..models import Inspection, Session, Still, TrainingClass


def still_keep(
    *,
    actor: User,
    training_class: TrainingClass,
    session: Session | None,
    inspection: Inspection | None,
    kind: str,
    taken_on: dt.date,
    data: bytes,
) -> Still:
    """Read the photo (JPEG or PNG, refused in Chinese otherwise) and keep it with its hashes;
    the caller has checked who may and records the audit event."""
    photo = photos.read(data)
    return Still.objects.create(
        training_class=training_class,
        session=session,
        inspection=inspection,
        kind=kind,
        taken_on=taken_on,
        content_type=photo.content_type,
        size=photo.size,
        data=data,
        sha256=photo.sha256,
        phash=photo.phash,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )


@transaction.atomic
def still_store(
    *,
    actor: User,
    kind: str,
    data: bytes,
    session_id: int | None = None,
    inspection_id: int | None = None,
) -> Still:
    """Keep one photo: a sign-in or recording still of a session (the class's institution),
    or an inspection's photo (the inspector). The photo's date is its session's or
    inspection's."""
    check_choice(kind, Still.Kind, field="kind", label="照片类型")
    if kind == Still.Kind.INSPECTION:
        if inspection_id is None:
            raise ValidationError("请选择检查记录", detail={"field": "inspection_id"})
        require(actor, "inspection.record", message="只有检查人员可以上传检查照片")
        inspection = access_by_id(
            actor, Inspection.objects.select_related("training_class"), inspection_id
        )
        training_class, taken_on, session = inspection.training_class, inspection.held_on, None
    else:
        if session_id is None:
            raise ValidationError("请选择课次", detail={"field": "session_id"})
        session = access_by_id(actor, Session.objects.select_related("training_class"), session_id)
        training_class, taken_on, inspection = session.training_class, session.held_on, None
        require(
            actor,
            "class.deliver",
            training_class,
            message="只有本班的培训机构可以上传签到、录像照片",
            message_en="only the class's institution",
        )
    still = still_keep(
        actor=actor,
        training_class=training_class,
        session=session,
        inspection=inspection,
        kind=kind,
        taken_on=taken_on,
        data=data,
    )
    audit.record(
        actor=actor,
        action="class.still_store",
        obj=still,
        after={
            "class": training_class.pk,
            "kind": kind,
            "session": session.pk if session else None,
            "inspection": inspection.pk if inspection else None,
            "sha256": still.sha256,
            "phash": still.phash,
        },
    )
    return still
