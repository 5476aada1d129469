"""Every write of deliberation: one keyword-only function per action.

Each runs in one transaction, checks permission, and appends its entry to the organisation's
public record in that same transaction. Notifications are written in the same transaction too;
e-mail and deferred phase tasks go out after commit. Phases move only with the clock
(:func:`phases_advance_due`) or when a quorum is reached, never at a steward's whim; a steward
may only move a phase's end, with a reason, on the record.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notifications, search
from parrhesia.agenda.models import (
    REPLY_STANCES,
    TIMED_PHASES,
    TOP_STANCES,
    AgendaItem,
    Argument,
    ArgumentRevision,
    Challenge,
    ChallengeKind,
    Endorsement,
    FollowUp,
    FollowUpStatus,
    ItemFollow,
    ItemPolicy,
    LinkKind,
    Motion,
    MotionStatus,
    MotionVersion,
    Phase,
    Question,
    QuestionLink,
    QuestionStatus,
    Rating,
    Suggestion,
    SuggestionRating,
    SuggestionStatus,
    Support,
)
from parrhesia.agenda.texts import markdown_html
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.record.services import record_append

TITLE_MAX = 200
MOTION_TEXT_MAX = 50_000
ARGUMENT_TEXT_MAX = 5_000
REASON_MAX = 2_000


class AgendaError(Exception):
    """An action that cannot happen as asked; the message says why."""


class PhaseClosed(AgendaError):
    """The item's phase does not allow this action (now, or any more)."""


class TextInvalid(AgendaError):
    """An empty or over-long text."""


class NotSupporter(AgendaError):
    """Only a motion's supporters may rate its suggestions."""


class SuggestionOutdated(AgendaError):
    """The motion changed since the suggestion was written."""


# --- helpers ---------------------------------------------------------------------------------


def _require(user: User, permission: str, organisation: Organisation) -> Membership:
    if not user.has_perm(permission, organisation):
        raise PermissionDenied
    membership = active_membership(user, organisation)
    if membership is None:
        raise PermissionDenied
    return membership


