"""Conversation pages. Views turn requests into service calls and service errors into messages.

Every form works without JavaScript; with htmx, a vote swaps only the statement (or the "next
statement" card) in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.kernel.access import active_membership
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import is_htmx, org_page, page_context
from parrhesia.opinion import maps, selectors, services
from parrhesia.opinion.exports import polis_zip_write
from parrhesia.opinion.forms import (
    CloseForm,
    ConversationForm,
    MarkForm,
    StatementForm,
    VoteForm,
)
from parrhesia.opinion.models import Conversation, Statement
from parrhesia.opinion.services import ConversationClosed, OpinionError
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures

VIEW = "opinion.view_conversation"


def _conversation(organisation: Organisation, conversation_id: int) -> Conversation:
    conversation = selectors.conversation_get(organisation, conversation_id)
    if conversation is None:
        raise Http404
    return conversation


def _statement(organisation: Organisation, statement_id: int) -> Statement:
    statement = selectors.statement_get(organisation, statement_id)
    if statement is None:
        raise Http404
    return statement


def opinion_context(
    request: HttpRequest, organisation: Organisation, **extra: object
) -> dict[str, object]:
    """``kernel.pages.page_context``, and for a page of a conversation its title: a topic the
    tribunal hides is named by the conversation's number (the vote fragments, which show no
    topic, skip this by giving ``conversation_measures``)."""
    conversation = extra.get("conversation")
    if isinstance(conversation, Conversation) and "conversation_measures" not in extra:
        measures = hidden_measures("conversation", [conversation.pk])
        measure = measures.get(str(conversation.pk))
        extra.setdefault("conversation_measures", measures)
        extra.setdefault("conversation_measure", measure)
        extra.setdefault(
            "conversation_title",
            _("Conversation #%(number)s") % {"number": conversation.pk}
            if measure
            else conversation.topic,
        )
    return page_context(request, organisation, **extra)


def _detail_url(statement: Statement, anchor: str = "") -> str:
    url = reverse(
        "opinion:detail", args=[statement.conversation.organisation.slug, statement.conversation_id]
    )
    return f"{url}#{anchor or f'statement-{statement.pk}'}"


@require_http_methods(["GET"])
def conversation_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, VIEW)
    conversations, measures = selectors.conversations_listed(organisation)
    return render(
        request,
        "opinion/index.html",
        opinion_context(
            request,
            organisation,
            conversations=conversations,
            conversation_measures=measures,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "opinion.open_conversation")
    form = ConversationForm(
        request.POST or None,
        may_name_votes=request.user.has_perm("opinion.choose_named_votes", organisation),
        initial={
            "attached_kind": request.GET.get("attach_kind", ""),
            "attached_id": request.GET.get("attach_id", ""),
        },
    )
    submitted = form_submit(
        form, services.conversation_open, user=request.user, organisation=organisation
    )
    if submitted:
        conversation = submitted.value
        messages.success(request, _("The conversation is open. Members can add and vote."))
        return redirect("opinion:detail", slug=slug, conversation_id=conversation.pk)
    return render(
        request,
        "opinion/new.html",
        opinion_context(request, organisation, form=form),
        status=400 if form.errors else 200,
    )


def _page_context(
    request: HttpRequest, organisation: Organisation, conversation: Conversation, **extra: object
) -> dict[str, object]:
    membership = active_membership(request.user, organisation)
    view = selectors.conversation_view(conversation, membership)
    result = view.analysis.result if view.analysis else {}
    me = str(view.participant.number) if view.participant else None
    statements = view.by_number()
    enough = bool(result.get("enough"))
    my_votes = {
        str(s.number): view.my_votes[s.pk] for s in view.statements if s.pk in view.my_votes
    }
    return opinion_context(
        request,
        organisation,
        conversation=conversation,
        view=view,
        next_statement=view.next_statement,
        analysis=view.analysis,
        enough=enough,
        drawing=maps.map_drawing(result, me) if enough else None,
        group_panels=maps.group_panels(result, statements) if enough else [],
        consensus=maps.consensus_shown(result, statements) if enough else [],
        bridging=maps.bridging_shown(result, statements) if enough else [],
        standing=maps.standing(result, me, my_votes) if enough else None,
        can_vote=request.user.has_perm("opinion.vote", conversation),
        can_mark=request.user.has_perm("opinion.mark_statement", conversation),
        can_report=request.user.has_perm("tribunal.report", organisation),
        statement_measures=view.hidden,
        my_participant_id=view.participant.pk if view.participant else None,
        can_close=request.user.has_perm("opinion.close_conversation", conversation),
        **extra,
    )


@require_http_methods(["GET"])
def conversation_detail(request: HttpRequest, slug: str, conversation_id: int) -> HttpResponse:
    organisation = org_page(request, slug, VIEW)
    conversation = _conversation(organisation, conversation_id)
    return render(
        request,
        "opinion/detail.html",
        _page_context(
            request,
            organisation,
            conversation,
            statement_form=StatementForm(named=conversation.named_votes),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_add(request: HttpRequest, slug: str, conversation_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "opinion.add_statement")
    conversation = _conversation(organisation, conversation_id)
    form = StatementForm(request.POST or None, named=conversation.named_votes)
    submitted = form_submit(
        form, services.statement_add, error_field="text", user=request.user,
        conversation=conversation,
    )
    if submitted:
        messages.success(request, _("Your statement is published."))
        return redirect(_detail_url(submitted.value))
    return render(
        request,
        "opinion/statement_add.html",
        opinion_context(request, organisation, conversation=conversation, form=form),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def statement_show(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    """A statement's own address (the record links here): its place in its conversation."""
    organisation = org_page(request, slug, VIEW)
    return redirect(_detail_url(_statement(organisation, statement_id)))


