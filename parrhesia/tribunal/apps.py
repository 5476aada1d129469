from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TribunalConfig(AppConfig):
    """The tribunal: reports, cases, juries drawn by lot, verdicts, appeals."""

    name = "parrhesia.tribunal"
    label = "tribunal"
    verbose_name = _("Tribunal")

    def ready(self) -> None:
        from django.urls import reverse

        from parrhesia.record.exports import DOWNLOAD_PARTS
        from parrhesia.record.links import subject_link_register
        from parrhesia.tribunal import rules  # noqa: F401  (registers the permissions)
        from parrhesia.tribunal.exports import tribunal_download_part
        from parrhesia.tribunal.reportables import register_core_kinds

        register_core_kinds()
        subject_link_register(
            "case", lambda org, number: reverse("tribunal:case", args=[org.slug, number])
        )
        subject_link_register(
            "tribunal", lambda org, _id: reverse("tribunal:docket", args=[org.slug])
        )
        if tribunal_download_part not in DOWNLOAD_PARTS:
            DOWNLOAD_PARTS.append(tribunal_download_part)
