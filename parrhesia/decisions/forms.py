"""Forms validate input only; services decide and write."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parrhesia.decisions.counting import ranking_from_numbers
from parrhesia.decisions.models import (
    MOTION_LABELS,
    Ballot,
    Method,
    QuickStarters,
    Reasons,
    Secrecy,
    Threshold,
)
from parrhesia.decisions.services import too_many_options


class BallotOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Text of the motion or purpose of the vote"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    method = forms.ChoiceField(label=_("Kind of vote"), choices=Method.choices)
    options = forms.CharField(
        label=_("Options or candidates, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text=_("Leave empty for a motion vote."),
    )
    status_quo_label = forms.CharField(
        label=_("Status quo option (competing motions only)"),
        max_length=200,
        required=False,
        help_text=_("E.g. 'Keep the current rules'. A motion wins only if it beats it."),
    )
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=100, initial=1)
    secrecy = forms.ChoiceField(
        label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.OPEN, widget=forms.RadioSelect
    )
    results_hidden = forms.BooleanField(
        label=_("Hide the results until the close (always so for secret votes)"), required=False
    )
    reasons = forms.ChoiceField(label=_("Reasons with votes"), choices=Reasons.choices)
    threshold = forms.ChoiceField(label=_("Threshold (motion votes)"), choices=Threshold.choices)
    quorum_percent = forms.IntegerField(
        label=_("Quorum: turnout needed, in % of the electorate"), min_value=0, max_value=100
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    early_close_allowed = forms.BooleanField(label=_("Stewards may close it early"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].initial = (timezone.now() + timedelta(days=7)).replace(
            second=0, microsecond=0
        )

    def cleaned_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "options" in cleaned:
            count = len(self.cleaned_options()) + bool(cleaned.get("status_quo_label", "").strip())
            if count > settings.DECISIONS_MAX_OPTIONS:
                self.add_error("options", too_many_options(count))
        return cleaned


class AgendaBallotForm(forms.Form):
    """Opening the vote on an agenda item: its motions and the status quo are the options."""

    method = forms.ChoiceField(
        label=_("Counting rule"),
        choices=[
            (Method.SCHULZE, Method.SCHULZE.label),
            (Method.RANKED_PAIRS, Method.RANKED_PAIRS.label),
        ],
    )
    secrecy = forms.ChoiceField(
        label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.OPEN, widget=forms.RadioSelect
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    early_close_allowed = forms.BooleanField(label=_("Stewards may close it early"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].initial = (timezone.now() + timedelta(days=7)).replace(
            second=0, microsecond=0
        )

    def clean_closes_at(self) -> Any:
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= timezone.now():
            raise forms.ValidationError(_("The vote must close in the future."))
        return closes_at


# What a quick proposal or poll is, in the words of those who start one.
QUICK_KINDS = [
    (Method.MOTION, _("Proposal: members agree, abstain, disagree or block")),
    (Method.PLURALITY, _("Poll: members pick one option")),
    (Method.APPROVAL, _("Poll: members pick any number of options")),
]
# How long it runs (hours), unless an exact closing time is given.
QUICK_DURATIONS = [
    (1, _("1 hour")),
    (24, _("1 day")),
    (72, _("3 days")),
    (168, _("1 week")),
    (336, _("2 weeks")),
    (720, _("30 days")),
]


class QuickBallotForm(forms.Form):
    """A quick proposal or poll: what is asked, its options (polls), how long it runs."""

    title = forms.CharField(label=_("Question or proposal"), max_length=200)
    description = forms.CharField(
        label=_("Details (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    method = forms.ChoiceField(
        label=_("Kind"), choices=QUICK_KINDS, initial=Method.MOTION, widget=forms.RadioSelect
    )
    options = forms.CharField(
        label=_("Options of a poll, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
        help_text=_("Leave empty for a proposal."),
    )
    closes_in = forms.TypedChoiceField(
        label=_("Closes in"),
        choices=QUICK_DURATIONS,
        coerce=int,
        initial=72,
        required=False,
        empty_value=72,
    )
    closes_at = forms.DateTimeField(
        label=_("Or closes at (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("From one hour to 30 days from now; it replaces the choice above."),
    )
    secrecy = forms.ChoiceField(
        label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.OPEN, widget=forms.RadioSelect
    )
    early_close_allowed = forms.BooleanField(label=_("Stewards may close it early"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "options" in cleaned:
            count = len(self.cleaned_options())
            if count > settings.DECISIONS_MAX_OPTIONS:
                self.add_error("options", too_many_options(count))
        return cleaned

    def cleaned_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def opening(self) -> dict[str, Any]:
        """The service's arguments: the closing time given, or now and the duration chosen."""
        data = self.cleaned_data
        closes_at = data["closes_at"] or timezone.now() + timedelta(hours=data["closes_in"])
        return {
            "title": data["title"],
            "description": data["description"],
            "method": data["method"],
            "options": self.cleaned_options(),
            "closes_at": closes_at,
            "secrecy": data["secrecy"],
            "early_close_allowed": data["early_close_allowed"],
        }


