"""Django settings, read from the environment (see ``.env.example``).

``MAATWERK_ENV`` selects a profile: ``development`` (default; SQLite under ``var/``,
a generated secret key), ``production`` (every secret from the environment, HTTPS-only
cookies and HSTS; passes ``check --deploy``) or ``test`` (the test overlay).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from maatwerk.web.config.env import Env, SettingError

env = Env()

MAATWERK_ENV = env.choice("MAATWERK_ENV", ("development", "production", "test"), "development")
PRODUCTION = MAATWERK_ENV == "production"

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.string("MAATWERK_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _development_secret_key() -> str:
    # A development machine gets its own random key, kept beside its database, so no
    # secret ever lives in the source code.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


if PRODUCTION:
    SECRET_KEY = env.string("MAATWERK_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise SettingError("MAATWERK_SECRET_KEY must be at least 50 characters long")
else:
    SECRET_KEY = env.raw("MAATWERK_SECRET_KEY") or _development_secret_key()

DEBUG = env.boolean("MAATWERK_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise SettingError("MAATWERK_DEBUG cannot be true in production")

ALLOWED_HOSTS = env.strings(
    "MAATWERK_ALLOWED_HOSTS", () if PRODUCTION else ("127.0.0.1", "localhost", "[::1]")
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise SettingError("MAATWERK_ALLOWED_HOSTS must list the host names of this installation")
CSRF_TRUSTED_ORIGINS = env.strings("MAATWERK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "maatwerk.web.accounts.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth's "your sessions" page formats its dates with humanize.
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "csp",
    "maatwerk.web.common",
    "maatwerk.web.accounts",
    "maatwerk.web.organizations",
    "maatwerk.web.patients",
    "maatwerk.web.audit",
    "maatwerk.web.questionnaires",
    "maatwerk.web.safety",
    "maatwerk.web.personalized",
    "maatwerk.web.knowledge",
    "maatwerk.web.screening",
    "maatwerk.web.formulation",
    "maatwerk.web.planning",
    "maatwerk.web.safetyplan",
    "maatwerk.web.treatment",
    "maatwerk.web.providers",
    "maatwerk.web.analysis",
    "maatwerk.web.portal",
    "maatwerk.web.ownresults",
    "maatwerk.web.clinic",
    "maatwerk.web.orgadmin",
    "maatwerk.web.api",
    "maatwerk.web.demo",
    "maatwerk.web.monitoring",
    "maatwerk.web.records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maatwerk.web.common.middleware.PrivateResponseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maatwerk.web.common.language.PreferredLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maatwerk.web.safetyplan.middleware.ClearSiteDataOnSessionChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maatwerk.web.common.middleware.ActorMiddleware",
    "maatwerk.web.common.middleware.BadInputMiddleware",
    "maatwerk.web.accounts.middleware.SessionPolicyMiddleware",
    "maatwerk.web.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "maatwerk.web.config.urls"
WSGI_APPLICATION = "maatwerk.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maatwerk.web.common.context_processors.navigation",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'maatwerk.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", DEFAULT_DATABASE_URL),
        # Kept open between requests: opening a PostgreSQL connection per request costs
        # more than most requests (docs/performance.md); checked before reuse.
        conn_max_age=env.integer("MAATWERK_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write
        # lock at BEGIN so the audit chain head is never read stale.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if str(DATABASES["default"]["NAME"]).startswith(str(DATA_DIR)):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The audit chain head is anchored outside the database at every backup (an append-only
# log); `maatwerk audit verify --anchors` detects a chain rewound past an anchor.
MAATWERK_AUDIT_ANCHOR_DIR = Path(
    env.string("MAATWERK_AUDIT_ANCHOR_DIR", str(DATA_DIR / "audit-anchors"))
).resolve()

# --- shared security state ---------------------------------------------------------------
# TOTP replay markers, login rate limits and lockouts live in the cache, so every web
# worker must see the same one: the database (default; its table is created by migrate)
# or Redis. A per-process memory cache would let a code be used once per worker and
# multiply the allowed attempts, so it is refused with more than one worker.
REDIS_URL = env.raw("MAATWERK_REDIS_URL")
MAATWERK_CACHE = env.choice(
    "MAATWERK_CACHE", ("database", "redis", "memory"), "redis" if REDIS_URL else "database"
)
MAATWERK_WEB_WORKERS = env.integer("MAATWERK_WEB_WORKERS", 2, minimum=1)
# Threads per web worker (gunicorn gthread above 1); see docs/performance.md.
MAATWERK_WEB_THREADS = env.integer("MAATWERK_WEB_THREADS", 1, minimum=1)
CACHE_TABLE = "maatwerk_cache"
if MAATWERK_CACHE == "redis":
    if not REDIS_URL:
        raise SettingError("MAATWERK_CACHE=redis needs MAATWERK_REDIS_URL")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif MAATWERK_CACHE == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
        }
    }
else:
    if PRODUCTION and MAATWERK_WEB_WORKERS > 1:
        raise SettingError(
            "MAATWERK_CACHE=memory keeps login throttling and second-factor replay protection "
            f"inside one process; with MAATWERK_WEB_WORKERS={MAATWERK_WEB_WORKERS} use "
            "MAATWERK_CACHE=database or MAATWERK_REDIS_URL"
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reverse proxies in front of this installation that are trusted to append the client's
# address to X-Forwarded-For. 0: the header is ignored (anyone can forge it) and the
# address of the connecting peer is the client's.
MAATWERK_TRUSTED_PROXY_COUNT = env.integer("MAATWERK_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = MAATWERK_TRUSTED_PROXY_COUNT

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # allauth's, reading the signed-in user with what the actor needs (one query).
    "maatwerk.web.accounts.backends.ActorAuthenticationBackend",
    # Kept so that sessions signed in with them before keep working.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # At most 128 characters (OWASP ASVS 4.0.3 requirement 2.1.2; the source and the
    # reasoning are in maatwerk.web.accounts.password_validation.MAX_PASSWORD_LENGTH).
    {"NAME": "maatwerk.web.accounts.password_validation.MaximumLengthValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail login, no self-registration (clinicians register patients),
# no user enumeration, throttled (never permanently locked) failed logins.
ACCOUNT_ADAPTER = "maatwerk.web.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# "key" is the pair (account, client address) (see AccountAdapter): a stranger guessing
# from elsewhere cannot lock the owner out; the steps back off 5 min → 1 hour → 1 day.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.string("MAATWERK_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key,10/1h/key,20/1d/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maatwerk"
MFA_RECOVERY_CODE_COUNT = 10
# The "where am I logged in" list shows when each session was last seen. allauth's own
# middleware is left out: SessionPolicyMiddleware records the activity instead, at most
# every 30 s and at once when a session's address or browser changes.
USERSESSIONS_TRACK_ACTIVITY = True

# Session limits (NEN 7510 / ASVS 7.3): idle and absolute, enforced server-side.
MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES = env.integer(
    "MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES", 15, minimum=1
)
MAATWERK_SESSION_IDLE_PATIENT_MINUTES = env.integer(
    "MAATWERK_SESSION_IDLE_PATIENT_MINUTES", 30, minimum=1
)
MAATWERK_SESSION_ABSOLUTE_HOURS = env.integer("MAATWERK_SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = MAATWERK_SESSION_ABSOLUTE_HOURS * 3600
# Django's database sessions, read with a query compiled once per process.
SESSION_ENGINE = "maatwerk.web.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Scripts read the CSRF token from the page (hidden field, hx-headers), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
MAATWERK_INVITATION_VALID_HOURS = env.integer("MAATWERK_INVITATION_VALID_HOURS", 72, minimum=1)
MAATWERK_EMERGENCY_ACCESS_HOURS = env.integer("MAATWERK_EMERGENCY_ACCESS_HOURS", 4, minimum=1)
# The emergency search ("noodknop") is throttled per clinician in the shared security state
# (the cache, as login throttling): at most LIMIT searches per WINDOW seconds.
MAATWERK_EMERGENCY_SEARCH_LIMIT = env.integer("MAATWERK_EMERGENCY_SEARCH_LIMIT", 10, minimum=1)
MAATWERK_EMERGENCY_SEARCH_WINDOW = env.integer("MAATWERK_EMERGENCY_SEARCH_WINDOW", 3600, minimum=60)

# Safety signals: the working time in which the care team picks up a risk signal. These
# are an ORGANIZATIONAL CHOICE, not a clinical rule: set them to the hours the practice
# is really staffed. The default (Monday-Friday 08:00-17:00, two working hours) means a
# signal raised on Friday evening must be picked up on Monday at 10:00; after that it
# escalates to the team's backup clinician and the patient's GP.
_working_days = env.strings("MAATWERK_SAFETY_WORKING_DAYS", ("1", "2", "3", "4", "5"))
MAATWERK_SAFETY_WORKING_DAYS = [int(day) for day in _working_days if day in tuple("1234567")]
if not _working_days or len(MAATWERK_SAFETY_WORKING_DAYS) != len(_working_days):
    raise SettingError("MAATWERK_SAFETY_WORKING_DAYS lists ISO weekday numbers, 1 (Monday) to 7")
MAATWERK_SAFETY_OPENS = env.string("MAATWERK_SAFETY_OPENS", "08:00")
MAATWERK_SAFETY_CLOSES = env.string("MAATWERK_SAFETY_CLOSES", "17:00")
for _name, _value in (
    ("MAATWERK_SAFETY_OPENS", MAATWERK_SAFETY_OPENS),
    ("MAATWERK_SAFETY_CLOSES", MAATWERK_SAFETY_CLOSES),
):
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", _value):
        raise SettingError(f"{_name}={_value!r} must be a time such as 08:00")
if MAATWERK_SAFETY_OPENS >= MAATWERK_SAFETY_CLOSES:
    raise SettingError("MAATWERK_SAFETY_OPENS must be before MAATWERK_SAFETY_CLOSES")
MAATWERK_SAFETY_PICK_UP_MINUTES = env.integer("MAATWERK_SAFETY_PICK_UP_MINUTES", 120, minimum=1)
# Days on which nobody picks up signals (public holidays), as 2026-12-25,2026-12-26.
MAATWERK_SAFETY_HOLIDAYS = env.strings("MAATWERK_SAFETY_HOLIDAYS")
for _holiday in MAATWERK_SAFETY_HOLIDAYS:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", _holiday):
        raise SettingError(f"MAATWERK_SAFETY_HOLIDAYS: {_holiday!r} is not a date (YYYY-MM-DD)")
# How long a closed signal still shows as "recent risk" on the dossier, profile and plan.
MAATWERK_SAFETY_RECENT_DAYS = env.integer("MAATWERK_SAFETY_RECENT_DAYS", 30, minimum=1)

# Graphviz ``dot`` draws the vicious-circle diagrams (Debian package ``graphviz``). When it
# is missing or fails, formulation pages show the text alternative and say so.
MAATWERK_GRAPHVIZ_DOT = env.string("MAATWERK_GRAPHVIZ_DOT", "/usr/bin/dot")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# A short day and month per language ("7 dec" in Dutch, "7 Dec" in English); the rest is
# Django's own format for the language.
FORMAT_MODULE_PATH = ["maatwerk.web.formats"]
TIME_ZONE = env.string("MAATWERK_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.string("MAATWERK_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env.string(
    "MAATWERK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.string("MAATWERK_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("MAATWERK_EMAIL_PORT", 587)
EMAIL_HOST_USER = env.string("MAATWERK_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("MAATWERK_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("MAATWERK_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env.string("MAATWERK_DEFAULT_FROM_EMAIL", "Maatwerk <noreply@localhost>")
# The public address of this installation, for links in e-mails sent without a request
# to take the host from (a link built from the request is used when there is one).
_site_url = env.string("MAATWERK_SITE_URL", "")
if _site_url and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", _site_url):
    raise SettingError(
        f"MAATWERK_SITE_URL={_site_url!r} must be an address such as https://maatwerk.example.nl"
    )
MAATWERK_SITE_URL = _site_url.rstrip("/")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.boolean("MAATWERK_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("MAATWERK_HSTS_SECONDS", 31_536_000, minimum=1)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("MAATWERK_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.boolean("MAATWERK_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("MAATWERK_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter here.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# === Background tasks (Django Tasks API through the django-tasks backport) ===============
# Kept in one block of its own. Services enqueue tasks with ids (never objects) after their
# transaction commits; `maatwerk worker` runs them and enqueues the periodic tick every
# minute (see maatwerk.web.background). ``database`` keeps the queue in the database the
# platform already has (nothing more to run); ``rq`` puts it in Redis (MAATWERK_REDIS_URL)
# for installations that want the queue off the database.
MAATWERK_TASK_BACKEND = env.choice("MAATWERK_TASK_BACKEND", ("database", "rq"), "database")
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "maatwerk.web.background"]
if MAATWERK_TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise SettingError("MAATWERK_TASK_BACKEND=rq needs MAATWERK_REDIS_URL (the Redis server)")
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# django-rq reads its queues from here (only used with the rq backend).
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}
# Time-based work run by the tick every minute: dotted paths of `job(now: datetime) -> int`.
# Each must be idempotent; read the contract in maatwerk.web.background.periodic.
MAATWERK_PERIODIC_JOBS = [
    "maatwerk.web.background.jobs.task_results_prune",
    # A safety signal nobody picked up in time goes to the team's backup clinician and GPs.
    "maatwerk.web.safety.services.escalate_overdue_signals",
    # Monitoring prompts: materialize ahead, expire, send what is due, remind once.
    "maatwerk.web.monitoring.jobs.materialize_prompts",
    # A ROM prompt whose questionnaire was filled in is answered (before expiry/reminder).
    "maatwerk.web.monitoring.rom_questionnaires.close_completed_rom_prompts",
    "maatwerk.web.monitoring.jobs.expire_prompts",
    "maatwerk.web.monitoring.jobs.dispatch_due_prompts",
    "maatwerk.web.monitoring.jobs.send_due_reminders",
    # Copies of a record past their expiry lose their content (F26).
    "maatwerk.web.records.jobs.expired_copies_purge",
]
# === monitoring (ROM and EMA prompts) =====================================================
# How far ahead prompts exist in the database (topped up when half is used).
MAATWERK_MONITORING_AHEAD_HOURS = env.integer("MAATWERK_MONITORING_AHEAD_HOURS", 24)
# The development channel "file" appends one JSON line per message here.
MAATWERK_MONITORING_OUTBOX = env.string(
    "MAATWERK_MONITORING_OUTBOX", str(DATA_DIR / "monitoring-outbox.jsonl")
)
# Web Push (VAPID, RFC 8292): the private key (PEM or base64url DER, as pywebpush takes
# it), the public key the browser subscribes with (base64url), and a contact address.
MAATWERK_VAPID_PRIVATE_KEY = env.string("MAATWERK_VAPID_PRIVATE_KEY", "")
MAATWERK_VAPID_PUBLIC_KEY = env.string("MAATWERK_VAPID_PUBLIC_KEY", "")
MAATWERK_VAPID_SUBJECT = env.string("MAATWERK_VAPID_SUBJECT", "mailto:noreply@localhost")
# === end of background tasks ==============================================================
