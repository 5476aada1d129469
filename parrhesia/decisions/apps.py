from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """Decisions: ballots, counts anyone can redo, minority reports."""

    name = "parrhesia.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
