from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.record.selectors import TimelineFilter


class TimelineFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(label=_("Actor"), required=False, coerce=int, empty_value=None)
    subject_kind = forms.ChoiceField(label=_("Subject kind"), required=False)
    subject_id = forms.CharField(label=_("Subject id"), required=False, max_length=100)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args, actions: list[str], actors: list[tuple[int, str]], kinds: list[str], **kwargs
    ):
        super().__init__(*args, **kwargs)
        families = sorted({name.split(".")[0] for name in actions})
        self.fields["action"].choices = (
            [("", _("Any action"))]
            + [(family, f"{family}.*") for family in families]
            + [(name, name) for name in actions]
        )
        self.fields["actor"].choices = [("", _("Anyone"))] + [
            (str(pk), name) for pk, name in actors
        ]
        self.fields["subject_kind"].choices = [("", _("Any subject"))] + [(k, k) for k in kinds]

    def criteria(self) -> TimelineFilter:
        if not self.is_valid():
            return TimelineFilter()
        data = self.cleaned_data
        return TimelineFilter(
            action=data["action"] or "",
            actor=data["actor"],
            subject_kind=data["subject_kind"] or "",
            subject_id=(data["subject_id"] or "").strip(),
            since=data["since"],
            until=data["until"],
        )
