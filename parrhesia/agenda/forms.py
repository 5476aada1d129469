"""Forms validate input only; services decide and write. Lengths here match the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.agenda import services
from parrhesia.agenda.models import (
    ChallengeKind,
    FollowUpStatus,
    LinkKind,
    QuestionStatus,
    Rating,
    Stance,
)
from parrhesia.kernel.cells import web_address

RECORD_HELP = _("What you write here is shown on the organisation's public record.")
MARKDOWN_HELP = _("Markdown: *emphasis*, **strong**, lists, links. HTML is shown as text.")


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ItemOpenForm(forms.Form):
    title = forms.CharField(
        label=_("What is to be decided?"), max_length=services.TITLE_MAX,
        help_text=_("The agenda item: a matter, not yet an answer."),
    )  # fmt: skip
    motion_title = forms.CharField(label=_("Title of your motion"), max_length=services.TITLE_MAX)
    text = forms.CharField(
        label=_("Text of your motion"), widget=_textarea(10),
        max_length=services.MOTION_TEXT_MAX, help_text=MARKDOWN_HELP,
    )  # fmt: skip


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Title of the motion"), max_length=services.TITLE_MAX)
    text = forms.CharField(
        label=_("Text of the motion"), widget=_textarea(10),
        max_length=services.MOTION_TEXT_MAX, help_text=MARKDOWN_HELP,
    )  # fmt: skip


class ReviseForm(forms.Form):
    text = forms.CharField(
        label=_("New text"), widget=_textarea(12), max_length=services.MOTION_TEXT_MAX,
        help_text=_("The current version stays readable; a diff shows what changed."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("What changed and why (optional)"), max_length=500, required=False
    )


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your proposed text of the motion"), widget=_textarea(12),
        max_length=services.MOTION_TEXT_MAX,
        help_text=_("Edit the current text; the motion's supporters see your changes as a diff."),
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("Why (optional)"), widget=_textarea(3), max_length=services.REASON_MAX,
        required=False,
    )  # fmt: skip


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("Your rating"), choices=Rating.choices)


class SuggestionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("adopt", _("Adopt it")), ("decline", _("Decline it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=_textarea(3), max_length=services.REASON_MAX, required=False,
        help_text=_("Required to decline. %(record)s") % {"record": RECORD_HELP},
    )  # fmt: skip

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why you decline it."))
        return data


class ArgumentForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your argument is"), choices=[(s.value, s.label) for s in (Stance.PRO, Stance.CON)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    text = forms.CharField(
        label=_("Argument"), widget=_textarea(5), max_length=services.ARGUMENT_TEXT_MAX,
        help_text=MARKDOWN_HELP,
    )  # fmt: skip


class ReplyForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your reply"),
        choices=[(Stance.REBUTTAL.value, _("Rebuts it")), (Stance.SUPPORT.value, _("Supports it"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Reply"), widget=_textarea(4), max_length=services.ARGUMENT_TEXT_MAX,
        help_text=MARKDOWN_HELP,
    )  # fmt: skip


class ArgumentReviseForm(forms.Form):
    text = forms.CharField(
        label=_("New text"), widget=_textarea(5), max_length=services.ARGUMENT_TEXT_MAX,
        help_text=_("Earlier texts stay readable in the argument's history."),
    )  # fmt: skip


class ChallengeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Challenge"), choices=ChallengeKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details"), widget=_textarea(3), max_length=services.ARGUMENT_TEXT_MAX,
        required=False, help_text=_("Required for “Other”."),
    )  # fmt: skip

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == ChallengeKind.OTHER and not (data.get("text") or "").strip():
            self.add_error("text", _("Say what your challenge is."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=_textarea(3), max_length=services.ARGUMENT_TEXT_MAX
    )


class PhaseAdjustForm(forms.Form):
    ends_at = forms.DateTimeField(
        label=_("New end of the phase (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=_textarea(3), max_length=services.REASON_MAX,
        help_text=RECORD_HELP,
    )  # fmt: skip


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    text = forms.CharField(label=_("Update"), widget=_textarea(3), max_length=services.REASON_MAX)


class QuestionForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=300)
    text = forms.CharField(
        label=_("Details (optional)"), widget=_textarea(4),
        max_length=services.ARGUMENT_TEXT_MAX, required=False, help_text=MARKDOWN_HELP,
    )  # fmt: skip
    link_kind = forms.ChoiceField(
        label=_("Linked to (optional)"), choices=[("", "—"), *LinkKind.choices], required=False
    )
    link_id = forms.IntegerField(label=_("Its number"), min_value=1, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if bool(data.get("link_kind")) != bool(data.get("link_id")):
            self.add_error("link_id", _("Give both what it is linked to and its number."))
        return data


class QuestionLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Link to"), choices=LinkKind.choices)
    target_id = forms.IntegerField(label=_("Number"), min_value=1)


class QuestionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=QuestionStatus.choices)
    answer_link = forms.CharField(
        label=_("Link to the answer"), max_length=500, required=False,
        help_text=_("Required when answered: a web address (https://…), e.g. a decision's page."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), widget=_textarea(2), max_length=services.REASON_MAX, required=False,
        help_text=_("Required to set a question aside."),
    )  # fmt: skip

    def clean_answer_link(self) -> str:
        link: str = self.cleaned_data.get("answer_link", "")
        if link and not web_address(link):
            raise forms.ValidationError(services.ANSWER_LINK_ERROR)
        return link


class PolicyForm(forms.Form):
    item_type = forms.SlugField(label=_("Item type"), max_length=40, initial="general")
    admission_days = forms.IntegerField(label=_("Admission (days)"), min_value=1, max_value=90)
    admission_quorum_percent = forms.IntegerField(
        label=_("Admission quorum (% of members)"), min_value=1, max_value=100
    )
    alternative_quorum_percent = forms.IntegerField(
        label=_("Alternative quorum (% of members)"), min_value=1, max_value=100
    )
    discussion_days = forms.IntegerField(label=_("Discussion (days)"), min_value=1, max_value=90)
    frozen_days = forms.IntegerField(label=_("Frozen (days)"), min_value=1, max_value=30)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
