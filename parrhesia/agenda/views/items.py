"""An agenda item's pages: opening one, reading it, filing an alternative, moving its phase's
end, following it, and the follow-up once it is decided."""

from __future__ import annotations

from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.agenda import forms, selectors, services
from parrhesia.agenda.models import Phase
from parrhesia.agenda.views._shared import agenda_context, form_page, item_get
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page
from parrhesia.tribunal.selectors import hidden_measures

# The phases an item walks through when all goes to the vote (the page's progress bar).
PHASES_SHOWN = [
    Phase.ADMISSION,
    Phase.DISCUSSION,
    Phase.FROZEN,
    Phase.READY,
    Phase.VOTING,
    Phase.DECIDED,
]


@login_required
@require_http_methods(["GET", "POST"])
def item_open(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.open_item")
    form = forms.ItemOpenForm(request.POST or None)
    submitted = form_submit(
        form, services.agenda_item_open, user=request.user, organisation=organisation
    )
    if submitted:
        item = submitted.value
        if item.phase == Phase.ADMISSION:
            messages.success(request, _("The item is open. It needs supporters to be admitted."))
        else:  # the author's own support met the quorum: it is in discussion already
            messages.success(request, _("The item is open and admitted to discussion."))
        return redirect("agenda:item", slug=slug, item_id=item.pk)
    policy = selectors.policy_for(organisation, "general")
    return form_page(
        request, organisation, form,
        heading=_("Open an agenda item"), submit=_("Open the item"),
        back=reverse("agenda:index", args=[slug]),
        intro=_(
            "Your motion needs the support of %(percent)s %% of the members within %(days)s days "
            "to be admitted to discussion."
        ) % {"percent": policy.admission_quorum_percent, "days": policy.admission_days},
    )  # fmt: skip


@require_http_methods(["GET"])
def item_detail(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    item = item_get(organisation, item_id)
    member = active_membership(request.user, organisation)
    motions = selectors.motions_of(item)
    return render(
        request,
        "agenda/item.html",
        agenda_context(
            request,
            organisation,
            item=item,
            motions=motions,
            # for {% tombstone_or "motion" motion motion_measures %} around each motion
            motion_measures=hidden_measures("motion", [m.pk for m in motions]),
            following=selectors.is_following(item, member),
            follow_ups=selectors.follow_ups_of(item),
            follow_up_form=forms.FollowUpForm(),
            open_questions=selectors.questions_left_open(item),
            phases=PHASES_SHOWN,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_alternative(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    item = item_get(organisation, item_id)
    form = forms.MotionForm(request.POST or None)
    submitted = form_submit(form, services.motion_file_alternative, user=request.user, item=item)
    if submitted:
        motion = submitted.value
        messages.success(request, _("Your alternative motion is filed."))
        return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    return form_page(
        request, organisation, form,
        heading=_("File an alternative motion on “%(title)s”") % {"title": item.title},
        submit=_("File the alternative"), back=reverse("agenda:item", args=[slug, item.pk]),
        intro=_("An alternative needs only the alternative quorum to reach the ballot."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_phase(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.adjust_phase")
    item = item_get(organisation, item_id)
    initial = (
        {"ends_at": item.phase_ends_at.astimezone(UTC).replace(tzinfo=None)}
        if item.phase_ends_at
        else {}
    )
    form = forms.PhaseAdjustForm(request.POST or None, initial=initial)
    if form_submit(form, services.phase_adjust, user=request.user, item=item):
        messages.success(request, _("The phase's end was moved; your reason is on the record."))
        return redirect("agenda:item", slug=slug, item_id=item.pk)
    return form_page(
        request, organisation, form,
        heading=_("Shorten or extend the phase “%(phase)s”") % {"phase": item.get_phase_display()},
        submit=_("Move the end"), back=reverse("agenda:item", args=[slug, item.pk]),
    )  # fmt: skip


@login_required
@require_POST
def item_follow_up(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.log_follow_up")
    item = item_get(organisation, item_id)
    form = forms.FollowUpForm(request.POST)
    if form_submit(form, services.follow_up_log, user=request.user, item=item):
        messages.success(request, _("The update is logged."))
    else:  # the form is on the item's page: its error comes back as a message
        refused = form.non_field_errors()
        messages.error(
            request, refused[0] if refused else _("Choose a status and write the update.")
        )
    return redirect(reverse("agenda:item", args=[slug, item.pk]) + "#follow-up")


@login_required
@require_POST
def item_follow(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.take_part")
    item = item_get(organisation, item_id)
    follow = request.POST.get("follow") != "0"
    services.item_follow_set(user=request.user, item=item, follow=follow)
    messages.success(
        request, _("You follow this item.") if follow else _("You no longer follow this item.")
    )
    return redirect("agenda:item", slug=slug, item_id=item.pk)