class PolicyForm(forms.Form):
    threshold = forms.ChoiceField(label=_("Threshold of motion votes"), choices=Threshold.choices)
    reasons = forms.ChoiceField(label=_("Reasons with votes"), choices=Reasons.choices)
    quorum_percent = forms.IntegerField(
        label=_("Quorum, in % of the electorate"), min_value=0, max_value=100
    )
    minority_window_days = forms.IntegerField(
        label=_("Days to file a minority report after the close"), min_value=1, max_value=365
    )
    min_anonymity = forms.IntegerField(
        label=_("Fewest voters of a secret vote"),
        min_value=1,
        max_value=1000,
        help_text=_(
            "Below it a secret vote cannot be closed early, and if it closes with fewer voters"
            " it publishes no count, only that too few voted."
        ),
    )
    quick_starters = forms.ChoiceField(
        label=_("Who may start quick proposals and polls"),
        choices=QuickStarters.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_quick_starters(self) -> str | None:
        return self.cleaned_data["quick_starters"] or None


class VoteForm(forms.Form):
    """Built for one ballot: the fields depend on its method."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        options = list(ballot.options.all())
        if ballot.method == "motion":
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your vote"), choices=list(MOTION_LABELS.items()), widget=forms.RadioSelect
            )
        elif ballot.method == "plurality":
            self.fields["choice"] = forms.TypedChoiceField(
                label=_("Your choice"),
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(o.key, o.label) for o in options],
            )
        elif ballot.method == "approval":
            self.fields["approved"] = forms.TypedMultipleChoiceField(
                label=_("The options you approve"),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(o.key, o.label) for o in options],
            )
        else:
            for option in options:
                self.fields[f"rank_{option.key}"] = forms.IntegerField(
                    label=option.label,
                    required=False,
                    min_value=1,
                    max_value=len(options),
                    widget=forms.NumberInput(attrs={"class": "rank"}),
                )
        # A secret ballot takes no words of the voter's own: they could give the ballot away.
        if not ballot.is_secret and (ballot.reasons != Reasons.OFF or ballot.method == "motion"):
            self.fields["reason"] = forms.CharField(
                label=_("Your reason")
                + (
                    ""
                    if ballot.reasons == Reasons.REQUIRED
                    else " " + str(_("(optional; needed for a block)"))
                ),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )
        if ballot.is_secret:
            self.fields["receipt_code"] = forms.CharField(
                label=_("Receipt code (only to change a secret vote you already cast)"),
                required=False,
                max_length=100,
            )

    def rank_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("rank_")]

    def other_fields(self) -> list[Any]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("rank_") and name != "idempotency_key"
        ]

    def choices(self) -> Any:
        data = self.cleaned_data
        if self.ballot.method in ("motion", "plurality"):
            return data["choice"]
        if self.ballot.method == "approval":
            return list(data["approved"])
        numbers = {
            int(name.removeprefix("rank_")): value
            for name, value in data.items()
            if name.startswith("rank_") and value is not None
        }
        return ranking_from_numbers(numbers)


class TrackerForm(forms.Form):
    """A voter's tracker, to find their ballot among the published ones."""

    tracker = forms.RegexField(
        label=_("Your tracker"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        error_messages={"invalid": _("A tracker is 64 characters, 0–9 and a–f.")},
    )

    def clean_tracker(self) -> str:
        return str(self.cleaned_data["tracker"]).strip().lower()


class ReceiptForm(TrackerForm):
    """The receipt the voter was just shown, sent back to be downloaded as a file."""

    receipt_code = forms.RegexField(regex=r"^[A-Za-z0-9_-]{1,100}$")


class BlockAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer to the blocks"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("It is shown with the result and goes on the public record."),
    )


class MinorityReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=pgettext_lazy("minority report: its text", "Report"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Once filed it cannot be changed: it stands beside the result for good."),
    )
