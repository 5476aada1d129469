"""What the tribunal puts on the record: its cases and its settings."""

from __future__ import annotations

from django.urls import reverse

from parrhesia.kernel.content import (
    content_register,
    download_part_register,
    erasure_guard_register,
    text_eraser,
)
from parrhesia.tribunal.exports import tribunal_download_part
from parrhesia.tribunal.models import Case
from parrhesia.tribunal.selectors import erasure_refusal

content_register(
    "case",
    model=Case,
    organisation_of=lambda case: case.organisation,
    link=lambda organisation, number: reverse("tribunal:case", args=[organisation.slug, number]),
    # the record names a case by its number; a lawful erasure request may erase the case's
    # copies of what was reported (a verdict on personal data does it itself)
    lookup=lambda organisation, number: Case.objects.get(
        organisation=organisation, number=int(number)
    ),
    erase=text_eraser("summary", "description", "evidence"),
)
content_register(
    "tribunal",
    link=lambda organisation, _id: reverse("tribunal:docket", args=[organisation.slug]),
)
download_part_register(tribunal_download_part)
erasure_guard_register(erasure_refusal)
