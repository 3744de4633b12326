"""The import template's contract: its sheets, rows and columns (docs/import.md). Other documents are imported
through it: keep these names exactly; sheets and columns may be added.

The template is written by the application (`classeur_modele`), empty or filled from an exercice's read model:
an export, which imports back into the same fiches, parts and totals.
"""

from openpyxl import Workbook

from budgets.calculs import compte_pour
from conventions.enums import Partie
from core.classeur import DATE, EUROS, TEXTE, Colonne, ecrire, ecrire_tableau, ecrire_texte, ecrire_titre, octets

FEUILLE_CONVENTION = "Convention"
FEUILLE_FICHES = "Fiches"

# The « Convention » sheet: labels in the first column, values in the second.
CODE_INSEE = "Code INSEE"
COLLECTIVITE = "Collectivité"
INTITULE_CONVENTION = "Intitulé de la convention"
DEBUT_CONVENTION = "Début de la convention"
FIN_CONVENTION = "Fin de la convention"
EXERCICE = "Exercice"
DEBUT_EXERCICE = "Début de l'exercice"
FIN_EXERCICE = "Fin de l'exercice"
DATE_LIMITE = "Date limite du rapport"
ACTE = "Acte"  # optional: Convention initiale, Avenant, Plan d'action
INTITULE_ACTE = "Intitulé de l'acte"  # optional
TERRITOIRE = "Territoire"  # optional: « Haut-Rhin » for an act signed for one territory

LIGNES_CONVENTION = [
    (CODE_INSEE, TEXTE, True),
    (COLLECTIVITE, TEXTE, True),
    (INTITULE_CONVENTION, TEXTE, True),
    (DEBUT_CONVENTION, DATE, True),
    (FIN_CONVENTION, DATE, True),
    (EXERCICE, TEXTE, True),
    (DEBUT_EXERCICE, DATE, True),
    (FIN_EXERCICE, DATE, True),
    (DATE_LIMITE, DATE, True),
    (ACTE, TEXTE, False),
    (INTITULE_ACTE, TEXTE, False),
    (TERRITOIRE, TEXTE, False),
]

# The « Fiches » sheet: a header row, then one row per fiche.
ANNEXE = "Annexe"  # A (socle) or B (initiative)
CODE_ANNEXE = "Code de l'annexe"  # optional: the annex's code as the document writes it (V2)
LIBELLE_ANNEXE = "Libellé de l'annexe"  # optional
SOUS_GROUPE = "Sous-groupe"
NUMERO = "Numéro"
INTITULE = "Intitulé"
THEME = "Thème"
PART_ETAT = "Part État"
PART_COLLECTIVITE = "Part collectivité"
AUTRES = "Autres financeurs"
TOTAL_INDIQUE = "Total indiqué"
EXECUTE = "Montant exécuté"
DESCRIPTION = "Description"

COLONNES_OBLIGATOIRES = [ANNEXE, NUMERO, INTITULE, THEME, PART_ETAT, PART_COLLECTIVITE, AUTRES]
MONTANTS = [PART_ETAT, PART_COLLECTIVITE, AUTRES, TOTAL_INDIQUE, EXECUTE]


def _annexe(fiche_lue):
    return "A" if fiche_lue.groupe_racine.type == "socle" else "B"


def _sous_groupe(fiche_lue):
    fiche = fiche_lue.fiche
    return fiche.groupe.libelle if fiche.groupe_id != fiche_lue.groupe_racine.pk else ""


def _total_indique(fiche_lue):
    """The declared total; when the planned amount does not come from the parts, the planned amount itself (so that
    the import plans the same)."""
    chiffres = fiche_lue.chiffres
    if chiffres.total_declare is not None:
        return chiffres.total_declare
    return None if chiffres.montants.total else (chiffres.prevu or None)


def _part(financeur, attribut):
    """The party's counted planned share; empty when the budget states no figure for that party."""

    def valeur(fiche_lue):
        prev = fiche_lue.previsionnel
        annees = fiche_lue.fiche.exercice.annees
        if prev is None or not any(
            p.financeur == financeur and p.montant is not None and compte_pour(p, annees) for p in prev.parts
        ):
            return None
        return getattr(fiche_lue.montants, attribut)

    return valeur


