"""Settings, all read from the environment (one file; see README "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# GRASSROOTS_ENV=production marks a deployment (docs/deploying.md): real keys required, HTTPS-only cookies, HSTS.
# Anything else is development (scripts/run, the demo, CI), which runs on the committed keys with a warning.
PRODUCTION = os.environ.get("GRASSROOTS_ENV", "development").strip().lower() == "production"
# The committed keys: fine on one developer's machine, refused in production (grassroots/core/checks.py).
DEVELOPMENT_SECRET_KEY = "grassroots-insecure-development-key-change-me-in-production"
# The same string as the development SECRET_KEY used to sign audit rows, so existing local databases still verify.
DEVELOPMENT_AUDIT_HMAC_KEY = DEVELOPMENT_SECRET_KEY
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # django-ninja as an app: /api/v1/docs then serves Swagger UI from the package's own static files, not a CDN.
    "ninja",
    "grassroots.core",
    "grassroots.audit",
    "grassroots.geo",
    "grassroots.people",
    "grassroots.org",
    "grassroots.workcal",
    "grassroots.workflow",
    "grassroots.events",
    "grassroots.notifications",
    "grassroots.inbox",
    "grassroots.mobile",
    "grassroots.dashboard",
    "grassroots.open311",
    "grassroots.assessment",
    "grassroots.convenience",
    "grassroots.market",
    "grassroots.draws",
    "grassroots.enforcement",
    "grassroots.meetings",
    "grassroots.hotline",
    "grassroots.governance",
    "grassroots.rollups",
    "grassroots.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "grassroots.core.headers.ContentSecurityPolicyMiddleware",
    "grassroots.core.edge.EdgeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "grassroots.people.duties.SeparatedDutiesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grassroots.audit.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grassroots" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.core.navigation.navigation",
                "grassroots.demo.progress.demo_history_note",
            ],
        },
    },
]

# SQLite file under var/ unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'grassroots.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the timer worker share the file. synchronous=FULL makes
    # every commit durable (fsync of the WAL), as PostgreSQL's default is; NORMAL trades that for speed.
    _sync = os.environ.get("SQLITE_SYNCHRONOUS", "FULL")
    # Django's SQLite backend, plus a lock file that lets a long batch of writes (the demo history built beside
    # the server) give way to everyone else's (grassroots/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "grassroots.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={_sync};",
    }
    # Tests use a file, not the in-memory database: the browser tests' live server answers requests in several
    # threads at once, and an in-memory database would be one connection shared by all of them.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-grassroots.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and statements repeated on a connection prepared once (psycopg prepares a
    # statement from its fifth use): PostgreSQL parses and plans the hot statements once per connection, ~20% more
    # reports a second (BENCHMARKS.md). Turn off behind a transaction-pooling PgBouncer older than 1.21.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env_bool("DB_SERVER_SIDE_BINDING", default=True)
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER"):
    # Tests and the demo loader create hundreds of accounts; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "grassroots.people.backends.LockoutModelBackend",
    # The separated administrators' admin-site permissions come from their role (grassroots/people/duties.py).
    "grassroots.people.duties.AdminDutiesBackend",
]
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
# Failed logins, codes and API tokens from one address in a LOGIN_LOCKOUT_MINUTES window before the address is refused
# (logins as if wrong, the API with 429); bad tokens sharing one 8-character prefix likewise.
AUTH_ADDRESS_MAX_FAILURES = int(os.environ.get("AUTH_ADDRESS_MAX_FAILURES", "30"))
TOKEN_PREFIX_MAX_FAILURES = int(os.environ.get("TOKEN_PREFIX_MAX_FAILURES", "10"))
# Roles that must use a TOTP second factor (docs/security-auth.md). Default: every staff role in production
# (GRASSROOTS_ENV=production); none in development, so the demo logins keep working (anyone may still enrol).
_STAFF_ROLES = "grid_worker,grid_head,grid_instructor,village_staff,operator,dispatcher,shift_lead," + (
    "platform_coordinator,department_staff,window_clerk,inspector,mediator,leader,centre_operator,"
    "system_admin,security_admin,audit_admin"
)
OTP_REQUIRED_ROLES = frozenset(env_list("OTP_REQUIRED_ROLES", _STAFF_ROLES if PRODUCTION else ""))

# Behind HTTPS (production): cookies only over TLS, HSTS, plain HTTP redirected. The reverse proxy terminates TLS
# and says so in X-Forwarded-Proto (docs/deploying.md); it must overwrite that header from clients.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(31536000 if PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
if env_bool("SECURE_PROXY_SSL_HEADER", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The cockpit colours 问题不出村率 against this target (%): green at or above it, yellow within 10 points, red below.
# Local: seed 001 reports over 97% in Zhenhai in 2017; seed 004 reports 95% of Shangyu's events below level 4.
SOLVED_IN_VILLAGE_TARGET = float(os.environ.get("SOLVED_IN_VILLAGE_TARGET", "95"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "grassroots" / "static",
    # Front-end libraries installed from npm by scripts/setup (never from a CDN: closed government networks).
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/alpinejs", NODE_MODULES / "alpinejs" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
]
# WhiteNoise serves static files from the app folders directly: no collectstatic step on the embedded default.
WHITENOISE_USE_FINDERS = True
# Static files answer only this site's pages: no `Access-Control-Allow-Origin: *` (WhiteNoise adds it by default).
WHITENOISE_ALLOW_ALL_ORIGINS = False
# Image sources the Content-Security-Policy allows besides this site and the configured tile server (comma list).
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The largest service-catalogue workbook (事项清单 .xlsx) the import page accepts, in bytes.
# Any request body past this is refused from its Content-Length before it is read (grassroots/core/edge.py).
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(64 * 1024 * 1024)))
# One uploaded file's limit while the body is read (the largest kind: audio and PDF, 20 MB); past it the reading stops.
UPLOAD_FILE_MAX_BYTES = int(os.environ.get("UPLOAD_FILE_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "grassroots.core.edge.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CATALOGUE_IMPORT_MAX_BYTES = int(os.environ.get("CATALOGUE_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "grassroots@localhost")

# Audit rows carry an HMAC so an edited row is detected; the key stays out of the database and apart from
# SECRET_KEY (rotating the session key must not invalidate the audit log).
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "") or DEVELOPMENT_AUDIT_HMAC_KEY
# Audit rows are kept at least this many days (等保 2.0: six months); `manage.py audit_purge` refuses fewer.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))
# The timer worker verifies the whole audit log this often (hours); a failure is logged as an error and shown on
# the audit administrator's page.
AUDIT_VERIFY_HOURS = float(os.environ.get("AUDIT_VERIFY_HOURS", "24"))

# Working-hour windows used when a limit is counted in working hours (工作时).
WORKING_HOURS = env_list("WORKING_HOURS", "08:30-12:00,13:30-17:30")
# A notice's recipients who have not read it are reminded once after this many working hours (the sender may set
# another number per notice; docs/meetings.md, "Notices").
NOTICE_REMIND_WORKING_HOURS = int(os.environ.get("NOTICE_REMIND_WORKING_HOURS", "8"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Map tiles (底图). With none configured, maps draw the base-map features of the database instead (roads, water,
# village boundaries; the demo generates them). TIANDITU_KEY turns on 天地图 (vector map and its annotation, in
# CGCS2000, no offset); otherwise MAP_TILE_URL is any {z}/{x}/{y} template, in MAP_COORDINATES.
TIANDITU_KEY = os.environ.get("TIANDITU_KEY", "")
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_SUBDOMAINS = os.environ.get("MAP_TILE_SUBDOMAINS", "abc")  # what {s} in MAP_TILE_URL stands for
MAP_COORDINATES = os.environ.get("MAP_COORDINATES", "wgs84")  # or gcj02 for AMap/Tencent tiles

# The 12345 hotline connector (docs/hotline-12345.md); empty directories mean var/hotline/outbox and inbox.
HOTLINE_MODE = os.environ.get("HOTLINE_MODE", "http")  # or "file" for a site without a link
HOTLINE_URL = os.environ.get("HOTLINE_URL", "")
HOTLINE_SECRET = os.environ.get("HOTLINE_SECRET", "")
HOTLINE_TIMEOUT = float(os.environ.get("HOTLINE_TIMEOUT", "10"))
HOTLINE_MAX_ATTEMPTS = int(os.environ.get("HOTLINE_MAX_ATTEMPTS", "8"))
HOTLINE_BACKOFF_SECONDS = float(os.environ.get("HOTLINE_BACKOFF_SECONDS", "60"))
HOTLINE_BACKOFF_MAX_SECONDS = float(os.environ.get("HOTLINE_BACKOFF_MAX_SECONDS", "3600"))
HOTLINE_POLL_SECONDS = float(os.environ.get("HOTLINE_POLL_SECONDS", "0"))  # 0: wait for the call back
HOTLINE_OUTBOX_DIR = os.environ.get("HOTLINE_OUTBOX_DIR", "")
HOTLINE_INBOX_DIR = os.environ.get("HOTLINE_INBOX_DIR", "")
