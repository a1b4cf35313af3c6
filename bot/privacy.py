"""PDPA helpers: what may leave the ticket (staff group, logs) and in what form."""
from __future__ import annotations

import re

# Numbers stand alone: a digit run inside a LINE id (U/C/R + 32 hex digits) or any other
# identifier is not a phone or ID number, and masking it would make the id unreadable.
_ALONE_BEFORE, _ALONE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
# 13-digit Thai national ID, with or without the usual 1-4-5-2-1 dashes/spaces.
_NATIONAL_ID = re.compile(_ALONE_BEFORE + r"(\d)[\s-]?(\d{4})[\s-]?(\d{5})[\s-]?(\d{2})[\s-]?(\d)" + _ALONE_AFTER)
# Thai phone numbers: 0X-XXX-XXXX, 0XX-XXX-XXXX, +66...
_PHONE = re.compile(_ALONE_BEFORE + r"(?:\+66|0)[\s-]?\d{1,2}[\s-]?\d{3}[\s-]?\d{3,4}" + _ALONE_AFTER)
# A signed media link opens a villager's photo for a week: whoever reads a log must not.
_MEDIA_LINK = re.compile(r"/media/[A-Za-z0-9_.\-]+")


def mask_national_ids(text: str) -> str:
    """Keep the last 4 digits so staff can still match a document the villager shows them."""
    return _NATIONAL_ID.sub(lambda m: "x-xxxx-xxxx" + m.group(3)[-1] + "-" + m.group(4) + "-" + m.group(5), text)


def mask_for_log(text: str) -> str:
    """Logs get neither national IDs, phone numbers, nor signed media links."""
    return _MEDIA_LINK.sub("/media/…", _PHONE.sub("0xx-xxx-xxxx", mask_national_ids(text)))


class MaskingFilter:
    """A logging filter: whatever a log line carries, national IDs and phone numbers are masked."""

    def filter(self, record) -> bool:
        record.msg = mask_for_log(record.getMessage())
        record.args = ()
        return True
