"""The dashboard's and the comparison's Excel exports: their columns, written by the report workbook's helpers
(rapports/classeur.py: formats, header, filters, widths, text never read as a formula)."""

from io import BytesIO

from openpyxl import Workbook

from .classeur import ANNEE, DATE, EUROS, QUANTITE, TAUX, Colonne, Ligne, ecrire_tableau


def _octets(classeur, titre) -> bytes:
    classeur.properties.title = titre
    classeur.properties.creator = "CALPAE"
    tampon = BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def classeur_suivi(lignes) -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Suivi"
    colonnes = [
        Colonne("Collectivité"),
        Colonne("Exercice"),
        Colonne("État du rapport"),
        Colonne("Date limite", DATE),
        Colonne("Jours restants (négatif : retard)", ANNEE),
        Colonne("Alertes", ANNEE),
        Colonne("Parité"),
        Colonne("Part État", EUROS),
        Colonne("Part collectivité", EUROS),
        Colonne("Exécuté", EUROS),
    ]
    ecrire_tableau(
        feuille,
        1,
        colonnes,
        [
            Ligne(
                [
                    ligne.collectivite,
                    ligne.exercice.libelle,
                    ligne.libelle_etat,
                    ligne.exercice.date_limite_rapport,
                    ligne.jours_restants,
                    ligne.nb_alertes,
                    "Respectée" if ligne.parite else "Non respectée",
                    ligne.etat_montant,
                    ligne.collectivite_montant,
                    ligne.execute,
                ]
            )
            for ligne in lignes
        ],
    )
    return _octets(classeur, "Suivi des rapports d'exécution")


COLONNES_COMPARAISON = [
    Colonne("Collectivité"),
    Colonne("Exercice"),
    Colonne("Acte"),
    Colonne("Début", DATE),
    Colonne("Fin", DATE),
    Colonne("Rapport d'exécution"),
    Colonne("Fiches-action", ANNEE),
    Colonne("Part État", EUROS),
    Colonne("Part collectivité", EUROS),
    Colonne("Total prévu", EUROS),
    Colonne("Parité"),
    Colonne("Socle", EUROS),
    Colonne("Initiatives départementales", EUROS),
    Colonne("Exécuté", EUROS),
    Colonne("Fiches chiffrées", ANNEE),
    Colonne("Taux d'exécution des fiches chiffrées", TAUX),
]
COLONNES_INDICATEURS = [
    Colonne("Indicateur", largeur_max=80),
    Colonne("Dimension"),
    Colonne("Exercice"),
    Colonne("Dernière valeur mesurée"),
    Colonne("Colonne de la mesure"),
    Colonne("Nombre lu", QUANTITE),
    Colonne("Objectif"),
    Colonne("Colonne de l'objectif"),
]


def classeur_comparaison(comparaison) -> bytes:
    """Three sheets: one row per exercice (budgets), the axes (a column per exercice), the common indicators (one row
    per indicator and exercice)."""
    classeur = Workbook()
    budgets = classeur.active
    budgets.title = "Budgets"
    lignes = []
    for colonne in comparaison.colonnes:
        exercice, montants = colonne.exercice, colonne.montants
        lignes.append(
            Ligne(
                [
                    exercice.nom_court,
                    exercice.libelle,
                    exercice.intitule_acte or exercice.get_acte_display(),
                    exercice.date_debut,
                    exercice.date_fin,
                    colonne.etat_rapport,
                    colonne.nb_fiches,
                    montants.etat,
                    montants.collectivite,
                    montants.total,
                    "Respectée" if montants.parite else "Non respectée",
                    colonne.socle.total,
                    colonne.initiatives.total,
                    colonne.execute,
                    colonne.execution.nb_chiffrees,
                    colonne.taux_execution,
                ]
            )
        )
    ecrire_tableau(budgets, 1, COLONNES_COMPARAISON, lignes)
    axes = classeur.create_sheet("Axes")
    ecrire_tableau(
        axes,
        1,
        [Colonne("Axe de la contractualisation", largeur_max=60)]
        + [Colonne(c.titre, EUROS) for c in comparaison.colonnes],
        [Ligne([ligne.libelle, *ligne.montants]) for ligne in comparaison.axes],
    )
    indicateurs = classeur.create_sheet("Indicateurs communs")
    lignes = []
    for ligne in comparaison.indicateurs:
        for colonne, cellule in zip(comparaison.colonnes, ligne.cellules, strict=True):
            if cellule is None:
                continue
            mesure, objectif = cellule.mesure, cellule.objectif
            lignes.append(
                Ligne(
                    [
                        ligne.libelle,
                        ligne.dimension,
                        colonne.titre,
                        mesure.texte if mesure else "",
                        mesure.jalon if mesure else "",
                        mesure.nombre if mesure else None,
                        objectif.texte if objectif else "",
                        objectif.jalon if objectif else "",
                    ]
                )
            )
    ecrire_tableau(indicateurs, 1, COLONNES_INDICATEURS, lignes)
    return _octets(classeur, "Comparaison des exercices")
