"""The dashboard's and the comparison's Excel exports: their declared columns, written by the one workbook writer
(core/classeur.py: formats, header, filters, widths, text never read as a formula)."""

from openpyxl import Workbook

from core.classeur import ANNEE, DATE, EUROS, QUANTITE, TAUX, Colonne, Rangee, ecrire_tableau, octets
from rapports.enums import StatutRapport


def _octets(classeur, titre) -> bytes:
    classeur.properties.title = titre
    classeur.properties.creator = "CALPAE"
    return octets(classeur)


def _parite(respectee) -> str:
    return "Respectée" if respectee else "Non respectée"


# Rows: pages.tableau_de_suivi.RangeeSuivi
COLONNES_SUIVI = [
    Colonne("Collectivité", lambda ligne: ligne.collectivite),
    Colonne("Exercice", lambda ligne: ligne.exercice.libelle),
    Colonne("État du rapport", lambda ligne: ligne.libelle_statut),
    Colonne("Date limite", lambda ligne: ligne.exercice.date_limite_rapport, DATE),
    Colonne("Jours restants (négatif : retard)", lambda ligne: ligne.jours_restants, ANNEE),
    Colonne("Alertes", lambda ligne: ligne.nb_alertes, ANNEE),
    Colonne("Parité", lambda ligne: _parite(ligne.parite)),
    Colonne("Montant État de la convention", lambda ligne: "Concordant" if ligne.convention_concorde else "Écart"),
    Colonne("Part État", lambda ligne: ligne.part_etat, EUROS),
    Colonne("Part collectivité", lambda ligne: ligne.part_collectivite, EUROS),
    Colonne("Exécuté", lambda ligne: ligne.execute, EUROS),
    Colonne("Statut du rapport", lambda ligne: ligne.ligne_statut, largeur_max=60),
    Colonne("Transmis en retard", lambda ligne: "Oui" if ligne.transmis_en_retard else "Non"),
    Colonne("Crédit État non consommé", lambda ligne: ligne.credit_non_consomme, EUROS),
    Colonne("Réfaction décidée", lambda ligne: _decision(ligne, "montant"), EUROS),
    Colonne("Date de la décision", lambda ligne: _decision(ligne, "date_decision"), DATE),
    Colonne("Motif de la réfaction", lambda ligne: _decision(ligne, "motif") or "", largeur_max=80),
]


def _decision(ligne, champ):
    return getattr(ligne.decision_refaction, champ) if ligne.decision_refaction else None


def classeur_suivi(lignes) -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Suivi"
    ecrire_tableau(feuille, 1, COLONNES_SUIVI, lignes)
    return _octets(classeur, "Suivi des rapports d'exécution")


# Rows: pages.comparaison.ColonneExercice
COLONNES_COMPARAISON = [
    Colonne("Collectivité", lambda c: c.exercice.nom_court),
    Colonne("Exercice", lambda c: c.exercice.libelle),
    Colonne("Acte", lambda c: c.exercice.intitule_acte or c.exercice.get_acte_display()),
    Colonne("Début", lambda c: c.exercice.date_debut, DATE),
    Colonne("Fin", lambda c: c.exercice.date_fin, DATE),
    Colonne("Rapport d'exécution", lambda c: c.statut_rapport),
    Colonne("Fiches-action", lambda c: c.nb_fiches, ANNEE),
    Colonne("Part État", lambda c: c.montants.etat, EUROS),
    Colonne("Part collectivité", lambda c: c.montants.collectivite, EUROS),
    Colonne("Total prévu", lambda c: c.prevu, EUROS),
    Colonne("Parité", lambda c: _parite(c.montants.parite)),
    Colonne("Socle", lambda c: c.socle.total, EUROS),
    Colonne("Initiatives départementales", lambda c: c.initiatives.total, EUROS),
    Colonne("Exécuté", lambda c: c.execute, EUROS),
    Colonne("Fiches chiffrées", lambda c: c.execution.nb_chiffrees, ANNEE),
    Colonne("Taux d'exécution des fiches chiffrées", lambda c: c.taux_execution, TAUX),
]
# Rows: (pages.comparaison.RangeeIndicateur, ColonneExercice, CelluleIndicateur)
COLONNES_INDICATEURS = [
    Colonne("Indicateur", lambda r: r[0].libelle, largeur_max=80),
    Colonne("Dimension", lambda r: r[0].dimension),
    Colonne("Exercice", lambda r: r[1].titre),
    Colonne("Dernière valeur mesurée", lambda r: r[2].mesure.texte if r[2].mesure else ""),
    Colonne("Colonne de la mesure", lambda r: r[2].mesure.jalon if r[2].mesure else ""),
    Colonne("Nombre lu", lambda r: r[2].mesure.nombre if r[2].mesure else None, QUANTITE),
    Colonne("Objectif", lambda r: r[2].objectif.texte if r[2].objectif else ""),
    Colonne("Colonne de l'objectif", lambda r: r[2].objectif.jalon if r[2].objectif else ""),
]


