from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. They may belong to many organisations."""

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("The name other members see next to what you write."),
    )

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
