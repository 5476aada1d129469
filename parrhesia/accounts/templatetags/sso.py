"""``{% sso_only as only %}``: whether the log-in page shows only the provider's button."""

from django import template

from parrhesia.accounts.sso import sso_only as sso_only_setting

register = template.Library()


@register.simple_tag
def sso_only() -> bool:
    return sso_only_setting()
