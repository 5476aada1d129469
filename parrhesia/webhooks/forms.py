"""The webhooks' forms: they validate, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.record.action_labels import action_label
from parrhesia.webhooks.services import action_catalogue


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The record's actions grouped by what they are about (``ballot.*``, ``motion.*``…)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action in action_catalogue():
        groups.setdefault(action.split(".", 1)[0], []).append(
            (action, f"{action_label(action)} ({action})")
        )
    return list(groups.items())


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("URL that receives the deliveries"),
        max_length=2000,
        help_text=_("https:// is best. It is kept for the stewards and never put on the record."),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    label = forms.CharField(
        label=_("Name (for the stewards)"),
        max_length=100,
        required=False,
        help_text=_("For example “Union chat”. Not on the record."),
    )
    every_action = forms.ChoiceField(
        label=_("Entries to send"),
        choices=[("all", _("Every entry of the record")), ("chosen", _("Only these actions"))],
        initial="all",
        widget=forms.RadioSelect,
    )
    actions = forms.MultipleChoiceField(
        label=_("Actions"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = action_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("every_action") == "chosen":
            if not data.get("actions"):
                self.add_error("actions", _("Choose at least one action, or send every entry."))
        else:
            data["actions"] = []
        return data

    def service_arguments(self) -> dict[str, Any]:
        return {
            "url": self.cleaned_data["url"],
            "label": self.cleaned_data.get("label", ""),
            "actions": self.cleaned_data["actions"],
        }
