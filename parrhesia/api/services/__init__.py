"""Writes of the API app: making and revoking personal access tokens."""

from parrhesia.api.services.tokens import (
    DAYS_DEFAULT,
    DAYS_MAX,
    TokenError,
    scopes_clean,
    token_create,
    token_revoke,
    token_touch,
)

__all__ = [
    "DAYS_DEFAULT",
    "DAYS_MAX",
    "TokenError",
    "scopes_clean",
    "token_create",
    "token_revoke",
    "token_touch",
]
