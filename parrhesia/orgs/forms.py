"""Forms validate input only; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.orgs.models import SLUG_VALIDATOR, Organisation, Role, Visibility

REASON_HELP = _("Your reason is shown on the organisation's public record.")


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.CharField(
        label=_("Short name"),
        max_length=50,
        validators=[SLUG_VALIDATOR],
        help_text=_("Used in addresses, e.g. 'riverside-coop'. It cannot be changed later."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    member_list_public = forms.BooleanField(
        label=_("Show the member list to visitors"),
        required=False,
        help_text=_(
            "Only for a public-read organisation. Unticked, visitors see how many members there "
            "are, not who they are, and the record names no member for them."
        ),
    )
    join_messages_public = forms.BooleanField(
        label=_("Publish join-request messages on the record"),
        required=False,
        help_text=_(
            "Unticked, only stewards read what someone wrote when asking to join. Either way, "
            "messages already on the record stay there."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=2000, help_text=REASON_HELP
    )


class ConductCodeForm(forms.Form):
    rules = forms.CharField(
        label=_("Rules, one per line"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Each line becomes a numbered rule. Earlier versions stay on the record."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=2000, help_text=REASON_HELP
    )

    def clean_rules(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["rules"].splitlines()]
        rules = [line for line in lines if line]
        if not rules:
            raise forms.ValidationError(_("Write at least one rule."))
        if any(len(rule) > 1000 for rule in rules):
            raise forms.ValidationError(_("A rule may have at most 1,000 characters."))
        return rules


class InvitationForm(forms.Form):
    days_valid = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=7
    )
    single_use = forms.BooleanField(label=_("For one person only"), required=False)
    note = forms.CharField(
        label=_("Note (e.g. who it is for)"), required=False, max_length=200, help_text=REASON_HELP
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why would you like to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Say who will read it, as the organisation's settings have it (docs/privacy.md).
        if organisation.join_messages_public:
            said = [_("This message is shown on the organisation's public record.")]
        else:
            said = [_("Only the organisation's stewards read this message.")]
        if organisation.member_list_public:
            said.append(_("Your name is shown on its public record."))
        self.fields["message"].help_text = " ".join(str(words) for words in said)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=REASON_HELP,
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=REASON_HELP,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=REASON_HELP,
    )


class ErasureForm(forms.Form):
    """A steward's erasure of values of one record entry, at a lawful request."""

    pointers = forms.MultipleChoiceField(
        label=_("Values to erase"), widget=forms.CheckboxSelectMultiple, required=False
    )
    erase_content = forms.BooleanField(label=_("Erase the text of the content too"), required=False)
    reason = forms.CharField(
        label=_("Lawful basis and who asked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown on the public record, sealed: it can be erased in turn."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that an erasure cannot be undone."), required=True
    )

    def __init__(self, *args: Any, values: list[tuple[str, str]], content: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pointers"].choices = [
            (pointer, f"{pointer.removeprefix('/payload/')}: {text}") for pointer, text in values
        ]
        if not content:
            del self.fields["erase_content"]

    def service_arguments(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            "pointers": list(cleaned["pointers"]),
            "reason": cleaned["reason"],
            "erase_content": bool(cleaned.get("erase_content")),
        }
