"""ProConnect, the State's OpenID Connect sign-in for agents, through mozilla-django-oidc (docs/production.md).

- A person is found by the provider's `sub` once linked. The first time, the account is found by the e-mail the
  provider gives (the person's identity provider vouches for it; an `email_verified` set to false is refused) and the
  `sub` is kept on it. Signing in never creates an account: an administrator creates accounts and their rights.
- An account already linked to another `sub` is not linked again (ProConnect gives one `sub` per identity provider:
  an administrator empties the link when an agent's provider changes).
- Any failure (state or nonce that does not match, a token badly signed, expired or meant for another service, the
  provider down) ends on a French page saying what to do; nothing is saved.
- The id token is kept in the session: the logout sends the browser to ProConnect to end its session too.
"""

import enum
import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .models import User

logger = logging.getLogger(__name__)


class Refus(enum.Enum):
    """Why a ProConnect sign-in did not open a session (comptes/proconnect_refus.html says it in French)."""

    INCONNU = "inconnu"  # no account at this e-mail
    DEJA_LIE = "deja_lie"  # the account at this e-mail is linked to another ProConnect identity
    DESACTIVE = "desactive"
    ECHEC = "echec"  # state, nonce, signature, expiry, audience, the provider's answer

    @property
    def status(self):
        return 400 if self is Refus.ECHEC else 403


class ProConnectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the callback passes a nonce: a password sign-in never reaches the provider.
        if not settings.PROCONNECT_ACTIF or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException, ValueError) as erreur:
            logger.warning("Connexion ProConnect refusée : %s", erreur)
            request.proconnect_refus = getattr(request, "proconnect_refus", None) or (Refus.ECHEC, "")
            return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc checks the signature (the provider's JWKS), the expiry and the nonce; the id token
        (the only one checked with a nonce) must also come from this provider and be meant for this service."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("id token meant for another service")
            if payload.get("iss") != f"{settings.PROCONNECT_DOMAINE}/api/v2":
                raise SuspiciousOperation("id token from another issuer")
            if "exp" not in payload or not payload.get("sub"):
                raise SuspiciousOperation("id token without exp or sub")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        sub = claims.get("sub")
        if not sub or sub != payload.get("sub"):
            raise SuspiciousOperation("userinfo sub differs from the id token's")
        email = str(claims.get("email") or "").strip().lower()
        user = User.objects.filter(proconnect_sub=sub).first()
        if user is None:
            if not email or claims.get("email_verified") is False:
                raise SuspiciousOperation("no verified e-mail")
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                return self.refuser(Refus.INCONNU, email)
            if user.proconnect_sub:
                return self.refuser(Refus.DEJA_LIE, email)
            user.proconnect_sub = sub
            user.save(update_fields=["proconnect_sub"])
            logger.info("Compte %s lié à ProConnect", user.pk)
        if not user.is_active:
            return self.refuser(Refus.DESACTIVE, email)
        return user

    def refuser(self, refus, email):
        logger.warning("Connexion ProConnect refusée (%s)", refus.name)
        self.request.proconnect_refus = (refus, email)
        return None


class Retour(OIDCAuthenticationCallbackView):
    """The provider's redirect back (`comptes:proconnect_retour`): mozilla-django-oidc's view, whose failures end on
    a French page instead of a bare redirect or a 400."""

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as erreur:  # a state this browser did not ask for
            logger.warning("Retour ProConnect refusé : %s", erreur)
            return self.login_failure()

    def login_failure(self):
        refus, email = getattr(self.request, "proconnect_refus", None) or (Refus.ECHEC, "")
        contexte = {
            "title": "Connexion avec ProConnect impossible",
            "refus": refus.value,
            "email": email,
            "contact": settings.CALPAE_CONTACT,
        }
        return render(self.request, "comptes/proconnect_refus.html", contexte, status=refus.status)


def fin_de_session(request):
    """The address that ends the ProConnect session (read before the local logout empties the session), or None
    for a password sign-in."""
    id_token = request.session.get("oidc_id_token")
    if not settings.PROCONNECT_ACTIF or not id_token:
        return None
    parametres = {
        "id_token_hint": id_token,
        "state": get_random_string(32),
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("comptes:connexion")),
    }
    return f"{settings.PROCONNECT_FIN_DE_SESSION}?{urlencode(parametres)}"
