"""The pages of the API: its documentation (the operations, read from the OpenAPI document,
rendered here: no script from elsewhere), and a member's tokens."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parrhesia.api import selectors, services
from parrhesia.api.problems import problem
from parrhesia.api.site import api
from parrhesia.api.token_forms import RevokeForm, TokenForm
from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.orgs.models import Organisation

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[dict[str, Any]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for route, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                found.append(
                    {
                        "method": method.upper(),
                        "path": route,
                        "tag": (operation.get("tags") or [""])[0],
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": re.findall(r"\{(\w+)\}", route),
                    }
                )
    return found


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {"operations": operations()})


def api_nowhere(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return problem(404, _("The API has no such address."))


@never_cache  # the page shows a new token, once
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "api.manage_tokens")
    return tokens_page(request, organisation)


# A token is a long-lived key to vote and post: a stolen session may not mint one unless its
# holder proves again who they are (a code sent to their address, or their second factor), if
# they did not log in a moment ago. Asked after the organisation's check: others get its 404.
@reauthentication_required(allow_get=True)
def tokens_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    membership = active_membership(request.user, organisation)
    form = TokenForm(request.POST or None)
    submitted = form_submit(
        form, services.token_create, user=request.user, organisation=organisation
    )
    made = submitted.value if submitted else None
    if made is not None:
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        page_context(
            request,
            organisation,
            form=form,
            made=made,
            tokens=selectors.tokens_of(membership),
            revoke_form=RevokeForm(),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "api.manage_tokens")
    token = selectors.token_of_member_get(active_membership(request.user, organisation), token_id)
    if RevokeForm(request.POST).is_valid():
        services.token_revoke(user=request.user, token=token)
        messages.success(request, _("The token is revoked."))
    else:
        messages.error(request, _("Tick the box to confirm: a revoked token cannot be used again."))
    return redirect("api_tokens:list", slug=slug)
