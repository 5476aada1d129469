from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        _register_reportables()


def _one_line(text: str, limit: int = 120) -> str:
    """A docket summary: the first words of a text, on one line."""
    from django.utils.text import Truncator

    return Truncator(" ".join(str(text).split())).chars(limit)


def _register_reportables() -> None:
    """What the tribunal can judge here (docs/tribunal.md §1); all of it can be hidden."""
    from django.urls import reverse

    from parrhesia.agenda.models import Argument, Challenge, Motion, Question, Suggestion
    from parrhesia.tribunal.reportables import reportable_register

    def motion_url(motion: Motion) -> str:
        return reverse("agenda:motion", args=[motion.item.organisation.slug, motion.pk])

    def argument_url(argument: Argument) -> str:
        organisation = argument.motion.item.organisation
        return reverse("agenda:argument", args=[organisation.slug, argument.pk])

    reportable_register(
        "motion",
        model=Motion,
        organisation_of=lambda motion: motion.item.organisation,
        author_of=lambda motion: motion.author,
        summary_of=lambda motion: _one_line(motion.title),
        url_of=motion_url,
        label=pgettext_lazy("content kind", "Motion"),
    )
    reportable_register(
        "suggestion",
        model=Suggestion,
        organisation_of=lambda suggestion: suggestion.motion.item.organisation,
        author_of=lambda suggestion: suggestion.author,
        summary_of=lambda suggestion: _one_line(suggestion.explanation or suggestion.text),
        url_of=lambda suggestion: f"{motion_url(suggestion.motion)}#suggestion-{suggestion.pk}",
        label=pgettext_lazy("content kind", "Suggestion"),
    )
    reportable_register(
        "argument",
        model=Argument,
        organisation_of=lambda argument: argument.motion.item.organisation,
        author_of=lambda argument: argument.author,
        summary_of=lambda argument: _one_line(argument.text),
        url_of=argument_url,
        label=pgettext_lazy("content kind", "Argument"),
    )
    reportable_register(
        "challenge",
        model=Challenge,
        organisation_of=lambda challenge: challenge.argument.motion.item.organisation,
        author_of=lambda challenge: challenge.author,
        summary_of=lambda challenge: _one_line(
            f"{challenge.get_kind_display()}: {challenge.text}"
            if challenge.text
            else challenge.get_kind_display()
        ),
        url_of=lambda challenge: f"{argument_url(challenge.argument)}#challenge-{challenge.pk}",
        label=pgettext_lazy("content kind", "Challenge"),
    )
    reportable_register(
        "question",
        model=Question,
        organisation_of=lambda question: question.organisation,
        author_of=lambda question: question.author,
        summary_of=lambda question: _one_line(question.title),
        url_of=lambda question: reverse(
            "agenda:question", args=[question.organisation.slug, question.pk]
        ),
        label=pgettext_lazy("content kind", "Open question"),
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
