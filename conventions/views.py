from django.shortcuts import render
from django.views.decorators.http import require_safe

from actions.suivi import alertes_liees, suivre
from budgets.enums import Financeur
from budgets.graphique import graphique_parite
from budgets.synthese import synthese_exercice
from comptes.enums import Role

from .perms import exercice_visible_ou_404, exercices_visibles, peut_modifier


def _exercices(user):
    return (
        exercices_visibles(user)
        .select_related("convention__collectivite", "collectivite_signataire", "rapport")
        .order_by("-date_fin", "convention__collectivite__code_insee")
    )


def _courant(exercices):
    """The exercice to work on: the most recent one whose report is not transmitted yet (else the most recent)."""
    a_faire = [e for e in exercices if not (e.rapport_existant and e.rapport_existant.is_transmitted())]
    return (a_faire or exercices or [None])[0]


@require_safe
def accueil(request):
    exercices = list(_exercices(request.user))
    contexte = {"title": "Accueil", "exercices": exercices, "courant": None}
    if request.user.role == Role.AGENT:
        exercice_courant = _courant(exercices)
        courant = suivre([exercice_courant])[0] if exercice_courant else None
        contexte.update(
            courant=courant,
            alertes=alertes_liees(courant) if courant else [],
            peut_modifier=bool(courant) and peut_modifier(request.user, courant.exercice),
        )
    return render(request, "conventions/accueil.html", contexte)


def lignes_synthese(synthese, donnees):
    """The synthesis table's rows in reading order: group, sub-group headings, fiches, group total, overall total."""
    textes = {}
    for fiche_chargee in donnees.fiches:
        prev = fiche_chargee.previsionnel()
        for part in prev.parts if prev else []:
            if part.financeur == Financeur.COLLECTIVITE and part.montant is None and part.texte and not part.ligne_id:
                textes.setdefault(fiche_chargee.fiche.pk, part.texte)
    lignes = []
    for groupe in synthese.groupes:
        lignes.append({"type": "groupe", "groupe": groupe.groupe})
        sous_groupe = None
        for ligne in groupe.lignes:
            fiche = ligne.fiche
            if fiche.groupe_id != groupe.groupe.pk and fiche.groupe_id != sous_groupe:
                sous_groupe = fiche.groupe_id
                lignes.append({"type": "sous_groupe", "groupe": fiche.groupe})
            lignes.append(
                {
                    "type": "fiche",
                    "fiche": fiche,
                    "montants": ligne.montants,
                    "annees": [ligne.etat_par_annee.get(annee) for annee in synthese.annees],
                    "texte_collectivite": textes.get(fiche.pk, ""),
                }
            )
        lignes.append(
            {
                "type": "total",
                "texte_collectivite": "",
                "libelle": f"Total {groupe.groupe.code}",
                "montants": groupe.montants,
                "annees": [groupe.etat_par_annee(annee) for annee in synthese.annees],
            }
        )
    if len(synthese.groupes) > 1:
        lignes.append(
            {
                "type": "total_general",
                "texte_collectivite": "",
                "libelle": "Total " + "+".join(g.groupe.code for g in synthese.groupes),
                "montants": synthese.montants,
                "annees": [synthese.etat_par_annee(annee) for annee in synthese.annees],
            }
        )
    return lignes


@require_safe
def exercice(request, public_id):
    exercice = exercice_visible_ou_404(request.user, public_id)
    suivi = suivre([exercice])[0]
    synthese = synthese_exercice(exercice, donnees=suivi.donnees)
    graphique = graphique_parite(
        (f"{g.groupe.code} · {ligne.fiche.numero}", ligne.fiche.titre, ligne.montants.etat, ligne.montants.collectivite)
        for g in synthese.groupes
        for ligne in g.lignes
    )
    return render(
        request,
        "conventions/exercice.html",
        {
            "title": f"{exercice.signataire.nom_court} – exercice {exercice.libelle}",
            "exercice": exercice,
            "suivi": suivi,
            "alertes": alertes_liees(suivi),
            "synthese": synthese,
            "lignes": lignes_synthese(synthese, suivi.donnees),
            "avec_autres": bool(synthese.montants.autres),
            "nb_colonnes": (len(synthese.annees) if len(synthese.annees) > 1 else 0)
            + 5
            + bool(synthese.montants.autres),
            "graphique": graphique,
            "peut_modifier": peut_modifier(request.user, exercice),
            "breadcrumb_data": {
                "links": [],
                "root_dir": "",
                "current": f"Exercice {exercice.libelle}",
            },
        },
    )
