from django.shortcuts import render

from .models import Exercice
from .perms import collectivites_visibles


def accueil(request):
    exercices = (
        Exercice.objects.for_collectivites(collectivites_visibles(request.user))
        .select_related("convention__collectivite", "collectivite_signataire")
        .order_by("convention__collectivite__code_insee", "-date_debut")
    )
    return render(request, "conventions/accueil.html", {"exercices": exercices, "title": "Accueil"})
