from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The site's frame: base layout, home page, account pages, error pages, health."""

    name = "parrhesia.web"
    label = "web"
    verbose_name = _("Web")
