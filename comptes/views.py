from django.contrib.auth.views import PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import render
from django.views.decorators.http import require_safe


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
