"""Minority reports: filed after the close by members on the losing side, co-signed by others
of it, published at once and frozen beside the result."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.decisions.actions import Action
from parrhesia.decisions.agenda_seam import minority_report_notify
from parrhesia.decisions.models import Ballot, CoSignature, MinorityReport
from parrhesia.decisions.selectors import minority_eligible, minority_window_open
from parrhesia.decisions.services._shared import BallotError
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def _check_minority(ballot: Ballot, member: Membership, now: datetime) -> None:
    if ballot.is_open:
        raise BallotError(_("A minority report is filed after the vote closes."))
    if not minority_window_open(ballot, now):
        raise BallotError(_("The time for minority reports on this vote is over."))
    if not minority_eligible(ballot, member):
        raise BallotError(
            _("Only members who voted on the losing side may file or co-sign a minority report.")
        )


def minority_report_file(
    *, user: User, ballot: Ballot, title: str, text: str, now: datetime | None = None
) -> MinorityReport:
    """File a minority report: published at once and frozen, beside the result for good."""
    now = now or timezone.now()
    if not title.strip() or not text.strip():
        raise BallotError(_("A minority report needs a title and a text."))
    with transaction.atomic():
        member = member_for(user, ballot, "decisions.file_minority_report")
        _check_minority(ballot, member, now)
        try:
            with transaction.atomic():
                report = MinorityReport.objects.create(
                    ballot=ballot,
                    author=member,
                    title=title.strip(),
                    text=text.strip(),
                    filed_at=now,
                )
        except IntegrityError:
            raise BallotError(_("You have already filed a minority report on this vote.")) from None
        record_append(
            organisation=ballot.organisation,
            actor=member,
            action=Action.MINORITY_REPORT_FILED,
            subject=("minority_report", report.pk),
            payload={
                "ballot": ballot.pk,
                "title": Sealed(report.title),
                "text": Sealed(report.text),
            },
        )
        minority_report_notify(report)
    return report


def minority_report_cosign(
    *, user: User, report: MinorityReport, now: datetime | None = None
) -> CoSignature:
    now = now or timezone.now()
    ballot = report.ballot
    with transaction.atomic():
        member = member_for(user, ballot, "decisions.cosign_minority_report")
        if member.pk == report.author_id:
            raise BallotError(_("You wrote this report; your name is already on it."))
        _check_minority(ballot, member, now)
        signature, created = CoSignature.objects.get_or_create(
            report=report, member=member, defaults={"signed_at": now}
        )
        if created:
            record_append(
                organisation=ballot.organisation,
                actor=member,
                action=Action.MINORITY_REPORT_COSIGNED,
                subject=("minority_report", report.pk),
                payload={"ballot": ballot.pk},
            )
    return signature
