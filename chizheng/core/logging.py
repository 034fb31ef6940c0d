"""A log filter that masks ID numbers and mobile phone numbers in every record."""

from __future__ import annotations

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    return PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        return True
