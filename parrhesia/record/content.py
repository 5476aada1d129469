"""The first part of a member's download: the record itself (the other apps add theirs after
it, in the order of INSTALLED_APPS)."""

from __future__ import annotations

from parrhesia.kernel.content import download_part_register
from parrhesia.record.exports import record_download_part

download_part_register(record_download_part)
