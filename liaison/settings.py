"""Settings for Liaison, configured from the environment.

Every value that differs between a laptop and production is read from an environment
variable; the defaults give the embedded demo (SQLite file, Celery over the filesystem).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIAISON_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The key of the embedded demo (DEBUG=1): public, so never accepted in production (liaison.checks).
DEMO_SECRET_KEY = "insecure-development-key-only-for-the-embedded-demo"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (DEBUG=0): generate one with "
            'python -c "import secrets; print(secrets.token_urlsafe(64))"'
        )
    SECRET_KEY = DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "liaison.apps.AxesConfig",
    "csp",
    "rules",
    "django_prometheus",
    "liaison.apps.LiaisonConfig",
    "cases",
    "reports",
    "meetings",
    "mediation",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "liaison.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "liaison.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liaison.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "liaison.middleware.RequestContextMiddleware",
    "liaison.middleware.RolledBackUploadsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "liaison.replica.PrimaryPinMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"
ASGI_APPLICATION = "liaison.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through the project's templates, so that an empty choice reads "请选择" and not
# "---------" (templates/django/forms/widgets/select_option.html); a filter's empty choice is "全部".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")

# Persistent connections for many workers: CONN_MAX_AGE keeps a connection between requests,
# CONN_HEALTH_CHECKS tests it before reuse so a restarted server or PgBouncer costs one retry, not
# an error page. Behind PgBouncer in transaction mode set DATABASE_DISABLE_SERVER_SIDE_CURSORS=1.
_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
_CONN_HEALTH_CHECKS = env_bool("DATABASE_CONN_HEALTH_CHECKS", _CONN_MAX_AGE > 0)


def _database(url: str) -> dict:
    config: dict = dict(dj_database_url.parse(url, conn_max_age=_CONN_MAX_AGE, conn_health_checks=_CONN_HEALTH_CHECKS))
    if config["ENGINE"].endswith("sqlite3"):
        # Wait for a concurrent writer (web and worker share the file) instead of failing.
        config.setdefault("OPTIONS", {})["timeout"] = 20
    elif config["ENGINE"].endswith("postgresql"):
        if os.environ.get("DATABASE_JIT", "off") == "off":
            # PostgreSQL's JIT compiles the dashboard's large aggregates for 1–1.5 s and saves less
            # than that (bench/figures.py); the portal's other queries are too short to gain from it.
            config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        config["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
    return config


DATABASES = {"default": _database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'liaison.sqlite3'}"))}
# An optional read replica: only views that opt in (liaison.replica.use_replica) read from it.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # Test runs use the primary under the replica's name (a test database has no replication).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["liaison.replica.ReplicaRouter"]
# Seconds after a user's own write during which all their reads go to the primary (longer than
# the replication lag one expects).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "liaison.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend, whose user of a session comes with the scope's token.
    "liaison.backends.UserWithScopeTokenBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# --- File storage: attachments (and anything else saved through FileField) ---------------
# "local" keeps files under MEDIA_ROOT (one host); "s3" puts them in an S3-compatible bucket
# (MinIO, Ceph, a cloud's object storage) that every host reaches. The bucket stays private:
# downloads are streamed by the portal after the scoping check, or (STORAGE_DOWNLOADS=redirect)
# answered with a signed URL that expires after S3_SIGNED_URL_SECONDS.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
STORAGE_DOWNLOADS = os.environ.get("STORAGE_DOWNLOADS", "stream").strip().lower()
S3_SIGNED_URL_SECONDS = int(os.environ.get("S3_SIGNED_URL_SECONDS", "60"))
if STORAGE_BACKEND not in {"local", "s3"}:
    raise RuntimeError("STORAGE_BACKEND must be local or s3")
if STORAGE_DOWNLOADS not in {"stream", "redirect"}:
    raise RuntimeError("STORAGE_DOWNLOADS must be stream or redirect")


def s3_storage_options(bucket: str, *, prefix: str = "") -> dict:
    """Options of django-storages' S3 backend for a private bucket, from the S3_* variables."""
    return {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,  # every URL it hands out is signed
        "querystring_expire": S3_SIGNED_URL_SECONDS,
        "file_overwrite": False,
        "verify": env_bool("S3_VERIFY_TLS", True),
    }


