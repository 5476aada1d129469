"""The tokens page's forms (validation only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.api.models import Scope
from parrhesia.api.services import DAYS_DEFAULT, DAYS_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, so you can tell your tokens apart."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every token reads what you may read; vote and post add those acts."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=DAYS_MAX, initial=DAYS_DEFAULT
    )


class RevokeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, revoke this token: programs that use it will stop working."),
        required=True,
    )
