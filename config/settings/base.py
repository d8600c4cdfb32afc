"""Settings shared by every environment; secrets and hosts come from the environment."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
# Former secret keys: sessions and signed links made with them stay valid, and REPER
# identities encrypted under them stay readable until `reper_rotate_identity_key` runs.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# REPER identities are encrypted at rest (django-fernet-encrypted-fields reads SALT_KEY,
# and derives each Fernet key from SECRET_KEY and one of these): the first key encrypts,
# every key decrypts; rotation is described in the README.
SALT_KEY = env.list("IDENTITY_ENCRYPTION_KEYS", default=["dev-only-identity-key"])
# REPER follow-up: step 1 repeated every N months (WHO ICOPE: 6); a care plan without a
# review for N days waits in the work queues; the evaluation export's identifiers are an
# HMAC keyed with REPER_EXPORT_KEY (empty: derived from SECRET_KEY).
REPER_RESCREEN_MONTHS = env.int("REPER_RESCREEN_MONTHS", default=6)
REPER_PLAN_REVIEW_DAYS = env.int("REPER_PLAN_REVIEW_DAYS", default=90)
REPER_EXPORT_KEY = env("REPER_EXPORT_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "interurps.core",
    "interurps.accounts",
    "interurps.geography",
    "interurps.organizations",
    "interurps.cpts",
    "interurps.elections",
    "interurps.governance",
    "interurps.activities",
    "interurps.events",
    "interurps.training",
    "interurps.cpom",
    "interurps.reports",
    "interurps.professionals",
    "interurps.diagnostics",
    "interurps.sas",
    "interurps.reper",
    "interurps.surveys",
    "interurps.jobs",
    "interurps.api",
    "interurps.flows",
    "interurps.home",
    "interurps.demo",
]

MIDDLEWARE = [
    # First: a NUL byte in a path, query string or cookie is refused before anything reads
    # it (PostgreSQL cannot store or compare NUL and would answer with a server error).
    "interurps.core.middleware.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: django-otp marks the user verified by a device of the session, then
    # staff accounts that must pass it are sent to it before any non-public page.
    "django_otp.middleware.OTPMiddleware",
    "interurps.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes requires, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): no inline script or style, nothing from elsewhere.
# Scripts are static files hooked on data-* attributes; data reaches them through
# <script type="application/json"> blocks (never executed) or data-* attributes. Leaflet
# positions its elements through element.style (CSSOM), which style-src does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "interurps" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "interurps.home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A web worker keeps its database connection between requests (opening one to PostgreSQL
# costs a new server process, several milliseconds on every page); checked before reuse, so
# that a restarted server costs one failed reuse, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Random reads cost about as much as sequential ones on SSD storage; with PostgreSQL's
# default (4, for spinning disks) the planner read the whole registry rather than a few
# thousand rows by index (a search: 105 ms instead of 19 ms). 4 on spinning disks; empty
# to leave it to the server (behind PgBouncer, which refuses connection options).
RANDOM_PAGE_COST = env.str("PG_RANDOM_PAGE_COST", default="1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and RANDOM_PAGE_COST:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={float(RANDOM_PAGE_COST)}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite under concurrent writes (public registrations, several gunicorn workers):
    # - WAL lets readers work while one writer writes;
    # - IMMEDIATE transactions take the write lock when they begin, so that a transaction
    #   that read first never fails with "database is locked" when it comes to write (a
    #   DEFERRED one cannot upgrade its lock once another writer has committed);
    # - writers queue for the lock up to `timeout` seconds instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Brute-force protection: five failures for one account from one address lock it for
# an hour; the lockout page says so in French.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Sign-in with Pro Santé Connect and the second factor (README « Connexion : Pro Santé
# Connect et second facteur »). Pro Santé Connect is off unless the three are set: no URL,
# no button, no authentication backend. The discovery document gives the endpoints and
# the keys (fetched on first use, cached PSC_DISCOVERY_CACHE seconds).
PSC_DISCOVERY_URL = env("PSC_DISCOVERY_URL", default="")
PSC_CLIENT_ID = env("PSC_CLIENT_ID", default="")
PSC_CLIENT_SECRET = env("PSC_CLIENT_SECRET", default="")
PSC_SCOPES = env("PSC_SCOPES", default="openid scope_all")
PSC_ACR_VALUES = env("PSC_ACR_VALUES", default="eidas1")
PSC_DISCOVERY_CACHE = env.int("PSC_DISCOVERY_CACHE", default=3600)
# Claims of the userinfo answer: the national identifier (idNat_PS: "8" + the RPPS), tried
# in this order; the names; the e-mail (often absent); the professional data.
PSC_RPPS_CLAIMS = env.list("PSC_RPPS_CLAIMS", default=["SubjectNameID", "preferred_username"])
PSC_GIVEN_NAME_CLAIM = env("PSC_GIVEN_NAME_CLAIM", default="given_name")
PSC_FAMILY_NAME_CLAIM = env("PSC_FAMILY_NAME_CLAIM", default="family_name")
PSC_EMAIL_CLAIM = env("PSC_EMAIL_CLAIM", default="email")
PSC_PROFESSION_CLAIM = env("PSC_PROFESSION_CLAIM", default="SubjectRefPro")
PSC_BACKEND = "interurps.accounts.psc.ProSanteConnectBackend"
if PSC_DISCOVERY_URL and PSC_CLIENT_ID and PSC_CLIENT_SECRET:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, PSC_BACKEND]
# mozilla-django-oidc: authorization code flow with PKCE (S256), state and nonce, ID token
# signed RS256 and checked against the provider's keys (interurps.accounts.psc).
# (Client id, secret and scopes are read from PSC_* by interurps.accounts.psc.oidc_setting.)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:psc_callback"
OIDC_TIMEOUT = 10
# The client authenticates to the token endpoint with its secret in the form
# (client_secret_post) or, when set, in an HTTP Basic header (client_secret_basic).
OIDC_TOKEN_USE_BASIC_AUTH = env.bool("PSC_TOKEN_USE_BASIC_AUTH", default=False)

# Second factor (django-otp, TOTP with backup codes): required for accounts holding one of
# these roles in any region, and for accounts with access to the Django administration.
# Wrong codes count as failed sign-ins for django-axes (same lock as passwords) and are
# throttled by django-otp (1, 2, 4, 8… s between attempts).
OTP_REQUIRED_ROLES = set(
    env.list("OTP_REQUIRED_ROLES", default=["federation_admin", "federation_staff"])
)
OTP_REQUIRED_FOR_ADMIN_ACCESS = env.bool("OTP_REQUIRED_FOR_ADMIN_ACCESS", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="InterURPS")
OTP_BACKUP_CODES = 10


def client_ip_settings(reverse_proxy_count: int) -> dict:
    """django-axes settings (read through django-ipware) for the real client address.

    `reverse_proxy_count` is the number of reverse proxies in front of gunicorn, each of
    which appends the address it received the request from to X-Forwarded-For (nginx's
    `$proxy_add_x_forwarded_for`, Caddy's default). The client is then the entry that many
    places from the right; whatever a client wrote in the header itself stays to the left
    and is ignored, so nobody can pose as another address to lock someone else out.
    ipware's own `proxy_count` counts the proxies listed *in* the header, that is one less
    (the last proxy is REMOTE_ADDR); `IPWARE_STRICT = False` accepts longer, spoofed
    headers and still picks the trusted position. With no proxy, REMOTE_ADDR only.
    """
    if reverse_proxy_count <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"], "IPWARE_STRICT": False}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "AXES_IPWARE_PROXY_COUNT": reverse_proxy_count - 1,
        "IPWARE_STRICT": False,
    }


# Without a proxy (development), REMOTE_ADDR is the client; production sets 1.
REVERSE_PROXY_COUNT = env.int("REVERSE_PROXY_COUNT", default=0)
vars().update(client_ip_settings(REVERSE_PROXY_COUNT))

# Shorter sessions for accounts that can change the federation's records or the
# administration (see interurps.accounts.sessions); two weeks (Django's default) for others.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
STAFF_SESSION_AGE = env.int("STAFF_SESSION_AGE", default=8 * 3600)

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# French typography for dates, times and numbers (narrow no-break spaces): interurps/formats.
FORMAT_MODULE_PATH = ["interurps.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "interurps" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="InterURPS <ne-pas-repondre@localhost>")

# Demo mode prints the demo passwords; it must never be on in production.
# REPER / ICOPE: step 1 is repeated this many months after the last screening.
REPER_RESCREEN_MONTHS = env.int("REPER_RESCREEN_MONTHS", default=6)

DEMO_MODE = env.bool("DEMO_MODE", default=False)
DEMO_REGION_CODE = env("DEMO_REGION_CODE", default="52")
# Share of the real densities that the synthetic registry (demo, benchmarks) draws.
SYNTHETIC_REGISTRY_SCALE = env.float("SYNTHETIC_REGISTRY_SCALE", default=1.0)

# SAS care requests (a patient's call, without identity) are kept one year, then purged by
# `manage.py sas_purge`: the yearly indicators and the annual activity report (which covers
# a calendar year) need the past twelve months; beyond that the data is no longer needed
# (GDPR data minimisation, article 5.1.e). The appointments stay, without their request.
SAS_CARE_REQUEST_RETENTION_DAYS = env.int("SAS_CARE_REQUEST_RETENTION_DAYS", default=365)

# Errors go to stderr with the request they happened in (method, path, user id, status):
# Django logs unhandled exceptions to "django.request", which by default writes nowhere
# once DEBUG is off.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "config.log_filters.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s%(request_context)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_context"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "interurps": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint warns about every CSS property it ignores when printing a PDF.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Cache of reference data (geography counts, map outlines) and of the PDF lock. Default:
# in the process (nothing to run). Several application servers can share one with
# CACHE_URL=redis://127.0.0.1:6379/1 (needs the « redis » package) or
# CACHE_URL=dbcache://interurps_cache (after « manage.py createcachetable »). Sessions are
# stored in the database (Django's default engine): any process serves any signed-in user.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# The territorial diagnostic's PDF takes a web worker for up to 20 s for a whole region:
# partners get it up to this many communes (federation staff without limit), and nobody
# runs two at once (a per-person lock in the cache, for at most DIAGNOSTIC_PDF_LOCK s; with
# Django's default per-process cache, at most one per gunicorn worker).
DIAGNOSTIC_PDF_MAX_COMMUNES = env.int("DIAGNOSTIC_PDF_MAX_COMMUNES", default=1500)
DIAGNOSTIC_PDF_LOCK = 300
# Communes listed in the PDF's table (the least served first beyond that; all on screen).
DIAGNOSTIC_PDF_COMMUNE_ROWS = env.int("DIAGNOSTIC_PDF_COMMUNE_ROWS", default=150)

# Uploaded files (meeting attachments…) are private: served through views that check
# permissions, never directly by the web server.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/fichiers/"
# Links sent by e-mail (registrations, calendar feeds) need the public address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Background jobs (interurps/jobs, README « Travaux en arrière-plan ») --------------
# django-tasks (the backport of Django's tasks framework) with its database backend: the
# queue is a table of the application's own database, so SQLite (development, the demo)
# and PostgreSQL (production) need no other service. `manage.py jobs_worker` runs a worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A job whose worker has not written its heartbeat for this many seconds is taken for
# dead (worker killed, machine restarted): it can be restarted, and a starting worker
# requeues it. Jobs write their heartbeat at each progress step (at most every few seconds).
JOBS_STALE_AFTER = env.int("JOBS_STALE_AFTER", default=600)

# --- Open API (interurps/api, README « API ouverte ») ----------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "interurps.api.authentication.ApiTokenAuthentication",
        # the browser's session (the documentation page's « Try it out »), CSRF checked
        "interurps.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "interurps.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "interurps.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API ouverte InterURPS",
    "DESCRIPTION": (
        "Données des fédérations régionales des URPS : CPTS, couverture, indicateurs "
        "territoriaux, décomptes d'activité, indicateurs du CPOM, événements. Lecture pour "
        "les partenaires ; écriture là où le rôle peut écrire sur les pages. Authentification "
        "par jeton personnel (`Authorization: Bearer <jeton>`, créé sur « Mon compte ») ou "
        "par session. Chaque réponse est limitée à ce que les pages montrent au même compte."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "interurps.events.models.Event.Kind",
        "EventStatusEnum": "interurps.events.models.Event.Status",
        "ProgrammeItemKindEnum": "interurps.events.models.ProgrammeItem.Kind",
        "MissionStatusEnum": "interurps.cpts.models.Mission.Status",
    },
}
