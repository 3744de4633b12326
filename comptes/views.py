import logging

from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView, PasswordResetView
from django.contrib.messages.views import SuccessMessageMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from core.clients import adresse_du_client, dans_la_limite

from . import proconnect

logger = logging.getLogger(__name__)


@require_safe
def compte(request):
    """The signed-in user's account: name, e-mail, role, collectivités (their own, or those they follow)."""
    return render(
        request,
        "comptes/compte.html",
        {
            "title": "Mon compte",
            "collectivites": list(request.user.collectivites.order_by("nom")),
            "breadcrumb_data": {"links": [], "current": "Mon compte", "root_dir": ""},
        },
    )


class MotDePasseModifierView(SuccessMessageMixin, PasswordChangeView):
    """Django's password change (its validators), in French, with a message once done; the session stays open."""

    success_message = "Votre mot de passe est changé."


class MotDePasseOublieView(PasswordResetView):
    """Django's password reset, limited per client (`CALPAE_REINITIALISATION_PAR_CLIENT` requests an hour) and per
    address (`CALPAE_REINITIALISATION_PAR_ADRESSE`). Above a limit nothing is sent, and the page says what it says
    after any request: it reveals neither the limit nor whether the address has an account."""

    def form_valid(self, form):
        limites = (
            ("client", adresse_du_client(self.request) or "", settings.CALPAE_REINITIALISATION_PAR_CLIENT),
            ("adresse", form.cleaned_data["email"].lower(), settings.CALPAE_REINITIALISATION_PAR_ADRESSE),
        )
        for nom, valeur, limite in limites:
            if not dans_la_limite(f"reinitialisation-{nom}", valeur, limite=limite, fenetre=3600):
                logger.warning("Réinitialisation du mot de passe non envoyée : limite par %s atteinte.", nom)
                return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class ConnexionView(LoginView):
    """The password sign-in, and the ProConnect button beside it when ProConnect is enabled."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, proconnect=settings.PROCONNECT_ACTIF)


class ProConnectView(OIDCAuthenticationRequestView):
    """The ProConnect button: sends the browser to the provider with a new state and nonce (mozilla-django-oidc)."""

    def get(self, request):
        if not settings.PROCONNECT_ACTIF:
            raise Http404("ProConnect n'est pas activé.")
        return super().get(request)


class DeconnexionView(LogoutView):
    """Django's logout; after a ProConnect sign-in, the browser then goes to ProConnect to end its session too."""

    def post(self, request, *args, **kwargs):
        fin = proconnect.fin_de_session(request)  # before the logout empties the session and its id token
        reponse = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(fin) if fin else reponse
