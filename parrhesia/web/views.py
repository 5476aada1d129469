from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from parrhesia import __version__
from parrhesia.accounts.forms import ProfileForm
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.todo import todo_of_request
from parrhesia.orgs import selectors
from parrhesia.orgs.services import display_name_change
from parrhesia.web.two_factor import set_up_instead


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    mine = list(selectors.organisations_of(request.user))
    mine_ids = {organisation.pk for organisation in mine}
    public = [o for o in selectors.organisations_public() if o.pk not in mine_ids]
    return render(
        request, "web/home.html", {"mine": mine, "public": public, "todo": todo_of_request(request)}
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy", never a 500
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor, "version": __version__})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    changed = form_submit(
        form, display_name_change, fields=["display_name"], error_field="display_name", user=user
    )
    if changed:
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    context = {
        "form": form,
        "two_factor_roles": selectors.roles_awaiting_two_factor(request.user),
        "now": timezone.now(),
    }
    return render(request, "web/profile.html", context)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return set_up_instead(request) or render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors' database work: the database may be the problem.
    return render(request, "500.html", status=500)
