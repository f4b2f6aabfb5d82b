"""Settings of the Mentorat Roubaix portal.

One file, driven by environment variables. DEBUG is off unless DEBUG=1 says
otherwise, and then a SECRET_KEY is required: the site refuses to start without
one. A developer's machine sets DEBUG=1 (`make run` does); the tests use
mentorat/test_settings.py.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.checks import site_url_problem

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} doit valoir 0 ou 1 (reçu : {value!r}).")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} doit être un nombre entier (reçu : {value!r})."
        ) from None


def envnetworks(name):
    """IP networks, comma-separated ("10.0.0.0/8,127.0.0.1"); refused loudly if one is bad."""
    networks = envlist(name, [])
    for network in networks:
        try:
            ipaddress.ip_network(network)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} : « {network} » n’est ni une adresse ni un réseau IP. Exemples "
                "valables : 10.0.0.0/8, 127.0.0.1, ::1 ; un réseau s’écrit avec sa première "
                "adresse (10.0.0.0/8, pas 10.0.0.1/8)."
            ) from None
    return networks


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Off unless said: a server that forgets the variable is a production server.
DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY est obligatoire quand DEBUG est désactivé : définissez la variable "
            "d'environnement SECRET_KEY (par exemple avec "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    # Before the admin, as it asks: it adds each translated field's languages to its forms.
    "modeltranslation",
    "mentorat.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "leaflet",
    "axes",
    "phonenumber_field",
    "django_tasks_db",
    "core",
    "associations",
    "orientation",
    "referrals",
    "opendata",
]

MIDDLEWARE = [
    # First, so that its one line per request times and sees everything below.
    "mentorat.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mentorat.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After it: sends a visitor who chose another language to that language's address.
    "mentorat.middleware.RememberedLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorat.urls"
WSGI_APPLICATION = "mentorat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorat.context_processors.site",
                "mentorat.context_processors.languages",
            ],
        },
    },
]

# Widgets may be overridden from the project's templates folder.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high, which the
    # orientation's queries over a large directory are: at 10,000 associations, it
    # spent 200 ms compiling a query that runs in 90 ms without it (bench/). This
    # site's queries are short: no JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A form's select iterates its choices with iterator(), which PostgreSQL serves
    # through a server-side cursor (DECLARE, FETCH, CLOSE: three round trips for a
    # dozen levels). The site iterates nothing larger: one plain SELECT each.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for an account that is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# The interface's languages, each named in itself (the language switch shows them so).
# French keeps the unprefixed addresses, those of every QR code already printed; the
# others are prefixed (/ar/…, /en/…: mentorat/urls.py). Adding one: a line here, then
# `manage.py makemessages -l <code>` and its translations (README, « Langues »).
LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The associations' own texts (summary, description…) have a column per language
# (django-modeltranslation, registered in associations/translation.py); one left empty
# reads the French.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "fr"  # a new term's slug comes from its French
# The admin speaks French: « résumé en une phrase (arabe) ».
LANGUAGE_NAMES_IN_FRENCH = {"fr": "français", "ar": "arabe", "en": "anglais"}


def localized_verbose_name(verbose_name, code):
    return f"{verbose_name} ({LANGUAGE_NAMES_IN_FRENCH[code]})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = localized_verbose_name
# The language a visitor chose with the switch, remembered a year (core/languages.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# A phone number typed without a country code is French (core/phone.py).
PHONENUMBER_DEFAULT_REGION = "FR"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development (and tests), static files come straight from the apps' folders.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# Where the site is served, for absolute links (QR codes, sitemap, exports, e-mails). In
# production, the public https:// address, required: a QR code cannot be reprinted.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000" if DEBUG else "").rstrip("/")
if not DEBUG and (problem := site_url_problem(SITE_URL)):
    raise ImproperlyConfigured(f"{problem} Définissez la variable d’environnement SITE_URL.")
# Who publishes and hosts the site, for the "mentions légales" page.
LEGAL_NOTICE = {
    "publisher": os.environ.get("LEGAL_PUBLISHER", "Cité éducative de Roubaix"),
    "director": os.environ.get("LEGAL_DIRECTOR", ""),
    "host": os.environ.get("LEGAL_HOST", ""),
}
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin").strip("/") + "/"

# E-mail (requests to be put in touch, referrals/): printed on the console on a developer's
# machine; in production, SMTP to EMAIL_HOST (a local mail server if unset: never the
# console, whose output would put personal data in the logs). Tests capture them.
email_use_tls = envbool("EMAIL_USE_TLS", False)
email_use_ssl = envbool("EMAIL_USE_SSL", False)
if email_use_tls and email_use_ssl:
    raise ImproperlyConfigured("EMAIL_USE_TLS et EMAIL_USE_SSL ne peuvent valoir 1 ensemble.")
# Text messages to families with a phone only (core.sms): printed in development;
# in production Brevo when SMS_API_KEY is set, else none (staff call: « à appeler »).
SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "Mentorat")
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "core.sms.BrevoBackend" if SMS_API_KEY else "core.sms.ConsoleBackend" if DEBUG else "",
)
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST") or "localhost",
                "port": envint("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": email_use_tls,
                "use_ssl": email_use_ssl,
                "timeout": envint("EMAIL_TIMEOUT", 10),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Mentorat Roubaix <ne-pas-repondre@mentorat-roubaix.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Requests kept this many months after they are closed, then anonymised (purge_referrals).
REFERRAL_RETENTION_MONTHS = envint("REFERRAL_RETENTION_MONTHS", 12)
# Requests accepted per hour from one address (counted in the cache, address hashed);
# professionals who ask for the young people they accompany get more.
REFERRAL_RATE_LIMIT = envint("REFERRAL_RATE_LIMIT", 5)
REFERRAL_RATE_LIMIT_PROFESSIONAL = envint("REFERRAL_RATE_LIMIT_PROFESSIONAL", 30)

# The cache (where the rate limit counts) is Redis in production, one for every process
# and server; its client gives up quickly, and the site goes on without it (the rate
# limit lets requests through). Without REDIS_URL, each process has its own, in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    REDIS_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Several sites may share one Redis: each its own prefix.
        "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "mentorat"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {
        "default": REDIS_CACHE,
        # The templates' {% cache %} fragments: the same Redis, read as empty when it
        # does not answer (core/cache_backends.py), so that a page never fails with it.
        "template_fragments": REDIS_CACHE | {"BACKEND": "core.cache_backends.ForgivingRedisCache"},
    }

# Work done outside the visitor's request (the request e-mails, referrals/tasks.py):
# django-tasks-db keeps the tasks in this database; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security headers, sent in development too so that tests see them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page uses, refused to every page and any frame (mentorat.middleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ]
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "mentorat.views.csrf_failure"
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Map tiles are the only external origin the pages may load.
TILE_URL = os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The CSP allows the tile server's origin, whatever TILE_URL names.
TILE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(TILE_URL))
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", TILE_ORIGIN],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # A load balancer checks the health endpoint over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Staff logins (django-axes): after AXES_FAILURE_LIMIT failed attempts on one account,
# or from one address on any accounts, that account or that address cannot log in for
# AXES_COOLOFF_MINUTES, whatever the password. A superuser lifts a lock early with
# `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies (load balancer, nginx) the visitor's address is read from
# X-Forwarded-For, but only on connections from these networks (core.http): otherwise
# every visitor would share the proxy's address, and one person's mistakes would lock
# everyone out; and anyone else could write the header to pass for someone new.
TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip_address"
AXES_LOCKOUT_CALLABLE = "mentorat.views.login_locked_out"
# No record of every successful login (address, browser): failures are enough.
AXES_DISABLE_ACCESS_LOG = True
# Logs say "a staff login failed", never the account name or the address.
AXES_CLIENT_STR_CALLABLE = "mentorat.middleware.anonymous_client"

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.6886, 3.1840),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 10,
    "MAX_ZOOM": 18,
    "TILES": [
        (
            "OpenStreetMap",
            TILE_URL,
            {"attribution": "© les contributeurs d’OpenStreetMap", "maxZoom": 19},
        )
    ],
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
}

# One line per request (mentorat.middleware.RequestLogMiddleware: method, path without
# the query string, status, duration) and one per error (with its traceback), on the
# standard error stream. No query string, address, body or account name: a query
# string can hold what a family said of a minor.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the root logger's handler only (Django's own would print twice).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # django-axes: lockouts (warnings) only, not every step of every login.
        "axes": {"level": "WARNING"},
        # 4xx are in the request line already; 5xx keep their traceback here.
        "django.request": {"level": "ERROR"},
        # runserver's own line repeats the request line, query string included.
        "django.server": {"level": "CRITICAL"},
    },
}
