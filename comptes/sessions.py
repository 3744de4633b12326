"""Sessions end: CALPAE_SESSION_INACTIVITE seconds without a request, or CALPAE_SESSION_DUREE_MAX seconds after the
sign-in whatever the activity (docs/production.md). The user then signs in again, told why, and comes back to the
page asked for. A form sent just after the session ended is not lost: what it carried is kept in the new session,
and once the same person has signed in again, the page offers to send it again (files excepted)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import render

# The two limits of a signed-in session (docs/production.md): without a request for CALPAE_SESSION_INACTIVITE seconds,
# or CALPAE_SESSION_DUREE_MAX seconds after the sign-in whatever the activity, the user signs in again.
CLE_DEBUT, CLE_ACTIVITE = "calpae_connexion_le", "calpae_activite_le"
# The last activity is written at most this often (not a session write on every page).
PAS_ACTIVITE = 60
# A form sent after the session ended: kept for its author, up to this size (characters of its values).
CLE_SAISIE = "calpae_saisie_interrompue"
SAISIE_MAX = 2_000_000


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
                saisie = saisie_interrompue(request)
                logout(request)
                if saisie:
                    request.session[CLE_SAISIE] = saisie
                    messages.info(
                        request,
                        "Votre session a expiré avant l'enregistrement : reconnectez-vous, "
                        "votre saisie vous sera proposée à nouveau.",
                    )
                else:
                    messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
                return redirect_to_login(request.get_full_path())
            if maintenant - activite >= PAS_ACTIVITE:
                request.session[CLE_ACTIVITE] = maintenant
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """After the URL is resolved (the page's layout needs it): an interrupted form of this page, offered again."""
        if request.method == "GET" and request.user.is_authenticated and CLE_SAISIE in request.session:
            return proposer_saisie(request)
        return None


def saisie_interrompue(request) -> dict | None:
    """What a form sent after the session ended carried, with its author and its address; None for anything else."""
    if request.method != "POST":
        return None
    donnees = {cle: request.POST.getlist(cle) for cle in request.POST if cle != "csrfmiddlewaretoken"}
    if not donnees or sum(len(v) for valeurs in donnees.values() for v in valeurs) > SAISIE_MAX:
        return None
    return {"compte": request.user.pk, "chemin": request.path, "donnees": donnees, "fichiers": bool(request.FILES)}


def proposer_saisie(request):
    """Back on the page of an interrupted form, its author is offered to send it again (the view then checks rights,
    values and versions as for any sending); anyone else's kept sending is dropped."""
    saisie = request.session[CLE_SAISIE]
    if saisie.get("compte") != request.user.pk:
        del request.session[CLE_SAISIE]
        return None
    if saisie.get("chemin") != request.path:
        return None
    del request.session[CLE_SAISIE]
    champs = [(cle, valeur) for cle, valeurs in saisie["donnees"].items() for valeur in valeurs]
    textes = [valeur for cle, valeur in champs if len(valeur.strip()) > 1 and not cle.endswith(("version", "-id"))]
    contexte = {"chemin": request.path, "champs": champs, "textes": textes, "fichiers": saisie.get("fichiers")}
    return render(request, "comptes/saisie_interrompue.html", {"title": "Saisie non enregistrée", **contexte})
