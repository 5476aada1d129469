"""Who may reach each URL of the API app in the page matrix (tests/test_authorisation_matrix.py).

The API never reads the session: a signed-in browser calls it as an anonymous visitor, so every
persona gets what anon gets (Riverside is members-only: 404; a write without a token: 401).
What a token may do, persona by persona and scope by scope, is the API's own table
(parrhesia/api/tests/matrix.py), the authority for /api/v1/.
"""

from __future__ import annotations

from typing import Any

from tests.authorisation import Row, slug

ALL_404 = (404, 404, 404, 404, 404, 404)
ALL_401 = (401, 401, 401, 401, 401, 401)
ALL_405 = (405, 405, 405, 405, 405, 405)
ALL_200 = (200, 200, 200, 200, 200, 200)
ALL_400 = (400, 400, 400, 400, 400, 400)


def ids(*names: str) -> Any:
    return lambda w: {**slug(w), **{name: 1 for name in names}}


def read(*names: str) -> Row:
    return Row(get=ALL_404, post=ALL_405, kwargs=ids(*names))


def write(*names: str) -> Row:
    return Row(get=ALL_405, post=ALL_401, kwargs=ids(*names))


def read_write(*names: str) -> Row:
    """A list and its write: this matrix posts a form, not the JSON body the write takes, and
    a body that is not JSON is refused first (400) for anyone, before whom it comes from."""
    return Row(get=ALL_404, post=ALL_400, kwargs=ids(*names))


def member_token(world: Any) -> dict[str, Any]:
    """A token of carol (the member) in Riverside: hers to revoke, nobody else's."""
    from parrhesia.api.services import token_create

    token, _secret = token_create(
        user=world.users["member"], organisation=world.organisation, scopes=["read"]
    )
    return {**slug(world), "token_id": token.pk}


ROWS = {
    "api:api-root": Row(get=ALL_200, post=ALL_405),
    "api:docs": Row(get=ALL_200, post=ALL_405),
    "api:openapi-json": Row(get=ALL_200),
    "api:nowhere": Row(get=ALL_404, post=ALL_404, kwargs=lambda w: {"rest": "no/such/thing"}),
    "api:organisation_list": Row(get=ALL_200, post=ALL_405),
    "api:organisation_detail": read(),
    "api:member_list": read(),
    "api:agenda_item_list": read(),
    "api:agenda_item_detail": read("item_id"),
    "api:motion_detail": read("motion_id"),
    "api:motion_support": write("motion_id"),
    "api:argument_list": read_write("motion_id"),
    "api:argument_add": read_write("motion_id"),
    "api:question_list": read_write(),
    "api:question_file": read_write(),
    "api:question_detail": read("question_id"),
    "api:conversation_list": read(),
    "api:conversation_detail": read("conversation_id"),
    "api:statement_list": read_write("conversation_id"),
    "api:statement_add": read_write("conversation_id"),
    "api:statement_vote": Row(get=ALL_405, post=ALL_400, kwargs=ids("statement_id")),
    "api:conversation_analysis": read("conversation_id"),
    "api:ballot_list": read(),
    "api:ballot_detail": read("ballot_id"),
    "api:ballot_preflib": read("ballot_id"),
    "api:ballot_vote": Row(get=ALL_405, post=ALL_400, kwargs=ids("ballot_id")),
    "api:case_list": read(),
    "api:case_detail": read("number"),
    "api:record_entry_list": read(),
    "api:record_entry_detail": read("seq"),
    "api:record_checkpoint": read(),
    "api:record_inclusion": Row(
        get=ALL_404, post=ALL_405, kwargs=slug, query={"index": "0", "size": "1"}
    ),
    "api:record_consistency": Row(
        get=ALL_404, post=ALL_405, kwargs=slug, query={"old": "1", "new": "1"}
    ),
    # a member's own tokens page: create (the token shown once: not without proving again who
    # one is, a code by e-mail, unless just logged in — the matrix's sessions are not), and
    # revoke one of theirs
    "api_tokens:list": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=slug,
        post_data=lambda w: {"name": "bot", "scopes": ["read", "vote"], "days": "30"},
    ),
    "api_tokens:revoke": Row(
        get=(302, 405, 405, 405, 405, 405),
        post=(302, 404, 404, 302, 404, 404),
        kwargs=member_token,
        post_data=lambda w: {"confirm": "on"},
    ),
}
