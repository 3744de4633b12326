from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from actions.navigation import fil_d_ariane, lien_fiche, lien_fiches
from actions.perms import get_fiche_for_user
from core.saisie import caractere_nul

from .grilles import charger_tableaux
from .parsing import parse_valeur
from .services import valeurs_enregistrer

LONGUEUR_MAX = 500


def _cellules(grilles):
    """{key: (grille, ligne, cellule)} for every editable cell; the key names the form fields of the cell."""
    cellules = {}
    for grille in grilles:
        for rang, ligne in enumerate(grille.lignes):
            if ligne.a_des_sous_items and not any(c.valeur for c in ligne.cellules):
                continue
            for cellule in ligne.cellules:
                cle = f"{ligne.indicateur.pk}_{cellule.jalon.pk}_{rang}"
                cellule.cle = cle
                cellules[cle] = (grille, ligne, cellule)
    return cellules


def saisie(request, public_id):
    fiche = get_fiche_for_user(request.user, public_id, for_write=True)
    exercice = fiche.exercice
    grilles = charger_tableaux([exercice], fiche=fiche).get(exercice.pk, [])
    cellules = _cellules(grilles)
    erreurs, conflits, saisies = {}, {}, {}
    if request.method == "POST":
        modifiees = []
        for cle, (_grille, ligne, cellule) in cellules.items():
            texte = request.POST.get(f"t_{cle}")
            if texte is None:
                continue
            texte = texte.strip()
            origine = request.POST.get(f"o_{cle}", "")
            if texte == origine.strip():
                continue
            saisies[cle] = texte
            if len(texte) > LONGUEUR_MAX:
                erreurs[cle] = f"{LONGUEUR_MAX} caractères au plus : résumez, le détail va dans le bilan."
                continue
            if refus_nul := caractere_nul(texte):
                erreurs[cle] = refus_nul
                continue
            try:
                version = int(request.POST.get(f"v_{cle}", "0"))
            except ValueError:
                version = 0
            modifiees.append((cle, ligne, cellule, texte, version))
        if not erreurs:
            conflits = valeurs_enregistrer(modifications=modifiees)
            if not conflits:
                n = len(modifiees)
                messages.success(
                    request,
                    ngettext("%(n)d valeur enregistrée.", "%(n)d valeurs enregistrées.", n) % {"n": n}
                    if n
                    else "Rien à enregistrer.",
                )
                return redirect(reverse("pages:fiche", args=[fiche.public_id]) + "#indicateurs")
            # Someone else saved some cells: reload what is saved now, keep what this user typed.
            grilles = charger_tableaux([exercice], fiche=fiche).get(exercice.pk, [])
            cellules = _cellules(grilles)
    for cle, (_grille, _ligne, cellule) in cellules.items():
        cellule.saisie = saisies.get(cle, cellule.texte)
        cellule.erreur = erreurs.get(cle)
        cellule.conflit = conflits.get(cle)
        cellule.lecture = parse_valeur(cellule.saisie).description if cellule.saisie else ""
    return render(
        request,
        "indicateurs/saisie.html",
        {
            "title": f"Indicateurs – {fiche.designation}",
            "fiche": fiche,
            "grilles": grilles,
            "erreurs": erreurs,
            "conflits": conflits,
            "breadcrumb_data": fil_d_ariane(exercice, lien_fiches(exercice), lien_fiche(fiche), courant="Indicateurs"),
        },
        status=409 if conflits else 422 if erreurs else 200,
    )


@require_GET
def lecture(request):
    """htmx: how a value being typed is read ("nombre : 4 827", "non disponible")."""
    texte = next(iter(request.GET.values()), "")
    return HttpResponse(format_html("{}", parse_valeur(texte[:LONGUEUR_MAX]).description))
