"""Ponte settings. Everything is read from the environment; see .env.example."""

import datetime

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded defaults (make run) need a key; production sets DJANGO_SECRET_KEY
# and production.py refuses to start without it.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="ponte-insecure-local-only-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # first: its templates (error pages, login, the API docs page) win over the apps' own
    "portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "common",
    "competenze",
    "lavoro",
    "search",
    "ml",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # before anything reads the body (CsrfViewMiddleware reads a POST's form)
    "common.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # audit rows of the request written together at its end, error answers included
    "common.middleware.AccessLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after the user is known: Italian for the staff, the person's own language for a trainee
    "portal.middleware.AudienceLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    # last: turns a login refused for lockout into the 429 page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` serves a counsellor team from one file. WAL lets readers go on while one
    # connection writes; a writer waits for the lock (busy timeout, in seconds) instead of
    # failing at once; and every transaction takes the write lock when it begins (IMMEDIATE),
    # so none has to upgrade a read lock halfway, which SQLite refuses at once with
    # "database is locked" whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("PONTE_SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# No ATOMIC_REQUESTS: services open their own transactions, and audit rows of refused
# accesses must survive the error response that follows them.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "common.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "common.auth.backends.LockoutBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
# A session lasts a working day; closing the browser does not end it (shared computers:
# log out).
SESSION_COOKIE_AGE = env.int("PONTE_SESSION_HOURS", default=8) * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "common:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "it"
# Italian for everyone who works in Ponte; the people it serves also read their own language
# (their pages and the interview, see portal/middleware.py). Names here are Italian, for the
# counsellor's choice; the language menu names each language in itself.
LANGUAGES = [
    ("it", _("Italiano")),
    ("ar", _("Arabo")),
    ("sq", _("Albanese")),
    ("ro", _("Rumeno")),
    ("en", _("Inglese")),
    ("fr", _("Francese")),
    ("es", _("Spagnolo")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap Italia from node_modules (`npm ci`, run by `make setup`): only the built CSS and
# JS, the Titillium Web fonts and the icon sprites, served like the app's own static files.
BOOTSTRAP_ITALIA_DIST = BASE_DIR / "node_modules" / "bootstrap-italia" / "dist"
STATICFILES_DIRS = [
    (f"bootstrap-italia/{part}", BOOTSTRAP_ITALIA_DIST / part)
    for part in ("css", "js", "fonts/Titillium_Web", "svg")
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("PONTE_MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files are personal data: served only through an authorised view, never as static.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Serving (config/gunicorn.py, docs/deployment.md) ---
# config.settings.production sets it: some system checks refuse there what they only warn
# about elsewhere.
PONTE_PRODUCTION = False
# Seconds /health/ready waits for each dependency (database, broker, search), all at once.
PONTE_HEALTH_TIMEOUT = env.float("PONTE_HEALTH_TIMEOUT", default=2.0)

# Notifications to counsellors carry pseudonyms only. Console in development.
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="ponte@localhost")
# Where the accessibility statement (/accessibilita/) tells people to report a barrier.
PONTE_ACCESSIBILITY_EMAIL = env.str("PONTE_ACCESSIBILITY_EMAIL", default=DEFAULT_FROM_EMAIL)

# API throttling counts requests in the cache: one per process unless PONTE_CACHE_URL points
# at a shared one (redis://…) when several processes serve the site.
CACHES = {
    "default": env.cache_url_config(env.str("PONTE_CACHE_URL", default="") or "locmemcache://")
}

# --- Authentication and session security (docs/security.md) ---
# Login lockout (django-axes), on the login page and the admin's: after
# PONTE_LOGIN_FAILURE_LIMIT failures for one account, or from one address, no login (not even
# with the right password) for PONTE_LOGIN_COOLOFF_MINUTES. Attempts are kept in the database.
AXES_FAILURE_LIMIT = env.int("PONTE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("PONTE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "common.auth.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "common.auth.lockout.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login: only failures are kept
AXES_VERBOSE = False
# Reverse proxies in front of Ponte that set X-Forwarded-For (0: clients connect directly).
PONTE_PROXY_COUNT = env.int("PONTE_PROXY_COUNT", default=0)
# API tokens expire after this many days (and die when the password changes).
PONTE_API_TOKEN_DAYS = env.int("PONTE_API_TOKEN_DAYS", default=30)
# Scripts and styles from this site's static files only: no inline script, event handler or
# style attribute (common/middleware.py); images may be data: URLs (Swagger UI's icons), and
# so may fonts (Bootstrap Italia's stylesheet embeds one: a data: font can only come from a
# stylesheet, and stylesheets only from this site).
PONTE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

REST_FRAMEWORK = {
    # the token first: a refused token is a 401 with WWW-Authenticate: Bearer (see
    # ApiTokenAuthentication.authenticate_header; no credentials at all stays a 403)
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.auth.drf.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["common.auth.drf.AnonThrottle", "common.auth.drf.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("PONTE_THROTTLE_ANON", default="60/min"),
        "user": env.str("PONTE_THROTTLE_USER", default="600/min"),
        "auth": env.str("PONTE_THROTTLE_AUTH", default="10/min"),
    },
    "NUM_PROXIES": env.int("PONTE_PROXY_COUNT", default=0),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, bounded in size and depth, errors in Italian (common.parsers)
    "DEFAULT_PARSER_CLASSES": ["common.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "common.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "common.api.DefaultPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "common.schema.PonteAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ponte API",
    "DESCRIPTION": "API di Ponte: competenze, opportunità e abbinamenti.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from static files, never from a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"MeasureTypeEnum": "competenze.models.people.MeasureType"},
}

# Every record goes through one handler that masks personal data in the message, the
# traceback and the stack (common/logging.py); Django's own loggers are routed to it too, so
# no unmasked handler (Django's console, runserver's) is left. Refused requests are one line.
LOG_LEVEL = env.str("PONTE_LOG_LEVEL", default="INFO")
# A Celery worker keeps this configuration instead of installing its own, unmasked handlers
# on the root logger (task failures log tracebacks).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "common.logging.PersonalDataFilter"}},
    "formatters": {
        "plain": {
            "()": "common.logging.PersonalDataFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # lockouts and repeated failures only (usernames and addresses masked by axes)
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # one line per Elasticsearch request at INFO: only problems are worth a line
        "elastic_transport": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint and fontTools report every rendering step at INFO: only their problems.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

from config.settings.celery import *  # noqa: E402,F403
from config.settings.credentials import *  # noqa: E402,F403
from config.settings.ml import *  # noqa: E402,F403
from config.settings.search import *  # noqa: E402,F403
