"""Platform codes, and which platform an API request uploads for.

Since the API tokens were unified (``chizheng.accounts.tokens``), a platform has no token
of its own: the city office registers the platform's code (its events' ``platform``), and the
platform's users upload with the API tokens they issue themselves. A request acts for the
platform of its user — a platform user's token uploads for his platform's code only.
"""

from __future__ import annotations

from django.db import transaction

from chizheng.accounts.access import access_by_id, can, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import NotFound, ValidationError
from chizheng.registry.models import Institution

from .models import PlatformCode


@transaction.atomic
def platform_code_register(
    *, actor: User | None, institution: Institution, code: str
) -> PlatformCode:
    """Register (or change) the code of an online platform; the city office's decision."""
    require(actor, "online.manage")
    # the institution must be in the actor's scope
    institution = access_by_id(actor, Institution.objects.all(), institution.pk)
    from .store import check_platform  # here: the store loads Arrow, the API imports this module

    check_platform(code)
    if institution.kind != Institution.Kind.PLATFORM:
        raise ValidationError(
            f"{institution.name} 不是线上平台，不能登记平台代码",
            message_en="only an online platform has a platform code",
            code="online_not_platform",
        )
    taken = PlatformCode.objects.filter(code=code).exclude(institution=institution).exists()
    if taken:
        raise ValidationError(
            f"平台代码 {code} 已被其他平台使用",
            code="online_code_taken",
            message_en=f"platform code {code} is taken",
        )
    row = PlatformCode.objects.filter(institution=institution).first()
    before = row.code if row else None
    if row is None:
        row = PlatformCode.objects.create(
            institution=institution, code=code, registered_at=clock.now(), registered_by=actor
        )
    elif row.code != code:
        row.code, row.registered_at, row.registered_by = code, clock.now(), actor
        row.save(update_fields=["code", "registered_at", "registered_by"])
    if before != code:
        audit.record(
            actor=actor,
            action="online.platform_code",
            obj=row,
            before={"code": before} if before else None,
            after={"code": code},
        )
    return row


def uploading_platform(*, user: User, code: str) -> PlatformCode:
    """The platform ``user`` uploads for under ``code``: his own platform, or "not found"
    (the same for another platform's code as for a code that does not exist)."""
    found = (
        PlatformCode.objects.select_related("institution").filter(code=code).first()
        if can(user, "online.upload")
        else None
    )
    if found is None or not can(user, "online.upload", found):
        raise NotFound("记录不存在或无权查看", message_en="not found", detail={"platform": code})
    return found
