"""A member's notices in one organisation, their settings, and unsubscribing from an e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.notifications import selectors, services
from parrhesia.notifications.forms import KIND_PREFIX, DigestForm, PreferencesForm
from parrhesia.notifications.mail import UnsubscribeError, unsubscribe_target
from parrhesia.notifications.models import Digest
from parrhesia.notifications.notices import notice_kinds, notification_text


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The notices, newest first (unread ones marked); a POST saves the digest setting."""
    organisation = org_page(request, slug, "notifications.receive")
    setting = selectors.setting_of(active_membership(request.user, organisation))
    form = DigestForm(
        request.POST or None, initial={"digest": setting.digest if setting else Digest.DAILY}
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
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """How each kind of notice reaches the member: at once by e-mail, in the digest, or in
    the app only; and the digest's period."""
    organisation = org_page(request, slug, "notifications.receive")
    setting = selectors.setting_of(active_membership(request.user, organisation))
    chosen = selectors.preferences_of(request.user, organisation)
    kinds = notice_kinds()
    initial = {"digest": setting.digest if setting else Digest.DAILY}
    initial |= {KIND_PREFIX + kind: how for kind, how in chosen.items()}
    form = PreferencesForm(
        request.POST or None,
        initial=initial,
        kinds=[(kind, kinds[kind].label) for kind in chosen],
    )
    if form_submit(
        form,
        services.notification_preferences_set,
        data=form.service_data,
        user=request.user,
        organisation=organisation,
    ):
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings", slug=slug)
    return render(
        request,
        "notifications/settings.html",
        page_context(request, organisation, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def notifications_read(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark every notice of the organisation read (a GET of the list never does)."""
    organisation = org_page(request, slug, "notifications.receive")
    services.notifications_mark_read(user=request.user, organisation=organisation)
    return redirect("notifications:list", slug=slug)


# A mail client's one-click POST (RFC 8058) carries no CSRF token and no session: the signed
# token is the authority, and it can do one thing only — stop one kind of e-mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A GET asks for confirmation (link scanners follow links); a POST unsubscribes."""
    if request.method == "POST":
        try:
            organisation, kind = services.notifications_unsubscribe(token=token)
        except UnsubscribeError as error:
            return render(request, "notifications/unsubscribe.html", {"error": error}, status=400)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"done": True, "organisation": organisation, "label": _label(kind)},
        )
    try:
        organisation, kind = unsubscribe_target(token)[1:]
    except UnsubscribeError as error:
        return render(request, "notifications/unsubscribe.html", {"error": error}, status=400)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"organisation": organisation, "label": _label(kind), "token": token},
    )


def _label(kind: str) -> str:
    if kind == "digest":
        return _("E-mail digest")
    notice = notice_kinds().get(kind)
    return str(notice.label) if notice and notice.label else kind
