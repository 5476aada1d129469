from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """No models: only fills the content registry from every app's ``content.py``."""

    name = "parrhesia.kernel"
    label = "kernel"
    verbose_name = _("Kernel")

    def ready(self) -> None:
        from parrhesia.kernel.content import autodiscover

        autodiscover()