if STORAGE_BACKEND == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": s3_storage_options(os.environ.get("S3_BUCKET", "liaison"), prefix=os.environ.get("S3_PREFIX", "")),
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Sessions and cookies -------------------------------------------------------------
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
# The idle timeout restarts with activity, but the session is written at most once every tenth
# of the timeout (`liaison.middleware.SessionRefreshMiddleware`), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER_SECONDS = max(SESSION_COOKIE_AGE // 10, 1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
# Production hardening: on unless DEBUG (the embedded demo runs over plain http).
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading commits the whole registrable domain to https and is hard to undo: it stays an
# explicit choice, and the deploy check's reminder about it is silenced until it is made.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# --- Content-Security-Policy: no inline script, nothing from outside --------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Login lockout ------------------------------------------------------------------------
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = True
# The client address: behind the proxy, read from X-Forwarded-For past the trusted proxies.
AXES_CLIENT_IP_CALLABLE = "liaison.lockout.client_ip"
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
# Per username from every address: after this many failures within the cool-off time, an address
# the account never logged in from may try once per LOGIN_USER_THROTTLE_SECONDS.
LOGIN_USER_FAILURE_LIMIT = int(os.environ.get("LOGIN_USER_FAILURE_LIMIT", "20"))
LOGIN_USER_THROTTLE_SECONDS = int(os.environ.get("LOGIN_USER_THROTTLE_SECONDS", "60"))

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "liaison.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "liaison.api.exceptions.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "DESCRIPTION": "法院与工商联沟通联系机制平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # What docked systems receive (liaison/api/webhooks.py).
    "WEBHOOKS": ["liaison.api.webhooks.event"],
    # Webhooks are an OpenAPI 3.1 section.
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "liaison.api.schema.declare_generic_answers",
    ],
    # Several models have a "kind" or "status": name each choice set after its own class.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "liaison.choices.OrganizationKind",
        "NotificationKindEnum": "liaison.choices.NotificationKind",
        "ComplaintKindEnum": "cases.choices.ComplaintKind",
        "ComplaintStatusEnum": "cases.choices.ComplaintStatus",
        "EnterpriseSizeEnum": "cases.choices.EnterpriseSize",
        "EnterpriseIndustryEnum": "cases.choices.Industry",
        "ReportKindEnum": "reports.choices.ReportKind",
        "ReportWritableKindEnum": "reports.choices.WRITABLE_KIND_CHOICES",
        "ReportStateEnum": "reports.choices.ReportState",
        "MediatorStatusEnum": "mediation.choices.MediatorStatus",
        "MediationCaseStatusEnum": "mediation.choices.CaseStatus",
        "MediationCaseSourceEnum": "mediation.choices.CaseSource",
        "SpecialtyEnum": "mediation.choices.Specialty",
        "PartyRoleEnum": "mediation.choices.PartyRole",
        "RecommendationKindEnum": "mediation.choices.RecommendationKind",
        "RecommendationStatusEnum": "mediation.choices.RecommendationStatus",
        "CheckupKindEnum": "mediation.choices.CheckupKind",
        "CheckupStatusEnum": "mediation.choices.CheckupStatus",
        "PairingStatusEnum": "mediation.choices.PairingStatus",
        "MeetingKindEnum": "meetings.choices.MeetingKind",
        "MeetingStatusEnum": "meetings.choices.MeetingStatus",
        "AgendaKindEnum": "meetings.choices.AgendaKind",
        "MinutesStatusEnum": "meetings.choices.MinutesStatus",
        "ItemSourceEnum": "meetings.choices.ItemSource",
        "ItemStatusEnum": "meetings.choices.ItemStatus",
        "ItemStateEnum": "meetings.choices.ItemState",
        "DualListStatusEnum": "meetings.choices.DualListStatus",
        "ActivityKindEnum": "meetings.activity_choices.ActivityKind",
        "ActivityStatusEnum": "meetings.activity_choices.ActivityStatus",
        "RegistrationStatusEnum": "meetings.activity_choices.RegistrationStatus",
        "TopicStatusEnum": "reports.research_choices.TopicStatus",
        "UseKindEnum": "reports.research_choices.UseKind",
        "AgreedHowEnum": "reports.research_choices.AgreedHow",
        "IndicatorMonthStateEnum": "meetings.choices.MonthState",
    },
}

