from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.notifications.models import Digest


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("E-mail digest"), choices=Digest.choices, widget=forms.RadioSelect
    )
