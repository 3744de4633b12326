"""What a report says, as plain data: stored with each transmitted version and compared between two versions, or
between this exercice and the previous one (fiches matched through their lineage).

Every stored field of the report, its sections, its fiches, their budgets (each part and each line) and the indicator
values is in it, read from the models' own fields (a field added later is compared too), each as the French text a
reader compares; the figures the report computes from them (prévu, exécuté, parts) besides."""

import datetime
from decimal import Decimal

from django.db import models

from budgets.calculs import montants_des_parts
from core.money import format_euros, format_number_fr

from .selectors import charger_exercice

FORMAT = 2  # 1: before every stored field was kept (fields absent from such a version are not compared)
# Identifiers, order and bookkeeping: not what a report says.
TECHNIQUES = {"cle", "ordre", "version", "updated_at", "created_at", "statut", "public_id"}


def valeur_lisible(champ, valeur) -> str:
    """A stored value as the reader sees it: `1 000 000,00 €`, `31/03/2020`, `oui`, a choice's label."""
    if valeur is None or valeur == "":
        return ""
    if champ.choices:
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return format_euros(valeur) if champ.max_digits == 14 else format_number_fr(valeur).removesuffix(",00")
    if isinstance(valeur, datetime.date):
        return f"{valeur:%d/%m/%Y}"
    return str(valeur)


def champs_stockes(objet, exclus=()) -> dict:
    """{label: value} of the object's own stored fields (no keys, relations, identifiers or bookkeeping)."""
    resultat = {}
    for champ in objet._meta.concrete_fields:
        if champ.primary_key or champ.is_relation or champ.name in TECHNIQUES or champ.name in exclus:
            continue
        if isinstance(champ, models.UUIDField):
            continue
        resultat[champ.verbose_name[:1].upper() + champ.verbose_name[1:]] = valeur_lisible(
            champ, getattr(objet, champ.attname)
        )
    return resultat


def decrire(objet, exclus=()) -> str:
    """One line for a part or a budget line: its non-empty fields, `Financeur : collectivité ; Montant : …`."""
    return " ; ".join(f"{nom} : {valeur}" for nom, valeur in champs_stockes(objet, exclus).items() if valeur)


def rubrique_budget(charge) -> dict:
    """A budget's own fields, then each part and each line by its rank (a changed amount shows on its row)."""
    rubrique = champs_stockes(charge.budget, exclus={"nature"})
    lignes = {ligne.pk: rang for rang, ligne in enumerate(charge.lignes, start=1)}
    for rang, part in enumerate(charge.parts, start=1):
        ligne = f" (ligne {lignes[part.ligne_id]})" if part.ligne_id in lignes else ""
        rubrique[f"Part {rang}{ligne}"] = decrire(part)
    for rang, ligne in enumerate(charge.lignes, start=1):
        rubrique[f"Ligne {rang}"] = decrire(ligne)
    return rubrique


def instantane(exercice, contenu=None) -> dict:
    contenu = contenu or charger_exercice(exercice)
    fiches = {}
    for s in contenu.fiches:
        fiche = s.fiche
        chiffres = s.chiffres
        rubriques = {
            "Textes": {
                **champs_stockes(fiche),
                **{t.titre: t.texte for t in fiche.sections_chargees},
            },
            "Budget": {
                "Prévu": format_euros(s.prevu),
                "Part État": format_euros(s.montants.etat),
                "Part collectivité": format_euros(s.montants.collectivite),
                "Exécuté": format_euros(s.execute_montant) if s.execute_montant is not None else "non chiffré",
                "Exécuté conforme au prévisionnel": "oui" if chiffres.conforme else "non",
            },
            "Rapport": champs_stockes(s.section) if s.section is not None else {},
            "Indicateurs": {},
        }
        if s.execute is not None:
            parts = chiffres.montants_executes or montants_des_parts(s.execute.parts, contenu.exercice.annees)
            rubriques["Budget"]["Exécuté, part État"] = format_euros(parts.etat)
            rubriques["Budget"]["Exécuté, part collectivité"] = format_euros(parts.collectivite)
        for charge in s.budgets_affiches:
            rubriques[charge.budget.get_nature_display()] = rubrique_budget(charge)
        for grille in s.grilles + s.grilles_partagees:
            for ligne in grille.lignes:
                for cellule in ligne.cellules:
                    nom = f"{ligne.indicateur.libelle[:90]}{f' ({ligne.dimension})' if ligne.dimension else ''}"
                    rubriques["Indicateurs"][f"{nom} – {cellule.jalon.libelle}"] = cellule.texte
        fiches[str(fiche.action_id)] = {"designation": f"{fiche.numero} : {fiche.titre}", "rubriques": rubriques}
    return {
        "format": FORMAT,
        "exercice": contenu.exercice.libelle,
        "rapport": champs_stockes(contenu.rapport),
        "fiches": fiches,
    }


def comparer(avant: dict, apres: dict, complet: bool):
    """(champ, before, after) for each value that changed, in the order of `apres`, then what `apres` no longer has.
    `complet` False (a version stored before every field was kept): only the fields both sides have."""
    for champ, valeur in apres.items():
        if champ not in avant and not complet:
            continue
        if (avant.get(champ) or "") != (valeur or ""):
            yield champ, avant.get(champ, ""), valeur
    if complet:
        for champ, valeur in avant.items():
            if champ not in apres and valeur:
                yield champ, valeur, ""


def ecarts_entre(avant: dict, apres: dict) -> list[dict]:
    """The differences, in the order of `apres`: [{objet, rubrique, champ, avant, apres}]; a fiche present on one side
    only is one row."""
    complet = min(avant.get("format", 1), apres.get("format", 1)) >= FORMAT
    ecarts = [
        {"objet": "Rapport", "rubrique": "", "champ": champ, "avant": ancien, "apres": nouveau}
        for champ, ancien, nouveau in comparer(avant["rapport"], apres["rapport"], complet)
    ]
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
        rubriques = list(fiche["rubriques"]) + [r for r in ancienne["rubriques"] if r not in fiche["rubriques"]]
        for rubrique in rubriques:
            anciens, nouveaux = ancienne["rubriques"].get(rubrique, {}), fiche["rubriques"].get(rubrique, {})
            if not complet and (rubrique not in fiche["rubriques"] or rubrique not in ancienne["rubriques"]):
                continue
            for champ, ancien, nouveau in comparer(anciens, nouveaux, complet):
                ecarts.append(
                    {
                        "objet": fiche["designation"],
                        "rubrique": rubrique,
                        "champ": champ,
                        "avant": ancien,
                        "apres": nouveau,
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
