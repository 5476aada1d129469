"""A member's notices in one organisation, and their e-mail digest setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.notifications import selectors, services
from parrhesia.notifications.forms import DigestForm
from parrhesia.notifications.notices import notification_text


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The notices, newest first (unread ones marked); a POST saves the digest setting."""
    organisation = org_page(request, slug, "notifications.receive")
    setting = selectors.setting_of(active_membership(request.user, organisation))
    form = DigestForm(
        request.POST or None, initial={"digest": setting.digest if setting else "off"}
    )
    if form_submit(
        form, services.notification_setting_set, user=request.user, organisation=organisation
    ):
        messages.success(request, _("Your e-mail digest setting is saved."))
        return redirect("notifications:list", slug=slug)
    notices = selectors.notifications_of(request.user, organisation)
    shown = [(notice, notification_text(notice)) for notice in notices]
    unread = any(notice.read_at is None for notice in notices)
    return render(
        request,
        "notifications/list.html",
        page_context(request, organisation, notifications=shown, form=form, unread=unread),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def notifications_read(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark every notice of the organisation read (a GET of the list never does)."""
    organisation = org_page(request, slug, "notifications.receive")
    services.notifications_mark_read(user=request.user, organisation=organisation)
    return redirect("notifications:list", slug=slug)
