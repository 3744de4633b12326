import logging

from django.conf import settings
from django.contrib.auth.views import PasswordChangeView, PasswordResetView
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.clients import adresse_du_client, dans_la_limite

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
