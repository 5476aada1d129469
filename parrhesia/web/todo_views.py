"""A member's to-do across their organisations, the menu's count of it, and their calendar feed
of its deadlines (kernel.todo gathers the rows from every app)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from parrhesia.kernel.todo import todo_for, todo_of_request
from parrhesia.methods.calendar import Deadline, calendar_text
from parrhesia.web import selectors
from parrhesia.web.forms import CalendarLinkForm
from parrhesia.web.services import calendar_link_new, calendar_link_stop


def _page(
    request: HttpRequest, form: CalendarLinkForm | None = None, status: int = 200
) -> HttpResponse:
    feed = selectors.calendar_feed_of(request.user)
    link = (
        request.build_absolute_uri(reverse("todo_calendar", args=[selectors.calendar_token(feed)]))
        if feed
        else ""
    )
    context = {
        "todo": todo_of_request(request),
        "calendar_link": link,
        "form": form or CalendarLinkForm(has_link=feed is not None, initial={"action": "new"}),
    }
    return render(request, "web/todo.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def todo_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@login_required
@require_http_methods(["GET"])
def todo_count(request: HttpRequest) -> HttpResponse:
    """The menu's count, fetched apart by the pages that do not compute the to-do."""
    return render(request, "web/_todo_count.html", {"count": len(todo_of_request(request))})


@login_required
@require_http_methods(["POST"])
def calendar_link(request: HttpRequest) -> HttpResponse:
    has_link = selectors.calendar_feed_of(request.user) is not None
    form = CalendarLinkForm(request.POST, has_link=has_link)
    if not form.is_valid():
        return _page(request, form, status=400)
    if form.cleaned_data["action"] == "stop":
        calendar_link_stop(user=request.user)
        messages.success(request, _("Your calendar link no longer works."))
    else:
        calendar_link_new(user=request.user)
        messages.success(
            request, _("Your calendar has a new link; any earlier one no longer works.")
        )
    return redirect(reverse("todo") + "#calendar")


@never_cache
@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's deadlines as iCalendar (RFC 5545), for whoever holds the secret link: a
    calendar application, which cannot sign in. 404 for a link forged, stopped or replaced."""
    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    host = request.get_host().split(":")[0]
    deadlines = [
        Deadline(
            uid=f"{row.uid}.{feed.user_id}@{host}",
            at=row.deadline,
            summary=f"{row.action}: {row.title}",
            description=row.organisation.name,
            url=request.build_absolute_uri(row.url),
        )
        for row in todo_for(feed.user)
        if row.deadline is not None
    ]
    text = calendar_text(
        deadlines,
        product="-//Parrhesia//To-do//EN",
        name=_("Parrhesia: your deadlines"),
        stamp=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="parrhesia.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
