import pytest

from parrhesia.accounts.tests.identity_provider import identity_provider_running


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    """A real OpenID Connect provider in its own process (identity_provider.py)."""
    with identity_provider_running(tmp_path_factory.mktemp("identity-provider")) as provider:
        yield provider
