"""The one workbook writer (openpyxl): declared columns, one row per object, every workbook of the application.

A sheet is a list of `Colonne(titre, valeur, format)`: `valeur` reads the cell from the row's object (a callable, or
a key when rows are dicts). A new column is one line. `ecrire_tableau` writes the header (bold, filled), the rows,
freezes the panes under the header, sets the auto-filter and the widths from the content.

Amounts are Decimal written as values with a euro format (no formula: openpyxl stores no computed result); every
text goes through `ecrire_texte`, which writes it as text, never as a formula, whatever it starts with.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMAT_EUROS = '#,##0.00 "€"'  # stored in US form, shown « 1 234 567,89 € » by a French Excel
FORMAT_TAUX = '0.0 "%"'  # the rate is a number of percent (95.6), as budgets.calculs.taux computes it
FORMAT_QUANTITE = "#,##0.##"
FORMAT_ENTIER = "#,##0"  # a whole quantity: "#,##0.##" would show « 75, » with a dangling decimal separator
FORMAT_DATE = "DD/MM/YYYY"

TEXTE, EUROS, TAUX, QUANTITE, DATE, ANNEE = "texte", "euros", "taux", "quantite", "date", "annee"

# A text starting with one of these (after blanks) is a formula to a spreadsheet (CSV/formula injection).
DEBUTS_FORMULE = ("=", "+", "-", "@", "\t", "\r", "\n")
LONGUEUR_MAX_CELLULE = 32_767  # Excel's limit for a cell's text

POLICE_TITRE = Font(bold=True, size=14)
POLICE_SOUS_TITRE = Font(bold=True, size=12)
POLICE_GRAS = Font(bold=True)
POLICE_ENTETE = Font(bold=True, color="FFFFFF")
FOND_ENTETE = PatternFill("solid", fgColor="000091")  # DSFR bleu France
FOND_TOTAL = PatternFill("solid", fgColor="E3E3FD")
FOND_TOTAL_GENERAL = PatternFill("solid", fgColor="CACAFB")
ALIGNEMENT_ENTETE = Alignment(wrap_text=True, vertical="center", horizontal="center")
ALIGNEMENT_RETOUR = Alignment(wrap_text=True, vertical="top")
LARGEUR_MIN, LARGEUR_MAX = 8, 60


@dataclass(frozen=True)
class Colonne:
    """A declared column: its header, how a row gives its value, its format (TEXTE, EUROS, TAUX…)."""

    titre: str
    valeur: Callable | str
    format: str = TEXTE
    largeur_max: int = LARGEUR_MAX

    def lire(self, objet):
        return objet[self.valeur] if isinstance(self.valeur, str) else self.valeur(objet)


@dataclass
class Rangee:
    """A row with a style: "" (plain), "total" or "total_general" (bold, filled)."""

    objet: object
    style: str = ""


def ecrire_texte(cellule, valeur):
    """Every text cell: written as a string, never as a formula, whatever it starts with."""
    texte = ILLEGAL_CHARACTERS_RE.sub("", str(valeur))[:LONGUEUR_MAX_CELLULE]
    cellule.value = texte
    cellule.data_type = "s"  # openpyxl turns a string starting with "=" into a formula: undo it
    if texte.startswith(DEBUTS_FORMULE) or texte.lstrip(" \u00a0\t\r\n").startswith(DEBUTS_FORMULE):
        cellule.quotePrefix = True  # and Excel keeps it as text when the cell is edited
    return texte


def ecrire(cellule, valeur, format_colonne):
    """Write a value with its column's format; returns the width it needs (in characters, as Excel shows it)."""
    if isinstance(valeur, datetime.date):
        cellule.value = valeur
        cellule.number_format = FORMAT_DATE
        return 10
    if isinstance(valeur, (Decimal, int)) and not isinstance(valeur, bool):
        cellule.value = valeur
        if format_colonne == EUROS:
            cellule.number_format = FORMAT_EUROS
            return len(f"{valeur:,.2f}") + 2  # « 1 234,56 € »: as many characters as « 1,234.56 » and « € »
        if format_colonne == TAUX:
            cellule.number_format = FORMAT_TAUX
            return len(f"{valeur:.1f}") + 2
        if format_colonne == ANNEE:
            return 4
        entier = valeur == valeur.to_integral_value() if isinstance(valeur, Decimal) else True
        cellule.number_format = FORMAT_ENTIER if entier else FORMAT_QUANTITE
        return len(f"{valeur:,.0f}" if entier else f"{valeur:,.2f}")
    texte = ecrire_texte(cellule, valeur)
    return max(map(len, texte.splitlines()), default=0)


def ecrire_tableau(feuille, ligne_entete, colonnes, rangees, filtre_jusqu_a=None):
    """Header, one row per object (or `Rangee`), frozen panes under the header, auto-filter and widths.

    `filtre_jusqu_a`: the last row of the auto-filter (rows below it, such as a total, stay out of the filter)."""
    largeurs = []
    for j, colonne in enumerate(colonnes, 1):
        cellule = feuille.cell(row=ligne_entete, column=j)
        ecrire_texte(cellule, colonne.titre)
        cellule.font = POLICE_ENTETE
        cellule.fill = FOND_ENTETE
        cellule.alignment = ALIGNEMENT_ENTETE
        largeurs.append(max(len(mot) for mot in colonne.titre.split()))
    nombre = 0
    for i, rangee in enumerate(rangees, ligne_entete + 1):
        nombre += 1
        if not isinstance(rangee, Rangee):
            rangee = Rangee(rangee)
        fond = FOND_TOTAL_GENERAL if rangee.style == "total_general" else FOND_TOTAL
        for j, colonne in enumerate(colonnes, 1):
            valeur = colonne.lire(rangee.objet)
            vide = valeur is None or valeur == ""
            if vide and not rangee.style:
                continue  # no cell at all: fewer cells to write
            cellule = feuille.cell(row=i, column=j)
            if not vide:
                largeur = ecrire(cellule, valeur, colonne.format)
                if largeur > colonne.largeur_max:
                    cellule.alignment = ALIGNEMENT_RETOUR
                largeurs[j - 1] = max(largeurs[j - 1], min(largeur, colonne.largeur_max))
            if rangee.style:
                cellule.font = POLICE_GRAS
                cellule.fill = fond
    derniere_colonne = get_column_letter(len(colonnes))
    derniere_ligne = filtre_jusqu_a if filtre_jusqu_a is not None else ligne_entete + nombre
    feuille.freeze_panes = f"A{ligne_entete + 1}"
    feuille.auto_filter.ref = f"A{ligne_entete}:{derniere_colonne}{max(derniere_ligne, ligne_entete + 1)}"
    for j, largeur in enumerate(largeurs, 1):
        feuille.column_dimensions[get_column_letter(j)].width = max(LARGEUR_MIN, min(largeur, LARGEUR_MAX)) + 2
    feuille.print_title_rows = f"{ligne_entete}:{ligne_entete}"
    feuille.page_setup.orientation = "landscape"
    feuille.page_setup.fitToWidth = 1
    feuille.page_setup.fitToHeight = 0
    feuille.sheet_properties.pageSetUpPr.fitToPage = True
    return ligne_entete + nombre


def ecrire_titre(feuille, titre, sous_titre):
    for rang, (texte, police) in enumerate(((titre, POLICE_TITRE), (sous_titre, POLICE_SOUS_TITRE)), 1):
        cellule = feuille.cell(row=rang, column=1)
        ecrire_texte(cellule, texte)
        cellule.font = police


def octets(classeur) -> bytes:
    """The workbook saved as .xlsx bytes (in memory)."""
    tampon = BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
