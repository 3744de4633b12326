"""The one workbook writer (openpyxl): declared columns, one row per object, every workbook of the application.

A sheet is a list of `Colonne(titre, valeur, format, description)`: `valeur` reads the cell from the row's object (a
callable, or a key when rows are dicts); `description` is what a « Lisez-moi » sheet says of it. A new column is one
line. `ecrire_tableau` writes the header (bold, filled), the rows, freezes the panes under the header, sets the
auto-filter (or an Excel table), the widths and wrapped rows' heights from the content, and the print setup (A4
landscape, fit to width, header row repeated on each page).

Amounts are Decimal written as values with a euro format (no formula: openpyxl stores no computed result); a rate
(TAUX) is given in percent, as budgets.calculs.taux computes it, and stored as a fraction with a percent format
(106.4 → 1.064, shown « 106,4 % »); every text goes through `ecrire_texte`, which writes it as text, never as a
formula, whatever it starts with.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

FORMAT_EUROS = '#,##0.00 "€"'  # stored in US form, shown « 1 234 567,89 € » by a French Excel
FORMAT_TAUX = "0.0%"  # a fraction (1.064) shown as a percentage (« 106,4 % » in a French Excel)
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
HAUTEUR_LIGNE, HAUTEUR_MAX = 15, 409  # points per line of text; Excel's highest row
STYLE_TABLE = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
LIBELLES_FORMATS = {
    TEXTE: "Texte",
    EUROS: "Montant en euros",
    TAUX: "Pourcentage",
    QUANTITE: "Nombre",
    DATE: "Date (JJ/MM/AAAA)",
    ANNEE: "Nombre entier",
}


@dataclass(frozen=True)
class Colonne:
    """A declared column: its header, how a row gives its value, its format (TEXTE, EUROS, TAUX…)."""

    titre: str
    valeur: Callable | str
    format: str = TEXTE
    largeur_max: int = LARGEUR_MAX
    description: str = ""

    def lire(self, objet):
        return objet[self.valeur] if isinstance(self.valeur, str) else self.valeur(objet)


@dataclass
class Rangee:
    """A row with a style: "" (plain), "section" (bold), "total" or "total_general" (bold, filled)."""

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
            cellule.value = Decimal(valeur) / 100  # exact: 106.4 → 1.064
            cellule.number_format = FORMAT_TAUX
            return len(f"{valeur:.1f}") + 2
        if format_colonne == ANNEE:
            return 4
        entier = valeur == valeur.to_integral_value() if isinstance(valeur, Decimal) else True
        cellule.number_format = FORMAT_ENTIER if entier else FORMAT_QUANTITE
        return len(f"{valeur:,.0f}" if entier else f"{valeur:,.2f}")
    texte = ecrire_texte(cellule, valeur)
    return max(map(len, texte.splitlines()), default=0)


def _nombre_de_lignes(texte, largeur) -> int:
    """How many lines a wrapped text takes in a column `largeur` characters wide."""
    return sum(max(1, math.ceil(len(ligne) / largeur)) for ligne in texte.splitlines() or [""])


def ecrire_tableau(feuille, ligne_entete, colonnes, rangees, filtre_jusqu_a=None, table=None, filtre=True):
    """Header, one row per object (or `Rangee`), frozen panes under the header, auto-filter, widths, row heights and
    the print setup; returns the last row written.

    `filtre_jusqu_a`: the last row of the auto-filter (rows below it, such as a total, stay out of the filter).
    `table`: a name (letters, digits, _) to make the data range an Excel table instead of a bare auto-filter;
    `filtre=False`: neither (a statement laid out as a form, with its totals among its rows)."""
    for j, colonne in enumerate(colonnes, 1):
        cellule = feuille.cell(row=ligne_entete, column=j)
        ecrire_texte(cellule, colonne.titre)
        cellule.font = POLICE_ENTETE
        cellule.fill = FOND_ENTETE
        cellule.alignment = ALIGNEMENT_ENTETE
    largeurs = [max(len(mot) for mot in colonne.titre.split()) for colonne in colonnes]
    retours = []  # (row, [(column index, text)] of its wrapped cells): for the row heights
    nombre = 0
    for i, rangee in enumerate(rangees, ligne_entete + 1):
        nombre += 1
        if not isinstance(rangee, Rangee):
            rangee = Rangee(rangee)
        fond = FOND_TOTAL_GENERAL if rangee.style == "total_general" else FOND_TOTAL
        retournees = []
        for j, colonne in enumerate(colonnes, 1):
            valeur = colonne.lire(rangee.objet)
            vide = valeur is None or valeur == ""
            if vide and not rangee.style:
                continue  # no cell at all: fewer cells to write
            cellule = feuille.cell(row=i, column=j)
            if not vide:
                largeur = ecrire(cellule, valeur, colonne.format)
                if largeur > colonne.largeur_max or (isinstance(cellule.value, str) and "\n" in cellule.value):
                    cellule.alignment = ALIGNEMENT_RETOUR
                    retournees.append((j, cellule.value))
                largeurs[j - 1] = max(largeurs[j - 1], min(largeur, colonne.largeur_max))
            if rangee.style:
                cellule.font = POLICE_GRAS
                if rangee.style != "section":
                    cellule.fill = fond
        if retournees:
            retours.append((i, retournees))
    derniere_colonne = get_column_letter(len(colonnes))
    derniere_ligne = filtre_jusqu_a if filtre_jusqu_a is not None else ligne_entete + nombre
    feuille.freeze_panes = f"A{ligne_entete + 1}"
    plage = f"A{ligne_entete}:{derniere_colonne}{max(derniere_ligne, ligne_entete + 1)}"
    if table:
        feuille.add_table(Table(displayName=table, ref=plage, tableStyleInfo=STYLE_TABLE))
    elif filtre:
        feuille.auto_filter.ref = plage
    largeurs = [max(LARGEUR_MIN, min(largeur, LARGEUR_MAX)) for largeur in largeurs]
    for j, largeur in enumerate(largeurs, 1):
        feuille.column_dimensions[get_column_letter(j)].width = largeur + 2
    lignes_entete = max(_nombre_de_lignes(c.titre, largeurs[j] + 2) for j, c in enumerate(colonnes))
    if lignes_entete > 1:
        feuille.row_dimensions[ligne_entete].height = HAUTEUR_LIGNE * lignes_entete
    for i, retournees in retours:
        lignes = max(_nombre_de_lignes(texte, largeurs[j - 1] + 2) for j, texte in retournees)
        if lignes > 1:
            feuille.row_dimensions[i].height = min(HAUTEUR_LIGNE * lignes, HAUTEUR_MAX)
    mise_en_page(feuille, ligne_entete)
    return ligne_entete + nombre


def mise_en_page(feuille, ligne_entete=None, titre=""):
    """A4 landscape, fit to the page's width, the header row repeated on each page, « Page x / y » at the foot."""
    if ligne_entete:
        feuille.print_title_rows = f"{ligne_entete}:{ligne_entete}"
    feuille.page_setup.paperSize = feuille.PAPERSIZE_A4
    feuille.page_setup.orientation = "landscape"
    feuille.page_setup.fitToWidth = 1
    feuille.page_setup.fitToHeight = 0
    feuille.sheet_properties.pageSetUpPr.fitToPage = True
    feuille.print_options.gridLines = False
    if titre:
        feuille.oddHeader.center.text = titre.replace("&", "&&")
        feuille.oddHeader.center.size = 9
    feuille.oddFooter.center.text = "Page &P / &N"
    feuille.oddFooter.center.size = 9


