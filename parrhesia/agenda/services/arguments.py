"""The argument map: arguments and replies, their revisions and withdrawal, endorsements,
challenges and their answers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices, search
from parrhesia.agenda.models import (
    REPLY_STANCES,
    TOP_STANCES,
    AgendaItem,
    Argument,
    ArgumentRevision,
    Challenge,
    ChallengeKind,
    Endorsement,
    Motion,
    Phase,
)
from parrhesia.agenda.services.base import (
    ARGUMENT_TEXT_MAX,
    AgendaError,
    PhaseClosed,
    TextInvalid,
    _follow,
    _locked,
    _require,
    _text,
)
from parrhesia.agenda.texts import markdown_html
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def _argument_open(item: AgendaItem) -> None:
    if item.phase in (Phase.DECIDED, Phase.LAPSED, Phase.WITHDRAWN):
        raise PhaseClosed(_("This item is closed; its arguments stay as they are."))


def argument_add(
    *, user: User, motion: Motion, stance: str, text: str, parent: Argument | None = None
) -> Argument:
    """A pro or con argument on a motion, or a rebuttal or support of another argument."""
    text = _text(text, limit=ARGUMENT_TEXT_MAX, what=_("argument"))
    allowed = REPLY_STANCES if parent else TOP_STANCES
    if stance not in allowed:
        raise AgendaError(_("Choose whether your argument is for or against, or a reply's kind."))
    if parent is not None and parent.motion_id != motion.pk:
        raise AgendaError(_("A reply belongs to the same motion as its argument."))
    with transaction.atomic():
        member = _require(user, "agenda.post", motion.item.organisation)
        item = _locked(motion.item)
        _argument_open(item)
        if parent is not None and parent.is_withdrawn:
            raise AgendaError(_("This argument was withdrawn by its author."))
        argument = Argument.objects.create(
            motion=motion, parent=parent, stance=stance, author=member, text=text,
            html=markdown_html(text),
        )  # fmt: skip
        ArgumentRevision.objects.create(argument=argument, number=1, text=text)
        record_append(
            organisation=item.organisation,
            actor=member,
            action="argument.added",
            subject=("argument", argument.pk),
            payload={
                "motion": motion.pk,
                "parent": parent.pk if parent else None,
                "stance": stance,
                "text": text,
            },
        )
        search.index_put(item.organisation, "argument", argument.pk, "", text)
        _follow(item, member)
        if parent is not None and parent.author_id != member.pk:
            notices.notify_item(
                [parent.author.user], organisation=item.organisation, item=item, kind="reply",
                params={"stance": stance}, url=_argument_url(argument),
            )  # fmt: skip
    return argument


def _argument_url(argument: Argument) -> str:
    organisation = argument.motion.item.organisation
    return reverse("agenda:argument", args=[organisation.slug, argument.pk])


def _own_argument(
    user: User, argument: Argument, permission: str = "agenda.take_part"
) -> tuple[Membership, AgendaItem]:
    member = _require(user, permission, argument.motion.item.organisation)
    if argument.author_id != member.pk:
        raise PermissionDenied
    item = _locked(argument.motion.item)
    _argument_open(item)
    if Argument.objects.get(pk=argument.pk).is_withdrawn:
        raise AgendaError(_("This argument was withdrawn by its author."))
    return member, item


def argument_revise(*, user: User, argument: Argument, text: str) -> Argument:
    text = _text(text, limit=ARGUMENT_TEXT_MAX, what=_("argument"))
    with transaction.atomic():
        member, item = _own_argument(user, argument, "agenda.post")
        if text == argument.text:
            raise TextInvalid(_("The new text is the same as the current one."))
        argument.revision += 1
        argument.text, argument.html = text, markdown_html(text)
        argument.save(update_fields=["revision", "text", "html"])
        ArgumentRevision.objects.create(argument=argument, number=argument.revision, text=text)
        record_append(
            organisation=item.organisation,
            actor=member,
            action="argument.revised",
            subject=("argument", argument.pk),
            payload={"revision": argument.revision, "text": text},
        )
        search.index_put(item.organisation, "argument", argument.pk, "", text)
    return argument


def argument_withdraw(*, user: User, argument: Argument) -> Argument:
    """The author withdraws; a tombstone stays in its place, and its replies stay too."""
    with transaction.atomic():
        member, item = _own_argument(user, argument)
        argument.withdrawn_at = timezone.now()
        argument.save(update_fields=["withdrawn_at"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action="argument.withdrawn",
            subject=("argument", argument.pk),
            payload={},
        )
        search.index_drop("argument", argument.pk)
    return argument


def argument_endorse(*, user: User, argument: Argument, strong: bool = True) -> bool:
    """Endorse an argument as strong (whatever one's own side), or take the endorsement back."""
    with transaction.atomic():
        member = _require(user, "agenda.take_part", argument.motion.item.organisation)
        item = _locked(argument.motion.item)
        _argument_open(item)
        if argument.author_id == member.pk:
            raise AgendaError(_("You cannot endorse your own argument."))
        if argument.is_withdrawn:
            raise AgendaError(_("This argument was withdrawn by its author."))
        existing = Endorsement.objects.filter(argument=argument, member=member)
        if strong == existing.exists():
            return strong
        if strong:
            Endorsement.objects.create(argument=argument, member=member)
        else:
            existing.delete()
        record_append(
            organisation=item.organisation,
            actor=member,
            action="argument.endorsed" if strong else "argument.endorsement_withdrawn",
            subject=("argument", argument.pk),
            payload={},
        )
    return strong


def argument_challenge(*, user: User, argument: Argument, kind: str, text: str = "") -> Challenge:
    if kind not in ChallengeKind.values:
        raise AgendaError(_("Choose what the challenge is about."))
    text = _text(text, limit=ARGUMENT_TEXT_MAX, what=_("challenge"), required=kind == "other")
    with transaction.atomic():
        member = _require(user, "agenda.post", argument.motion.item.organisation)
        item = _locked(argument.motion.item)
        _argument_open(item)
        if argument.is_withdrawn:
            raise AgendaError(_("This argument was withdrawn by its author."))
        challenge = Challenge.objects.create(argument=argument, author=member, kind=kind, text=text)
        record_append(
            organisation=item.organisation,
            actor=member,
            action="argument.challenged",
            subject=("challenge", challenge.pk),
            payload={"argument": argument.pk, "kind": kind, "text": text},
        )
        if argument.author_id != member.pk:
            notices.notify_item(
                [argument.author.user], organisation=item.organisation, item=item,
                kind="challenge", params={"kind": kind}, url=_argument_url(argument),
            )  # fmt: skip
    return challenge


def challenge_answer(*, user: User, challenge: Challenge, answer: str) -> Challenge:
    """The argument's author answers a challenge, once; the answer stays beside it."""
    answer = _text(answer, limit=ARGUMENT_TEXT_MAX, what=_("answer"))
    with transaction.atomic():
        member, item = _own_argument(user, challenge.argument, "agenda.post")
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.is_answered:
            raise AgendaError(_("This challenge is already answered."))
        challenge.answer, challenge.answered_at = answer, timezone.now()
        challenge.save(update_fields=["answer", "answered_at"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action="challenge.answered",
            subject=("challenge", challenge.pk),
            payload={"argument": challenge.argument_id, "answer": answer},
        )
        notices.notify_item(
            [challenge.author.user], organisation=item.organisation, item=item,
            kind="challenge_answered", params={}, url=_argument_url(challenge.argument),
        )  # fmt: skip
    return challenge
