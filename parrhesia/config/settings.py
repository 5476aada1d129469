"""Settings for Parrhesia, read from the environment (see README's configuration table).

One module for every deployment: each process is stateless apart from the database and the
configured secrets, so several app servers and task workers can share one PostgreSQL.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from parrhesia.config.environment import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    secret_key,
)
from parrhesia.config.logs import log_format
from parrhesia.config.sso import oidc_app, url_origin

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or env_bool("PARRHESIA_TESTING")
if TESTING:
    # Tests never touch ./var: keys and files go to a throw-away folder of this process's own
    # (an xdist worker's tests must not see another's signing keys appear and disappear).
    os.environ["PARRHESIA_DATA_DIR"] = tempfile.mkdtemp(prefix="parrhesia-test-")
DATA_DIR = data_dir()

DEBUG = env_bool("PARRHESIA_DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("PARRHESIA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PARRHESIA_CSRF_TRUSTED_ORIGINS", [])
# Behind a TLS-terminating proxy, production sets PARRHESIA_SECURE=1.
SECURE = env_bool("PARRHESIA_SECURE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # First, so that its templates (base layout, allauth's layout) override the libraries'.
    "parrhesia.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "parrhesia.kernel",
    "parrhesia.accounts",
    "parrhesia.record",
    "parrhesia.orgs",
    "parrhesia.notifications",
    "parrhesia.agenda",
    "parrhesia.opinion",
    "parrhesia.discussions",
    "parrhesia.decisions",
    "parrhesia.tribunal",
    "parrhesia.api",
    "parrhesia.webhooks",
]

MIDDLEWARE = [
    # First: every response (redirects and errors too) carries its X-Request-ID and is timed.
    "parrhesia.web.middleware.RequestIdMiddleware",
    "parrhesia.web.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "parrhesia.accounts.sso.SsoOnlyMiddleware",
]

ROOT_URLCONF = "parrhesia.config.urls"
WSGI_APPLICATION = "parrhesia.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "parrhesia.notifications.context_processors.notifications",
                "parrhesia.web.context_processors.todo",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite (WAL) is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("PARRHESIA_SQLITE_PATH", str(DATA_DIR / "parrhesia.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
                # on the busy timeout instead of failing with "database is locked" mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # wal_autocheckpoint: the commit that grows the WAL past this many pages copies
                # it back into the database, inside that commit's request. `parrhesia serve`
                # raises it for its web workers so that its task worker, whose commits are no
                # one's request, normally does that work (see docs/benchmarks.md).
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
                    f"PRAGMA wal_autocheckpoint={env_int('PARRHESIA_SQLITE_AUTOCHECKPOINT', 1000)};"
                ),
            },
            # A file, not memory, so that tests can share it between processes as servers do.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
            # Each web worker keeps its connection (no open and PRAGMAs per request): 65 → 85
            # members/s voting over HTTP (docs/benchmarks.md, issue 15).
            "CONN_MAX_AGE": env_int("PARRHESIA_SQLITE_CONN_MAX_AGE", 60),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "parrhesia.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "parrhesia.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "parrhesia.accounts.login_form.LoginForm"}
# Failed log-ins: per client IP, and per account over a short sliding window only, so that an
# attacker can slow down the guessing of one account but never lock its owner out for good (a
# successful password reset clears the account's count: allauth does it). The client IP is
# the one PARRHESIA_TRUSTED_PROXIES vouch for (accounts.client_ip).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# The proxies (addresses or networks) whose X-Forwarded-For is believed; none: REMOTE_ADDR.
PARRHESIA_TRUSTED_PROXIES = env_networks("PARRHESIA_TRUSTED_PROXIES")
# Who may read /metrics (addresses or networks, the client address as for log-ins): by default
# this machine only; anyone else gets a 404 (docs/operations.md, "Metrics").
PARRHESIA_METRICS_ALLOW = env_networks("PARRHESIA_METRICS_ALLOW", ["127.0.0.0/8", "::1"])
# A password alone never changes the account's second factor or e-mail addresses: setting up,
# removing or replacing an authenticator, and adding or changing an address, ask for a code sent
# to an address already verified (or, once set up, the authenticator). Whoever stole a steward's
# password past the grace period cannot set up their own authenticator and act as the steward.
ACCOUNT_REAUTHENTICATION_METHODS = ("code", "mfa")
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Parrhesia"
# Stewards and admins must set up an authenticator app within this many days of taking the
# role; after that their powers wait until they do (accounts.two_factor, orgs.rules).
PARRHESIA_MFA_FOR_STEWARDS = env_bool("PARRHESIA_MFA_FOR_STEWARDS", True)
PARRHESIA_MFA_GRACE_DAYS = env_int("PARRHESIA_MFA_GRACE_DAYS", 14)

# Single sign-on with OpenID Connect (docs/sso.md): PARRHESIA_OIDC_ISSUER, _CLIENT_ID,
# _CLIENT_SECRET, _NAME, _PROVIDER_ID; PARRHESIA_OIDC_ONLY=1 closes the password pages.
PARRHESIA_OIDC_APP = oidc_app(os.environ)
PARRHESIA_OIDC_ONLY = PARRHESIA_OIDC_APP is not None and env_bool("PARRHESIA_OIDC_ONLY", False)
SOCIALACCOUNT_ADAPTER = "parrhesia.accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [PARRHESIA_OIDC_APP] if PARRHESIA_OIDC_APP else [],
    }
}
# An address the provider says it verified logs in to the account that verified it here too
# (accounts.sso); the provider's tokens are not kept, its claims are (SocialAccount.extra_data).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# Rate limits and sessions live in the shared database, never in one process's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "parrhesia_cache",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- E-mail -------------------------------------------------------------------------------
EMAIL_HOST = env_str("PARRHESIA_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("PARRHESIA_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("PARRHESIA_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("PARRHESIA_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("PARRHESIA_EMAIL_USE_TLS", True)
else:
    # Never the console: the server's log would hold reset links and name anonymous reporters.
    EMAIL_BACKEND = "parrhesia.config.outbox.PrivateOutbox"
    EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
DEFAULT_FROM_EMAIL = env_str("PARRHESIA_EMAIL_FROM", "Parrhesia <parrhesia@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ---------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The task worker lowers its own CPU priority by this much (os.nice; 0 = unchanged) and, on
# Linux, runs in the SCHED_IDLE class (PARRHESIA_WORKER_IDLE=0: not), so that analyses and other
# background work never take the CPU from web requests.
TASK_WORKER_NICE = env_int("PARRHESIA_WORKER_NICE", 10)
TASK_WORKER_IDLE = env_bool("PARRHESIA_WORKER_IDLE", True)
# A task RUNNING for longer than this lost its worker (killed mid-task); `parrhesia due` puts it
# back in the queue (kernel.deferred.tasks_stalled_requeue).
TASK_STALLED_MINUTES = env_int("PARRHESIA_TASK_STALLED_MINUTES", 30)
# While votes keep arriving, one conversation's opinion map is recomputed at most once per this
# many seconds (0 = as often as the worker can).
OPINION_ANALYSIS_INTERVAL = env_int("PARRHESIA_OPINION_ANALYSIS_INTERVAL", 5)
# The most options (the status quo included) one ballot may have: each vote on competing
# motions updates an options × options matrix (docs/voting.md, "Bounded cost").
DECISIONS_MAX_OPTIONS = env_int("PARRHESIA_BALLOT_MAX_OPTIONS", 200)
# How long the rendered running count of a version of an open ballot is kept in the shared cache
# (decisions.views.results; a vote makes a new version at once). 0: rendered on every visit.
DECISIONS_RESULTS_CACHE_SECONDS = env_int("PARRHESIA_RESULTS_CACHE_SECONDS", 300)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run (tests, demo).
WHITENOISE_USE_FINDERS = True

# --- Security -----------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PARRHESIA_OIDC_APP:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        url_origin(PARRHESIA_OIDC_APP["settings"]["server_url"])
    )
X_FRAME_OPTIONS = "DENY"
# Joining the HSTS preload list is a one-way decision for the operator (PARRHESIA_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("PARRHESIA_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("PARRHESIA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PARRHESIA_HSTS_PRELOAD", False)
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_NAME = "__Secure-csrftoken"

# --- Parrhesia ----------------------------------------------------------------------------
# The public name of this site, used as the origin of each organisation's record
# (e.g. "parrhesia.example.org/demo").
PARRHESIA_SITE_NAME = env_str("PARRHESIA_SITE_NAME", "localhost")
# Where e-mails link to (their links must be absolute), e.g. "https://parrhesia.example.org".
PARRHESIA_SITE_URL = env_str("PARRHESIA_SITE_URL", f"https://{PARRHESIA_SITE_NAME}")
# The API's rates (docs/api.md): requests a minute per token, and per client address for
# anonymous calls.
PARRHESIA_API_RATE = env_int("PARRHESIA_API_RATE", 600)
PARRHESIA_API_RATE_ANONYMOUS = env_int("PARRHESIA_API_RATE_ANONYMOUS", 120)
PARRHESIA_KEY_DIR = Path(env_str("PARRHESIA_KEY_DIR", str(DATA_DIR / "keys")))
# Webhooks (docs/webhooks.md): deliveries go only to public addresses on ports 80 and 443,
# unless the operator allows private addresses, some networks, or other ports ("*": any).
PARRHESIA_WEBHOOKS_ALLOW_PRIVATE = env_bool("PARRHESIA_WEBHOOKS_ALLOW_PRIVATE", False)
PARRHESIA_WEBHOOKS_ALLOW_NETWORKS = env_networks("PARRHESIA_WEBHOOKS_ALLOW_NETWORKS")
PARRHESIA_WEBHOOKS_PORTS = env_list("PARRHESIA_WEBHOOKS_PORTS", ["80", "443"])
PARRHESIA_WEBHOOKS_TIMEOUT = env_int("PARRHESIA_WEBHOOKS_TIMEOUT", 10)  # seconds

# PARRHESIA_LOG_FORMAT: "text" (default) or "json" (one object a line, for a log collector);
# every line names its request (X-Request-ID) or task (docs/operations.md, "Logs").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "parrhesia.config.logs.JsonFormatter"},
    },
    # Reset, confirmation and invitation links are secrets: logged paths carry "[redacted]".
    "filters": {
        "secret_urls": {"()": "parrhesia.config.logs.SecretUrlFilter"},
        "context": {"()": "parrhesia.config.logs.ContextFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": log_format(),
            "filters": ["secret_urls", "context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("PARRHESIA_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run as soon as they are enqueued (after commit), so tests see their effects.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
