from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed deliveries of an organisation's record entries to other tools (docs/webhooks.md)."""

    name = "parrhesia.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from parrhesia.kernel.record_hooks import checkpoint_listener_register
        from parrhesia.webhooks.tasks import dispatch_soon

        # The record sits below this app: it calls us through the kernel's registry.
        checkpoint_listener_register(dispatch_soon)
