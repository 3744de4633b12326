"""The rows of the exercice page's synthesis table (seed 002's « SYNTHESE DES ACTIONS »), from the read model."""


def rangees_synthese(lu) -> list[dict]:
    """In reading order: group, sub-group headings, fiches, group total, overall total (`lu`: ExerciceLu)."""
    lignes = []
    for groupe in lu.groupes:
        lignes.append({"type": "groupe", "groupe": groupe.groupe})
        sous_groupe = None
        for fiche_lue in groupe.fiches:
            fiche = fiche_lue.fiche
            if fiche.groupe_id != groupe.groupe.pk and fiche.groupe_id != sous_groupe:
                sous_groupe = fiche.groupe_id
                lignes.append({"type": "sous_groupe", "groupe": fiche.groupe})
            lignes.append(
                {
                    "type": "fiche",
                    "fiche": fiche,
                    "chiffres": fiche_lue.chiffres,
                    "montants": fiche_lue.montants,
                    "annees": [fiche_lue.chiffres.part_etat_par_annee.get(annee) for annee in lu.annees],
                    "texte_collectivite": fiche_lue.chiffres.texte_collectivite,
                }
            )
        lignes.append(_total(f"Total {groupe.code}", groupe, lu.annees, "total"))
    if len(lu.groupes) > 1:
        lignes.append(_total("Total " + "+".join(g.code for g in lu.groupes), lu, lu.annees, "total_general"))
    return lignes


def _total(libelle, totaux, annees, type_):
    return {
        "type": type_,
        "texte_collectivite": "",
        "libelle": libelle,
        "montants": totaux.montants,
        "prevu": totaux.prevu,
        "annees": [totaux.part_etat_par_annee(annee) for annee in annees],
    }
