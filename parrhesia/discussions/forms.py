"""Validation only: the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.discussions.models import POST_TEXT_MAX

MENTION_HELP = _(
    "Markdown. Mention a member with @ and their display name: they are told. Published under "
    "your name on the record; every edit is kept."
)


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Your post"),
        max_length=POST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MENTION_HELP,
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    text = forms.CharField(
        label=_("New text"),
        max_length=POST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MENTION_HELP,
    )
