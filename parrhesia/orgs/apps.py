from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "parrhesia.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.urls import reverse

        from parrhesia.record.links import subject_link_register

        subject_link_register(
            "organisation", lambda org, _id: reverse("orgs:detail", args=[org.slug])
        )
        subject_link_register(
            "membership", lambda org, _id: reverse("orgs:members", args=[org.slug])
        )
        subject_link_register(
            "conduct_code",
            lambda org, version: reverse("orgs:conduct", args=[org.slug]) + f"#code-{version}",
        )