# Rows: rapports.selectors.FicheLue.
COLONNES_FICHES = [
    Colonne(ANNEXE, _annexe, largeur_max=8),
    Colonne(CODE_ANNEXE, lambda f: f.groupe_racine.code, largeur_max=10),
    Colonne(LIBELLE_ANNEXE, lambda f: f.groupe_racine.libelle, largeur_max=40),
    Colonne(SOUS_GROUPE, _sous_groupe, largeur_max=30),
    Colonne(NUMERO, lambda f: f.fiche.numero, largeur_max=16),
    Colonne(INTITULE, lambda f: f.fiche.titre),
    Colonne(THEME, lambda f: f.fiche.theme, largeur_max=40),
    Colonne(PART_ETAT, _part(Partie.ETAT, "etat"), EUROS),
    Colonne(PART_COLLECTIVITE, _part(Partie.COLLECTIVITE, "collectivite"), EUROS),
    Colonne(AUTRES, _part(Partie.AUTRE, "autres"), EUROS),
    Colonne(TOTAL_INDIQUE, _total_indique, EUROS),
    Colonne(EXECUTE, lambda f: f.execute_montant, EUROS),
    Colonne(DESCRIPTION, lambda f: f.fiche.description, largeur_max=60),
]


def valeurs_convention(exercice) -> dict:
    convention = exercice.convention
    return {
        CODE_INSEE: convention.collectivite.code_insee,
        COLLECTIVITE: convention.collectivite.nom,
        INTITULE_CONVENTION: convention.intitule,
        DEBUT_CONVENTION: convention.date_debut,
        FIN_CONVENTION: convention.date_fin,
        EXERCICE: exercice.libelle,
        DEBUT_EXERCICE: exercice.date_debut,
        FIN_EXERCICE: exercice.date_fin,
        DATE_LIMITE: exercice.date_limite_rapport,
        ACTE: exercice.get_acte_display(),
        INTITULE_ACTE: exercice.intitule_acte,
        TERRITOIRE: exercice.territoire,
    }


def classeur_modele(lu=None) -> bytes:
    """The template, empty, or filled with an exercice's convention and fiches (`lu`: its read model)."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = FEUILLE_CONVENTION
    valeurs = valeurs_convention(lu.exercice) if lu is not None else {}
    for rang, (libelle, format_, obligatoire) in enumerate(LIGNES_CONVENTION, 1):
        ecrire_texte(feuille.cell(row=rang, column=1), libelle)
        valeur = valeurs.get(libelle)
        if valeur not in (None, ""):
            ecrire(feuille.cell(row=rang, column=2), valeur, format_)
        if not obligatoire:
            ecrire_texte(feuille.cell(row=rang, column=3), "facultatif")
    feuille.column_dimensions["A"].width = 30
    feuille.column_dimensions["B"].width = 50
    fiches = classeur.create_sheet(FEUILLE_FICHES)
    ecrire_tableau(fiches, 1, COLONNES_FICHES, lu.fiches if lu is not None else [])
    aide = classeur.create_sheet("Aide")
    ecrire_titre(aide, "Modèle d'import CALPAE", "Une convention, un exercice et ses fiches")
    for rang, texte in enumerate(AIDE, 4):
        ecrire_texte(aide.cell(row=rang, column=1), texte)
    aide.column_dimensions["A"].width = 120
    classeur.properties.title = "Modèle d'import d'une convention"
    classeur.properties.creator = "CALPAE"
    return octets(classeur)


AIDE = [
    "Feuille « Convention » : les libellés en colonne A, les valeurs en colonne B ; les lignes « facultatif » peuvent "
    "rester vides.",
    "Feuille « Fiches » : une ligne par fiche. Annexe : A (engagements du socle) ou B (initiatives du département).",
    "Montants : des nombres, ou du texte écrit à la française (1 209 643 €, 68 129,18). Une case vide : la part "
    "n'est pas indiquée.",
    "Dates : des dates, ou du texte jj/mm/aaaa (31/03/2020).",
    "Rien n'est enregistré tant que le fichier a une erreur : chacune est listée avec sa feuille, sa ligne et sa "
    "colonne.",
    "Un exercice déjà présent est mis à jour : ses fiches sont retrouvées par leur numéro, les autres sont ajoutées.",
]
