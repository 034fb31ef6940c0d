"""Vouchers redeemed under the earlier rule (on the certificate alone) are redeemed only if
their class's claim paid the holder: such a voucher is linked to that paid line; the others
go back to 已取证，待兑付 (``certified``), with an event saying why, and are redeemed when
the claim is paid."""

from django.db import migrations
from django.utils import timezone

REASON = "兑付改在补贴拨付时进行：已取证，待申领拨付后兑付"


def forward(apps, schema_editor):
    Voucher = apps.get_model("subsidy", "Voucher")
    VoucherEvent = apps.get_model("subsidy", "VoucherEvent")
    ClaimLine = apps.get_model("subsidy", "ClaimLine")
    now = timezone.now()
    for v in Voucher.objects.filter(status="redeemed").order_by("pk"):
        line = (
            ClaimLine.objects.filter(
                claim__training_class_id=v.training_class_id,
                claim__status="paid",
                claim__applicant_kind="institution",
                person_id=v.person_id,
                payable=True,
            )
            .order_by("pk")
            .first()
        )
        if line is not None:
            ClaimLine.objects.filter(pk=line.pk).update(voucher=v)
            Voucher.objects.filter(pk=v.pk).update(amount=line.amount, standard_key=line.standard_key)
            continue
        Voucher.objects.filter(pk=v.pk).update(status="certified", amount=None, standard_key="")
        VoucherEvent.objects.create(
            voucher=v, name="certify", from_status="redeemed", to_status="certified", reason=REASON, at=now
        )


def backward(apps, schema_editor):
    """Back to the earlier rule's states: a certified voucher counted as redeemed."""
    apps.get_model("subsidy", "Voucher").objects.filter(status="certified").update(
        status="redeemed"
    )
    apps.get_model("subsidy", "ClaimLine").objects.update(voucher=None)


class Migration(migrations.Migration):
    dependencies = [("subsidy", "0007_voucher_redeemed_on_payment")]

    operations = [migrations.RunPython(forward, backward)]
