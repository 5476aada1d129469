"""The demo organisation that `parrhesia demo` seeds: realistic, idempotent, and only ever on a
database that holds nothing but demo data.

Each domain adds its own seeding step to ``DEMO_STEPS``; a step must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from parrhesia.accounts.models import User
from parrhesia.orgs import services
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation, Role, Visibility

DEMO_PASSWORD = "parrhesia-demo"
DEMO_SLUG = "demo"
# username, display name, role in the demo organisation
DEMO_PEOPLE = [
    ("alice", "Alice Martin", Role.ADMIN),
    ("bob", "Bob Okafor", Role.STEWARD),
    ("carol", "Carol Nguyen", Role.MEMBER),
    ("dave", "Dave Laurent", Role.MEMBER),
    ("erin", "Erin Kowalski", Role.MEMBER),
    ("frank", "Frank Dubois", Role.MEMBER),
    ("grace", "Grace Haddad", Role.MEMBER),
    ("heidi", "Heidi Svensson", Role.MEMBER),
]
DEMO_APPLICANT = ("ivan", "Ivan Petrov")


class DemoRefused(Exception):
    """The database holds data that is not the demo's."""


def demo_usernames() -> set[str]:
    return {username for username, _, _ in DEMO_PEOPLE} | {DEMO_APPLICANT[0]}


def demo_check_database() -> None:
    """Refuse a database with any organisation or person that the demo did not create."""
    foreign_orgs = Organisation.objects.filter(is_demo=False)
    if foreign_orgs.exists():
        raise DemoRefused(
            "this database holds organisations that are not the demo's "
            f"({', '.join(foreign_orgs.values_list('slug', flat=True)[:3])}…); "
            "point PARRHESIA_DATA_DIR or DATABASE_URL at an empty database for the demo"
        )
    foreign_users = User.objects.exclude(username__in=demo_usernames())
    if foreign_users.exists():
        raise DemoRefused(
            "this database holds accounts that are not the demo's; "
            "point PARRHESIA_DATA_DIR or DATABASE_URL at an empty database for the demo"
        )


def _person(username: str, display_name: str) -> User:
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "email": f"{username}@demo.parrhesia.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_organisation() -> Organisation:
    people = {username: _person(username, name) for username, name, _ in DEMO_PEOPLE}
    applicant = _person(*DEMO_APPLICANT)
    organisation = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if organisation is None:
        organisation = services.organisation_create(
            user=people["alice"],
            name="Riverside Tenants' Union",
            slug=DEMO_SLUG,
            description=(
                "A tenants' union of the Riverside estate: 400 flats, one landlord, and a lot to "
                "talk about. This is a demo organisation: sign in as alice (admin), bob (steward) "
                "or carol, dave, erin… (members), password parrhesia-demo."
            ),
            visibility=Visibility.PUBLIC,
            is_demo=True,
        )
    invitation = None
    for username, _, role in DEMO_PEOPLE:
        user = people[username]
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            continue
        if invitation is None:
            invitation = services.invitation_create(
                user=people["alice"],
                organisation=organisation,
                days_valid=30,
                note="Founding members",
            )
        services.invitation_accept(user=user, token=invitation.token)
        if role != Role.MEMBER:
            membership = Membership.objects.get(organisation=organisation, user=user)
            services.membership_role_change(
                user=people["alice"],
                membership=membership,
                role=role,
                reason="Elected steward at the founding meeting.",
            )
    if not organisation.join_requests.filter(user=applicant).exists():
        services.join_request_create(
            user=applicant,
            organisation=organisation,
            message="I live in block C and would like to join the union.",
        )
    return organisation


def demo_steps() -> list[Callable[[Organisation, dict[str, User]], object]]:
    """Each domain app's ``parrhesia/<app>/demo.py`` may define ``seed(organisation, people)``:
    an idempotent step that adds that domain's realistic content to the demo organisation."""
    import importlib

    from django.apps import apps

    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("parrhesia."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        steps.append(module.seed)
    return steps


def demo_seed() -> Organisation:
    with transaction.atomic():
        demo_check_database()
        organisation = seed_organisation()
        people = {
            user.username: user for user in User.objects.filter(username__in=demo_usernames())
        }
        for step in demo_steps():
            step(organisation, people)
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    assert Membership.objects.filter(
        organisation=organisation, status=MembershipStatus.ACTIVE
    ).count() >= len(DEMO_PEOPLE)
    return organisation
