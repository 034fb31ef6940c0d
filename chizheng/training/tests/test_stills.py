"""Evidence photographs: kept with their hashes when stored, by the class's own institution
(sign-in and recording stills) or an inspector (inspection photos); another institution gets
nothing; what is not a JPEG or PNG image is refused in Chinese."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from chizheng.core import photos
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.rules.crosschecks import hamming
from chizheng.training import services
from chizheng.training.models import Still
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db


def picture(seed: int, size: int = 256, quality: int = 90) -> bytes:
    """A photo-like picture: blocks of colour drawn from the seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size))
    block = size // 8
    for x in range(8):
        for y in range(8):
            colour = tuple(rng.randrange(256) for _ in range(3))
            image.paste(colour, (x * block, y * block, (x + 1) * block, (y + 1) * block))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def resized(data: bytes, size: int) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.resize((size, size)).save(out, "PNG")
        return out.getvalue()


def test_a_copy_is_a_few_bits_apart_and_another_photo_far() -> None:
    one = photos.read(picture(1))
    copy = photos.read(resized(picture(1, quality=40), 180))  # re-encoded and resized
    other = photos.read(picture(2))
    assert one.content_type == "image/jpeg" and copy.content_type == "image/png"
    assert len(one.phash) == 16 and one.sha256 != copy.sha256
    assert hamming(one.phash, copy.phash) <= 6 < hamming(one.phash, other.phash)


def test_what_is_not_a_photo_is_refused() -> None:
    with pytest.raises(ValidationError, match="JPEG 或 PNG"):
        photos.read(b"%PDF-1.4 not a photo")
    with pytest.raises(ValidationError, match="请上传照片"):
        photos.read(b"")


@pytest.fixture
def session(world, today):
    c = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=c.pk)
    return services.session_add(
        actor=world.applicant,
        class_id=c.pk,
        held_on=START,
        kind="theory",
        class_hours=2,
        minutes=90,
        recorded_minutes=90,
    )


def test_a_sign_in_still_is_kept_with_its_hashes(world, session) -> None:
    data = picture(3)
    still = services.still_store(
        actor=world.applicant, kind="sign_in", data=data, session_id=session.pk
    )
    kept = Still.objects.get(pk=still.pk)
    assert kept.training_class_id == session.training_class_id and kept.taken_on == START
    assert bytes(kept.data) == data and kept.phash == photos.read(data).phash
    assert kept.sha256 == photos.read(data).sha256


def test_another_institution_and_a_trainee_photo_for_an_inspection(world, session) -> None:
    with pytest.raises((NotFound, PermissionDenied)):
        services.still_store(
            actor=world.other_applicant, kind="sign_in", data=picture(4), session_id=session.pk
        )
    with pytest.raises(ValidationError, match="请选择检查记录"):
        services.still_store(actor=world.inspector, kind="inspection", data=picture(4))
    inspection = services.inspection_record(
        actor=world.inspector,
        class_id=session.training_class_id,
        kind="opening",
        held_on=START,
        place="实训楼",
        present=30,
        signed_in=30,
        teachers_present=2,
    )
    with pytest.raises(PermissionDenied):
        services.still_store(
            actor=world.applicant, kind="inspection", data=picture(4), inspection_id=inspection.pk
        )
    still = services.still_store(
        actor=world.inspector, kind="inspection", data=picture(4), inspection_id=inspection.pk
    )
    assert still.inspection_id == inspection.pk and still.session_id is None
    assert Still.objects.count() == 1
