"""Settings for the disclosure-request backend.

Production differs from development only through environment variables; every variable is
documented in README.md. Defaults are the embedded development set-up: a SQLite file and a
filesystem Celery broker under ``var/``, so nothing else needs installing.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _local_secret_key() -> str:
    """A key generated once per checkout, kept out of the repository under var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # A key generated on the fly would differ between the web workers and change on every
        # restart (sessions and password-reset links would break): production must set one.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see README: Configuration)"
        )
    SECRET_KEY = _local_secret_key()
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "django_htmx",
    "cases",
    "reporting",
    "documents",
    "desk",
    "ledger",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cases.middleware.RejectNulInApiUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx: the desk answers htmx's requests with the piece of the page they swap.
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during authentication into the
    # lockout response (cases.authentication.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: IMMEDIATE transactions serialise writers so that the loser of a
    # race re-reads the case instead of overwriting it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# Persistent connections: opening one costs about as much as a whole list page. Checked before
# reuse, so a restarted database server costs one failed check, not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The login throttle counts here: use a shared cache (redis://…) when several web processes run.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "cases.User"
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "cases.authentication.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The clerks' desk: log in at the site's root, then the queue (desk.urls).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:queue"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese always, whatever the browser asks for: there is no LocaleMiddleware, and one language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Our own translations come first: labels of DRF and django-filter that lack a zh_Hans one.
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format on every screen, 2026-11-25 (config/formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Generated files (the year-end annual table exports) go to the default storage here.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Statutory documents, their PDFs, delivery proofs and agencies' templates: personal data, kept
# in a private storage (no URL) and served only through the access-checked API.
DOCUMENTS_ROOT = Path(env.str("DJANGO_DOCUMENTS_ROOT", default=str(MEDIA_ROOT / "documents")))
# LibreOffice makes the PDFs (Debian: libreoffice-writer-nogui, fonts-noto-cjk).
DOCUMENTS_SOFFICE = env.str("DOCUMENTS_SOFFICE", default="soffice")
DOCUMENTS_PDF_TIMEOUT = env.int("DOCUMENTS_PDF_TIMEOUT", default=120)  # seconds

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cases.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cases.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "cases.parsers.JSONObjectParser",
        "cases.parsers.FormParser",
        "cases.parsers.MultiPartParser",
    ],
    "VIEW_NAME_FUNCTION": "config.api_docs.view_name",
    "VIEW_DESCRIPTION_FUNCTION": "config.api_docs.view_description",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "config.api_docs.ChineseBrowsableAPIRenderer",
    ],
    "DATE_INPUT_FORMATS": ["iso-8601"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开申请办理系统 API",
    "DESCRIPTION": "政府信息公开申请（依申请公开）的登记、办理、期限、答复和年度报告接口，"
    "依据《中华人民共和国政府信息公开条例》。认证：先以用户名和密码调用 /api/auth/token/ 取得令牌，"
    "再以请求头“Authorization: Token <令牌>”访问其他接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from the package, not a CDN: offices often sit behind closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.models.CaseState",
        "DeliveryFormEnum": "cases.models.DeliveryForm",
        "FeeBasisEnum": "cases.models.FeeBasis",
        "IdTypeEnum": "cases.models.IdType",
        "ChannelEnum": "cases.models.Channel",
        "PartyKindEnum": "cases.models.PartyKind",
        "OutcomeEnum": "cases.vocabulary.OUTCOME_CHOICES",
        "ApplicantTypeEnum": "cases.vocabulary.APPLICANT_TYPE_CHOICES",
        "AppealKindEnum": "reporting.models.AppealKind",
        "AppealResultEnum": "reporting.models.AppealResult",
        "FigureKindEnum": "reporting.report_layout.FIGURE_KINDS",
        "ReportScopeEnum": "reporting.models.ReportScope",
    },
    # Text inputs that may not be blank say so (minLength 1), as the serializers enforce it.
    "ENFORCE_NON_BLANK_FIELDS": True,
    # config.schema: the error responses of every operation and the bounds of year, date and
    # list filter inputs. Its generator is named so that its extensions load before generation.
    "DEFAULT_GENERATOR_CLASS": "config.schema.SchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_errors",
        "config.schema.chinese_descriptions",
        "config.schema.case_representation_fields",
    ],
}

