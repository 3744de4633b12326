"""The client's address, behind the platform's proxies, and a counter of requests per client or per address.

Behind a TLS proxy the connecting address (`REMOTE_ADDR`) is the proxy's. Each proxy appends the address it received
the request from to `X-Forwarded-For`: with N trusted proxies in front of the application, the client is the N-th
address from the right. What stands further left was written by the client and is never believed.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def adresse_du_client(request) -> str | None:
    """The address the client connected from: the N-th entry from the right of `X-Forwarded-For` with N =
    `CALPAE_PROXIES_DE_CONFIANCE` (0: the header is ignored), else `REMOTE_ADDR` (no header, a chain shorter than the
    proxies, or an entry that is not an address). django-axes keys its lockout on it (`AXES_CLIENT_IP_CALLABLE`)."""
    connexion = request.META.get("REMOTE_ADDR")
    proxies = settings.CALPAE_PROXIES_DE_CONFIANCE
    if proxies <= 0:
        return connexion
    chaine = [adresse.strip() for adresse in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(chaine) < proxies or not chaine[-proxies]:
        return connexion
    try:
        return str(ipaddress.ip_address(chaine[-proxies]))
    except ValueError:
        return connexion


def dans_la_limite(nom: str, valeur: str, *, limite: int, fenetre: int) -> bool:
    """Counts one request for `valeur` (an address, an e-mail) under `nom`; False once more than `limite` were
    counted in the current window of `fenetre` seconds. Windows follow the clock (hour after hour for 3600 s): across
    the boundary of two windows, up to twice the limit may pass within a short time.

    Django's cache holds the counts: on several servers it must be shared (the database cache in production). The
    value is hashed: the cache holds no e-mail address, and the key is valid for every backend."""
    empreinte = hashlib.sha256(f"{nom}:{valeur}".encode()).hexdigest()
    cle = f"limite:{empreinte}:{int(time.time()) // fenetre}"
    if cache.add(cle, 1, timeout=fenetre):
        return 1 <= limite
    try:
        compte = cache.incr(cle)
    except ValueError:  # expired between the two calls: a new window
        cache.set(cle, 1, timeout=fenetre)
        return 1 <= limite
    # Django's generic incr (the database cache) writes the value back with the default timeout: keep the window's.
    cache.touch(cle, timeout=fenetre)
    return compte <= limite
