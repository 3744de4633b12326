from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from actions.models import Fiche
from actions.navigation import fil_d_ariane
from conventions.perms import can_prepare_avenant, exercice_precedent, get_exercice_for_user
from rapports.etat import decision_refaction
from rapports.selectors import charger_exercices

from .changements import changements as changements_de
from .forms import AvenantForm
from .services import avenant_preparer


def preparer(request, public_id):
    """Prepare the next avenant of an exercice: its period, the fiches carried forward."""
    exercice = get_exercice_for_user(request.user, public_id)
    if not can_prepare_avenant(request.user, exercice):
        raise PermissionDenied("Seuls les agents de la collectivité préparent l'avenant suivant.")
    fiches = Fiche.objects.filter(exercice=exercice).order_by("ordre")
    form = AvenantForm(request.POST if request.method == "POST" else None, exercice=exercice, fiches=fiches)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        nouvel = avenant_preparer(
            exercice=exercice,
            libelle=donnees["libelle"],
            date_debut=donnees["date_debut"],
            date_fin=donnees["date_fin"],
            date_limite_rapport=donnees["date_limite_rapport"],
            fiches=donnees["fiches"],
            motif_arret=donnees["motif_arret"].strip(),
            user=request.user,
        )
        messages.success(
            request,
            f"L'exercice {nouvel.libelle} est prêt avec {len(donnees['fiches'])} fiche(s) reconduite(s) : "
            "modifiez, ajoutez ou arrêtez des fiches, puis saisissez les montants.",
        )
        return redirect("avenants:changements", public_id=nouvel.public_id)
    return render(
        request,
        "avenants/preparer.html",
        {
            "title": f"Préparer l'avenant qui suit l'exercice {exercice.libelle}",
            "exercice": exercice,
            "form": form,
            "decision_refaction": decision_refaction(exercice),
            "breadcrumb_data": fil_d_ariane(exercice, courant="Préparer l'avenant suivant"),
        },
        status=422 if form.errors else 200,
    )


@require_safe
def changements(request, public_id):
    """What this exercice changes against the one before it in its convention."""
    exercice = get_exercice_for_user(request.user, public_id)
    precedent = exercice_precedent(exercice)
    if precedent is None:
        raise Http404("Cet exercice est le premier de sa convention : il n'a pas d'exercice précédent.")
    avant, apres = charger_exercices(
        [precedent, exercice], indicateurs=False, textes=False, sections=False, alertes=False
    )
    return render(
        request,
        "avenants/changements.html",
        {
            "title": f"Ce que change l'exercice {exercice.libelle}",
            "exercice": exercice,
            "precedent": precedent,
            "changements": changements_de(avant, apres),
            "decision_refaction": decision_refaction(precedent),
            "credit_non_consomme": avant.credit_non_consomme,
            "breadcrumb_data": fil_d_ariane(exercice, courant="Ce qui change"),
        },
    )
