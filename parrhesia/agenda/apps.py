from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """Deliberation: agenda items, motions, amendments, argument maps, open questions."""

    name = "parrhesia.agenda"
    label = "agenda"
    verbose_name = _("Deliberation")
