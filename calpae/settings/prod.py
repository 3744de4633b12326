"""Production: `gunicorn calpae.wsgi` (the Procfile, `make prod`). Every value comes from the environment
(docs/production.md lists them); `manage.py check --deploy` answers with no warning."""

from calpae.observabilite import initialiser_sentry

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env

# Behind the platform's TLS proxy: the request is HTTPS when the proxy says so.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Database connections kept by each process between requests (gunicorn's and the worker's): without it every request
# opened one, a new PostgreSQL backend with its authentication. A kept connection is checked before it is reused.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The platform's TLS proxy appends the client's address to X-Forwarded-For (core.clients.adresse_du_client).
CALPAE_PROXIES_DE_CONFIANCE = env.int("CALPAE_PROXIES_DE_CONFIANCE", default=1)
# Shared by every gunicorn process and server: the table is made by `createcachetable` (the Procfile's release).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://calpae_cache")}

# Logs on the standard output, one JSON object a line, without personal data (calpae.observabilite.FormatJson); the
# level is DJANGO_LOG_LEVEL's (base.py).
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "calpae.observabilite.FormatJson"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
}

# Errors to Sentry when a DSN is given, scrubbed of personal data (calpae.observabilite.nettoyer_evenement).
if SENTRY_DSN := env("SENTRY_DSN", default=""):
    initialiser_sentry(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Every report PDF is laid out by the worker, never in a web request: under load (benchmarks/charge.py, 10 of 50 users
# asking PDFs) in-request layouts took the 3 gunicorn processes past their 30 s timeout and every page waited. The user
# gets the waiting page, which shows the link as soon as the PDF is ready. Set it above 0 only with spare processes.
CALPAE_PDF_SYNCHRONE_MAX_OCTETS = env.int("CALPAE_PDF_SYNCHRONE_MAX_OCTETS", default=0)
