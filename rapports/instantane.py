"""What a report says, as plain data: stored with each transmitted version and compared between two versions, or
between this exercice and the previous one (fiches matched through their lineage)."""

from budgets.calculs import montants_des_parts
from core.money import format_euros

from .selectors import charger_exercice


def instantane(exercice, contenu=None) -> dict:
    contenu = contenu or charger_exercice(exercice)
    fiches = {}
    for s in contenu.fiches:
        fiche = s.fiche
        rubriques = {
            "Textes": {
                "Titre": fiche.titre,
                "Description": fiche.description,
                "Déclinaison": fiche.declinaison,
                **{t.titre: t.texte for t in fiche.sections_chargees},
            },
            "Budget": {
                "Prévu": format_euros(s.prevu),
                "Part État": format_euros(s.montants.etat),
                "Part collectivité": format_euros(s.montants.collectivite),
                "Exécuté": format_euros(s.execute_montant) if s.execute_montant is not None else "non chiffré",
            },
            "Rapport": {
                "FAPI": s.fapi,
                "Bilan d'exécution": s.bilan,
                "Perspectives": s.perspectives,
                "Explication des écarts": s.explication,
            },
            "Indicateurs": {},
        }
        if s.execute is not None:
            parts = montants_des_parts(s.execute.parts, contenu.exercice.annees)
            rubriques["Budget"]["Exécuté, part État"] = format_euros(parts.etat)
        for grille in s.grilles + s.grilles_partagees:
            for ligne in grille.lignes:
                for cellule in ligne.cellules:
                    nom = f"{ligne.indicateur.libelle[:90]}{f' ({ligne.dimension})' if ligne.dimension else ''}"
                    rubriques["Indicateurs"][f"{nom} – {cellule.jalon.libelle}"] = cellule.texte
        fiches[str(fiche.action_id)] = {"designation": f"{fiche.numero} : {fiche.titre}", "rubriques": rubriques}
    return {
        "exercice": contenu.exercice.libelle,
        "rapport": {"Avant-propos": contenu.rapport.avant_propos, "Bilan global": contenu.rapport.bilan_global},
        "fiches": fiches,
    }


def ecarts_entre(avant: dict, apres: dict) -> list[dict]:
    """The differences, in the order of `apres`: [{objet, rubrique, champ, avant, apres}]; a fiche present on one side
    only is one row."""
    ecarts = []
    for champ, texte in apres["rapport"].items():
        if (avant["rapport"].get(champ) or "") != (texte or ""):
            ecarts.append(
                {
                    "objet": "Rapport",
                    "rubrique": "",
                    "champ": champ,
                    "avant": avant["rapport"].get(champ),
                    "apres": texte,
                }
            )
    for cle, fiche in apres["fiches"].items():
        ancienne = avant["fiches"].get(cle)
        if ancienne is None:
            ecarts.append(
                {
                    "objet": fiche["designation"],
                    "rubrique": "",
                    "champ": "Fiche",
                    "avant": "absente",
                    "apres": "nouvelle",
                }
            )
            continue
        for rubrique, champs in fiche["rubriques"].items():
            anciens = ancienne["rubriques"].get(rubrique, {})
            for champ, valeur in champs.items():
                if (anciens.get(champ) or "") != (valeur or ""):
                    ecarts.append(
                        {
                            "objet": fiche["designation"],
                            "rubrique": rubrique,
                            "champ": champ,
                            "avant": anciens.get(champ, ""),
                            "apres": valeur,
                        }
                    )
    for cle, fiche in avant["fiches"].items():
        if cle not in apres["fiches"]:
            ecarts.append(
                {
                    "objet": fiche["designation"],
                    "rubrique": "",
                    "champ": "Fiche",
                    "avant": "présente",
                    "apres": "absente",
                }
            )
    return ecarts
