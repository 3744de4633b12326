"""Production: `gunicorn calpae.wsgi` (the Procfile, `make prod`). Every value comes from the environment
(docs/production.md lists them); `manage.py check --deploy` answers with no warning."""

from .base import *  # noqa: F403
from .base import env

# Behind the platform's TLS proxy: the request is HTTPS when the proxy says so.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# The platform's TLS proxy appends the client's address to X-Forwarded-For (core.clients.adresse_du_client).
CALPAE_PROXIES_DE_CONFIANCE = env.int("CALPAE_PROXIES_DE_CONFIANCE", default=1)
# Shared by every gunicorn process and server: the table is made by `createcachetable` (the Procfile's release).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://calpae_cache")}
