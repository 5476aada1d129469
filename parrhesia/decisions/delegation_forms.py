"""The forms of proxies, topic delegation, their rules and mandates (validation only: the
services decide, and refuse with a ``BallotError`` what the form cannot know)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.orgs.models import Membership


def _member_choices(members: list[Membership]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.user.public_name) for m in members]


class MemberChoiceForm(forms.Form):
    """A form whose ``field_name`` picks one of ``members``; ``member()`` is the one chosen."""

    field_name = "member"

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields[self.field_name].choices = [("", "—"), *_member_choices(members)]

    def member(self) -> Membership:
        return self.members[self.cleaned_data[self.field_name]]


class ProxyGiveForm(MemberChoiceForm):
    field_name = "holder"
    holder = forms.ChoiceField(label=_("Give my vote in this ballot to"))


class DelegationForm(MemberChoiceForm):
    field_name = "delegate"
    delegate = forms.ChoiceField(label=_("Delegate my vote to"))
    area = forms.ChoiceField(label=_("For"), required=False)

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            ("", _("Every topic (the whole organisation)")),
            *[(area, _("Agenda items of type “%(type)s”") % {"type": area}) for area in areas],
        ]


class DelegationPolicyForm(forms.Form):
    proxies_max = forms.IntegerField(
        label=_("Most proxies one member may hold in a ballot"), min_value=0, max_value=100
    )
    delegation_enabled = forms.BooleanField(
        label=_("Members may delegate their vote by topic"), required=False
    )
    delegation_transitive = forms.BooleanField(
        label=_("Transitive: a delegate's delegation passes on what they carry"),
        required=False,
    )
    delegation_cap_percent = forms.IntegerField(
        label=_("Cap: most weight one delegate carries, in % of the electorate"),
        min_value=1,
        max_value=100,
    )
    delegation_cap_max = forms.IntegerField(
        label=_("Cap: and never more than this many votes"), min_value=1, max_value=10000
    )
    delegation_days = forms.IntegerField(
        label=_("A delegation lasts (days) until renewed"), min_value=1, max_value=3650
    )


class MandateForm(MemberChoiceForm):
    member = forms.ChoiceField(label=_("Member"))
    weight = forms.IntegerField(
        label=_("Voting weight (mandates)"),
        min_value=1,
        max_value=10000,
        help_text=_("1 is an ordinary member's vote."),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: delegate of the Northside section, 12 members. It is sealed on the"
            " public record: stewards may erase it."
        ),
    )