def _text(value: str, *, limit: int, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TextInvalid(_("The %(what)s is empty; write something.") % {"what": what})
    if len(value) > limit:
        raise TextInvalid(
            _("The %(what)s is too long: at most %(limit)s characters.")
            % {"what": what, "limit": number_format(limit, force_grouping=True)}
        )
    return value


def _quorum(members: int, percent: int) -> int:
    """At least one supporter; ⌈members × percent / 100⌉ otherwise (integer arithmetic)."""
    return max(1, (members * percent + 99) // 100)


def _active_members(organisation: Organisation) -> int:
    return Membership.objects.filter(
        organisation=organisation, status=MembershipStatus.ACTIVE
    ).count()


def _locked(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)


def _item_url(item: AgendaItem) -> str:
    return reverse("agenda:item", args=[item.organisation.slug, item.pk])


def _follow(item: AgendaItem, member: Membership) -> None:
    ItemFollow.objects.get_or_create(item=item, member=member)


def _schedule_phase_end(item: AgendaItem) -> None:
    if item.phase_ends_at is None:
        return
    from parrhesia.agenda.tasks import phase_end_task
    from parrhesia.web.scheduling import task_enqueue_at

    when, pk = item.phase_ends_at, item.pk
    transaction.on_commit(lambda: task_enqueue_at(phase_end_task, when, pk))


def policy_for(organisation: Organisation, item_type: str) -> ItemPolicy:
    """The organisation's policy for this type of item, or the defaults (unsaved)."""
    policy = ItemPolicy.objects.filter(organisation=organisation, item_type=item_type).first()
    return policy or ItemPolicy(organisation=organisation, item_type=item_type)


def policy_set(
    *, user: User, organisation: Organisation, item_type: str, **values: int
) -> ItemPolicy:
    with transaction.atomic():
        admin = _require(user, "agenda.set_policy", organisation)
        if not 1 <= values.get("admission_quorum_percent", 10) <= 100:
            raise AgendaError(_("A quorum is a percentage between 1 and 100."))
        policy, _created = ItemPolicy.objects.update_or_create(
            organisation=organisation, item_type=item_type, defaults=values
        )
        record_append(
            organisation=organisation,
            actor=admin,
            action="agenda_policy.set",
            subject=("agenda_policy", item_type),
            payload=dict(values),
        )
    return policy


# --- agenda items and motions ----------------------------------------------------------------


def agenda_item_open(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    motion_title: str,
    text: str,
    item_type: str = "general",
) -> AgendaItem:
    """Open an item with its first motion; the admission quorum is counted now, at its start."""
    title = _text(title, limit=TITLE_MAX, what=_("title"))
    motion_title = _text(motion_title, limit=TITLE_MAX, what=_("motion's title"))
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    with transaction.atomic():
        member = _require(user, "agenda.open_item", organisation)
        policy = policy_for(organisation, item_type)
        now = timezone.now()
        members = _active_members(organisation)
        item = AgendaItem.objects.create(
            organisation=organisation,
            title=title,
            item_type=item_type,
            opened_by=member,
            opened_at=now,
            phase=Phase.ADMISSION,
            phase_started_at=now,
            phase_ends_at=now + timedelta(days=policy.admission_days),
            admission_days=policy.admission_days,
            discussion_days=policy.discussion_days,
            frozen_days=policy.frozen_days,
            admission_quorum_percent=policy.admission_quorum_percent,
            alternative_quorum_percent=policy.alternative_quorum_percent,
            members_at_admission=members,
            admission_quorum=_quorum(members, policy.admission_quorum_percent),
        )
        record_append(
            organisation=organisation,
            actor=member,
            action="agenda_item.opened",
            subject=("agenda_item", item.pk),
            payload={
                "title": title,
                "item_type": item_type,
                "admission_ends_at": item.phase_ends_at.isoformat(),
                "members_at_start": members,
                "admission_quorum": item.admission_quorum,
                "policy": {
                    "admission_days": item.admission_days,
                    "discussion_days": item.discussion_days,
                    "frozen_days": item.frozen_days,
                    "admission_quorum_percent": item.admission_quorum_percent,
                    "alternative_quorum_percent": item.alternative_quorum_percent,
                },
            },
        )
        search.index_put(organisation, "item", item.pk, title, "")
        _motion_create(item=item, member=member, title=motion_title, text=text, alternative=False)
        _schedule_phase_end(item)
        _admit_if_quorum(item, member, now)
    return item


def _motion_create(
    *, item: AgendaItem, member: Membership, title: str, text: str, alternative: bool
) -> Motion:
    motion = Motion.objects.create(
        item=item, title=title, author=member, is_alternative=alternative
    )
    MotionVersion.objects.create(motion=motion, number=1, text=text, html=markdown_html(text))
    record_append(
        organisation=item.organisation,
        actor=member,
        action="motion.filed",
        subject=("motion", motion.pk),
        payload={"item": item.pk, "title": title, "text": text, "alternative": alternative},
    )
    search.index_put(item.organisation, "motion", motion.pk, title, text)
    # Authors support their own motion, as in LiquidFeedback.
    Support.objects.create(motion=motion, member=member)
    record_append(
        organisation=item.organisation,
        actor=member,
        action="motion.supported",
        subject=("motion", motion.pk),
        payload={"supporters": 1},
    )
    _follow(item, member)
    return motion


def motion_file_alternative(*, user: User, item: AgendaItem, title: str, text: str) -> Motion:
    title = _text(title, limit=TITLE_MAX, what=_("motion's title"))
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    with transaction.atomic():
        member = _require(user, "agenda.post", item.organisation)
        item = _locked(item)
        if not item.is_open_for_text:
            raise PhaseClosed(_("Alternatives can be filed only during admission and discussion."))
        motion = _motion_create(item=item, member=member, title=title, text=text, alternative=True)
        notifications.notify_followers(
            item, exclude=member, kind="alternative_filed", params={"motion": title},
            url=reverse("agenda:motion", args=[item.organisation.slug, motion.pk]),
        )  # fmt: skip
        _admit_if_quorum(item, member, timezone.now())
    return motion


def motion_support(*, user: User, motion: Motion) -> Support:
    """Support a motion; the item is admitted the moment one motion reaches the quorum."""
    with transaction.atomic():
        member = _require(user, "agenda.take_part", motion.item.organisation)
        item = _locked(motion.item)
        if not item.is_open_for_text:
            raise PhaseClosed(_("Support can be given only during admission and discussion."))
        if not motion.is_active:
            raise PhaseClosed(_("This motion is no longer before the organisation."))
        try:
            with transaction.atomic():
                support = Support.objects.create(motion=motion, member=member)
        except IntegrityError:
            raise AgendaError(_("You already support this motion.")) from None
        count = Support.objects.filter(motion=motion).count()
        record_append(
            organisation=item.organisation,
            actor=member,
            action="motion.supported",
            subject=("motion", motion.pk),
            payload={"supporters": count},
        )
        _follow(item, member)
        _admit_if_quorum(item, member, timezone.now())
    return support


def motion_revise(*, user: User, motion: Motion, text: str, note: str = "") -> MotionVersion:
    """The author writes a new version; every earlier version stays readable."""
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    note = _text(note, limit=500, what=_("note"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.post", motion.item.organisation)
        if motion.author_id != member.pk:
            raise PermissionDenied
        _locked(motion.item)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        return _motion_new_version(motion=motion, member=member, text=text, note=note)


def _motion_new_version(
    *, motion: Motion, member: Membership, text: str, note: str
) -> MotionVersion:
    item = motion.item
    if not item.is_open_for_text or not motion.is_active:
        raise PhaseClosed(_("The texts are fixed: the discussion is over."))
    current = motion.versions.get(number=motion.version)
    if current.text == text:
        raise TextInvalid(_("The new text is the same as the current one."))
    motion.version += 1
    motion.save(update_fields=["version"])
    version = MotionVersion.objects.create(
        motion=motion, number=motion.version, text=text, html=markdown_html(text), note=note
    )
    record_append(
        organisation=item.organisation,
        actor=member,
        action="motion.revised",
        subject=("motion", motion.pk),
        payload={"version": version.number, "text": text, "note": note},
    )
    search.index_put(item.organisation, "motion", motion.pk, motion.title, text)
    return version


def motion_withdraw(*, user: User, motion: Motion, reason: str = "") -> Motion:
    """The author withdraws their motion; it stays visible as withdrawn. An item whose every
    motion is withdrawn is withdrawn too."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.take_part", motion.item.organisation)
        if motion.author_id != member.pk:
            raise PermissionDenied
        item = _locked(motion.item)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if not item.is_open_for_text or not motion.is_active:
            raise PhaseClosed(_("This motion can no longer be withdrawn."))
        motion.status, motion.status_reason = MotionStatus.WITHDRAWN, reason
        motion.save(update_fields=["status", "status_reason"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action="motion.withdrawn",
            subject=("motion", motion.pk),
            payload={"reason": reason},
        )
        if not item.motions.filter(status=MotionStatus.ACTIVE).exists():
            _close(item, Phase.WITHDRAWN, _("Every motion was withdrawn by its author."), member)
    return motion


def _close(item: AgendaItem, phase: str, reason: str, actor: Membership | None) -> None:
    item.phase, item.closing_reason = phase, reason
    item.phase_started_at, item.phase_ends_at = timezone.now(), None
    item.save(update_fields=["phase", "closing_reason", "phase_started_at", "phase_ends_at"])
    record_append(
        organisation=item.organisation,
        actor=actor,
        action=f"agenda_item.{phase}",
        subject=("agenda_item", item.pk),
        payload={"reason": reason},
    )
    notifications.notify_followers(
        item, exclude=actor, kind="phase", params={"phase": phase}, url=_item_url(item)
    )


# --- phases ----------------------------------------------------------------------------------


def _support_counts(item: AgendaItem) -> dict[int, int]:
    rows = item.motions.filter(status=MotionStatus.ACTIVE).annotate(n=Count("supports"))
    return {motion.pk: motion.n for motion in rows}


def _admit_if_quorum(item: AgendaItem, actor: Membership | None, now: datetime) -> None:
    if item.phase != Phase.ADMISSION:
        return
    counts = _support_counts(item)
    admitted = sorted(pk for pk, n in counts.items() if n >= item.admission_quorum)
    if admitted:
        _discussion_start(item, start=now, admitted=admitted, actor=actor)


def _discussion_start(
    item: AgendaItem, *, start: datetime, admitted: list[int], actor: Membership | None
) -> None:
    members = _active_members(item.organisation)
    item.phase, item.phase_started_at = Phase.DISCUSSION, start
    item.phase_ends_at = start + timedelta(days=item.discussion_days)
    item.members_at_discussion = members
    item.alternative_quorum = _quorum(members, item.alternative_quorum_percent)
    item.save()
    record_append(
        organisation=item.organisation,
        actor=None,
        action="agenda_item.admitted",
        subject=("agenda_item", item.pk),
        payload={
            "motions": admitted,
            "admission_quorum": item.admission_quorum,
            "discussion_ends_at": item.phase_ends_at.isoformat(),
            "members_at_start": members,
            "alternative_quorum": item.alternative_quorum,
        },
    )
    notifications.notify_followers(
        item, exclude=actor, kind="phase", params={"phase": Phase.DISCUSSION}, url=_item_url(item)
    )
    _schedule_phase_end(item)


def _phase_step(item: AgendaItem) -> None:
    """Move one due item one phase on, starting the next phase when the last one was due."""
    start = item.phase_ends_at
    assert start is not None
    if item.phase == Phase.ADMISSION:
        reason = _(
            "No motion reached the admission quorum of %(quorum)s supporters "
            "(%(percent)s %% of the %(members)s members at the start of admission) in time."
        ) % {
            "quorum": item.admission_quorum,
            "percent": item.admission_quorum_percent,
            "members": item.members_at_admission,
        }
        item.motions.filter(status=MotionStatus.ACTIVE).update(
            status=MotionStatus.LAPSED, status_reason=reason
        )
        _close(item, Phase.LAPSED, reason, None)
    elif item.phase == Phase.DISCUSSION:
        _freeze(item, start)
    elif item.phase == Phase.FROZEN:
        item.phase, item.phase_started_at, item.phase_ends_at = Phase.READY, start, None
        item.save(update_fields=["phase", "phase_started_at", "phase_ends_at"])
        record_append(
            organisation=item.organisation,
            actor=None,
            action="agenda_item.ready_for_vote",
            subject=("agenda_item", item.pk),
            payload={"motions": [m.pk for m in motions_on_ballot(item)]},
        )
        notifications.notify_followers(
            item, exclude=None, kind="phase", params={"phase": Phase.READY}, url=_item_url(item)
        )


def _freeze(item: AgendaItem, start: datetime) -> None:
    """Texts are fixed; a motion below the alternative quorum lapses with its count recorded."""
    quorum = item.alternative_quorum or 1
    counts = _support_counts(item)
    lapsed = {pk: n for pk, n in counts.items() if n < quorum}
    for pk, n in lapsed.items():
        reason = _(
            "%(count)s supporters when the texts were frozen, fewer than the alternative quorum "
            "of %(quorum)s."
        ) % {"count": n, "quorum": quorum}
        Motion.objects.filter(pk=pk).update(status=MotionStatus.LAPSED, status_reason=reason)
        record_append(
            organisation=item.organisation,
            actor=None,
            action="motion.lapsed",
            subject=("motion", pk),
            payload={"supporters": n, "alternative_quorum": quorum},
        )
    if len(lapsed) == len(counts):
        _close(item, Phase.LAPSED, _("No motion kept enough supporters to reach the ballot."), None)
        return
    item.phase, item.phase_started_at = Phase.FROZEN, start
    item.phase_ends_at = start + timedelta(days=item.frozen_days)
    item.save(update_fields=["phase", "phase_started_at", "phase_ends_at"])
    record_append(
        organisation=item.organisation,
        actor=None,
        action="agenda_item.frozen",
        subject=("agenda_item", item.pk),
        payload={
            "motions": sorted(set(counts) - set(lapsed)),
            "frozen_ends_at": item.phase_ends_at.isoformat(),
        },
    )
    notifications.notify_followers(
        item, exclude=None, kind="phase", params={"phase": Phase.FROZEN}, url=_item_url(item)
    )
    _schedule_phase_end(item)


def agenda_item_advance_due(*, item_id: int, now: datetime) -> AgendaItem:
    """Advance one item through every phase whose end is past. Idempotent."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("organisation").get(pk=item_id)
        while item.phase in TIMED_PHASES and item.phase_ends_at and item.phase_ends_at <= now:
            _phase_step(item)
    return item


def phases_advance_due(now: datetime) -> int:
    """Advance every item whose phase has ended by ``now``; return how many moved.

    The background task calls this at each phase's end; running it twice does nothing more.
    """
    due = AgendaItem.objects.filter(phase__in=TIMED_PHASES, phase_ends_at__lte=now)
    moved = 0
    for item_id in due.values_list("pk", flat=True):
        agenda_item_advance_due(item_id=item_id, now=now)
        moved += 1
    return moved


def phase_adjust(*, user: User, item: AgendaItem, ends_at: datetime, reason: str) -> AgendaItem:
    """A steward moves the current phase's end, only forward of now, with a reason on record."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"))
    with transaction.atomic():
        steward = _require(user, "agenda.adjust_phase", item.organisation)
        item = _locked(item)
        if item.phase not in TIMED_PHASES:
            raise PhaseClosed(_("This item is not in a timed phase."))
        if ends_at <= timezone.now():
            raise AgendaError(_("The new end must be in the future."))
        before = item.phase_ends_at
        item.phase_ends_at = ends_at
        item.save(update_fields=["phase_ends_at"])
        record_append(
            organisation=item.organisation,
            actor=steward,
            action="agenda_item.phase_adjusted",
            subject=("agenda_item", item.pk),
            payload={
                "phase": item.phase,
                "ends_at_before": before.isoformat() if before else None,
                "ends_at": ends_at.isoformat(),
                "reason": reason,
            },
        )
        notifications.notify_followers(
            item, exclude=steward, kind="phase_adjusted", params={"phase": item.phase},
            url=_item_url(item),
        )  # fmt: skip
        _schedule_phase_end(item)
    return item


def motions_on_ballot(item: AgendaItem) -> list[Motion]:
    """The seam for Decisions: the frozen motions of an item that go to the vote, in filing order.

    Meaningful once the item is frozen, ready for vote or voting; their texts are the
    ``motion.version`` versions, which no longer change.
    """
    return list(
        item.motions.filter(status=MotionStatus.ACTIVE)
        .select_related("author__user")
        .order_by("pk")
    )


def agenda_item_voting_start(*, item: AgendaItem, decision_ref: str) -> AgendaItem:
    """Called by the Decisions app when it opens the ballot of a ready item."""
    with transaction.atomic():
        item = _locked(item)
        if item.phase != Phase.READY:
            raise PhaseClosed(_("Only an item ready for vote can go to the vote."))
        item.phase, item.decision_ref = Phase.VOTING, decision_ref
        item.phase_started_at = timezone.now()
        item.save(update_fields=["phase", "decision_ref", "phase_started_at"])
        record_append(
            organisation=item.organisation,
            actor=None,
            action="agenda_item.voting",
            subject=("agenda_item", item.pk),
            payload={"decision": decision_ref},
        )
        notifications.notify_followers(
            item, exclude=None, kind="phase", params={"phase": Phase.VOTING}, url=_item_url(item)
        )
    return item


def agenda_item_decide(*, item: AgendaItem, outcome: str, decision_ref: str = "") -> AgendaItem:
    """Called by the Decisions app with the result once the vote is counted."""
    with transaction.atomic():
        item = _locked(item)
        if item.phase not in (Phase.READY, Phase.VOTING):
            raise PhaseClosed(_("Only an item at the vote can be decided."))
        item.outcome = outcome
        item.decision_ref = decision_ref or item.decision_ref
        item.save(update_fields=["outcome", "decision_ref"])
        _close(item, Phase.DECIDED, outcome, None)
    return item


# --- amendments ------------------------------------------------------------------------------


def suggestion_file(*, user: User, motion: Motion, text: str, explanation: str = "") -> Suggestion:
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("suggested text"))
    explanation = _text(explanation, limit=REASON_MAX, what=_("explanation"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.post", motion.item.organisation)
        item = _locked(motion.item)
        motion = Motion.objects.get(pk=motion.pk)
        if not item.is_open_for_text or not motion.is_active:
            raise PhaseClosed(_("Suggestions can be made only while the texts are open."))
        if motion.versions.get(number=motion.version).text == text.strip():
            raise TextInvalid(_("The suggested text is the same as the motion's."))
        suggestion = Suggestion.objects.create(
            motion=motion,
            author=member,
            base_version=motion.version,
            text=text,
            explanation=explanation,
        )
        record_append(
            organisation=item.organisation,
            actor=member,
            action="suggestion.filed",
            subject=("suggestion", suggestion.pk),
            payload={
                "motion": motion.pk,
                "version": motion.version,
                "text": text,
                "explanation": explanation,
            },
        )
        _follow(item, member)
    return suggestion


def suggestion_rate(*, user: User, suggestion: Suggestion, rating: str) -> SuggestionRating:
    if rating not in Rating.values:
        raise AgendaError(_("Choose one of the ratings."))
    with transaction.atomic():
        motion = suggestion.motion
        member = _require(user, "agenda.take_part", motion.item.organisation)
        item = _locked(motion.item)
        if not item.is_open_for_text or suggestion.status != SuggestionStatus.OPEN:
            raise PhaseClosed(_("This suggestion can no longer be rated."))
        if not Support.objects.filter(motion=motion, member=member).exists():
            raise NotSupporter(_("Support the motion first: its supporters rate its suggestions."))
        rated, _created = SuggestionRating.objects.update_or_create(
            suggestion=suggestion,
            member=member,
            defaults={"rating": rating, "updated_at": timezone.now()},
        )
        record_append(
            organisation=item.organisation,
            actor=member,
            action="suggestion.rated",
            subject=("suggestion", suggestion.pk),
            payload={"rating": rating},
        )
    return rated


def _suggestion_decidable(user: User, suggestion: Suggestion) -> tuple[Membership, Motion]:
    motion = suggestion.motion
    member = _require(user, "agenda.take_part", motion.item.organisation)
    if motion.author_id != member.pk:
        raise PermissionDenied
    item = _locked(motion.item)
    if not item.is_open_for_text:
        raise PhaseClosed(_("The texts are fixed: the discussion is over."))
    if Suggestion.objects.get(pk=suggestion.pk).status != SuggestionStatus.OPEN:
        raise AgendaError(_("This suggestion was already decided."))
    return member, Motion.objects.select_for_update().get(pk=motion.pk)


def suggestion_adopt(*, user: User, suggestion: Suggestion, reason: str = "") -> MotionVersion:
    """The author adopts a suggestion: its text becomes the motion's next version."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"), required=False)
    with transaction.atomic():
        member, motion = _suggestion_decidable(user, suggestion)
        if suggestion.base_version != motion.version:
            raise SuggestionOutdated(
                _(
                    "This suggestion was written against version %(base)s; the motion is now at "
                    "version %(current)s. Its author can file it again against the new text."
                )
                % {"base": suggestion.base_version, "current": motion.version}
            )
        note = _("Adopted suggestion #%(number)s.") % {"number": suggestion.pk}
        version = _motion_new_version(motion=motion, member=member, text=suggestion.text, note=note)
        _suggestion_decide(suggestion, SuggestionStatus.ADOPTED, reason, member, version.number)
    return version


def suggestion_decline(*, user: User, suggestion: Suggestion, reason: str) -> Suggestion:
    """The author declines publicly, with a reason; supporters who rated it "must" are told."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"))
    with transaction.atomic():
        member, motion = _suggestion_decidable(user, suggestion)
        _suggestion_decide(suggestion, SuggestionStatus.DECLINED, reason, member, None)
        insisting = Membership.objects.filter(
            pk__in=suggestion.ratings.filter(rating=Rating.MUST).values("member")
        ).select_related("user")
        notifications.notify(
            [m.user for m in insisting],
            organisation=motion.item.organisation,
            item=motion.item,
            kind="suggestion_declined",
            params={"motion": motion.title, "reason": reason},
            url=reverse("agenda:motion", args=[motion.item.organisation.slug, motion.pk]),
        )
    return suggestion


def _suggestion_decide(
    suggestion: Suggestion, status: str, reason: str, member: Membership, version: int | None
) -> None:
    suggestion.status, suggestion.decided_reason = status, reason
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_reason", "decided_at"])
    record_append(
        organisation=suggestion.motion.item.organisation,
        actor=member,
        action=f"suggestion.{status}",
        subject=("suggestion", suggestion.pk),
        payload={"reason": reason, "version": version},
    )


# --- arguments -------------------------------------------------------------------------------


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
            notifications.notify(
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


def suggestion_withdraw(*, user: User, suggestion: Suggestion) -> Suggestion:
    """Its author withdraws an open suggestion; a tombstone keeps its place and number."""
    with transaction.atomic():
        motion = suggestion.motion
        member = _require(user, "agenda.take_part", motion.item.organisation)
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.author_id != member.pk:
            raise PermissionDenied
        if suggestion.status != SuggestionStatus.OPEN:
            raise AgendaError(_("Only an open suggestion can be withdrawn."))
        suggestion.status, suggestion.decided_at = SuggestionStatus.WITHDRAWN, timezone.now()
        suggestion.save(update_fields=["status", "decided_at"])
        record_append(
            organisation=motion.item.organisation,
            actor=member,
            action="suggestion.withdrawn",
            subject=("suggestion", suggestion.pk),
            payload={"motion": motion.pk},
        )
    return suggestion


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
            notifications.notify(
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
        notifications.notify(
            [challenge.author.user], organisation=item.organisation, item=item,
            kind="challenge_answered", params={}, url=_argument_url(challenge.argument),
        )  # fmt: skip
    return challenge


# --- open questions --------------------------------------------------------------------------


def question_file(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    text: str = "",
    links: list[tuple[str, int]] | None = None,
) -> Question:
    title = _text(title, limit=300, what=_("question"))
    text = _text(text, limit=ARGUMENT_TEXT_MAX, what=_("details"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.file_question", organisation)
        question = Question.objects.create(
            organisation=organisation, title=title, text=text, html=markdown_html(text),
            author=member,
        )  # fmt: skip
        record_append(
            organisation=organisation,
            actor=member,
            action="question.filed",
            subject=("question", question.pk),
            payload={"title": title, "text": text},
        )
        search.index_put(organisation, "question", question.pk, title, text)
        for kind, target_id in links or []:
            _question_link(question, member, kind, target_id)
    return question


def _link_item(organisation: Organisation, kind: str, target_id: int) -> AgendaItem | None:
    """The agenda item a link target belongs to; raise if the target is not in the organisation."""
    found: Any
    if kind == LinkKind.ITEM:
        found = AgendaItem.objects.filter(pk=target_id, organisation=organisation).first()
        return _exists(found)
    if kind == LinkKind.MOTION:
        found = Motion.objects.filter(pk=target_id, item__organisation=organisation).first()
        return _exists(found).item
    if kind == LinkKind.ARGUMENT:
        found = Argument.objects.filter(
            pk=target_id, motion__item__organisation=organisation
        ).first()
        return _exists(found).motion.item
    if kind == LinkKind.DECISION:
        return AgendaItem.objects.filter(
            organisation=organisation, decision_ref=str(target_id)
        ).first()
    raise AgendaError(_("Choose what the question is linked to."))


def _exists(found: Any) -> Any:
    if found is None:
        raise AgendaError(_("There is nothing with this number in the organisation."))
    return found


def _question_link(question: Question, member: Membership, kind: str, target_id: int) -> None:
    item = _link_item(question.organisation, kind, target_id)
    _link, created = QuestionLink.objects.get_or_create(
        question=question, kind=kind, target_id=target_id, defaults={"item": item}
    )
    if not created:
        raise AgendaError(_("The question is already linked to it."))
    record_append(
        organisation=question.organisation,
        actor=member,
        action="question.linked",
        subject=("question", question.pk),
        payload={"kind": kind, "id": target_id},
    )


def question_link(*, user: User, question: Question, kind: str, target_id: int) -> Question:
    with transaction.atomic():
        member = _require(user, "agenda.file_question", question.organisation)
        _question_link(question, member, kind, target_id)
        Question.objects.filter(pk=question.pk).update(touched_at=timezone.now())
    return question


def question_status_set(
    *, user: User, question: Question, status: str, reason: str = "", answer_link: str = ""
) -> Question:
    """Open, being studied (by the one who says so), answered (with a link), set aside (reason)."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"), required=status == "set_aside")
    answer_link = _text(
        answer_link, limit=500, what=_("link to the answer"), required=status == "answered"
    )
    if status not in QuestionStatus.values:
        raise AgendaError(_("Choose a status."))
    permission = (
        "agenda.set_aside_question"
        if status == QuestionStatus.SET_ASIDE
        else "agenda.study_question"
    )
    with transaction.atomic():
        member = _require(user, permission, question.organisation)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status == status and status != QuestionStatus.STUDYING:
            raise AgendaError(_("The question already has this status."))
        question.status, question.status_reason = status, reason
        question.studied_by = member if status == QuestionStatus.STUDYING else None
        question.answer_link = answer_link if status == QuestionStatus.ANSWERED else ""
        question.touched_at = timezone.now()
        question.save()
        record_append(
            organisation=question.organisation,
            actor=member,
            action="question.status_changed",
            subject=("question", question.pk),
            payload={"status": status, "reason": reason, "answer": answer_link},
        )
    return question


# --- outcome and follow-up -------------------------------------------------------------------


def question_withdraw(*, user: User, question: Question) -> Question:
    """Its author withdraws a question; a tombstone keeps its place in the register."""
    with transaction.atomic():
        member = _require(user, "agenda.take_part", question.organisation)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.author_id != member.pk:
            raise PermissionDenied
        if question.withdrawn_at is not None:
            raise AgendaError(_("This question was already withdrawn."))
        question.withdrawn_at = question.touched_at = timezone.now()
        question.save(update_fields=["withdrawn_at", "touched_at"])
        record_append(
            organisation=question.organisation,
            actor=member,
            action="question.withdrawn",
            subject=("question", question.pk),
            payload={},
        )
        search.index_drop("question", question.pk)
    return question


def follow_up_log(*, user: User, item: AgendaItem, status: str, text: str) -> FollowUp:
    text = _text(text, limit=REASON_MAX, what=_("update"))
    if status not in FollowUpStatus.values:
        raise AgendaError(_("Choose a status."))
    with transaction.atomic():
        steward = _require(user, "agenda.log_follow_up", item.organisation)
        item = _locked(item)
        if item.phase != Phase.DECIDED:
            raise PhaseClosed(_("Follow-up is logged once the item is decided."))
        follow_up = FollowUp.objects.create(item=item, author=steward, status=status, text=text)
        record_append(
            organisation=item.organisation,
            actor=steward,
            action="follow_up.logged",
            subject=("agenda_item", item.pk),
            payload={"status": status, "text": text},
        )
        notifications.notify_followers(
            item, exclude=steward, kind="follow_up", params={"status": status}, url=_item_url(item)
        )
    return follow_up


def item_follow_set(*, user: User, item: AgendaItem, follow: bool) -> bool:
    """Follow an item (phase changes reach you) or stop; private, so not on the record."""
    with transaction.atomic():
        member = _require(user, "agenda.take_part", item.organisation)
        if follow:
            _follow(item, member)
        else:
            ItemFollow.objects.filter(item=item, member=member).delete()
    return follow
