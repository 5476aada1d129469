"""Forms of the tribunal: they validate input only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.orgs.models import Membership
from parrhesia.tribunal.models import URGENT_LABELS, Sanction


class ReportForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    object_id = forms.CharField(widget=forms.HiddenInput, required=False)
    member = forms.ModelChoiceField(
        label=_("Which member's conduct?"), queryset=Membership.objects.none(), required=False
    )
    rules = forms.TypedMultipleChoiceField(
        label=_("Rules breached"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    evidence = forms.CharField(
        label=_("Evidence (links, quotes)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Ask the jury to keep my name from the accused (I will give my reason to it)"),
        help_text=_(
            "Your name is on no page and in no record entry. One thing can still point at you: "
            "juries are drawn by a lot anyone can redo, and a reporter is passed over by it. "
            "Members who said they cannot sit are passed over the same way, so the fewer "
            "they are, the more a passed-over member looks like the reporter "
            "(docs/privacy.md §5)."
        ),
        required=False,
    )

    def __init__(self, *args: Any, rules: list[dict[str, Any]], members: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["rules"].choices = [(r["number"], f"{r['number']}. {r['text']}") for r in rules]
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.user.public_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == "member":
            if not data.get("member"):
                self.add_error("member", _("Choose the member."))
            else:
                data["object_id"] = data["member"].pk
        elif not data.get("object_id"):
            raise forms.ValidationError(_("Report from the content itself."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (public)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InterimForm(forms.Form):
    # No category chosen in advance: the steward says which applies, then confirms.
    category = forms.ChoiceField(label=_("Urgent category"))
    confirm = forms.BooleanField(
        label=_("I confirm: the content is hidden at once and its author is told."), required=True
    )

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choose = [("", _("Choose the category that applies"))]
        self.fields["category"].choices = choose + [
            (c, URGENT_LABELS.get(c, c)) for c in categories
        ]


class ConfirmForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Interim measure"),
        choices=[("1", _("Confirm it")), ("0", _("Lift it"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DefenceForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    evidence = forms.CharField(
        label=_("Your evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    advocate = forms.ModelChoiceField(
        label=_("An advocate (another member), if you want one"),
        queryset=Membership.objects.none(),
        required=False,
    )
    answered = forms.BooleanField(
        label=_("I have answered: close the defence period now and let the jury decide"),
        required=False,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["advocate"].queryset = members
        self.fields["advocate"].label_from_instance = lambda m: m.user.public_name


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the jury"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AnonymityForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("The reporter's request for anonymity"),
        choices=[("1", _("Grant it")), ("0", _("Refuse it"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class VoteForm(forms.Form):
    sanction = forms.ChoiceField(label=_("Sanction"), choices=Sanction.choices)
    suspension_days = forms.IntegerField(
        label=_("Suspension, in days (for a suspension)"), min_value=0, max_value=365, initial=0
    )
    reasons = forms.CharField(
        label=_("Your written reasons (published with the verdict)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
    keep_room_private = forms.BooleanField(
        label=_("Keep the jury room's discussion private after the verdict"), required=False
    )
    privacy_reason = forms.CharField(
        label=_("Why it should stay private"), max_length=2000, required=False
    )
    personal_data = forms.BooleanField(
        label=_(
            "It publishes someone's personal data: if a majority agrees and finds a breach, its "
            "text is erased everywhere, for good"
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, rules: list[int], hideable: bool, erasable: bool = False, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if not erasable:
            del self.fields["personal_data"]
        self.rule_numbers = rules
        for number in rules:
            self.fields[f"rule_{number}"] = forms.TypedChoiceField(
                label=_("Rule %(n)s") % {"n": number},
                choices=[("1", _("Breached")), ("0", _("Not breached"))],
                coerce=lambda value: value == "1",
                widget=forms.RadioSelect,
            )
        if not hideable:
            self.fields["sanction"].choices = [c for c in Sanction.choices if c[0] != Sanction.HIDE]

    def breaches(self) -> dict[int, bool]:
        return {n: self.cleaned_data[f"rule_{n}"] for n in self.rule_numbers}


class AppealForm(forms.Form):
    material = forms.CharField(
        label=_("What the appeal jury should know (new material, why the verdict is wrong)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        required=False,
    )


class SettingsForm(forms.Form):
    jury_size = forms.IntegerField(
        label=_("Jurors per case (odd; an appeal jury has twice as many plus one)"),
        min_value=1,
        max_value=21,
    )
    defence_days = forms.IntegerField(label=_("Defence period, in days"), min_value=1, max_value=60)
    jury_days = forms.IntegerField(
        label=_(
            "Days a jury has to decide once the defence has closed (jurors who have not "
            "voted by then are replaced by lot)"
        ),
        min_value=2,
        max_value=60,
    )
    min_membership_days = forms.IntegerField(
        label=_("Days of membership before one can sit on a jury"), min_value=0, max_value=365
    )
    urgent_categories = forms.MultipleChoiceField(
        label=_("Urgent categories for interim measures"),
        choices=list(URGENT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_categories = forms.CharField(
        label=_("Other urgent categories (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    reason = forms.CharField(label=_("Why (public, on the record)"), max_length=2000)

    def categories(self) -> list[str]:
        others = [line.strip() for line in self.cleaned_data["other_categories"].splitlines()]
        return list(self.cleaned_data["urgent_categories"]) + [o for o in others if o]


class AvailabilityForm(forms.Form):
    unavailable = forms.BooleanField(
        label=_("I cannot sit on a jury for now"),
        required=False,
    )
    until = forms.DateField(
        label=_("Until (the last day; leave empty for until I say otherwise)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