COLONNES_LISEZ_MOI = [
    Colonne("Feuille", "feuille", largeur_max=22, description="Le nom de l'onglet."),
    Colonne("Colonne", "colonne", largeur_max=35, description="L'en-tête de la colonne (vide : la feuille elle-même)."),
    Colonne("Format", "format", largeur_max=20, description="Texte, montant en euros, pourcentage, nombre ou date."),
    Colonne("Description", "description", largeur_max=90, description="Ce que contient la feuille ou la colonne."),
]


def ecrire_lisez_moi(feuille, titre, introduction, feuilles):
    """A « Lisez-moi » sheet from the sheets' own column declarations: `feuilles` = [(name, description, [Colonne…] or
    None)…]; one row per sheet, then one per column. Returns the last row written."""
    feuille.title = "Lisez-moi"
    ecrire_titre(feuille, titre, "Lisez-moi : le contenu de chaque feuille et de chaque colonne")
    for rang, paragraphe in enumerate(introduction, 3):
        cellule = feuille.cell(row=rang, column=1)
        ecrire_texte(cellule, paragraphe)
    rangees = []
    for nom, description, colonnes in feuilles:
        rangees.append(Rangee({"feuille": nom, "colonne": "", "format": "", "description": description}, "total"))
        rangees += [
            {
                "feuille": nom,
                "colonne": colonne.titre,
                "format": LIBELLES_FORMATS.get(colonne.format, colonne.format),
                "description": colonne.description,
            }
            for colonne in colonnes or []
        ]
    return ecrire_tableau(feuille, len(introduction) + 4, COLONNES_LISEZ_MOI, rangees, table="LisezMoi")


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
