"""Settings for wellbeing, read from the environment.

With nothing set this is the embedded default a newcomer gets from `make run`: SQLite, Celery
tasks run in-process, email printed to the console, DEBUG on. Production sets the variables in
the README's configuration table. A malformed value stops start-up with a message naming the
variable, because a half-configured care system is worse than one that refuses to start.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _read(name: str, cast, default):
    """Read one variable, naming it when its value cannot be understood."""
    try:
        return env(name, cast=cast, default=default) if cast else env(name, default=default)
    except (ValueError, TypeError, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{name} has an invalid value: {exc}") from exc


def _read_url(name: str, default: str, schemes: set[str]) -> str:
    value = _read(name, str, default)
    if value and urlsplit(value).scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of {sorted(schemes)}, got {value!r}"
        )
    return value


DEBUG = _read("DEBUG", bool, True)
SECRET_KEY = _read("SECRET_KEY", str, "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = _read("ALLOWED_HOSTS", list, ["127.0.0.1", "localhost", "testserver"])
SITE_URL = _read_url("SITE_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip("/")
TIME_ZONE = _read("TIME_ZONE", str, "Europe/London")
if TIME_ZONE not in available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE is not a known time zone: {TIME_ZONE!r}")
ORGANISATION_NAME = _read("ORGANISATION_NAME", str, "Wellbeing Teams")

# Tests that need a real service fail instead of skipping when this is set (CI sets it).
REQUIRE_SERVICES = _read("REQUIRE_SERVICES", bool, False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wellbeing",
    "wellbeing.accounts",
    "wellbeing.notifications",
    "values",
    "teams",
    "recruitment",
    "outcomes",
    "blog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wellbeing.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wellbeing.accounts.middleware.RequireMFAMiddleware",
    "wellbeing.once.SubmitOnceMiddleware",
    "wellbeing.unsent.UnsentFormMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wellbeing.middleware.FriendlyErrorsMiddleware",
]

ROOT_URLCONF = "wellbeing.urls"
WSGI_APPLICATION = "wellbeing.wsgi.application"
ASGI_APPLICATION = "wellbeing.asgi.application"

# Every template may show a time, so the filters that write one are available everywhere.
_TEMPLATE_BUILTINS = ["wellbeing.templatetags.times"]
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
                "csp.context_processors.nonce",
                "wellbeing.navigation.navigation",
                "wellbeing.unsent.unsent_form",
            ],
            "builtins": _TEMPLATE_BUILTINS,
        },
    },
    {
        # Plain-text emails: the same templates, not HTML-escaped ("O'Neill", not "O&#x27;Neill").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": _TEMPLATE_BUILTINS},
    },
]
FORM_RENDERER = "wellbeing.forms.NHSFormRenderer"

# --- Data -----------------------------------------------------------------------------------
try:
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    }
except (ValueError, environ.ImproperlyConfigured, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL has an invalid value: {exc}") from exc
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}:
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = _read("CONN_MAX_AGE", int, 60)
    # Survive a PostgreSQL restart: a stale persistent connection is tested before reuse.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _read_url("REDIS_URL", "", {"redis", "rediss"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wellbeing",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
ACCOUNT_ADAPTER = "wellbeing.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Accounts are by invitation: a reset asked for an unknown address sends nothing to it.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme
# Wrong passwords and wrong second-step codes are limited by address first, then per account.
# One address never gets enough tries to lock an account (20 an hour, where the account allows
# 30 in 15 minutes), so nobody can lock a colleague out by typing wrong codes; an attack from
# many addresses pauses the account for at most LOGIN_PAUSE_MINUTES after it stops, and a
# password reset lifts the pause on passwords at once. Right answers do not count. The counters
# live in the shared cache (wellbeing.accounts.checks): per process, they multiply by workers.
LOGIN_PAUSE_MINUTES = 15
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"5/m/ip,20/h/ip,30/{LOGIN_PAUSE_MINUTES}m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
# Behind a load balancer every request comes from its address; the rate limits above need the
# visitor's own. Set this to the number of proxies in front of the app that add X-Forwarded-For.
TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", int, 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = ORGANISATION_NAME
MFA_FORMS = {"activate_totp": "wellbeing.accounts.forms.ActivateTOTPForm"}
INVITATION_VALID_FOR = timedelta(days=_read("INVITATION_VALID_DAYS", int, 7))
# API tokens skip the second step when used, so they are made only after it, and expire.
API_TOKEN_VALID_FOR = timedelta(days=_read("API_TOKEN_VALID_DAYS", int, 90))

# --- Email ----------------------------------------------------------------------------------
EMAIL_URL = _read_url("EMAIL_URL", "", {"smtp", "smtps", "submission", "consolemail"})
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _read("EMAIL_HOST", str, "")
    EMAIL_PORT = _read("EMAIL_PORT", int, 25)
    EMAIL_HOST_USER = _read("EMAIL_HOST_USER", str, "")
    EMAIL_HOST_PASSWORD = _read("EMAIL_HOST_PASSWORD", str, "")
    EMAIL_USE_TLS = _read("EMAIL_USE_TLS", bool, False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", str, "wellbeing@localhost")
# Where the privacy notice sends questions and requests about personal data.
PRIVACY_CONTACT_EMAIL = _read("PRIVACY_CONTACT_EMAIL", str, DEFAULT_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker the product still works: tasks run in-process once the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = _read("CELERY_QUEUE", str, "wellbeing")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer must not hold up the request that queued an email for long:
# the row is already saved, and the beat task sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "outbox-requeue": {
        "task": "wellbeing.notifications.tasks.outbox_requeue",
        "schedule": timedelta(minutes=1),
    },
    "outbox-purge-sent": {
        "task": "wellbeing.notifications.tasks.outbox_purge_sent",
        "schedule": crontab(hour=3, minute=17),
    },
}
OUTBOX_MAX_ATTEMPTS = _read("OUTBOX_MAX_ATTEMPTS", int, 8)
# A send task claims up to this many due emails and sends them over one SMTP connection; the
# whole batch must go out well within the task's time limit, so keep it modest for a slow relay.
OUTBOX_BATCH_SIZE = _read("OUTBOX_BATCH_SIZE", int, 100)
if not 1 <= OUTBOX_BATCH_SIZE <= 1000:
    raise ImproperlyConfigured("OUTBOX_BATCH_SIZE must be between 1 and 1000")
# For relays that throttle: at most this many emails handed to the mail server in any minute,
# by all workers together. 0 means no limit.
OUTBOX_MAX_PER_MINUTE = _read("OUTBOX_MAX_PER_MINUTE", int, 0)
if OUTBOX_MAX_PER_MINUTE < 0:
    raise ImproperlyConfigured("OUTBOX_MAX_PER_MINUTE must be 0 (no limit) or more")
OUTBOX_SENDING_TIMEOUT = timedelta(minutes=5)
OUTBOX_KEEP_SENT = timedelta(days=_read("OUTBOX_KEEP_SENT_DAYS", int, 90))
# Emails with private links keep their text after sending only in development, where the
# outbox is how a newcomer follows them.
OUTBOX_KEEP_SENSITIVE_BODIES = _read("OUTBOX_KEEP_SENSITIVE_BODIES", bool, DEBUG)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The token first, so a request without credentials is told how to give them (401).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wellbeing.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "wellbeing.accounts.permissions.MFASatisfied",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "wellbeing.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "wellbeing.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
    # Every app's broken rules (DomainError) answer 400/409 the same way.
    "EXCEPTION_HANDLER": "wellbeing.api.exception_handler",
    # The browsable API is a developer's tool; in production the API speaks JSON only.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wellbeing API",
    "DESCRIPTION": "Self-managed care teams: teams, people supported, rota, recruitment.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CommunicationChannelEnum": "recruitment.models.Candidate.Channel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wellbeing.api.schema_add_error_responses",
    ],
}

# --- Static files and front end -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico, /apple-touch-icon.png).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

LANGUAGE_CODE = "en-gb"
USE_I18N = True
# Our own wording of allauth's pages (sentence case, "two-step sign-in"), as an en-GB catalogue.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = _read("SECURE_SSL_REDIRECT", bool, True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", int, 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # NONCE (django-csp's constant, not the string 'nonce') issues one per response.
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # allauth shows the authenticator QR code as a data: image.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOG_LEVEL = _read("LOG_LEVEL", str, "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"refusals_in_one_line": {"()": "wellbeing.logs.RefusalsInOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refusals_in_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler would print every message a second time.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "wellbeing.views.csrf_failure"

# --- Recruitment ----------------------------------------------------------------------------
# One reminder, this many days after the survey invitation, if it is not completed.
SURVEY_REMINDER_AFTER_DAYS = _read("SURVEY_REMINDER_AFTER_DAYS", int, 7)
SURVEY_LINK_VALID_DAYS = _read("SURVEY_LINK_VALID_DAYS", int, 60)
# Survey results are shown only where at least this many responses exist (k-anonymity).
SURVEY_MIN_RESPONSES = _read("SURVEY_MIN_RESPONSES", int, 3)
if SURVEY_MIN_RESPONSES < 2:
    raise ImproperlyConfigured("SURVEY_MIN_RESPONSES must be at least 2 to keep answers anonymous")
# Unsuccessful candidates' personal data is erased this many months after the round closes.
RECRUITMENT_RETENTION_MONTHS = _read("RECRUITMENT_RETENTION_MONTHS", int, 6)
CELERY_BEAT_SCHEDULE.update(
    {
        "survey-reminders": {
            "task": "recruitment.tasks.survey_send_reminders",
            "schedule": crontab(minute=5),
        },
        "recruitment-retention": {
            "task": "recruitment.tasks.recruitment_erase_expired",
            "schedule": crontab(hour=2, minute=30),
        },
    }
)

# --- Rota -----------------------------------------------------------------------------------
# How long "Suggest" lets the solver search (seconds), and on how many threads.
ROTA_SUGGEST_SECONDS = _read("ROTA_SUGGEST_SECONDS", float, 10.0)
ROTA_SUGGEST_WORKERS = _read("ROTA_SUGGEST_WORKERS", int, 2)
# Regular visits are made this many days ahead, every night.
ROTA_GENERATE_AHEAD_DAYS = _read("ROTA_GENERATE_AHEAD_DAYS", int, 28)
CELERY_BEAT_SCHEDULE["rota-generate-ahead"] = {
    "task": "teams.rota.tasks.visits_generate_ahead",
    "schedule": crontab(hour=3, minute=40),
}
# --- Teams: roles, check-ins, the pulse, decisions -------------------------------------------
# The team hears once that a role's term is due for review, this many days before the date.
ROLE_REVIEW_NOTICE_DAYS = _read("ROLE_REVIEW_NOTICE_DAYS", int, 14)
CELERY_BEAT_SCHEDULE.update(
    {
        "teams-role-review-reminders": {
            "task": "teams.tasks.role_send_review_reminders",
            "schedule": crontab(hour=7, minute=10),
        },
    }
)
# The coach and the team hear of a planned check-in this many days before it.
CHECKIN_REMINDER_DAYS_BEFORE = _read("CHECKIN_REMINDER_DAYS_BEFORE", int, 2)
CELERY_BEAT_SCHEDULE.update(
    {
        "teams-checkin-reminders": {
            "task": "teams.tasks.checkin_send_reminders",
            "schedule": crontab(hour=7, minute=20),
        },
    }
)
# Pulse results are published only when at least this many members answered (k-anonymity).
PULSE_MIN_RESPONSES = _read("PULSE_MIN_RESPONSES", int, 3)
if PULSE_MIN_RESPONSES < 2:
    raise ImproperlyConfigured("PULSE_MIN_RESPONSES must be at least 2 to keep answers anonymous")
# A pulse stays open this many days; the one reminder goes to those yet to answer after this many.
PULSE_OPEN_DAYS = _read("PULSE_OPEN_DAYS", int, 7)
PULSE_REMINDER_AFTER_DAYS = _read("PULSE_REMINDER_AFTER_DAYS", int, 3)
CELERY_BEAT_SCHEDULE.update(
    {
        "teams-pulse-open": {
            "task": "teams.tasks.pulse_open_due",
            "schedule": crontab(minute=15),
        },
        "teams-pulse-remind": {
            "task": "teams.tasks.pulse_send_reminders",
            "schedule": crontab(minute=25),
        },
        "teams-pulse-close": {
            "task": "teams.tasks.pulse_close_due",
            "schedule": crontab(minute=35),
        },
    }
)
# A team bigger than this is flagged on the coach's dashboard: time to split (Buurtzorg's 12).
TEAM_SIZE_LIMIT = _read("TEAM_SIZE_LIMIT", int, 12)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ActionStatusEnum": "teams.checkins.models.Action.Status",
        "DecisionStatusEnum": "teams.decisions.models.Decision.Status",
    }
)
# --- Outcomes -------------------------------------------------------------------------------
# People supported and their family, signed in to their own record, are kept to it on every
# page and API route (outcomes/own_record.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("simple_history.middleware.HistoryRequestMiddleware"),
    "outcomes.own_record.OwnRecordOnlyMiddleware",
)
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"].append("outcomes.own_record.OwnRecordOnlyPermission")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "PersonStatusEnum": "teams.models.Person.Status",
        "OutcomeStatusEnum": "outcomes.models.Outcome.Status",
        "SuggestionStatusEnum": "outcomes.models.Suggestion.Status",
    }
)
# --- Blog -----------------------------------------------------------------------------------
# Pictures go through Django's storage API: a local folder (served by the app) by default, or
# S3-compatible object storage, which several web machines share, when a bucket is named.
# MEDIA_URL is then the bucket's public address; pictures are allowed from there by the CSP.
MEDIA_URL = _read_url("MEDIA_URL", "", {"http", "https"}) or "/media/"
if not MEDIA_URL.endswith("/"):
    MEDIA_URL += "/"
MEDIA_ROOT = Path(_read("MEDIA_ROOT", str, str(BASE_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = _read("AWS_STORAGE_BUCKET_NAME", str, "")
MEDIA_SERVED_BY_APP = not AWS_STORAGE_BUCKET_NAME and MEDIA_URL.startswith("/")
if AWS_STORAGE_BUCKET_NAME:
    _media = urlsplit(MEDIA_URL)
    if not _media.netloc:
        raise ImproperlyConfigured(
            "MEDIA_URL must be the bucket's public address (https://...) when "
            "AWS_STORAGE_BUCKET_NAME is set"
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _read("AWS_S3_ENDPOINT_URL", str, "") or None,
            "region_name": _read("AWS_S3_REGION_NAME", str, "") or None,
            "access_key": _read("AWS_ACCESS_KEY_ID", str, "") or None,
            "secret_key": _read("AWS_SECRET_ACCESS_KEY", str, "") or None,
            # Public pictures at stable addresses: MEDIA_URL followed by the file's name.
            "custom_domain": (_media.netloc + _media.path).rstrip("/"),
            "url_protocol": f"{_media.scheme}:",
            "querystring_auth": False,
            "file_overwrite": False,
            # Every stored picture has a new name, so browsers may keep it for good.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
if urlsplit(MEDIA_URL).netloc:
    _media_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
        _media_origin,
    ]
BLOG_IMAGE_MAX_BYTES = _read("BLOG_IMAGE_MAX_MB", int, 8) * 1024 * 1024
# Checked from the file's header before decoding: a small file claiming more is refused.
BLOG_IMAGE_MAX_PIXELS = 40_000_000
# The public comment form: seconds a person needs at least, how long the page may stay open,
# and how many attempts per client address and per email address, as (most, seconds).
BLOG_COMMENT_MIN_SECONDS = _read("BLOG_COMMENT_MIN_SECONDS", int, 4)
BLOG_COMMENT_FORM_MAX_AGE = 2 * 24 * 3600
BLOG_COMMENT_MIN_LENGTH = 2
BLOG_COMMENT_MAX_LINKS = 2
BLOG_COMMENT_LIMITS_PER_IP = [(5, 600), (30, 24 * 3600)]
BLOG_COMMENT_LIMITS_PER_EMAIL = [(3, 600), (10, 24 * 3600)]
BLOG_COMMENTER_CONFIRM_DAYS = 7
BLOG_REJECTED_COMMENTS_KEEP_DAYS = _read("BLOG_REJECTED_COMMENTS_KEEP_DAYS", int, 30)
# Anonymous readers' pages: kept rendered in the cache (retired at once by any change), and
# kept by browsers this long before they revalidate with a conditional request.
BLOG_PAGE_CACHE_SECONDS = 600
BLOG_BROWSER_CACHE_SECONDS = _read("BLOG_BROWSER_CACHE_SECONDS", int, 60)
CELERY_BEAT_SCHEDULE.update(
    {
        "blog-publish-due": {
            "task": "blog.tasks.posts_publish_due_task",
            "schedule": timedelta(minutes=1),
        },
        "blog-purge-rejected-comments": {
            "task": "blog.tasks.comments_purge_rejected_task",
            "schedule": crontab(hour=3, minute=50),
        },
    }
)
