"""Reads of the tribunal, including the ones other apps call (hidden content, suspensions), and
the facts its rules ask of a case (:class:`CaseFacts`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.kernel.access import active_membership
from parrhesia.kernel.content import ContentKind, UnknownContent, reportable_of
from parrhesia.orgs.models import ConductCode, Membership, MembershipStatus, Organisation, Role
from parrhesia.orgs.selectors import members_active
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal.models import (
    Case,
    ConflictDeclaration,
    ContentMeasure,
    Defence,
    Juror,
    Jury,
    JuryUnavailability,
    MeasureSource,
    Phase,
    RoomMessage,
    Round,
    Suspension,
    TribunalSettings,
)
from parrhesia.tribunal.transparency import ACTIONS, transparency_report


def tribunal_settings_of(organisation: Organisation) -> TribunalSettings:
    found = TribunalSettings.objects.filter(organisation=organisation).first()
    return found or TribunalSettings(organisation=organisation)


# --- for every app: hidden content and suspended members -----------------------------------


def hidden_measure(kind: str, object_id: Any) -> ContentMeasure | None:
    """The measure hiding this piece of content now, if any (with its case)."""
    return hidden_measures(kind, [object_id]).get(str(object_id))


def hidden_measures(kind: str, object_ids: Iterable[Any]) -> dict[str, ContentMeasure]:
    """``{object id (str): measure}`` for those of the ids that are hidden now; one query."""
    ids = [str(object_id) for object_id in object_ids]
    if not ids:
        return {}
    measures = (
        ContentMeasure.objects.filter(kind=kind, object_id__in=ids, ended_at__isnull=True)
        .select_related("case__organisation")
        .order_by("taken_at")
    )
    return {measure.object_id: measure for measure in measures}


def member_is_suspended(membership: Membership | None, now: datetime | None = None) -> bool:
    """Whether a verdict suspended this member from posting at ``now``."""
    if membership is None:
        return False
    now = now or timezone.now()
    return Suspension.objects.filter(
        member=membership, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
    ).exists()


def suspended_anywhere(user: Any, now: datetime | None = None) -> bool:
    """Whether a verdict suspends the user from posting in any organisation they belong to."""
    now = now or timezone.now()
    return Suspension.objects.filter(
        member__user=user,
        member__status=MembershipStatus.ACTIVE,
        starts_at__lte=now,
        ends_at__gt=now,
        lifted_at__isnull=True,
    ).exists()


def posting_allowed(user: Any, organisation: Organisation, now: datetime | None = None) -> bool:
    """Whether the user may post in the organisation: an active member, not suspended.

    Every service that creates content (motions, arguments, statements, comments…) calls this
    and refuses otherwise; a suspended member can still read, vote and defend themselves.
    """
    membership = active_membership(user, organisation)
    return membership is not None and not member_is_suspended(membership, now)


def suspensions_active(organisation: Organisation, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return Suspension.objects.filter(
        member__organisation=organisation, ends_at__gt=now, lifted_at__isnull=True
    )


# --- the docket ------------------------------------------------------------------------------


def cases_docket(organisation: Organisation) -> QuerySet[Case]:
    """The organisation's cases, each with ``jury_deadline``: when its sitting jury must decide,
    and ``jury_stuck``: whether that jury waits for eligible members (its deadline is past)."""
    sitting = Jury.objects.filter(case=OuterRef("pk"), decided_at__isnull=True)
    return (
        Case.objects.filter(organisation=organisation)
        .select_related("accused__user")
        .annotate(
            jury_deadline=Subquery(sitting.values("deliberation_deadline")[:1]),
            jury_stuck=Exists(sitting.filter(stuck_at__isnull=False)),
        )
    )


def _case_page_query(**where: Any) -> QuerySet[Case]:
    """A case with what its page shows: parties, organisation, juries and their jurors."""
    return (
        Case.objects.filter(**where)
        .select_related("accused__user", "reporter__user", "organisation")
        .prefetch_related(
            Prefetch(
                "juries",
                queryset=Jury.objects.prefetch_related(
                    Prefetch("jurors", queryset=Juror.objects.select_related("member__user"))
                ),
            )
        )
    )


def case_get(organisation: Organisation, number: int) -> Case:
    case = _case_page_query(organisation=organisation, number=number).first()
    if case is None:
        raise Http404
    return case


def case_find(slug: str, number: int) -> Case | None:
    """The case of that number in the organisation of that slug, if there is one (whoever may
    see it: the caller asks ``tribunal.view_case``)."""
    return _case_page_query(organisation__slug=slug, number=number).first()


def case_rules_cited(case: Case) -> list[dict[str, Any]]:
    """The rules the case cites, as the code of conduct in force when it opened words them."""
    code = ConductCode.objects.filter(
        organisation=case.organisation_id, version=case.code_version
    ).first()
    return [rule for rule in (code.rules if code else []) if rule["number"] in case.rules_cited]


def report_target(
    organisation: Organisation, kind: str, object_id: Any
) -> tuple[ContentKind, Any | None]:
    """What a report is about: the kind, and the object reported (None for a member's conduct,
    chosen on the form, or before one is named), which must be the organisation's;
    :class:`UnknownContent` otherwise."""
    reportable = reportable_of(kind)
    if kind == "member" or not object_id:
        return reportable, None
    target = reportable.get(object_id)
    if reportable.organisation_of(target).pk != organisation.pk:
        raise UnknownContent(f"no {kind} {object_id} in {organisation.slug}")
    return reportable, target


def case_target_url(case: Case) -> str:
    """Where the reported content is, if it still is (a link from the case's notice)."""
    reportable = reportable_of(case.kind)
    try:
        return reportable.url_of(reportable.get(case.object_id))
    except UnknownContent:
        return ""


def case_measures(case: Case) -> list[ContentMeasure]:
    """The measures the case took on its content, oldest first (ended ones too: its history)."""
    return list(case.measures.order_by("taken_at"))


def room_messages(jury: Jury) -> list[RoomMessage]:
    return list(jury.messages.select_related("juror__member__user"))


def jurors_sitting(case: Case, round: str = Round.FIRST) -> list[Juror]:
    """The jurors of the case's jury of ``round`` who have not recused (with their users)."""
    return list(
        Juror.objects.filter(
            jury__case=case, jury__round=round, recused_at__isnull=True
        ).select_related("member__user")
    )


def stewards_of(organisation: Organisation) -> QuerySet[Membership]:
    """The active stewards and admins (those told when a jury is stuck)."""
    return Membership.objects.filter(
        organisation=organisation,
        status=MembershipStatus.ACTIVE,
        role__in=[Role.STEWARD, Role.ADMIN],
    ).select_related("user")


def jury_current(case: Case) -> Jury | None:
    """The jury that has the case now: the appeal jury if there is one, else the first."""
    juries = sorted(case.juries.all(), key=lambda jury: jury.round != Round.APPEAL)
    return juries[0] if juries else None


def jury_first(case: Case) -> Jury | None:
    return next((jury for jury in case.juries.all() if jury.round == Round.FIRST), None)


def juror_seat(jury: Jury | None, membership: Membership | None) -> Juror | None:
    if jury is None or membership is None:
        return None
    return next((j for j in jury.jurors.all() if j.member_id == membership.pk and j.sitting), None)


def withheld_member_ids(case: Case) -> set[int]:
    """The eligible members who may not sit for a reason the record keeps private: the reporter,
    while their anonymity holds, and an accused the public knows only by a pseudonym
    (docs/tribunal.md §4). A draw passes over them."""
    withheld = {case.reporter_id} if case.reporter_hidden else set()
    if case.accused_hidden and case.accused_id is not None:
        withheld.add(case.accused_id)
    return withheld


def jury_unavailability_of(
    membership: Membership | None, now: datetime | None = None
) -> JuryUnavailability | None:
    """The member's own word that they cannot sit on a jury, if it holds at ``now``."""
    if membership is None:
        return None
    word = JuryUnavailability.objects.filter(member=membership).first()
    day = timezone.localdate(now or timezone.now())
    return word if word is not None and word.holds_on(day) else None


def unavailable_member_ids(
    organisation: Organisation, now: datetime, among: Iterable[int]
) -> set[int]:
    """Those of ``among`` who said they cannot sit on a jury at ``now`` (their date inclusive,
    in the site's time zone)."""
    today = timezone.localdate(now)
    return set(
        JuryUnavailability.objects.filter(member__organisation=organisation)
        .filter(member_id__in=list(among))
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .values_list("member_id", flat=True)
    )


# A case's hidden parties are passed over in every draw while it is before a jury or may be.
BEFORE_A_JURY = (Phase.DEFENCE, Phase.DELIBERATION, Phase.APPEAL)


def hidden_parties_elsewhere(case: Case) -> set[int]:
    """The hidden parties (:func:`withheld_member_ids`) of the organisation's other cases that
    are before a jury or soon will be: the lot passes over them in this case's draws as if they
    were unavailable, so that a hidden reporter drawn in another case at the same time does not
    show that their own case passed over them for another reason than unavailability."""
    others = Case.objects.filter(
        organisation=case.organisation_id, phase__in=BEFORE_A_JURY
    ).exclude(pk=case.pk)
    hidden: set[int] = set()
    for other in others.only(
        "reporter", "accused", "accused_pseudonym", "anonymity_requested", "anonymity_granted"
    ):
        hidden |= withheld_member_ids(other)
    return hidden


def draw_withheld(case: Case, eligible: Iterable[int], now: datetime) -> tuple[set[int], int]:
    """Whom the lot passes over, and the ``withheld`` its entry states (docs/tribunal.md §4):
    the case's hidden parties (:func:`withheld_member_ids`), and the eligible members who are
    unavailable for juries or hidden parties of another case before a jury
    (:func:`hidden_parties_elsewhere`).

    The count adds the case's hidden parties (public: ``case.opened`` says anonymity was asked)
    to *u*, the number of the organisation's active members who are unavailable and of the
    hidden parties of its other cases before a jury — counted over the whole organisation, not
    the eligible list, so that no public change of someone's eligibility (named advocate,
    accused elsewhere, a conflict, a suspension) moves it: were *u* counted among the eligible,
    making a suspect ineligible and watching ``withheld`` would test whether they are a hidden
    reporter. A hidden reporter who is also unavailable counts twice."""
    hidden = withheld_member_ids(case)
    active = Membership.objects.filter(
        organisation=case.organisation_id, status=MembershipStatus.ACTIVE
    ).values_list("pk", flat=True)
    everywhere = unavailable_member_ids(case.organisation, now, active) | hidden_parties_elsewhere(
        case
    )
    return hidden | (everywhere & set(eligible)), len(hidden) + len(everywhere)


# A case whose outcome is still open: its evidence and what it is about stay until it is decided.
UNDECIDED = (Phase.DEFENCE, Phase.DELIBERATION, Phase.DECIDED, Phase.APPEAL)


def erasure_refusal(organisation: Organisation, kind: str, subject_id: str) -> str | None:
    """Why a steward may not erase, at a lawful request, what the record says about a subject:
    a case not yet final, or content such a case is about. The jury judges the evidence; a
    steward — perhaps a party — erasing it first would leave the jury a blank (a verdict on
    personal data erases it; meanwhile an interim measure hides it)."""
    cases = Case.objects.filter(organisation=organisation, phase__in=UNDECIDED)
    if kind == "case":
        undecided = str(subject_id).isdigit() and cases.filter(number=int(subject_id)).exists()
    else:
        undecided = cases.filter(kind=kind, object_id=str(subject_id)).exists()
    if not undecided:
        return None
    return _(
        "A case about this is not decided yet: the jury judges it as it stands. Until then, an "
        "interim measure can hide it; a verdict finding personal data erases it."
    )


def public_party_ids(case: Case) -> set[int]:
    """The case's parties as the record names them: the accused, their advocate, and the
    reporter unless hidden. Neither the jury's eligible list nor the accused's choice of advocate
    may leave out anyone else, or the gap would name a hidden reporter."""
    defence = getattr(case, "defence", None)
    parties = case.party_ids - withheld_member_ids(case)
    if defence is not None and defence.advocate_id:  # named advocate: a public reason, for anyone
        parties.add(defence.advocate_id)
    return parties


def advocate_choices(case: Case) -> QuerySet[Membership]:
    """The members the accused may name as advocate: every active member but the public parties
    (a hidden reporter among them, who may then step down: docs/tribunal.md §3)."""
    return members_active(case.organisation).exclude(
        pk__in={*public_party_ids(case), case.accused_id}  # the accused: the list is theirs
    )


def eligible_member_ids(case: Case, now: datetime, exclude: Iterable[int] = ()) -> list[int]:
    """Members eligible for the case's jury now by what the record says (docs/tribunal.md §4),
    sorted: a hidden reporter is among them (their absence would name them), and so is a member
    unavailable for juries; the draw passes over both (:func:`draw_withheld`)."""
    settings = tribunal_settings_of(case.organisation)
    candidates = set(
        Membership.objects.filter(
            organisation=case.organisation,
            status=MembershipStatus.ACTIVE,
            joined_at__lte=now - timedelta(days=settings.min_membership_days),
        ).values_list("pk", flat=True)
    )
    busy = Juror.objects.filter(
        recused_at__isnull=True, jury__decided_at__isnull=True, member__in=candidates
    ).exclude(jury__case=case)
    suspended = Suspension.objects.filter(
        member__in=candidates, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True
    )
    conflicted = ConflictDeclaration.objects.filter(case=case)
    excluded = (
        public_party_ids(case)
        | {int(member) for member in case.acting_stewards}
        | set(exclude)
        | set(busy.values_list("member_id", flat=True))
        | set(suspended.values_list("member_id", flat=True))
        | set(conflicted.values_list("member_id", flat=True))
    )
    return sorted(candidates - excluded)


def transparency_of(organisation: Organisation) -> dict[str, Any]:
    """The transparency report from the organisation's record entries (as an export has them)."""
    rows = (
        RecordEntry.objects.filter(organisation=organisation, action__in=ACTIONS)
        .order_by("seq")
        .values_list("canonical", flat=True)
    )
    return transparency_report(json.loads(bytes(data)) for data in rows)


# --- what the rules ask of a case ------------------------------------------------------------


class CaseFacts:
    """What the tribunal's rules (rules.py) ask of one person in one case, each read at most once.

    One per case object and person (:func:`case_facts_for`): the case page asks a dozen permissions
    of the same case in the same request without a query more for each. A service asks of the
    case it has just locked, with the facts as they stand (:func:`case_facts_forget`).
    """

    def __init__(self, case: Case, user: Any) -> None:
        self.case, self.user = case, user

    @cached_property
    def active(self) -> Membership | None:
        """The person's active membership of the case's organisation."""
        return active_membership(self.user, self.case.organisation)

    @cached_property
    def membership(self) -> Membership | None:
        """The person's membership, active or not: an expelled party may still appeal."""
        if self.active is not None or self.user is None or not self.user.is_authenticated:
            return self.active
        return Membership.objects.filter(
            organisation=self.case.organisation_id, user=self.user
        ).first()

    @cached_property
    def defence(self) -> Defence | None:
        """The case's defence as it stands. The page reads the case with its defence; a service
        asks of the case it has just locked, and its defence is read here without being kept on
        the case (Django's relation), so that once the service changes the defence, the case
        (``Case.party_ids``, hence the jury's draw) reads the new one."""
        if Case.defence.is_cached(self.case):
            return getattr(self.case, "defence", None)
        return Defence.objects.filter(case=self.case).first()

    @cached_property
    def party_ids(self) -> set[int]:
        """The case's parties, the advocate as :attr:`defence` names them."""
        return self.case.party_ids_with(self.defence)

    @cached_property
    def juries(self) -> list[Jury]:
        return list(self.case.juries.all())

    @cached_property
    def jury(self) -> Jury | None:
        """The jury that has the case now (:func:`jury_current`)."""
        juries = sorted(self.juries, key=lambda jury: jury.round != Round.APPEAL)
        return juries[0] if juries else None

    @cached_property
    def seats(self) -> list[Juror]:
        """The person's sitting seats on the case's undecided juries (one at most, in fact)."""
        if self.active is None:
            return []
        return [
            juror
            for jury in self.juries
            if jury.decided_at is None
            for juror in jury.jurors.all()
            if juror.member_id == self.active.pk and juror.sitting
        ]

    def seat(self, round: str | None = None) -> Juror | None:
        """The person's sitting seat on the undecided jury (of ``round``), if any."""
        return next((j for j in self.seats if round in (None, j.jury.round)), None)

    @cached_property
    def conflict_declared(self) -> bool:
        if self.active is None:
            return False
        return ConflictDeclaration.objects.filter(case=self.case, member=self.active).exists()

    @cached_property
    def interim(self) -> ContentMeasure | None:
        """The case's interim measure in force, if any."""
        return (
            ContentMeasure.objects.filter(
                case=self.case, source=MeasureSource.INTERIM, ended_at__isnull=True
            )
            .order_by("taken_at")
            .first()
        )

    @cached_property
    def hidden(self) -> ContentMeasure | None:
        """The measure (of any case) hiding the case's content now, if any."""
        return hidden_measure(self.case.kind, self.case.object_id)

    @cached_property
    def settings(self) -> TribunalSettings:
        return tribunal_settings_of(self.case.organisation)

    @cached_property
    def appeal_deadline(self) -> datetime | None:
        """Until when the decided case may be appealed."""
        if self.case.decided_at is None:
            return None
        return self.case.decided_at + timedelta(days=self.settings.appeal_days)


def case_facts_for(case: Case, user: Any) -> CaseFacts:
    """The facts of ``case`` for ``user``, kept on the case object for as long as it lives."""
    cache: dict[Any, CaseFacts] = case.__dict__.setdefault("_tribunal_facts", {})
    key = getattr(user, "pk", None)
    if key not in cache:
        cache[key] = CaseFacts(case, user)
    return cache[key]


def case_facts_forget(case: Case) -> None:
    """Drop what was read of the case, before a service asks of it as it stands now."""
    case.__dict__.pop("_tribunal_facts", None)
