from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TribunalConfig(AppConfig):
    """The tribunal: reports, cases, juries drawn by lot, verdicts, appeals."""

    name = "parrhesia.tribunal"
    label = "tribunal"
    verbose_name = _("Tribunal")
