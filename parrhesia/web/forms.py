"""The site's own forms (the account pages' forms live in accounts.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarLinkForm(forms.Form):
    """A new calendar link, or none; once a link exists, either makes it stop working, which
    the member confirms (a calendar subscribed to it gets no more deadlines)."""

    action = forms.ChoiceField(
        choices=[("new", _("A new link")), ("stop", _("No link"))], widget=forms.HiddenInput
    )
    confirm = forms.BooleanField(
        required=False, label=_("I understand that the link I have now will stop working.")
    )

    def __init__(self, *args: Any, has_link: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_link = has_link

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_link and not cleaned.get("confirm"):
            self.add_error(
                "confirm", _("Tick the box to confirm: the link you have now will stop working.")
            )
        if not self.has_link and cleaned.get("action") == "stop":
            self.add_error(None, _("You have no calendar link."))
        return cleaned
