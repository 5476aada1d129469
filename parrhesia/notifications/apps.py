from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """A member's notices, in the app and by e-mail, and the e-mail digest."""

    name = "parrhesia.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from parrhesia.notifications.notices import autodiscover
        from parrhesia.notifications.services import notify
        from parrhesia.orgs.notices import notices_sender_set

        autodiscover()
        # The organisations word their notices but sit below this app: they send through it.
        notices_sender_set(notify)
