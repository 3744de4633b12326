"""Import a convention's workbook in two steps: send it (checked, every error listed; or a preview of what it will
create and update), then confirm (written in one transaction). The template and an exercice's export are
downloads."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conventions.perms import get_exercice_for_user
from core.telechargement import XLSX, reponse_fichier
from rapports.selectors import charger_exercice

from .contrat import classeur_modele
from .forms import ImportForm
from .lecture import lire_classeur
from .models import ImportEnAttente
from .perms import can_import, get_import_for_user, refus_import
from .services import convention_importer

DUREE_ATTENTE = datetime.timedelta(days=1)  # a preview not confirmed by then is forgotten


def _verifier_droit(user):
    if not can_import(user):
        raise PermissionDenied("Seuls les agents des collectivités et les administrateurs importent un classeur.")


def _fil(courant):
    return {"links": [], "current": courant, "root_dir": ""}


def importer(request):
    _verifier_droit(request.user)
    ImportEnAttente.objects.filter(created_at__lt=timezone.now() - DUREE_ATTENTE).delete()
    form = ImportForm(request.POST or None, request.FILES or None)
    contexte = {
        "title": "Importer une convention",
        "form": form,
        "erreurs": [],
        "refus": None,
        "breadcrumb_data": _fil("Importer une convention"),
    }
    if request.method != "POST":
        return render(request, "importation/importer.html", contexte)
    if not form.is_valid():
        return render(request, "importation/importer.html", contexte, status=422)
    fichier = form.cleaned_data["fichier"]
    contenu = fichier.read()
    donnees, erreurs = lire_classeur(contenu)
    refus = refus_import(request.user, donnees) if donnees is not None else None
    if erreurs or refus:
        contexte |= {"erreurs": erreurs, "refus": refus, "nom_fichier": fichier.name}
        return render(request, "importation/importer.html", contexte, status=422)
    bilan = convention_importer(donnees=donnees, simulation=True)
    attente = ImportEnAttente.objects.create(user=request.user, nom_fichier=fichier.name[:255], contenu=contenu)
    contexte |= {"donnees": donnees, "bilan": bilan, "attente": attente, "title": "Vérifier l'import"}
    return render(request, "importation/apercu.html", contexte)


@require_POST
def confirmer(request, public_id):
    _verifier_droit(request.user)
    attente = get_import_for_user(request.user, public_id)
    donnees, erreurs = lire_classeur(bytes(attente.contenu))
    refus = refus_import(request.user, donnees) if donnees is not None else "Le classeur n'est plus valide."
    if erreurs or refus:  # the application's rules or the user's rights changed since the preview
        attente.delete()
        messages.error(request, refus or "Le classeur n'est plus valide : déposez-le à nouveau.")
        return redirect("importation:importer")
    bilan = convention_importer(donnees=donnees)
    attente.delete()
    messages.success(
        request,
        f"Import terminé : {len(bilan.crees)} élément(s) créé(s), {len(bilan.mis_a_jour)} mis à jour "
        f"({bilan.nb_fiches} fiches).",
    )
    return redirect(reverse("pages:exercice", args=[bilan.exercice.public_id]))


@require_safe
def modele(request):
    return reponse_fichier(classeur_modele(), "Modele_import_convention_CALPAE.xlsx", XLSX)


@require_safe
def exporter(request, public_id):
    """The exercice in the template's form: what a Département edits and imports back."""
    exercice = get_exercice_for_user(request.user, public_id)
    lu = charger_exercice(exercice, indicateurs=False, textes=False, sections=False, alertes=False)
    nom = f"Convention_{exercice.nom_court}_{exercice.libelle}".replace(" ", "-").replace("/", "-")
    return reponse_fichier(classeur_modele(lu), f"{nom}.xlsx", XLSX)
