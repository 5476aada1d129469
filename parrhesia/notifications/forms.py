from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.notifications.models import Delivery, Digest

KIND_PREFIX = "kind_"


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("E-mail digest"), choices=Digest.choices, widget=forms.RadioSelect
    )


class PreferencesForm(DigestForm):
    """The digest's period and, for each kind of notice, how it reaches the member."""

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in kinds:
            self.fields[KIND_PREFIX + kind] = forms.ChoiceField(
                label=label, choices=Delivery.choices, widget=forms.RadioSelect, required=False
            )

    def service_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            "digest": cleaned["digest"],
            "deliveries": {
                name.removeprefix(KIND_PREFIX): value
                for name, value in cleaned.items()
                if name.startswith(KIND_PREFIX) and value
            },
        }
