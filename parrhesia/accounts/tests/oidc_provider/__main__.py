"""Start the test identity provider: ``python -m parrhesia.accounts.tests.oidc_provider``.

Environment: OIDC_PROVIDER_DIR (a folder for its database), OIDC_PROVIDER_USERS (JSON list of
{username, password, name, email, email_verified}), OIDC_PROVIDER_CLIENT_ID,
OIDC_PROVIDER_CLIENT_SECRET, OIDC_PROVIDER_REDIRECT_URIS (space-separated).
"""

import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "parrhesia.accounts.tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DATABASE"] = os.path.join(os.environ["OIDC_PROVIDER_DIR"], "db")
    os.environ["OIDC_PROVIDER_KEY"] = rsa_key_pem()
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0)
    create_users_and_client()
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


def create_users_and_client() -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for user in json.loads(os.environ["OIDC_PROVIDER_USERS"]):
        User.objects.create_user(user["username"], user["email"], user["password"])
    Application.objects.create(
        name="Parrhesia",
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_PROVIDER_REDIRECT_URIS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    sys.exit(main())