def classeur_comparaison(comparaison) -> bytes:
    """Three sheets: one row per exercice (budgets), the axes (a column per exercice), the common indicators (one row
    per indicator and exercice)."""
    classeur = Workbook()
    budgets = classeur.active
    budgets.title = "Budgets"
    ecrire_tableau(budgets, 1, COLONNES_COMPARAISON, comparaison.colonnes)
    colonnes_axes = [Colonne("Axe de la contractualisation", lambda ligne: ligne.libelle, largeur_max=60)]
    colonnes_axes += [
        Colonne(c.titre, lambda ligne, rang=rang: ligne.montants[rang], EUROS)
        for rang, c in enumerate(comparaison.colonnes)
    ]
    ecrire_tableau(classeur.create_sheet("Axes"), 1, colonnes_axes, comparaison.axes)
    rangees = [
        (ligne, colonne, cellule)
        for ligne in comparaison.indicateurs
        for colonne, cellule in zip(comparaison.colonnes, ligne.cellules, strict=True)
        if cellule is not None
    ]
    ecrire_tableau(classeur.create_sheet("Indicateurs communs"), 1, COLONNES_INDICATEURS, rangees)
    return _octets(classeur, "Comparaison des exercices")


# Rows: rapports.selectors.FicheLue (the fiches list as filtered on screen)
COLONNES_FICHES = [
    Colonne("N°", lambda f: f.fiche.numero),
    Colonne("Titre", lambda f: f.fiche.titre, largeur_max=80),
    Colonne("Annexe", lambda f: f.groupe_racine.code),
    Colonne("Groupe", lambda f: f.fiche.groupe.libelle),
    Colonne("Thème", lambda f: f.fiche.theme),
    Colonne("Total prévu", lambda f: f.prevu, EUROS),
    Colonne(
        "Total indiqué (s'il diffère)", lambda f: f.chiffres.total_declare if f.chiffres.ecart_declare else None, EUROS
    ),
    Colonne("Part État", lambda f: f.montants.etat, EUROS),
    Colonne("Part collectivité", lambda f: f.montants.collectivite, EUROS),
    Colonne("Autres financeurs", lambda f: f.montants.autres, EUROS),
    Colonne("Parité", lambda f: _parite(f.parite)),
    Colonne("Exécuté", lambda f: f.execute_montant, EUROS),
    Colonne("Alertes", lambda f: f.nb_alertes, ANNEE),
    Colonne("À compléter", lambda f: ", ".join(f.a_faire)),
]


def classeur_fiches(exercice, fiches) -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Fiches"
    ecrire_tableau(feuille, 1, COLONNES_FICHES, fiches)
    return _octets(classeur, f"Fiches de l'exercice {exercice.libelle} – {exercice.nom_court}")


def _statut_resume(resume) -> str:
    return StatutRapport(resume.statut).label if resume.statut else "Non commencé"


# Rows: rapports.ResumeExercice annotated with `en_retard` (pages.pilotage.resumes_courants), every filtered row
COLONNES_PILOTAGE = [
    Colonne(
        "Région",
        lambda r: r.exercice.convention.collectivite.region.nom if r.exercice.convention.collectivite.region else "",
    ),
    Colonne("Code", lambda r: r.exercice.convention.collectivite.code_insee),
    Colonne("Collectivité", lambda r: r.exercice.convention.collectivite.nom),
    Colonne("Données fictives", lambda r: "Oui" if r.exercice.convention.collectivite.donnees_fictives else ""),
    Colonne("Exercice", lambda r: r.exercice.libelle),
    Colonne("État du rapport", _statut_resume),
    Colonne("Date limite", lambda r: r.date_limite, DATE),
    Colonne("En retard", lambda r: "Oui" if r.en_retard else ""),
    Colonne("Transmis le", lambda r: r.transmis_le, DATE),
    Colonne("Transmis après la date limite", lambda r: "Oui" if r.transmis_en_retard else ""),
    Colonne("Fiches-action", lambda r: r.nb_fiches, ANNEE),
    Colonne("Part État prévue", lambda r: r.part_etat, EUROS),
    Colonne("Part État exécutée", lambda r: r.execute_etat, EUROS),
    Colonne("Part collectivité prévue", lambda r: r.part_collectivite, EUROS),
    Colonne("Part collectivité exécutée", lambda r: r.execute_collectivite, EUROS),
    Colonne("Taux d'exécution des fiches chiffrées", lambda r: r.taux_execution, TAUX),
    Colonne("Parité", lambda r: _parite(r.parite)),
    Colonne("Alertes", lambda r: r.nb_alertes + (1 if r.en_retard else 0), ANNEE),
    Colonne("Crédit État non consommé", lambda r: r.credit_non_consomme, EUROS),
    Colonne("Fiches sans exécution justifiée", lambda r: r.nb_fiches_non_justifiees, ANNEE),
]
COLONNES_TOTAUX = [
    Colonne("Région", "region"),
    Colonne("Exercices", "nb_exercices", ANNEE),
    Colonne("En retard", "nb_retards", ANNEE),
    Colonne("Parité non respectée", "nb_parite", ANNEE),
    Colonne("Part État prévue", "part_etat", EUROS),
    Colonne("Part État exécutée", "execute_etat", EUROS),
    Colonne("Part collectivité prévue", "part_collectivite", EUROS),
    Colonne("Part collectivité exécutée", "execute_collectivite", EUROS),
    Colonne("Crédit État non consommé", "credit_non_consomme", EUROS),
]


def classeur_pilotage(resumes, regions, national) -> bytes:
    """Two sheets: every filtered row, and the totals per région then for the nation."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Exercices"
    ecrire_tableau(feuille, 1, COLONNES_PILOTAGE, resumes)
    rangees = [Rangee(r) for r in regions] + [Rangee({**national, "region": "France entière"}, "total_general")]
    ecrire_tableau(classeur.create_sheet("Totaux"), 1, COLONNES_TOTAUX, rangees)
    return _octets(classeur, "Pilotage des conventions")
