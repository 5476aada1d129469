from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    """Discussion threads: plain posts and replies beside an agenda item or a conversation."""

    name = "parrhesia.discussions"
    label = "discussions"
    verbose_name = _("Discussions")