# --- The public column of a mechanism (营商环境专栏) -----------------------------------------
# Seconds a built column is served from the cache, and pages one address may ask per minute.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "300"))
PUBLIC_PAGE_RATE_LIMIT = int(os.environ.get("PUBLIC_PAGE_RATE_LIMIT", "60"))

# --- Cache ----------------------------------------------------------------------------------
# Shared by every worker and process when Redis is there (the public column's cache and its
# per-address rate limit must hold across workers); a per-process memory cache otherwise (the
# embedded demo, tests without Redis). CACHE_REDIS_URL may name another Redis database than the
# broker's, so that clearing the cache never touches queued tasks.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "") or REDIS_URL
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "liaison",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "liaison"}}

# --- Celery ---------------------------------------------------------------------------------
CELERY_DATA_DIR = VAR_DIR / "celery"
# The longest time limit of any task (the monthly report's, 1800 s). Redis hands an unacknowledged
# task to another worker after the visibility timeout: it must exceed this, or a long task that is
# still running is started a second time.
CELERY_LONGEST_TASK_SECONDS = 1800
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
if CELERY_VISIBILITY_TIMEOUT <= CELERY_LONGEST_TASK_SECONDS:
    raise RuntimeError("CELERY_VISIBILITY_TIMEOUT must exceed the longest task time limit (1800 s)")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    # Embedded default: a folder on disk is the queue, so no Redis server is needed.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
        "polling_interval": 1.0,
    }
    for _folder in ("queue", "processed", "control"):
        (CELERY_DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Tasks are split into queues by kind so that a flood of emails never delays the reminder sweep:
# <CELERY_QUEUE> (anything unrouted), -email (emails and other channels), -documents (PDF and
# report generation), -sweeps (beat's periodic sweeps). A worker started without -Q consumes all.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "liaison")
CELERY_QUEUES_BY_KIND = {kind: f"{CELERY_TASK_DEFAULT_QUEUE}-{kind}" for kind in ("email", "documents", "sweeps")}
CELERY_TASK_QUEUES = [
    Queue(name, routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, *CELERY_QUEUES_BY_KIND.values())
]
_TASK_KINDS = {
    "liaison.tasks.send_notification_emails": "email",
    "liaison.tasks.send_outbox": "email",
    "liaison.tasks.send_daily_digests": "sweeps",
    "meetings.tasks.send_invitation_emails": "email",
    "reports.tasks.generate_monthly_reports": "documents",
    "liaison.tasks.sweep_reminders": "sweeps",
    "liaison.tasks.extend_working_day_index": "sweeps",
    "liaison.tasks.prune_notifications": "sweeps",
    "liaison.tasks.prune_idempotent_requests": "sweeps",
    "liaison.tasks.write_audit_checkpoint": "sweeps",
    "meetings.tasks.check_cadence": "sweeps",
    "mediation.tasks.sweep_terms": "sweeps",
    "mediation.tasks.sweep_recommendation_terms": "sweeps",
    "reports.tasks.sweep_suggestions": "sweeps",
    "mediation.tasks.remind_sessions": "sweeps",
    "meetings.tasks.remind_meetings": "sweeps",
    "meetings.tasks.remind_activities": "sweeps",
    "reports.tasks.remind_research": "sweeps",
}
CELERY_TASK_ROUTES = {
    task: {"queue": CELERY_QUEUES_BY_KIND[kind], "routing_key": CELERY_QUEUES_BY_KIND[kind]}
    for task, kind in _TASK_KINDS.items()
}
# Exactly one beat schedules, however many run: the others stand by (liaison/beat.py).
BEAT_LOCK_SECONDS = int(os.environ.get("BEAT_LOCK_SECONDS", "60"))
# Touched by beat at every tick (at least every BEAT_LOCK_SECONDS / 3): its health check.
BEAT_HEARTBEAT_FILE = os.environ.get("BEAT_HEARTBEAT_FILE", str(CELERY_DATA_DIR / "beat-heartbeat"))
# How often Celery beat sweeps the reminder rules (seconds).
REMINDER_SWEEP_SECONDS = float(os.environ.get("REMINDER_SWEEP_SECONDS", "300"))
# How often beat sends the pending emails whose queued task was lost (Redis down at commit).
EMAIL_SWEEP_SECONDS = float(os.environ.get("EMAIL_SWEEP_SECONDS", "60"))
# An email claimed for sending longer ago than this (its worker died) is sent again.
EMAIL_SENDING_TIMEOUT_SECONDS = int(os.environ.get("EMAIL_SENDING_TIMEOUT_SECONDS", "900"))
# One email task run sends batches until the queue is empty or this many seconds have passed.
EMAIL_BATCH_SIZE = int(os.environ.get("EMAIL_BATCH_SIZE", "200"))
EMAIL_TIME_BUDGET_SECONDS = float(os.environ.get("EMAIL_TIME_BUDGET_SECONDS", "200"))
# Attempts before an email that the mail server refused for a transient reason is marked failed.
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "5"))
# --- Channels: the outbox of SMS, work-group robots and webhooks (liaison/channels/) --------
# How often beat sends the due outbox rows (those whose queued task was lost, and the retries).
OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))
OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
OUTBOX_TIME_BUDGET_SECONDS = float(os.environ.get("OUTBOX_TIME_BUDGET_SECONDS", "200"))
# Attempts before a row is "failed"; the wait after attempt n is BACKOFF × 2^(n−1), capped.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS", "30"))
OUTBOX_BACKOFF_MAX_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_MAX_SECONDS", "3600"))
OUTBOX_SENDING_TIMEOUT_SECONDS = int(os.environ.get("OUTBOX_SENDING_TIMEOUT_SECONDS", "600"))
CHANNEL_HTTP_TIMEOUT_SECONDS = float(os.environ.get("CHANNEL_HTTP_TIMEOUT_SECONDS", "10"))
# SMS backend, like EMAIL_BACKEND: liaison.channels.sms.FileBackend (files under SMS_FILE_PATH),
# .ConsoleBackend, or .AliyunBackend (Aliyun 短信服务; needs the key, sign name and template codes).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "liaison.channels.sms.FileBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms"))
SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com")
# The provider's approved template code of each notification kind, as JSON: {"overdue": "SMS_123"}.
SMS_TEMPLATE_CODES: dict[str, str] = json.loads(os.environ.get("SMS_TEMPLATE_CODES", "{}") or "{}")
# The answer to an intake POST with an Idempotency-Key is kept this long for its retries, then deleted.
IDEMPOTENCY_RETENTION_HOURS = float(os.environ.get("IDEMPOTENCY_RETENTION_HOURS", "24"))
# Read notifications older than this are deleted by a daily task.
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "180"))

