"""A route that fails, for tests/production/test_observabilite.py: its error names a person and an address."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def echec(request, numero):
    destinataire = "camille.martin@exemple.fr"
    client = "203.0.113.7"
    raise RuntimeError(f"Envoi impossible à {destinataire} depuis {client}")


urlpatterns = [path("echec/<int:numero>/", echec)]
