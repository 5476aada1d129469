from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionConfig(AppConfig):
    """Opinion mapping: conversations, statements, votes, opinion groups."""

    name = "parrhesia.opinion"
    label = "opinion"
    verbose_name = _("Opinion mapping")