@login_required
@require_POST
def statement_vote(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    organisation = org_page(request, slug, VIEW)
    statement = _statement(organisation, statement_id)
    form = VoteForm(request.POST)
    error, status, my_vote = None, 200, selectors.UNKNOWN
    if not form.is_valid():
        error, status = _("Choose agree, disagree or pass."), 400
    else:
        try:
            my_vote = services.statement_vote(
                user=request.user, statement=statement, value=form.cleaned_data["value"]
            ).value
        except ConversationClosed as problem:
            error, status = str(problem), 409
        except OpinionError as problem:
            error, status = str(problem), 400
    from_card = request.POST.get("from") == "next"
    if is_htmx(request):  # swap the statement (or the next-statement card) in place
        return _vote_fragment(request, organisation, statement, from_card, error, my_vote)
    if error:
        return render(
            request,
            "opinion/problem.html",
            opinion_context(
                request, organisation, conversation=statement.conversation, error=error
            ),
            status=status,
        )
    messages.success(request, _("Your vote is counted."))
    return redirect(_detail_url(statement, "next" if from_card else ""))


def _vote_fragment(
    request: HttpRequest,
    organisation: Organisation,
    statement: Statement,
    from_card: bool,
    error: str | None,
    my_vote: object,
) -> HttpResponse:
    """Only what the swapped fragment shows: a vote's answer must stay fast under load (no
    map, no statistics, nothing of the analysis but the extremity routing needs)."""
    membership = active_membership(request.user, organisation)
    conversation = statement.conversation
    context = opinion_context(
        request,
        organisation,
        conversation=conversation,
        error=error,
        voted_statement=statement,
        can_vote=request.user.has_perm("opinion.vote", conversation),
        can_mark=request.user.has_perm("opinion.mark_statement", conversation),
        can_report=request.user.has_perm("tribunal.report", organisation),
        conversation_measures={},  # the fragments show no topic
    )
    if from_card:
        if membership is not None:
            context["next_statement"] = selectors.next_statement_for(conversation, membership)
        return render(request, "opinion/detail.html#next-card", context)
    shown = selectors.statement_counted(statement, membership, my_vote)
    measure = shown.hidden_measure  # type: ignore[attr-defined]
    context["statement"] = shown
    context["statement_measures"] = {str(shown.pk): measure} if measure else {}
    return render(request, "opinion/detail.html#statement-row", context)


@login_required
@require_http_methods(["GET", "POST"])
def statement_mark(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "opinion.mark_statement")
    statement = _statement(organisation, statement_id)
    form = MarkForm(request.POST or None, initial={"mark": statement.mark or "off_topic"})
    submitted = form_submit(form, services.statement_mark, user=request.user, statement=statement)
    if submitted:
        messages.success(request, _("The mark and its reason are shown and recorded."))
        return redirect(_detail_url(statement))
    return render(
        request,
        "opinion/mark.html",
        opinion_context(
            request,
            organisation,
            statement=statement,
            conversation=statement.conversation,
            form=form,
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_close(request: HttpRequest, slug: str, conversation_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "opinion.close_conversation")
    conversation = _conversation(organisation, conversation_id)
    form = CloseForm(request.POST or None)
    submitted = form_submit(
        form, services.conversation_close, user=request.user, conversation=conversation
    )
    if submitted:
        messages.success(request, _("The conversation is closed; its map stays."))
        return redirect("opinion:detail", slug=slug, conversation_id=conversation.pk)
    return render(
        request,
        "opinion/close.html",
        opinion_context(request, organisation, conversation=conversation, form=form),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def conversation_export(request: HttpRequest, slug: str, conversation_id: int) -> HttpResponse:
    """The conversation in Polis's export format, as a ZIP."""
    organisation = org_page(request, slug, VIEW)
    conversation = _conversation(organisation, conversation_id)
    response = HttpResponse(content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-conversation-{conversation.pk}-polis.zip"'
    )
    polis_zip_write(
        conversation,
        response,
        request.build_absolute_uri(reverse("opinion:detail", args=[slug, conversation.pk])),
    )
    return response
