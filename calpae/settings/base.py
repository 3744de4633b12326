"""Settings safe for production: everything that differs comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_htmx",
    "rules",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "comptes",
    "conventions",
    "actions",
    "budgets",
    "indicateurs",
    "rapports",
    "pages",
    "exemples",
    "importation",
    "avenants",
    "gestion",
]

MIDDLEWARE = [
    "calpae.sante.SondeDeSante",  # /sante/, before the host check and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "comptes.sessions.DureeDeSession",  # idle and maximum session times
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.PasDeCachePourLesComptes",
]

# Object permissions (rules predicates) first, then Django's model permissions (the admin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a login while its attempts are locked out
    "rules.permissions.ObjectPermissionBackend",
    "comptes.backends.MotDePasseBackend",  # Django's ModelBackend, refusing the accounts set to ProConnect only
    "comptes.proconnect.ProConnectBackend",  # answers only the ProConnect callback, and only when it is enabled
]

ROOT_URLCONF = "calpae.urls"
WSGI_APPLICATION = "calpae.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
            ],
        },
    },
]

# django-dsfr's forms otherwise instantiate a new renderer (and template engine) per form: one shared renderer, whose
# engine caches the widget templates, makes a page of formsets several times faster.
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"

# SQLite by default (embedded); PostgreSQL in production and in the second CI run.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers: WAL journal and immediate transactions, else "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The cache holds the password reset counts. In memory by default (one process); several servers share one: the
# production settings default to the database cache, `CACHE_URL` chooses another (django-environ's cache URLs).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login attempts throttled (django-axes): after 5 failures for an address and account, 15 minutes' wait.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "comptes/bloque.html"
AXES_VERBOSE = False
# The client's address behind the platform's proxies (core.clients): the lockout and the reset limits key on it.
AXES_CLIENT_IP_CALLABLE = "core.clients.adresse_du_client"
# How many proxies stand in front of the application and append to X-Forwarded-For (0: the header is ignored).
CALPAE_PROXIES_DE_CONFIANCE = env.int("CALPAE_PROXIES_DE_CONFIANCE", default=0)
# Password reset: at most so many requests an hour for one address, and from one client (comptes.views).
CALPAE_REINITIALISATION_PAR_ADRESSE = env.int("CALPAE_REINITIALISATION_PAR_ADRESSE", default=3)
CALPAE_REINITIALISATION_PAR_CLIENT = env.int("CALPAE_REINITIALISATION_PAR_CLIENT", default=10)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link is valid one day

LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "comptes:connexion"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Off on purpose: with it, the year 2026 prints as "2 026". Amounts go through the |euros filter.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"  # never served: stored files are downloaded through views that check rights
# Stored files (transmitted versions' PDF and workbook, prepared PDFs): the disk above, or an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set (django-storages; the platform's object storage). Names are unique, never overwritten;
# the bucket stays private. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "file_overwrite": False,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

# django-dsfr
DSFR_MARK_OPTIONAL_FIELDS = True
DSFR_USE_INTEGRITY_CHECKSUMS = False  # the manifest storage changes the files the shipped hashes describe
# An execution rate outside this range (in percent of plan) raises a warning on the fiche (budgets.coherence).
CALPAE_TAUX_EXECUTION_MIN = env.int("CALPAE_TAUX_EXECUTION_MIN", default=50)
CALPAE_TAUX_EXECUTION_MAX = env.int("CALPAE_TAUX_EXECUTION_MAX", default=150)
DSFR_CONTENT_IS_SAFE = False  # the tags escape what they are given (True marks it safe: an XSS risk, its issue #299)

# The application's public address: the links of the e-mails it sends are absolute.
CALPAE_URL_PUBLIQUE = env("CALPAE_URL_PUBLIQUE", default="http://127.0.0.1:8000")
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="CALPAE <ne-pas-repondre@calpae.gouv.fr>")

SESSION_COOKIE_HTTPONLY = True
# A session ends after 4 hours without a request, and 12 hours after the sign-in whatever the activity.
CALPAE_SESSION_INACTIVITE = env.int("CALPAE_SESSION_INACTIVITE", default=4 * 3600)
CALPAE_SESSION_DUREE_MAX = env.int("CALPAE_SESSION_DUREE_MAX", default=12 * 3600)
SESSION_COOKIE_AGE = CALPAE_SESSION_DUREE_MAX
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each rendering step at INFO; its warnings (a refused resource) still show.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Background jobs (django-tasks): the transmitted version's PDF is laid out by a worker, `python manage.py db_worker`
# (`make run` starts one). The database backend needs no other service, and several workers share it safely (jobs are
# claimed with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL). With REDIS_URL set the same jobs go to a Redis queue
# (django-tasks-rq), worked by `python manage.py rqworker default --job-class django_tasks_rq.Job` (docs/production.md);
# core.taches.mettre_en_file then enqueues once the transaction is committed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A long report takes WeasyPrint a minute at worst: ten leave room on a busy machine.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# The report's PDF is laid out in the request up to this much HTML (about 90 pages, under 10 s), else in the
# background (rapports.views.pdf).
CALPAE_PDF_SYNCHRONE_MAX_OCTETS = env.int("CALPAE_PDF_SYNCHRONE_MAX_OCTETS", default=300_000)
# After a change to a report, its PDF is laid out in the background once nothing changed for this many seconds
# (rapports.revisions), so that downloading it is immediate. Empty or 0: only when asked for.
CALPAE_PDF_PREPARE_APRES_SECONDES = int(env.str("CALPAE_PDF_PREPARE_APRES_SECONDES", default="60") or 0) or None
# /sante/ says "degrade" when the oldest queued job has waited longer than this (the worker is down or late).
CALPAE_SANTE_FILE_MAX_SECONDES = env.int("CALPAE_SANTE_FILE_MAX_SECONDES", default=900)

# ProConnect, the State's OpenID Connect sign-in for agents (mozilla-django-oidc), beside the password: enabled when
# its three variables are set (docs/production.md). Users are matched on the provider's `sub` once linked; the first
# link is made by e-mail to an existing account (comptes.proconnect); signing in never creates an account.
PROCONNECT_DOMAINE = env("PROCONNECT_DOMAINE", default="").rstrip("/")  # e.g. https://fca.integ01.dev-agentconnect.fr
OIDC_RP_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
PROCONNECT_ACTIF = bool(PROCONNECT_DOMAINE and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET)
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROCONNECT_DOMAINE}/api/v2/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{PROCONNECT_DOMAINE}/api/v2/token"
OIDC_OP_USER_ENDPOINT = f"{PROCONNECT_DOMAINE}/api/v2/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{PROCONNECT_DOMAINE}/api/v2/jwks"
PROCONNECT_FIN_DE_SESSION = f"{PROCONNECT_DOMAINE}/api/v2/session/end"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email given_name usual_name uid siret idp_id"
OIDC_STATE_SIZE = OIDC_NONCE_SIZE = 32  # ProConnect's minimum
OIDC_STORE_ID_TOKEN = True  # the id token is the hint that ends the ProConnect session at logout
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env.int("PROCONNECT_DELAI", default=10)  # seconds to wait for ProConnect's token and userinfo answers
OIDC_AUTHENTICATION_CALLBACK_URL = "comptes:proconnect_retour"
OIDC_CALLBACK_CLASS = "comptes.proconnect.Retour"
# Who to ask for an account (the page shown to an unknown person), and the contact of the accessibility statement.
CALPAE_CONTACT = env("CALPAE_CONTACT", default="contact@calpae.gouv.fr")
# The legal notice: who publishes the service and who hosts it.
CALPAE_EDITEUR = env("CALPAE_EDITEUR", default="À renseigner (variable CALPAE_EDITEUR)")
CALPAE_DIRECTEUR_PUBLICATION = env(
    "CALPAE_DIRECTEUR_PUBLICATION", default="À renseigner (variable CALPAE_DIRECTEUR_PUBLICATION)"
)
CALPAE_HEBERGEUR = env("CALPAE_HEBERGEUR", default="À renseigner (variable CALPAE_HEBERGEUR)")
CALPAE_HEBERGEUR_ADRESSE = env("CALPAE_HEBERGEUR_ADRESSE", default="")

# Content Security Policy (django-csp): only our own scripts, styles, fonts and images, all served as files (no page
# has an inline script or style: no nonce needed). Nothing from elsewhere, no framing; forms post to the application.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PROCONNECT_ACTIF:
    # The ProConnect button and the logout form end in a redirect to ProConnect: browsers apply form-action to it.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(PROCONNECT_DOMAINE)
