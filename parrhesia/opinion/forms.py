"""Forms validate input only; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.opinion.models import STATEMENT_MAX, Mark, VoteValue

REASON_HELP = _("Your reason is shown with the statement and on the organisation's public record.")


class ConversationForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    seed_statements = forms.CharField(
        label=_("Seed statements, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text=_("A few statements to start from, each at most %(max)d characters.")
        % {"max": STATEMENT_MAX},
    )
    named_votes = forms.BooleanField(
        label=_("Named votes"),
        required=False,
        help_text=_(
            "Publish each vote and statement under the member's name. Unticked (the default), "
            "the record and the exports show only a pseudonym per conversation. This cannot be "
            "changed once the conversation is open."
        ),
    )
    attached_kind = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    attached_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args: Any, may_name_votes: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_name_votes:  # only an admin chooses named votes (opinion.choose_named_votes)
            del self.fields["named_votes"]

    def clean_seed_statements(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["seed_statements"].splitlines()]
        lines = [line for line in lines if line]
        too_long = [n for n, line in enumerate(lines, start=1) if len(line) > STATEMENT_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Line %(line)d is longer than %(max)d characters.")
                % {"line": too_long[0], "max": STATEMENT_MAX}
            )
        return lines


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
    )

    def __init__(self, *args: Any, named: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if named:
            text = _(
                "One idea others can agree or disagree with, at most %(max)d characters. "
                "It is published at once, under your name, on the public record."
            )
        else:
            text = _(
                "One idea others can agree or disagree with, at most %(max)d characters. "
                "It is published at once on the public record, under your pseudonym in this "
                "conversation, not your name."
            )
        self.fields["text"].help_text = text % {"max": STATEMENT_MAX}


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=VoteValue.choices, coerce=int)


class MarkForm(forms.Form):
    mark = forms.ChoiceField(
        label=_("Mark"),
        choices=[
            (Mark.OFF_TOPIC.value, _("Off-topic")),
            (Mark.META.value, _("Meta (about the conversation itself)")),
            ("", _("No mark (put it back with the others)")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=REASON_HELP,
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )
