"""The tribunal's personal notices (each also e-mailed at once; the docket is the public one),
and the stewards' notice of a case that waits for them (naming neither party: a hidden
reporter is never named)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from parrhesia.notifications.models import Delivery
from parrhesia.notifications.notices import notice_register
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership, MembershipStatus, Role
from parrhesia.tribunal.models import Case

notice_register(
    "case_reported",
    gettext_lazy(
        "Case %(number)s: you have been reported. You may defend yourself until %(deadline)s."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("You are reported"),
)
notice_register(
    "case_dismissed",
    gettext_lazy("Case %(number)s: your report was dismissed; you may ask for a jury anyway."),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("Your report is dismissed"),
)
notice_register(
    "interim_measure",
    gettext_lazy(
        "Case %(number)s: your content is hidden by an interim measure, which lapses unless a "
        "jury confirms it."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("Your content is hidden by an interim measure"),
)
notice_register(
    "interim_measure_held",
    gettext_lazy(
        "Case %(number)s: your content is hidden by an interim measure until the case is decided, "
        "as it concerns personal data."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("Your content is hidden until a case is decided"),
)
notice_register(
    "advocate_named",
    gettext_lazy(
        "Case %(number)s: the member concerned named you as their advocate. If you cannot or "
        "will not act for them, step down on the case page."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("You are named someone's advocate"),
)
notice_register(
    "advocate_stepped_down",
    gettext_lazy("Case %(number)s: your advocate stepped down; you may name another."),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("Your advocate steps down"),
)
notice_register(
    "juror_drawn",
    gettext_lazy(
        "Case %(number)s: you are drawn as a juror. Read the case and deliberate in the jury room."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("You are drawn as a juror"),
)
notice_register(
    "verdict",
    gettext_lazy("Case %(number)s: the jury's verdict and its reasons are on the docket."),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("A verdict in a case you are part of"),
)
notice_register(
    "jury_reminder",
    gettext_lazy(
        "Case %(number)s: you have not voted yet. Jurors who have not voted by %(deadline)s are "
        "replaced by lot."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("You have not voted yet as a juror"),
)
notice_register(
    "juror_lapsed",
    gettext_lazy(
        "Case %(number)s: you did not vote by the jury's deadline; another member was drawn in "
        "your place."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("You are replaced as a juror"),
)
notice_register(
    "jury_stuck",
    gettext_lazy(
        "Case %(number)s: jurors did not vote by the deadline and too few eligible members are "
        "left to replace them; the case waits."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("A jury you sit on is stuck"),
)
notice_register(
    "case_opened",
    gettext_lazy(
        "Case %(number)s was opened: the stewards may act on it (dismiss it or hide the content)."
    ),
    delivery=Delivery.EMAIL,
    discreet=True,
    label=gettext_lazy("A case waits for the stewards (stewards only)"),
)


def case_opened_notify(case: Case) -> None:
    """Tell the stewards a case waits for them, in the opening transaction; neither party is
    told this way (each has their own notice), and the wording names no one."""
    stewards = Membership.objects.filter(
        organisation=case.organisation,
        status=MembershipStatus.ACTIVE,
        role__in=[Role.STEWARD, Role.ADMIN],
    ).exclude(pk__in=[pk for pk in (case.accused_id, case.reporter_id) if pk])
    notify(
        [m.user for m in stewards.select_related("user")],
        organisation=case.organisation,
        kind="case_opened",
        params={"number": case.number},
        url=reverse("tribunal:case", args=[case.organisation.slug, case.number]),
    )