# Mail: EMAIL_URL such as smtp://user:pass@host:587/?tls=True or smtp+ssl://...; the
# development default prints mails to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="政府信息公开办理系统 <noreply@localhost>"
)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_SUBJECT_PREFIX = ""

# Celery: a broker that needs no server by default (kombu's filesystem transport).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast (worker control) messages too, or kombu writes them to ./control.
        "control_folder": str(_broker_dir / "control"),
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task whose worker died is redelivered after the visibility timeout (Redis's default is
    # an hour, which would let the 08:30 reminder run slip past the morning). Retries are
    # scheduled with countdowns shorter than this (cases.retry.RETRY_BACKOFF_MAX), so a waiting
    # retry is never redelivered early.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
    }
CELERY_TIMEZONE = TIME_ZONE
# Fail fast when the broker is down: the callers record their work first (an outbox row) and a
# periodic job picks it up, so a request never waits on broker reconnection.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The correction period offered in a correction notice when the handler gives none
# (Art. 30 asks for "a reasonable period"; offices commonly give 15 working days).
CORRECTION_PERIOD_DAYS = env.int("CORRECTION_PERIOD_DAYS", default=15)

# Ledger imports (ledger/): files up to this size; up to this many rows are processed while the
# upload waits, larger ones by the Celery worker with progress.
LEDGER_IMPORT_MAX_BYTES = env.int("LEDGER_IMPORT_MAX_BYTES", default=64 * 1024 * 1024)
LEDGER_IMPORT_INLINE_ROWS = env.int("LEDGER_IMPORT_INLINE_ROWS", default=100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Login throttling (django-axes): a username from one address is locked after AXES_FAILURE_LIMIT
# failures within AXES_COOLOFF_TIME, and unlocked when that time has passed since the last one.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cases.authentication.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cases.authentication.client_ip"
# Log who was locked out from where: clerks' usernames and addresses are what IT staff need.
AXES_SENSITIVE_PARAMETERS = []
AXES_VERBOSE = False  # failures and lockouts are still logged, as warnings
AXES_ENABLE_ADMIN = False  # cases.admin shows lockouts, in Chinese and scoped to the agency
# The token endpoint also answers at most this many logins per client address (429 beyond).
LOGIN_RATE = env.str("DJANGO_LOGIN_RATE", default="20/min")
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# API tokens (django-rest-knox): stored as SHA-512 digests, valid for a fixed time from login
# (DJANGO_TOKEN_TTL_HOURS; no sliding renewal unless DJANGO_TOKEN_SLIDING=true), revoked by
# logout, a password change or deactivation.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("DJANGO_TOKEN_TTL_HOURS", default=8)),
    "AUTO_REFRESH": env.bool("DJANGO_TOKEN_SLIDING", default=False),
    "AUTH_HEADER_PREFIX": "Token",
}

# Production hardening: on by default whenever debug is off; each one can be switched off for a
# plain-HTTP intranet installation (README: Configuration).
_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_SECURE)
# The health check of the container set-up talks plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if _SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=_SECURE):
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=_SECURE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env.str("DJANGO_REFERRER_POLICY", default="same-origin")
X_FRAME_OPTIONS = "DENY"
# Everything is served by this server (offices sit on closed networks): no outside origin.
CONTENT_SECURITY_POLICY = env.str(
    "DJANGO_CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a promise for the whole domain, made by its owner at hstspreload.org, not
    # a default: DJANGO_SECURE_HSTS_PRELOAD=true once the agency's domain is ready for it.
    "security.W021",
]
