from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from . import proconnect


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
