"""Sessions end: CALPAE_SESSION_INACTIVITE seconds without a request, or CALPAE_SESSION_DUREE_MAX seconds after the
sign-in whatever the activity (docs/production.md). The user then signs in again, told why, and comes back to the
page asked for."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

# The two limits of a signed-in session (docs/production.md): without a request for CALPAE_SESSION_INACTIVITE seconds,
# or CALPAE_SESSION_DUREE_MAX seconds after the sign-in whatever the activity, the user signs in again.
CLE_DEBUT, CLE_ACTIVITE = "calpae_connexion_le", "calpae_activite_le"
# The last activity is written at most this often (not a session write on every page).
PAS_ACTIVITE = 60


@receiver(user_logged_in)
def noter_connexion(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        maintenant = int(time.time())
        request.session[CLE_DEBUT] = request.session[CLE_ACTIVITE] = maintenant


class DureeDeSession:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            maintenant = int(time.time())
            debut = request.session.get(CLE_DEBUT, maintenant)
            activite = request.session.get(CLE_ACTIVITE, maintenant)
            if (
                maintenant - debut > settings.CALPAE_SESSION_DUREE_MAX
                or maintenant - activite > settings.CALPAE_SESSION_INACTIVITE
            ):
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
                return redirect_to_login(request.get_full_path())
            if maintenant - activite >= PAS_ACTIVITE:
                request.session[CLE_ACTIVITE] = maintenant
        return self.get_response(request)
