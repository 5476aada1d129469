"""Conversations, their statements and opinion analysis; adding a statement, voting on one."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from parrhesia.api.auth import organisation_for, writer_organisation
from parrhesia.api.endpoints.orgs import Limit
from parrhesia.api.forms import valid
from parrhesia.api.paging import page_of
from parrhesia.api.schemas import (
    AnalysisOut,
    ConversationOut,
    ConversationPage,
    StatementOut,
    StatementPage,
    StatementVoteIn,
    StatementVoteOut,
    TextIn,
)
from parrhesia.kernel.access import active_membership
from parrhesia.opinion import selectors, services
from parrhesia.opinion.forms import StatementForm, VoteForm
from parrhesia.opinion.models import Conversation, Statement
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measures

router = Router(tags=["opinion"])
VIEW = "opinion.view_conversation"


def conversation_out(conversation: Conversation, hidden: bool) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "topic": None if hidden else conversation.topic,
        "description": None if hidden else conversation.description,
        "hidden": hidden,
        "is_open": conversation.is_open,
        "named_votes": conversation.named_votes,
        "votes_cast": conversation.votes_cast,
        "opened_at": conversation.opened_at,
        "closed_at": conversation.closed_at,
    }


def statement_out(statement: Statement, hidden: bool, my_vote: int | None) -> dict[str, Any]:
    return {
        "id": statement.pk,
        "number": statement.number,
        "text": None if hidden else statement.text,
        "hidden": hidden,
        "mark": statement.mark,
        "agree": statement.n_agree,
        "disagree": statement.n_disagree,
        "passes": statement.n_pass,
        "my_vote": my_vote,
    }


def conversation_of(organisation: Organisation, conversation_id: int) -> Conversation:
    conversation = selectors.conversation_get(organisation, conversation_id)
    if conversation is None:
        raise Http404
    return conversation


@router.get("/orgs/{slug}/conversations", response=ConversationPage)
def conversation_list(
    request: HttpRequest, slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    rows = selectors.conversations_of(organisation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    hidden = hidden_measures("conversation", [c.pk for c in found])
    return {
        "items": [conversation_out(c, str(c.pk) in hidden) for c in found],
        "next": following,
    }


@router.get("/orgs/{slug}/conversations/{conversation_id}", response=ConversationOut)
def conversation_detail(request: HttpRequest, slug: str, conversation_id: int) -> dict[str, Any]:
    organisation = organisation_for(request, slug, VIEW)
    conversation = conversation_of(organisation, conversation_id)
    return conversation_out(conversation, bool(hidden_measures("conversation", [conversation.pk])))


@router.get("/orgs/{slug}/conversations/{conversation_id}/statements", response=StatementPage)
def statement_list(
    request: HttpRequest,
    slug: str,
    conversation_id: int,
    cursor: str | None = None,
    limit: int = Limit,
) -> dict[str, Any]:
    """The statements, each with the caller's own vote (a member's token); a statement the
    tribunal hid is listed without its words."""
    organisation = organisation_for(request, slug, VIEW)
    conversation = conversation_of(organisation, conversation_id)
    rows = Statement.objects.filter(conversation=conversation)
    found, following = page_of(request, rows, cursor=cursor, limit=limit)
    hidden = hidden_measures("statement", [s.pk for s in found])
    membership = active_membership(request.user, organisation)
    mine = selectors.votes_of(selectors.participant_of(conversation, membership))
    return {
        "items": [statement_out(s, str(s.pk) in hidden, mine.get(s.pk)) for s in found],
        "next": following,
    }


@router.post(
    "/orgs/{slug}/conversations/{conversation_id}/statements", response={201: StatementOut}
)
def statement_add(
    request: HttpRequest, slug: str, conversation_id: int, body: TextIn
) -> Status[dict[str, Any]]:
    organisation = writer_organisation(request, slug, "post", "opinion.add_statement")
    conversation = conversation_of(organisation, conversation_id)
    cleaned = valid(StatementForm({"text": body.text}))
    statement = services.statement_add(
        user=request.user, conversation=conversation, text=cleaned["text"]
    )
    return Status(201, statement_out(statement, False, None))


@router.post("/orgs/{slug}/statements/{statement_id}/vote", response=StatementVoteOut)
def statement_vote(
    request: HttpRequest, slug: str, statement_id: int, body: StatementVoteIn
) -> dict[str, Any]:
    """Agree (1), disagree (-1) or pass (0)."""
    organisation = writer_organisation(request, slug, "vote", VIEW)
    statement = selectors.statement_get(organisation, statement_id)
    if statement is None:
        raise Http404
    cleaned = valid(VoteForm({"value": body.value}))
    vote = services.statement_vote(user=request.user, statement=statement, value=cleaned["value"])
    return {"statement_id": statement.pk, "value": vote.value}


@router.get(
    "/orgs/{slug}/conversations/{conversation_id}/analysis",
    response={200: AnalysisOut, 204: None},
)
def conversation_analysis(request: HttpRequest, slug: str, conversation_id: int) -> Any:
    """The latest opinion analysis (groups, consensus, the map's points); 204 before the first."""
    organisation = organisation_for(request, slug, VIEW)
    analysis = selectors.analysis_of(conversation_of(organisation, conversation_id))
    if analysis is None:
        return Status(204, None)
    return {
        "version": analysis.version,
        "votes_cast": analysis.votes_cast,
        "computed_at": analysis.computed_at,
        "result": analysis.result,
    }
