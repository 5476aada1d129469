"""Shared test fixtures: the personas every test speaks of.

- alice: admin of Riverside (members-only)        - bob: steward of Riverside
- carol: member of Riverside                      - dave: member of Harbour, another organisation
- erin: an outsider with an account and no membership
"""

from __future__ import annotations

from pathlib import Path

import pytest

# Fixtures several apps share (an app's tests never import another app's conftest).
pytest_plugins = ["tests.fixtures.agenda", "tests.fixtures.tribunal", "tests.fixtures.decisions"]

REPO_ROOT = Path(__file__).resolve().parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The team's shared data folder (../shared/data), or a skip saying why it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the team's shared data is not at {SHARED_DATA} (it lives beside the repo)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _english():
    """Every test starts in English: a test that switches the language (a French page, a French
    e-mail) must not change the words another test of the same worker reads."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


def _person(username: str, display_name: str):
    from allauth.account.models import EmailAddress

    from parrhesia.accounts.models import User

    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="correct horse battery",
        display_name=display_name,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def alice(db):
    return _person("alice", "Alice Admin")


@pytest.fixture
def bob(db):
    return _person("bob", "Bob Steward")


@pytest.fixture
def carol(db):
    return _person("carol", "Carol Member")


@pytest.fixture
def dave(db):
    return _person("dave", "Dave Elsewhere")


@pytest.fixture
def erin(db):
    return _person("erin", "Erin Outsider")


@pytest.fixture
def riverside(alice, bob, carol):
    """A members-only organisation: alice admin, bob steward, carol member."""
    from parrhesia.orgs import services
    from parrhesia.orgs.models import Membership, Role

    organisation = services.organisation_create(
        user=alice, name="Riverside Tenants", slug="riverside"
    )
    invitation = services.invitation_create(user=alice, organisation=organisation)
    for person in (bob, carol):
        services.invitation_accept(user=person, token=invitation.token)
    services.membership_role_change(
        user=alice,
        membership=Membership.objects.get(organisation=organisation, user=bob),
        role=Role.STEWARD,
        reason="Elected at the general meeting.",
    )
    return organisation


@pytest.fixture
def harbour(dave):
    from parrhesia.orgs import services

    return services.organisation_create(user=dave, name="Harbour Co-op", slug="harbour")


@pytest.fixture
def personas(alice, bob, carol, dave, erin, riverside, harbour):
    return {"admin": alice, "steward": bob, "member": carol, "other_member": dave, "outsider": erin}
