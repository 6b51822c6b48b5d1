"""Settings for I2I Cohorts, read from environment variables.

The defaults run the product locally with no services: a SQLite file, Celery
tasks run in-process, email printed to the console, DEBUG on. Production sets
the variables documented in README.md ("Configuration").
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.getenv(name, default)


DEBUG = envbool("DEBUG", True)

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# The most a form may send (bytes). The longest form, a reflective account, is at most
# about 0.7 MB; anything larger is refused with a clear page (i2i.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# How many proxies of ours stand in front of the product, each appending the address it saw
# to X-Forwarded-For (0: none, the connection's address is the client's). The audit trail
# and allauth's sign-in limits read the client's address the same way (i2i/proxies.py).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The address people reach the product at, for links in emails sent from Celery.
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who to call about a safeguarding concern (issue #20): shown on the concern form and page.
# The default is fictional (a reserved number and domain), for the demo.
SAFEGUARDING_CONTACT = os.getenv(
    "SAFEGUARDING_CONTACT", "Safeguarding lead, 0113 496 0000, safeguarding@example.org"
)
# The largest register file (ODS or CQC CSV) the upload page takes, in bytes.
REGISTERS_UPLOAD_MAX_BYTES = envint("REGISTERS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

INSTALLED_APPS = [
    "i2i.admin_site.I2IAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_htmx",
    "i2i",
    "participants",
    "placements",
    "reflections",
    "improvements",
    "evaluation",
    "programme",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "i2i.security.NoStoreForSignedInMiddleware",
    "i2i.security.RefuseControlCharactersMiddleware",
    "i2i.security.RequestSizeLimitMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "i2i.audit.AuditContextMiddleware",
    "i2i.security.HtmxSignInMiddleware",
    "i2i.security.SessionTimeoutMiddleware",
    "i2i.security.RequireSecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "i2i.urls"
WSGI_APPLICATION = "i2i.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "i2i.context_processors.roles",
            ],
        },
    },
]

# Database: a SQLite file by default; DATABASE_URL (postgres://…) in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query whose estimated cost passes `jit_above_cost` to machine
    # code first. The dashboard's one query of 5,000 participants (subqueries the planner
    # prices high but that read nothing) spent 52 of its 100 ms compiling, every request.
    # Pages read many rows in few queries and never run long analytics: JIT off, per
    # connection (a setting any database user may change).
    # Added to any options DATABASE_URL carries (`?options=-c search_path=…`). A pooler
    # that refuses startup options needs `ALTER ROLE … SET jit = off` instead
    # (docs/operations.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.getenv("REDIS_URL", "")

if REDIS_URL:
    # The cache only speeds things up (and counts sign-in attempts): with its Redis down, it
    # misses quickly and logs, and every page keeps working (django-redis IGNORE_EXCEPTIONS).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "i2i",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# People sign in with their email address; the user model has no username.
AUTH_USER_MODEL = "participants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "participants.backends.ProgrammeManagerBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "participants.forms.SignupForm"
ACCOUNT_FORMS = {
    "login": "participants.account_forms.LoginForm",
    "signup": "participants.account_forms.SignupForm",
    "reset_password": "participants.account_forms.ResetPasswordForm",
    "reset_password_from_key": "participants.account_forms.ResetPasswordKeyForm",
    "reauthenticate": "participants.account_forms.ReauthenticateForm",
    "request_login_code": "participants.account_forms.RequestLoginCodeForm",
    "confirm_login_code": "participants.account_forms.ConfirmLoginCodeForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.getenv("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_USER_DISPLAY = "participants.models.user_display"
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[I2I Cohorts] "
# Sign-in by an emailed code (issue #20): host people get no password (placements/hosting.py
# invites them); anyone else may use it too. Ten minutes, as NHSmail can be slow to deliver.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = envint("ACCOUNT_LOGIN_BY_CODE_TIMEOUT", 10 * 60)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The programme manager and education leads must set up an authenticator app (on by
# default in production; off for local demos unless set).
MFA_REQUIRED_FOR_ROLES = envbool("MFA_REQUIRED_FOR_ROLES", not DEBUG)
# Records of people whose every cohort ended longer ago than this are anonymised by
# `manage.py anonymise_expired` (run it monthly); see the privacy notice.
RETENTION_YEARS = envint("RETENTION_YEARS", 6)
# Sessions end after this long idle, and after this long in all.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
MFA_TOTP_ISSUER = "I2I Cohorts"


# Single sign-on through OpenID Connect (docs/operations.md, "Single sign-on"): each provider
# offered on the sign-in page is one app here, never a database row. OIDC_PROVIDERS (or the
# file OIDC_PROVIDERS_FILE names) is a JSON list of {"id", "name", "server_url", "client_id",
# "secret", optionally "verified_domains"}; ENTRA_TENANT, ENTRA_CLIENT_ID and
# ENTRA_CLIENT_SECRET add Microsoft Entra ID (NHSmail included). None set: the sign-in page
# offers email and password only.
def oidc_apps() -> list[dict]:
    try:
        providers = json.loads(envsecret("OIDC_PROVIDERS") or "[]")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS is not valid JSON: {error}") from None
    if os.getenv("ENTRA_TENANT"):
        providers.append(
            {
                "id": "entra",
                "name": os.getenv("ENTRA_NAME", "Microsoft (NHSmail or your organisation)"),
                "server_url": f"https://login.microsoftonline.com/{os.environ['ENTRA_TENANT']}/v2.0",
                "client_id": os.getenv("ENTRA_CLIENT_ID", ""),
                "secret": envsecret("ENTRA_CLIENT_SECRET"),
                "verified_domains": envlist("ENTRA_VERIFIED_DOMAINS"),
            }
        )
    apps = []
    for provider in providers:
        needed = ("id", "name", "server_url", "client_id", "secret")
        missing = [key for key in needed if not provider.get(key)]
        if missing:
            name = provider.get("id", "?")
            raise ImproperlyConfigured(f"single sign-on provider {name!r} lacks {missing}")
        apps.append(
            {
                "provider_id": provider["id"],
                "name": provider["name"],
                "client_id": provider["client_id"],
                "secret": provider["secret"],
                "settings": {
                    "server_url": provider["server_url"],
                    "oauth_pkce_enabled": True,
                    # An address counts as verified only when the provider says so
                    # (`email_verified`), or, for a provider that never sends that claim
                    # (Entra ID), when it is in a domain the organisation's tenant owns.
                    "verified_email": provider.get("verified_domains") or False,
                    "email_authentication": True,
                },
            }
        )
    return apps


def sso_origins(providers: dict) -> list[str]:
    """The origins of the providers' sign-in pages (Entra ID's authorisation endpoint shares
    its origin with the tenant's `server_url`)."""
    return sorted(
        {
            "{0.scheme}://{0.netloc}".format(urlsplit(app["settings"]["server_url"]))
            for app in providers["openid_connect"]["APPS"]
        }
    )


SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_apps()}}
SOCIALACCOUNT_ADAPTER = "participants.adapters.SocialAccountAdapter"
# A verified address from the provider signs in the account that has it, and links the two
# (participants.adapters.SocialAccountAdapter refuses an unverified one first).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["i2i.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: printed to the console unless EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "I2I Cohorts <no-reply@i2i.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# An email the mail server could not take is tried again five times, waiting about twice as
# long each time, at most this many seconds (then its Notification is marked failed).
EMAIL_RETRY_BACKOFF_MAX = envint("EMAIL_RETRY_BACKOFF_MAX", 600)

# Celery: with no REDIS_URL, tasks run eagerly in the web process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No result backend: nothing reads a task's result (jobs keep their state in the database),
# and publishing a task must not depend on a second connection that can fail.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# At-least-once: a task is acknowledged when it finishes, and goes back on the queue if its
# worker dies; tasks are idempotent, so running one twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task to another worker after the visibility timeout, so the
# hard time limit must be shorter, or a slow task would run twice at once.
CELERY_BROKER_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 660)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    # A dead Redis must not hang a web request: give up connecting after about 2 seconds.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# PDFs on their own queue (run a worker with `-Q pdf --concurrency 1
# --max-memory-per-child 600000`), so exports never starve emails and page traffic.
PDF_QUEUE = os.getenv("PDF_QUEUE", "pdf")
# Tasks live beside their work (`i2i.emails`, `i2i.jobs`, `programme.reminders`); the worker
# imports those modules. Their names stay `i2i.tasks.*`, as queued messages carry them.
CELERY_IMPORTS = ("i2i.emails", "i2i.jobs", "programme.reminders")
# A document's parts go to the same queue, so every PDF worker can take a share of a pack.
CELERY_TASK_ROUTES = {
    "i2i.tasks.run_job": {"queue": PDF_QUEUE},
    "i2i.tasks.render_job_part": {"queue": PDF_QUEUE},
}
# WeasyPrint lays out a whole pack before writing it (about 2.5 MB per participant): a
# worker process that has grown past this is replaced after its task (in KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000)
CELERY_TIMEZONE = TIME_ZONE
# Workers run this much below the web in CPU priority (`nice`): a pack being laid out takes
# what the pages leave. Their pool processes inherit it.
WORKER_NICENESS = envint("WORKER_NICENESS", 10)
# Reminders go out each weekday morning; sending is idempotent, so a missed or repeated run
# neither loses nor duplicates a reminder.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "i2i.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "requeue-stuck-jobs": {
        "task": "i2i.tasks.requeue_stuck_jobs",
        "schedule": 120.0,
    },
    "sweep-register-uploads": {
        "task": "participants.sweep_register_uploads",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Content-Security-Policy: nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The "Continue" form of single sign-on redirects to the provider's sign-in page.
        "form-action": ["'self'", *sso_origins(SOCIALACCOUNT_PROVIDERS)],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # In-process (eager) tasks would log a line per email sent; a worker logs its own.
    "loggers": {
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # pikepdf says once, at INFO, that its C++ logging is bridged: noise in every command.
        "pikepdf": {"level": "WARNING"},
    },
}
