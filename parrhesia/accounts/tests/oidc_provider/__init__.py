"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in OIDC mode,
a Django project of its own, run in a process of its own (``python -m`` this package).

It plays the union's Keycloak: its own SQLite database in a temporary folder, an RSA key made at
start, the users given in ``OIDC_PROVIDER_USERS`` (JSON), one confidential client with PKCE
required. It prints ``ready <port>`` once it listens on a free 127.0.0.1 port.
"""
