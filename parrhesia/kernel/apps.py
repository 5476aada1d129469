from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """No models: only fills the registries from every app's ``content.py`` and ``todo.py``."""

    name = "parrhesia.kernel"
    label = "kernel"
    verbose_name = _("Kernel")

    def ready(self) -> None:
        from parrhesia.kernel.content import autodiscover
        from parrhesia.kernel.todo import autodiscover as todo_autodiscover

        autodiscover()
        todo_autodiscover()
