from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """A member's notices, in the app and by e-mail, and the e-mail digest."""

    name = "parrhesia.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from parrhesia.notifications.notices import autodiscover

        autodiscover()
