"""``parrhesia token …``: personal access tokens of the API, for operators and tests.

* ``parrhesia token create USER --org SLUG --scope read [--scope vote,post] [--days N]
  [--name NAME]`` — a new token of USER's membership of SLUG; the token alone is printed on
  standard output (one line, shown this once: only its digest is stored).
* ``parrhesia token list USER --org SLUG`` — the user's tokens there (never the tokens).
* ``parrhesia token revoke USER --org SLUG ID`` — revoke one.
"""

from __future__ import annotations

import argparse

from parrhesia.cli import CommandError, Parser, django_setup


def _membership_of(username: str, slug: str) -> tuple[object, object]:
    from django.contrib.auth import get_user_model

    from parrhesia.kernel.access import active_membership
    from parrhesia.orgs.models import Organisation

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user named {username!r}")
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"no organisation {slug!r}")
    if active_membership(user, organisation) is None:
        raise CommandError(f"{username} is not an active member of {slug}")
    return user, organisation


def _scopes(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _create(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.exceptions import PermissionDenied

    from parrhesia.api.services import TokenError, token_create

    user, organisation = _membership_of(args.user, args.org)
    try:
        _token, secret = token_create(
            user=user,
            organisation=organisation,
            scopes=_scopes(args.scope or ["read"]),
            days=args.days,
            name=args.name or "command line",
        )
    except TokenError as error:
        raise CommandError(str(error)) from None
    except PermissionDenied:
        raise CommandError(f"{args.user} may not hold tokens in {args.org}") from None
    print(secret)
    return 0


def _list(args: argparse.Namespace) -> int:
    django_setup()
    from parrhesia.api.selectors import tokens_of
    from parrhesia.kernel.access import active_membership

    user, organisation = _membership_of(args.user, args.org)
    for token in tokens_of(active_membership(user, organisation)):
        print(
            f"{token.pk}\t{token.prefix}…\t{token.state()}\t{','.join(token.scopes)}\t"
            f"expires {token.expires_at:%Y-%m-%d}\t{token.name}"
        )
    return 0


def _revoke(args: argparse.Namespace) -> int:
    django_setup()
    from parrhesia.api.models import ApiToken
    from parrhesia.api.services import token_revoke
    from parrhesia.kernel.access import active_membership

    user, organisation = _membership_of(args.user, args.org)
    token = ApiToken.objects.filter(
        pk=args.id, membership=active_membership(user, organisation)
    ).first()
    if token is None:
        raise CommandError(f"{args.user} has no token {args.id} in {args.org}")
    token_revoke(user=user, token=token)
    print(f"token {args.id} revoked")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "token", help="personal access tokens of the API", description=__doc__
    )
    commands = group.add_subparsers(metavar="ACTION", parser_class=Parser, required=True)
    create = commands.add_parser("create", help="make a token and print it (once)")
    create.add_argument("user", help="the member's username")
    create.add_argument("--org", required=True, help="the organisation's short name")
    create.add_argument(
        "--scope",
        action="append",
        help="read, vote or post; repeat it or separate with commas (default: read)",
    )
    create.add_argument(
        "--days", type=int, default=90, help="days until it expires (1–365; default 90)"
    )
    create.add_argument("--name", help="what the token is for")
    create.set_defaults(handler=_create)
    listing = commands.add_parser("list", help="list a member's tokens")
    listing.add_argument("user")
    listing.add_argument("--org", required=True)
    listing.set_defaults(handler=_list)
    revoke = commands.add_parser("revoke", help="revoke a token")
    revoke.add_argument("user")
    revoke.add_argument("--org", required=True)
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_revoke)
