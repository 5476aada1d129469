from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    """Deliberation: agenda items, motions, amendments, argument maps, open questions."""

    name = "parrhesia.agenda"
    label = "agenda"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from django.urls import reverse

        from parrhesia.agenda.exports import agenda_download_part
        from parrhesia.record.exports import DOWNLOAD_PARTS
        from parrhesia.record.links import subject_link_register

        if agenda_download_part not in DOWNLOAD_PARTS:
            DOWNLOAD_PARTS.append(agenda_download_part)
        for kind, name in (
            ("agenda_item", "agenda:item"),
            ("motion", "agenda:motion"),
            ("argument", "agenda:argument"),
            ("question", "agenda:question"),
        ):
            subject_link_register(
                kind, lambda org, pk, name=name: reverse(name, args=[org.slug, int(pk)])
            )
        subject_link_register("suggestion", _suggestion_link)
        subject_link_register("challenge", _challenge_link)
        subject_link_register(
            "agenda_policy", lambda org, _id: reverse("agenda:policy", args=[org.slug])
        )


def _suggestion_link(organisation, pk):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from parrhesia.agenda.models import Suggestion

    motion_id = Suggestion.objects.filter(pk=pk).values_list("motion_id", flat=True).first()
    if motion_id is None:
        return None
    return reverse("agenda:motion", args=[organisation.slug, motion_id]) + f"#suggestion-{pk}"


def _challenge_link(organisation, pk):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from parrhesia.agenda.models import Challenge

    argument_id = Challenge.objects.filter(pk=pk).values_list("argument_id", flat=True).first()
    if argument_id is None:
        return None
    return reverse("agenda:argument", args=[organisation.slug, argument_id]) + f"#challenge-{pk}"
