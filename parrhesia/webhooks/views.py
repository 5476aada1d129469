"""The stewards' webhooks pages: ``/o/<slug>/webhooks/`` (docs/webhooks.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.record.action_labels import action_label
from parrhesia.webhooks import selectors, services
from parrhesia.webhooks.forms import SubscriptionForm
from parrhesia.webhooks.models import Subscription
from parrhesia.webhooks.services import WebhookError
from parrhesia.webhooks.services.dispatch import DISABLE_AFTER, RETRY_DELAYS

PERMISSION = "webhooks.manage"


def _secret_page(
    request: HttpRequest, organisation: Any, subscription: Subscription, secret: str, title: str
) -> HttpResponse:
    """The one page that shows a secret: answered to the POST that made it, never stored in
    a session or a URL, so it cannot be shown again."""
    response = render(
        request,
        "webhooks/secret.html",
        page_context(
            request, organisation, subscription=subscription, secret=secret, heading=title
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, PERMISSION)
    form = SubscriptionForm(request.POST or None)
    submitted = form_submit(
        form,
        services.subscription_create,
        data=lambda cleaned: form.service_arguments(),
        error_field="url",
        user=request.user,
        organisation=organisation,
    )
    if submitted:
        subscription, secret = submitted.value  # type: ignore[misc]
        return _secret_page(request, organisation, subscription, secret, _("Webhook created"))
    return render(
        request,
        "webhooks/list.html",
        page_context(
            request,
            organisation,
            form=form,
            subscriptions=selectors.subscriptions_of(organisation),
        ),
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET"])
def webhook_detail(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    organisation = org_page(request, slug, PERMISSION)
    subscription = selectors.subscription_get(organisation, webhook_id)
    return render(
        request,
        "webhooks/detail.html",
        page_context(
            request,
            organisation,
            subscription=subscription,
            action_names=[(action, action_label(action)) for action in subscription.actions],
            attempts=selectors.attempts_of(subscription),
            pending=selectors.pending_of(subscription),
            retry_minutes=[int(delay.total_seconds() // 60) for delay in RETRY_DELAYS],
            disable_days=DISABLE_AFTER.days,
        ),
    )


def _act(request: HttpRequest, slug: str, webhook_id: int, service: Any, done: str) -> Any:
    organisation = org_page(request, slug, PERMISSION)
    subscription = selectors.subscription_get(organisation, webhook_id)
    try:
        result = service(user=request.user, subscription=subscription)
    except WebhookError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, done)
    return result


@login_required
@require_POST
def webhook_disable(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    _act(request, slug, webhook_id, services.subscription_disable, _("The webhook is disabled."))
    return redirect("webhooks:detail", slug=slug, webhook_id=webhook_id)


@login_required
@require_POST
def webhook_enable(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    _act(request, slug, webhook_id, services.subscription_enable, _("The webhook is enabled."))
    return redirect("webhooks:detail", slug=slug, webhook_id=webhook_id)


@login_required
@require_POST
def webhook_test(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    done = _("A test message is on its way; its attempt appears in the log below.")
    _act(request, slug, webhook_id, services.subscription_test, done)
    return redirect("webhooks:detail", slug=slug, webhook_id=webhook_id)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_rotate(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    organisation = org_page(request, slug, PERMISSION)
    subscription = selectors.subscription_get(organisation, webhook_id)
    if request.method == "POST":
        subscription, secret = services.subscription_secret_rotate(
            user=request.user, subscription=subscription
        )
        return _secret_page(request, organisation, subscription, secret, _("New secret"))
    return render(
        request,
        "webhooks/confirm.html",
        page_context(request, organisation, subscription=subscription, confirm="rotate"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    organisation = org_page(request, slug, PERMISSION)
    subscription = selectors.subscription_get(organisation, webhook_id)
    if request.method == "POST":
        services.subscription_delete(user=request.user, subscription=subscription)
        messages.success(request, _("The webhook is deleted; nothing more is sent to its URL."))
        return redirect("webhooks:list", slug=slug)
    return render(
        request,
        "webhooks/confirm.html",
        page_context(request, organisation, subscription=subscription, confirm="delete"),
    )
