"""The agenda as a whole: its index, searching it, and the policy of phases and quorums."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parrhesia.agenda import forms, search, selectors, services
from parrhesia.agenda.views._shared import agenda_context, form_page
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page
from parrhesia.tribunal.selectors import hidden_measures

# Where a search hit links, by the kind the index names.
HIT_PAGES = {
    "item": "agenda:item",
    "motion": "agenda:motion",
    "argument": "agenda:argument",
    "question": "agenda:question",
}


@require_http_methods(["GET"])
def agenda_index(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    items = list(selectors.items_of(organisation))
    open_items = [item for item in items if not item.is_closed]
    closed = [item for item in items if item.is_closed]
    return render(
        request,
        "agenda/index.html",
        agenda_context(
            request,
            organisation,
            open_items=open_items,
            closed_items=closed,
            search_form=forms.SearchForm(),
        ),
    )


@require_http_methods(["GET"])
def agenda_search(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.view")
    form = forms.SearchForm(request.GET or None)
    hits: list[search.Hit] = []
    if form.is_valid() and form.cleaned_data["q"]:
        hits = search.search(organisation, form.cleaned_data["q"])
    results = [(hit, reverse(HIT_PAGES[hit.kind], args=[slug, hit.object_id])) for hit in hits]
    # Hidden content is not found by its words: the hit stays, as a link to its tombstone.
    hidden = {
        kind: hidden_measures(kind, [h.object_id for h in hits if h.kind == kind])
        for kind in ("motion", "argument", "question")
    }
    shown = [
        (hit, url, hidden[hit.kind].get(str(hit.object_id)) if hit.kind in hidden else None)
        for hit, url in results
    ]
    return render(
        request,
        "agenda/search.html",
        agenda_context(request, organisation, form=form, results=shown, searched=form.is_bound),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "agenda.set_policy")
    item_type = request.POST.get("item_type") or request.GET.get("type") or "general"
    policy = selectors.policy_for(organisation, item_type)
    initial = {
        field: getattr(policy, field)
        for field in ("item_type", "admission_days", "admission_quorum_percent",
                      "alternative_quorum_percent", "discussion_days", "frozen_days")
    }  # fmt: skip
    form = forms.PolicyForm(request.POST or None, initial=initial)
    if form_submit(form, services.policy_set, user=request.user, organisation=organisation):
        messages.success(request, _("The policy is saved; it applies to items opened from now."))
        return redirect("agenda:index", slug=slug)
    return form_page(
        request, organisation, form,
        heading=_("Phases and quorums"), submit=_("Save the policy"),
        back=reverse("agenda:index", args=[slug]),
        intro=_("Each item copies the policy of its type when it is opened."),
    )  # fmt: skip
