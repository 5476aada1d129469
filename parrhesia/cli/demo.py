"""`parrhesia demo`: seed the demo organisation (idempotently) and say how to log in."""

from __future__ import annotations

import argparse
from typing import Any

from parrhesia.cli import CommandError, add_command, django_setup


def register(subparsers: Any) -> None:
    demo = add_command(
        subparsers,
        "demo",
        demo_command,
        help="seed the demo organisation (only on a database holding nothing else)",
    )
    demo.add_argument("--url", default="http://127.0.0.1:8000", help="the address to print")


def demo_command(args: argparse.Namespace) -> int:
    django_setup()
    from parrhesia.cli.server import database_prepare
    from parrhesia.demo import DEMO_PASSWORD, DEMO_PEOPLE, DemoRefused, demo_seed

    database_prepare(verbose=False)
    # The demo's people have no real addresses: the notices its cases send go nowhere, rather
    # than burying the log-in instructions under pages of console e-mail.
    from django.conf import settings

    previous, settings.EMAIL_BACKEND = (
        settings.EMAIL_BACKEND,
        "django.core.mail.backends.dummy.EmailBackend",
    )
    try:
        organisation = demo_seed()
    except DemoRefused as error:
        raise CommandError(f"demo refused: {error}") from None
    finally:  # run in a process that goes on (a test, a shell), its mail goes out again
        settings.EMAIL_BACKEND = previous
    url = args.url.rstrip("/")
    print(f"The demo organisation '{organisation.name}' is ready: {url}/o/{organisation.slug}/")
    print(f"Log in at {url}/accounts/login/ with the password '{DEMO_PASSWORD}' as:")
    for username, name, role in DEMO_PEOPLE:
        print(f"  {username:<7} {name} ({role})")
    return 0
