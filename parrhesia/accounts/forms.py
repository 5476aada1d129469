from django import forms
from django.utils.translation import gettext_lazy as _

from parrhesia.accounts.models import User
from parrhesia.accounts.names import display_name_clean


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("The name other members see next to what you write."),
    )

    def clean_display_name(self) -> str:
        name = display_name_clean(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Please give a display name."))
        return name

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]

    def clean_display_name(self) -> str:
        name = display_name_clean(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Please give a display name."))
        return name
