"""allauth's log-in form, with a label that says what to type.

Kept apart from forms.py: allauth imports the sign-up form class from there while its own forms
module loads, so that module must not import allauth's forms.
"""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail")
