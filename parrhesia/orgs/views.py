"""Organisation pages. Views turn requests into service calls and service errors into messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import is_htmx, org_page, page_context
from parrhesia.kernel.todo import todo_in, todo_of_request
from parrhesia.orgs import selectors, services
from parrhesia.orgs.forms import (
    ConductCodeForm,
    ErasureForm,
    InvitationForm,
    JoinRequestForm,
    OptionalReasonForm,
    OrganisationCreateForm,
    OrganisationSettingsForm,
    ReasonForm,
    RoleForm,
)
from parrhesia.orgs.services import MembershipError
from parrhesia.record.selectors import record_latest


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    # Every error founding can meet is about the short name: it is shown beside that field.
    submitted = form_submit(
        form, services.organisation_create, error_field="slug", user=request.user
    )
    if submitted:
        messages.success(request, _("Your organisation is founded. Invite its first members."))
        return redirect("orgs:detail", slug=submitted.value.slug)
    return render(request, "orgs/create.html", {"form": form})


@require_http_methods(["GET"])
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug)
    return render(
        request,
        "orgs/detail.html",
        page_context(
            request,
            organisation,
            member_count=selectors.members_active(organisation).count(),
            conduct_code=selectors.conduct_code_current(organisation),
            recent=record_latest(organisation, 5),
            todo=todo_in(todo_of_request(request), organisation),
            pending_request=selectors.join_request_pending_of(request.user, organisation),
            pending_count=(
                selectors.join_requests_pending(organisation).count()
                if request.user.has_perm("orgs.decide_join_requests", organisation)
                else 0
            ),
        ),
    )


@require_http_methods(["GET"])
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The members; a visitor whom the organisation does not show them (orgs.view_members)
    sees only how many there are."""
    organisation = org_page(request, slug)
    members = selectors.members_active(organisation)
    if not request.user.has_perm("orgs.view_members", organisation):
        return render(
            request,
            "orgs/members.html",
            page_context(request, organisation, member_count=members.count(), members=None),
        )
    return render(
        request, "orgs/members.html", page_context(request, organisation, members=members)
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.change_roles")
    target = selectors.member_active_get(organisation, member_id)
    form = RoleForm(request.POST or None, initial={"role": target.role})
    submitted = form_submit(
        form, services.membership_role_change, user=request.user, membership=target
    )
    if submitted:
        messages.success(request, _("The role was changed and the change recorded."))
        return redirect("orgs:members", slug=slug)
    return render(
        request, "orgs/role.html", page_context(request, organisation, target=target, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.leave")
    form = OptionalReasonForm(request.POST or None)
    submitted = form_submit(
        form,
        services.membership_leave,
        user=request.user,
        organisation=organisation,
    )
    if submitted:
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("home")
    return render(request, "orgs/membership.html", page_context(request, organisation, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug)
    if not request.user.has_perm("orgs.join", organisation):
        messages.info(request, _("You are already a member of this organisation."))
        return redirect("orgs:detail", slug=slug)
    if not request.user.has_perm("orgs.request_to_join", organisation):
        raise PermissionDenied
    pending = selectors.join_request_pending_of(request.user, organisation)
    form = JoinRequestForm(request.POST or None, organisation=organisation)
    if pending is None and form_submit(
        form,
        services.join_request_create,
        user=request.user,
        organisation=organisation,
    ):
        messages.success(request, _("Your request was sent. A steward will answer it."))
        return redirect("orgs:detail", slug=slug)
    return render(
        request, "orgs/join.html", page_context(request, organisation, form=form, pending=pending)
    )


@login_required
@require_POST
def join_request_withdraw(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    organisation = org_page(request, slug)
    join_request = selectors.join_request_own_get(request.user, organisation, request_id)
    try:
        services.join_request_withdraw(user=request.user, join_request=join_request)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("orgs:detail", slug=slug)


@login_required
@require_http_methods(["GET"])
def join_request_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.decide_join_requests")
    return render(
        request,
        "orgs/join_requests.html",
        page_context(
            request,
            organisation,
            pending=selectors.join_requests_pending(organisation),
            decided=selectors.join_requests_decided(organisation),
            refuse_form=ReasonForm(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request_accept(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    """A second step before admitting someone, with a reason the applicant is told (optional)."""
    organisation = org_page(request, slug, "orgs.decide_join_requests")
    join_request = selectors.join_request_with_requester_get(organisation, request_id)
    form = OptionalReasonForm(request.POST if request.method == "POST" else None)
    accepted = form_submit(
        form, services.join_request_accept, user=request.user, join_request=join_request
    )
    if accepted:
        name = join_request.user.public_name
        messages.success(request, _("%(name)s is now a member.") % {"name": name})
        return redirect("orgs:join_requests", slug=slug)
    return render(
        request,
        "orgs/join_accept.html",
        page_context(request, organisation, join_request=join_request, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request_refuse(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.decide_join_requests")
    join_request = selectors.join_request_with_requester_get(organisation, request_id)
    form = ReasonForm(request.POST or None)
    submitted = form_submit(
        form,
        services.join_request_refuse,
        user=request.user,
        join_request=join_request,
    )
    if submitted:
        messages.success(request, _("The request was refused; your reason is on the record."))
        return redirect("orgs:join_requests", slug=slug)
    return render(
        request,
        "orgs/join_refuse.html",
        page_context(request, organisation, join_request=join_request, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.manage_invitations")
    form = InvitationForm(request.POST or None)
    submitted = form_submit(
        form,
        services.invitation_create,
        user=request.user,
        organisation=organisation,
    )
    if submitted:
        invitation = submitted.value
        messages.success(request, _("Invitation created. Copy its link and send it."))
        return redirect(f"{reverse('orgs:invitations', args=[slug])}#invitation-{invitation.pk}")
    invitations = selectors.invitations_of(organisation)
    return render(
        request,
        "orgs/invitations.html",
        page_context(
            request,
            organisation,
            form=form,
            invitations=[
                (invitation, request.build_absolute_uri(reverse("invite", args=[invitation.token])))
                for invitation in invitations
            ],
        ),
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.manage_invitations")
    invitation = selectors.invitation_get(organisation, invitation_id)
    error = None
    try:
        invitation = services.invitation_revoke(user=request.user, invitation=invitation)
    except MembershipError as problem:
        error = str(problem)
    if is_htmx(request):  # swap the one panel in place
        return render(
            request,
            "orgs/invitations.html#invitation-panel",
            {"organisation": organisation, "invitation": invitation, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect("orgs:invitations", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Holding a valid invitation link is what lets someone see the organisation's name."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(request, "orgs/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        return render(
            request, "orgs/invitation.html", {"invitation": invitation, "state": invitation.state()}
        )
    organisation = invitation.organisation
    if not request.user.has_perm("orgs.join", organisation):
        messages.info(request, _("You are already a member of this organisation."))
        return redirect("orgs:detail", slug=organisation.slug)
    error = None
    if request.method == "POST":
        name = request.user.public_name
        try:
            services.invitation_accept(user=request.user, token=token)
        except MembershipError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Welcome to %(name)s.") % {"name": organisation.name})
            if request.user.public_name != name:
                messages.info(
                    request,
                    _(
                        "Two members cannot share a display name, so here you appear as "
                        "“%(name)s”. You may choose another name in your profile."
                    )
                    % {"name": request.user.public_name},
                )
            return redirect("orgs:detail", slug=organisation.slug)
    return render(
        request,
        "orgs/invitation.html",
        {"invitation": invitation, "state": invitation.state(), "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.change_settings")
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={
            "name": organisation.name,
            "description": organisation.description,
            "visibility": organisation.visibility,
            "member_list_public": organisation.member_list_public,
            "join_messages_public": organisation.join_messages_public,
        },
    )
    if form_submit(
        form, services.organisation_update, user=request.user, organisation=organisation
    ):
        messages.success(request, _("Settings saved and recorded."))
        return redirect("orgs:detail", slug=slug)
    return render(request, "orgs/settings.html", page_context(request, organisation, form=form))


@require_http_methods(["GET"])
def conduct_code(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug)
    codes = selectors.conduct_codes_of(organisation)
    return render(request, "orgs/conduct.html", page_context(request, organisation, codes=codes))


@login_required
@require_http_methods(["GET", "POST"])
def conduct_code_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "orgs.change_conduct_code")
    current = selectors.conduct_code_current(organisation)
    initial_rules = "\n".join(rule["text"] for rule in current.rules) if current else ""
    form = ConductCodeForm(request.POST or None, initial={"rules": initial_rules})
    submitted = form_submit(
        form,
        services.conduct_code_amend,
        user=request.user,
        organisation=organisation,
    )
    if submitted:
        code = submitted.value
        messages.success(
            request,
            _("Version %(version)s of the code of conduct is in force.")
            % {"version": code.version},
        )
        return redirect("orgs:conduct", slug=slug)
    return render(request, "orgs/conduct_edit.html", page_context(request, organisation, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def record_entry_erasure(request: HttpRequest, slug: str, seq: int) -> HttpResponse:
    """A steward erases values of a record entry at a lawful request (irreversible)."""
    organisation = org_page(request, slug, "orgs.erase_personal_data")
    entry = selectors.erasure_entry_get(organisation, seq)
    values = selectors.erasable_values(organisation, entry)
    content = services.erasable_kind(entry) is not None
    form = ErasureForm(request.POST or None, values=values, content=content)
    submitted = form_submit(
        form,
        services.record_entry_erase,
        data=form.service_arguments,
        user=request.user,
        organisation=organisation,
        seq=seq,
    )
    if submitted:
        redaction = submitted.value
        messages.success(request, _("Erased; entry #%(seq)s says so.") % {"seq": redaction.seq})
        return redirect("record:entry", slug=slug, seq=redaction.seq)
    context = page_context(
        request, organisation, entry=entry, values=values, content=content, form=form
    )
    status = 400 if form.errors else 200
    return render(request, "orgs/erasure.html", context, status=status)