# --- Audit log ------------------------------------------------------------------------------
# The key of the audit chain's HMAC. Keep it outside the database (environment, secret store):
# whoever can rewrite the database but does not hold the key cannot forge a verifying chain.
# Without it a key is derived from SECRET_KEY, with a warning.
AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
# Where the daily signed checkpoint of every chain head is written.
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "liaison@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: personal data is masked before any record is written ------------------------
# LOG_FORMAT=json writes one JSON object per line (for a log collector), each with the request id.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "liaison.logmasking.MaskPersonalDataFilter"},
        "request_id": {"()": "liaison.observability.RequestIdFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "liaison.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data", "request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
# With JSON logs Celery keeps Django's handlers, so worker and beat lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# --- Metrics and error reporting -------------------------------------------------------------
# /metrics answers only a bearer METRICS_TOKEN or a peer address inside METRICS_ALLOWED_NETWORKS
# (comma-separated CIDRs, e.g. the Prometheus host); with neither set it answers nobody.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "")
PROMETHEUS_EXPORT_MIGRATIONS = False
if os.environ.get("SENTRY_DSN"):
    from liaison.observability import init_sentry

    init_sentry()

SITE_NAME = os.environ.get("SITE_NAME", "沟通联系机制平台")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The demo loads twelve months of complaint history (cases/demo_history.py); tests that do not
# need a past turn it off (pytest.ini).
DEMO_HISTORY = env_bool("LIAISON_DEMO_HISTORY", True)
# Licensed 仿宋 / 小标宋 / 黑体 / 楷体 font files for the printed documents (liaison/pdf.py); empty: Noto.
PDF_FONT_DIR = os.environ.get("PDF_FONT_DIR", "")
ATTACHMENT_MAX_MB = int(os.environ.get("ATTACHMENT_MAX_MB", "20"))
# Request bodies other than file uploads (form fields, JSON): 2 MB is far above any real form.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
# A JSON body to the API (the largest real one, a batch transfer, is a few KB).
JSON_MAX_BYTES = int(os.environ.get("JSON_MAX_BYTES", str(1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
