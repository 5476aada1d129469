"""The argument map: arguments and replies, their revisions and withdrawal, endorsements,
challenges and their answers.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices, search
from parrhesia.agenda.actions import Action
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
)
from parrhesia.agenda.rules import argument_stands, is_author, phase_allows_arguments
from parrhesia.agenda.services._shared import (
    ARGUMENT_TEXT_MAX,
    AgendaError,
    PhaseClosed,
    TextInvalid,
    item_follow,
    item_locked,
    text_checked,
)
from parrhesia.agenda.texts import markdown_html
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def _arguments_open(user: User, item: AgendaItem) -> None:
    if not phase_allows_arguments(user, item):
        raise PhaseClosed(_("This item is closed; its arguments stay as they are."))


def _standing(user: User, argument: Argument) -> None:
    if not argument_stands(user, argument):
        raise AgendaError(_("This argument was withdrawn by its author."))


def argument_add(
    *, user: User, motion: Motion, stance: str, text: str, parent: Argument | None = None
) -> Argument:
    """A pro or con argument on a motion, or a rebuttal or support of another argument."""
    text = text_checked(text, limit=ARGUMENT_TEXT_MAX, what=_("argument"))
    allowed = REPLY_STANCES if parent else TOP_STANCES
    if stance not in allowed:
        raise AgendaError(_("Choose whether your argument is for or against, or a reply's kind."))
    if parent is not None and parent.motion_id != motion.pk:
        raise AgendaError(_("A reply belongs to the same motion as its argument."))
    with transaction.atomic():
        member = member_for(user, motion, "agenda.post")
        item = item_locked(motion.item)
        _arguments_open(user, item)
        if parent is not None:
            _standing(user, parent)
        argument = Argument.objects.create(
            motion=motion, parent=parent, stance=stance, author=member, text=text,
            html=markdown_html(text),
        )  # fmt: skip
        ArgumentRevision.objects.create(argument=argument, number=1, text=text)
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.ARGUMENT_ADDED,
            subject=("argument", argument.pk),
            payload={
                "motion": motion.pk,
                "parent": parent.pk if parent else None,
                "stance": stance,
                "text": Sealed(text),
            },
        )
        search.index_put(item.organisation, "argument", argument.pk, "", text)
        item_follow(item, member)
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
    user: User, obj: Argument | Challenge, permission: str
) -> tuple[Membership, AgendaItem]:
    """The author acting on their argument (or on a challenge of it): who may (``permission``),
    then, on the locked item, whether the map is open and the argument still stands."""
    member = member_for(user, obj, permission)
    argument = obj.argument if isinstance(obj, Challenge) else obj
    item = item_locked(argument.motion.item)
    _arguments_open(user, item)
    _standing(user, Argument.objects.get(pk=argument.pk))
    return member, item


def argument_revise(*, user: User, argument: Argument, text: str) -> Argument:
    text = text_checked(text, limit=ARGUMENT_TEXT_MAX, what=_("argument"))
    with transaction.atomic():
        member, item = _own_argument(user, argument, "agenda.revise_argument")
        if text == argument.text:
            raise TextInvalid(_("The new text is the same as the current one."))
        argument.revision += 1
        argument.text, argument.html = text, markdown_html(text)
        argument.save(update_fields=["revision", "text", "html"])
        ArgumentRevision.objects.create(argument=argument, number=argument.revision, text=text)
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.ARGUMENT_REVISED,
            subject=("argument", argument.pk),
            payload={"revision": argument.revision, "text": Sealed(text)},
        )
        search.index_put(item.organisation, "argument", argument.pk, "", text)
    return argument


def argument_withdraw(*, user: User, argument: Argument) -> Argument:
    """The author withdraws; a tombstone stays in its place, and its replies stay too."""
    with transaction.atomic():
        member, item = _own_argument(user, argument, "agenda.withdraw_argument")
        argument.withdrawn_at = timezone.now()
        argument.save(update_fields=["withdrawn_at"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.ARGUMENT_WITHDRAWN,
            subject=("argument", argument.pk),
            payload={},
        )
        search.index_drop("argument", argument.pk)
    return argument


def argument_endorse(*, user: User, argument: Argument, strong: bool = True) -> bool:
    """Endorse an argument as strong (whatever one's own side), or take the endorsement back."""
    with transaction.atomic():
        member = member_for(user, argument, "agenda.take_part")
        item = item_locked(argument.motion.item)
        _arguments_open(user, item)
        if is_author(user, argument):
            raise AgendaError(_("You cannot endorse your own argument."))
        _standing(user, argument)
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
            action=Action.ARGUMENT_ENDORSED if strong else Action.ARGUMENT_ENDORSEMENT_WITHDRAWN,
            subject=("argument", argument.pk),
            payload={},
        )
    return strong


def argument_challenge(*, user: User, argument: Argument, kind: str, text: str = "") -> Challenge:
    if kind not in ChallengeKind.values:
        raise AgendaError(_("Choose what the challenge is about."))
    text = text_checked(
        text, limit=ARGUMENT_TEXT_MAX, what=_("challenge"), required=kind == ChallengeKind.OTHER
    )
    with transaction.atomic():
        member = member_for(user, argument, "agenda.post")
        item = item_locked(argument.motion.item)
        _arguments_open(user, item)
        _standing(user, argument)
        challenge = Challenge.objects.create(argument=argument, author=member, kind=kind, text=text)
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.ARGUMENT_CHALLENGED,
            subject=("challenge", challenge.pk),
            payload={"argument": argument.pk, "kind": kind, "text": Sealed(text)},
        )
        if argument.author_id != member.pk:
            notices.notify_item(
                [argument.author.user], organisation=item.organisation, item=item,
                kind="challenge", params={"kind": kind}, url=_argument_url(argument),
            )  # fmt: skip
    return challenge


def challenge_answer(*, user: User, challenge: Challenge, answer: str) -> Challenge:
    """The argument's author answers a challenge, once; the answer stays beside it."""
    answer = text_checked(answer, limit=ARGUMENT_TEXT_MAX, what=_("answer"))
    with transaction.atomic():
        member, item = _own_argument(user, challenge, "agenda.answer_challenge")
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.is_answered:
            raise AgendaError(_("This challenge is already answered."))
        challenge.answer, challenge.answered_at = answer, timezone.now()
        challenge.save(update_fields=["answer", "answered_at"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.CHALLENGE_ANSWERED,
            subject=("challenge", challenge.pk),
            payload={"argument": challenge.argument_id, "answer": Sealed(answer)},
        )
        notices.notify_item(
            [challenge.author.user], organisation=item.organisation, item=item,
            kind="challenge_answered", params={}, url=_argument_url(challenge.argument),
        )  # fmt: skip
    return challenge
