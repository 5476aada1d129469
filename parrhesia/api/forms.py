"""The pages' own forms validate the API's bodies too: one definition of what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from parrhesia.api.problems import INVALID, Problem


def valid(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data; a 422 problem naming each field's errors otherwise."""
    if form.is_valid():
        return dict(form.cleaned_data)
    errors = [
        {"loc": ["body", field], "msg": " ".join(str(m) for m in messages)}
        for field, messages in form.errors.items()
    ]
    raise Problem(422, _("The request is not valid."), type=INVALID, errors=errors)
