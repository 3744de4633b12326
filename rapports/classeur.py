"""The Excel workbook of an exercice's rapport d'exécution (openpyxl): what a préfecture reviewer filters and checks.

Four sheets, in this order:

- « Synthèse »: the report's heading (collectivité, exercice, period, parity over the exercice), then the synthesis
  table: one row per fiche (State part per year when the convention gives several years, State part of the exercice,
  collectivité, others, total, parity, and when an executed budget exists the executed amount and execution rate),
  the group totals (Total A, Total B) and the overall total (Total A+B);
- « Budget »: one row per budget line (prévisionnel, réel à titre indicatif, exécuté); for a budget without lines
  one row per budget-level part, or the budget itself when it has neither lines nor parts;
- « Indicateurs »: long format, one row per indicator (or sub-item) × dimension × jalon, with the value as written,
  how it was read and the number read. Tables have different jalons, and Excel allows one auto-filter per sheet:
  one list with one header lets a reviewer keep one indicator, one kind of jalon or the exercice's own column;
- « État des dépenses »: seed 003's trame de bilan financier (annexe 3), one row per line of the executed budgets
  (the planned budget's lines, flagged in « Source », for a fiche without executed lines), and its total.

Amounts are Decimal rounded to the cent and written as values (no formula: openpyxl stores no computed result);
every user text goes through `_texte`, which writes it as text, never as a formula. A fixed number of queries
whatever the number of fiches: budgets.coherence.charger and indicateurs.grilles.charger_tableaux load everything.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from budgets.calculs import execution, montant_execute, montants_des_parts, somme, taux
from budgets.coherence import charger
from budgets.enums import Financeur, NatureBudget, TypeDepense
from budgets.synthese import synthese_exercice
from calpae.money import format_euros, quantize_cents
from indicateurs.enums import TypeJalon, TypeValeur
from indicateurs.grilles import charger_tableaux

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

RESPECTEE, NON_RESPECTEE = "Respectée", "Non respectée"
ORDRE_NATURES = list(NatureBudget)
LIBELLES_FINANCEURS = dict(Financeur.choices)
LIBELLES_TYPES_DEPENSE = dict(TypeDepense.choices)
LIBELLES_TYPES_JALON = dict(TypeJalon.choices)
LIBELLES_TYPES_VALEUR = dict(TypeValeur.choices)


@dataclass(frozen=True)
class Colonne:
    titre: str
    format: str = TEXTE
    largeur_max: int = LARGEUR_MAX


@dataclass
class Ligne:
    valeurs: list
    style: str = ""  # "", "total" or "total_general"


def classeur_rapport(exercice) -> Workbook:
    """The workbook of the exercice's rapport d'exécution (see the module's docstring)."""
    donnees = charger([exercice])[0]
    synthese = synthese_exercice(exercice, donnees=donnees)
    grilles = charger_tableaux([exercice])[exercice.pk]
    collectivite = nom_collectivite(exercice)

    classeur = Workbook()
    _proprietes(classeur, exercice, collectivite)
    _feuille_synthese(classeur.active, exercice, collectivite, donnees, synthese)
    _feuille_budget(classeur.create_sheet(), exercice, collectivite, donnees)
    _feuille_indicateurs(classeur.create_sheet(), exercice, collectivite, donnees, grilles)
    _feuille_etat_depenses(classeur.create_sheet(), exercice, collectivite, donnees)
    return classeur


def classeur_octets(exercice) -> bytes:
    """The workbook saved as .xlsx bytes (in memory)."""
    tampon = BytesIO()
    classeur_rapport(exercice).save(tampon)
    return tampon.getvalue()


def nom_collectivite(exercice) -> str:
    """« Collectivité européenne d'Alsace – Haut-Rhin » when the act names the territory it is signed for."""
    nom = exercice.signataire.nom
    return f"{nom} – {exercice.territoire}" if exercice.territoire else nom


# Cells ----------------------------------------------------------------------------------------------------------


def _texte(cellule, valeur):
    """Every text cell: written as a string, never as a formula, whatever it starts with."""
    texte = ILLEGAL_CHARACTERS_RE.sub("", str(valeur))[:LONGUEUR_MAX_CELLULE]
    cellule.value = texte
    cellule.data_type = "s"  # openpyxl turns a string starting with "=" into a formula: undo it
    if texte.startswith(DEBUTS_FORMULE) or texte.lstrip(" \u00a0\t\r\n").startswith(DEBUTS_FORMULE):
        cellule.quotePrefix = True  # and Excel keeps it as text when the cell is edited
    return texte


def _ecrire(cellule, valeur, format_colonne):
    """Write a value with its column's format; returns the width it needs (in characters, as Excel shows it)."""
    if isinstance(valeur, datetime.date):
        cellule.value = valeur
        cellule.number_format = FORMAT_DATE
        return 10
    if isinstance(valeur, (Decimal, int)):
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
    texte = _texte(cellule, valeur)
    return max(map(len, texte.splitlines()), default=0)


def ecrire_tableau(feuille, ligne_entete, colonnes, lignes, filtre_jusqu_a=None):
    """Header (bold, filled), rows, frozen panes under the header, auto-filter and widths from the content.

    `filtre_jusqu_a`: the last row of the auto-filter (rows below it, such as a total, stay out of the filter)."""
    largeurs = []
    for j, colonne in enumerate(colonnes, 1):
        cellule = feuille.cell(row=ligne_entete, column=j)
        _texte(cellule, colonne.titre)
        cellule.font = POLICE_ENTETE
        cellule.fill = FOND_ENTETE
        cellule.alignment = ALIGNEMENT_ENTETE
        largeurs.append(max(len(mot) for mot in colonne.titre.split()))
    for i, ligne in enumerate(lignes, ligne_entete + 1):
        fond = FOND_TOTAL_GENERAL if ligne.style == "total_general" else FOND_TOTAL
        for j, (colonne, valeur) in enumerate(zip(colonnes, ligne.valeurs, strict=True), 1):
            vide = valeur is None or valeur == ""
            if vide and not ligne.style:
                continue  # no cell at all: fewer cells to write
            cellule = feuille.cell(row=i, column=j)
            if not vide:
                largeur = _ecrire(cellule, valeur, colonne.format)
                if largeur > colonne.largeur_max:
                    cellule.alignment = ALIGNEMENT_RETOUR
                largeurs[j - 1] = max(largeurs[j - 1], min(largeur, colonne.largeur_max))
            if ligne.style:
                cellule.font = POLICE_GRAS
                cellule.fill = fond
    derniere_colonne = get_column_letter(len(colonnes))
    derniere_ligne = filtre_jusqu_a if filtre_jusqu_a is not None else ligne_entete + len(lignes)
    feuille.freeze_panes = f"A{ligne_entete + 1}"
    feuille.auto_filter.ref = f"A{ligne_entete}:{derniere_colonne}{max(derniere_ligne, ligne_entete + 1)}"
    for j, largeur in enumerate(largeurs, 1):
        feuille.column_dimensions[get_column_letter(j)].width = max(LARGEUR_MIN, min(largeur, LARGEUR_MAX)) + 2
    feuille.print_title_rows = f"{ligne_entete}:{ligne_entete}"
    feuille.page_setup.orientation = "landscape"
    feuille.page_setup.fitToWidth = 1
    feuille.page_setup.fitToHeight = 0
    feuille.sheet_properties.pageSetUpPr.fitToPage = True


def _titre(feuille, titre, sous_titre):
    for rang, (texte, police) in enumerate(((titre, POLICE_TITRE), (sous_titre, POLICE_SOUS_TITRE)), 1):
        cellule = feuille.cell(row=rang, column=1)
        _texte(cellule, texte)
        cellule.font = police


def _proprietes(classeur, exercice, collectivite):
    proprietes = classeur.properties
    proprietes.title = f"Rapport d'exécution {exercice.libelle} – {collectivite}"
    proprietes.subject = (
        "Rapport d'exécution de la convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi : "
        "synthèse, budgets, indicateurs, état des dépenses"
    )
    proprietes.creator = "CALPAE"
    proprietes.lastModifiedBy = "CALPAE"
    proprietes.keywords = f"CALPAE; rapport d'exécution; {collectivite}; exercice {exercice.libelle}"
    proprietes.description = (
        f"Collectivité : {collectivite}. Exercice : {exercice.libelle}, du {exercice.date_debut:%d/%m/%Y} "
        f"au {exercice.date_fin:%d/%m/%Y}. Convention : {exercice.convention.intitule}."
    )
    proprietes.language = "fr-FR"
    classeur.custom_doc_props.append(StringProperty(name="Collectivité", value=collectivite))
    classeur.custom_doc_props.append(StringProperty(name="Exercice", value=exercice.libelle))


def _distincts(valeurs) -> str:
    return ", ".join(dict.fromkeys(v for v in valeurs if v))


# « Synthèse » -----------------------------------------------------------------------------------------------------


def _feuille_synthese(feuille, exercice, collectivite, donnees, synthese):
    feuille.title = "Synthèse"
    par_fiche = {f.fiche.pk: f for f in donnees.fiches}
    groupes = {g.pk: g for g in donnees.groupes}
    annees = synthese.annees if len(synthese.annees) > 1 else []
    avec_sous_groupes = any(f.fiche.groupe.parent_id for f in donnees.fiches)
    avec_execute = any(NatureBudget.EXECUTE in f.budgets for f in donnees.fiches)

    colonnes = [Colonne("N° fiche", largeur_max=16), Colonne("Titre"), Colonne("Groupe", largeur_max=35)]
    if avec_sous_groupes:
        colonnes.append(Colonne("Sous-groupe", largeur_max=35))
    colonnes += [Colonne(f"Part État {annee}", EUROS) for annee in annees]
    colonnes += [
        Colonne(f"Part État (exercice {exercice.libelle})", EUROS),
        Colonne("Part collectivité", EUROS),
        Colonne("Autres financeurs", EUROS),
        Colonne("Total", EUROS),
        Colonne("Parité", largeur_max=14),
    ]
    if avec_execute:
        colonnes += [
            Colonne("Montant exécuté", EUROS),
            Colonne("Taux d'exécution", TAUX),
            Colonne("Budget exécuté (texte)"),
        ]
    colonnes.append(Colonne("Observations"))

    def libelle_groupe(groupe):
        return f"{groupe.code} – {groupe.libelle}"

    def valeurs(numero, titre, groupe, sous_groupe, par_annee, montants, cellules_execution, observations):
        ligne = [numero, titre, groupe] + ([sous_groupe] if avec_sous_groupes else []) + par_annee
        ligne += [montants.etat, montants.collectivite, montants.autres, montants.total]
        ligne.append(RESPECTEE if montants.parite else NON_RESPECTEE)
        if avec_execute:
            ligne += cellules_execution
        return ligne + [observations]

    lignes = []
    tous_executes = []  # (executed or None, planned) of each fiche
    for groupe in synthese.groupes:
        executes = []
        for ligne_synthese in groupe.lignes:
            fiche = ligne_synthese.fiche
            fiche_chargee = par_fiche[fiche.pk]
            montants = ligne_synthese.montants
            execute = montant_execute(fiche_chargee.budgets.get(NatureBudget.EXECUTE), exercice.annees)
            charge_execute = fiche_chargee.budgets.get(NatureBudget.EXECUTE)
            cellules_execution = [
                execute,
                taux(execute, montants.total) if execute is not None else None,
                charge_execute.budget.texte if charge_execute else "",
            ]
            executes.append((execute, montants.total))
            sous_groupe = groupes[fiche.groupe_id] if fiche.groupe_id != groupe.groupe.pk else None
            lignes.append(
                Ligne(
                    valeurs(
                        fiche.numero,
                        fiche.titre,
                        libelle_groupe(groupe.groupe),
                        libelle_groupe(sous_groupe) if sous_groupe else "",
                        [ligne_synthese.etat_par_annee.get(annee) for annee in annees],
                        montants,
                        cellules_execution,
                        _observations(fiche_chargee, exercice.annees),
                    )
                )
            )
        lignes.append(
            Ligne(
                valeurs(
                    f"Total {groupe.groupe.code}",
                    groupe.groupe.libelle,
                    libelle_groupe(groupe.groupe),
                    "",
                    [groupe.etat_par_annee(annee) for annee in annees],
                    groupe.montants,
                    _execution_totale(executes),
                    "",
                ),
                "total",
            )
        )
        tous_executes += executes
    if len(synthese.groupes) > 1:
        lignes.append(
            Ligne(
                valeurs(
                    "Total " + "+".join(g.groupe.code for g in synthese.groupes),
                    "Ensemble des fiches",
                    "",
                    "",
                    [synthese.etat_par_annee(annee) for annee in annees],
                    synthese.montants,
                    _execution_totale(tous_executes),
                    "",
                ),
                "total_general",
            )
        )

    _titre(feuille, collectivite, f"Rapport d'exécution – exercice {exercice.libelle}")
    _texte(feuille.cell(row=3, column=1), "Période du")
    _ecrire(feuille.cell(row=3, column=2), exercice.date_debut, DATE)
    _texte(feuille.cell(row=3, column=3), "au")
    _ecrire(feuille.cell(row=3, column=4), exercice.date_fin, DATE)
    _texte(feuille.cell(row=4, column=1), "Parité sur l'exercice")
    cellule = feuille.cell(row=4, column=2)
    _texte(cellule, RESPECTEE if synthese.montants.parite else NON_RESPECTEE)
    cellule.font = POLICE_GRAS
    ecrire_tableau(feuille, 6, colonnes, lignes)


def _execution_totale(executes):
    """Executed total of a group (`executes`: executed or None, planned, per fiche): the fiches that give a figure,
    and the rate against what they planned (budgets.calculs.execution)."""
    total = execution(executes)
    note = ""
    if total.partielle:
        note = (
            f"Montant exécuté chiffré pour {total.nb_chiffrees} fiche(s) sur {total.nb_fiches} ; "
            "taux calculé sur ces fiches."
        )
    return [total.execute, total.taux, note]


def _observations(fiche_chargee, annees) -> str:
    """What the planned budget states without a figure (« Part CD = / », « Partenariat complémentaire… »)."""
    prev = fiche_chargee.previsionnel()
    if prev is None:
        return "Pas de budget prévisionnel."
    observations = [
        f"{LIBELLES_FINANCEURS.get(part.financeur, part.financeur)} : {part.texte}"
        for part in prev.parts
        if part.montant is None and part.texte and not part.ligne_id
    ]
    if prev.budget.total is not None and any(part.montant is not None for part in prev.parts):
        parts = montants_des_parts(prev.parts, annees).total
        if parts != quantize_cents(prev.budget.total):
            observations.append(
                f"Le budget prévisionnel indique un total de {format_euros(prev.budget.total)}, "
                f"la somme des parts donne {format_euros(parts)}."
            )
    return " ; ".join(observations)


# « Budget » -------------------------------------------------------------------------------------------------------

COLONNES_BUDGET = [
    Colonne("N° fiche", largeur_max=16),
    Colonne("Titre de la fiche", largeur_max=45),
    Colonne("Budget", largeur_max=30),
    Colonne("Élément", largeur_max=10),
    Colonne("Financeur(s)", largeur_max=30),
    Colonne("Année", ANNEE),
    Colonne("Territoire", largeur_max=20),
    Colonne("Type de dépense", largeur_max=30),
    Colonne("Libellé"),
    Colonne("Quantité", QUANTITE),
    Colonne("Unité", largeur_max=25),
    Colonne("Coût unitaire", EUROS),
    Colonne("Date ou période", largeur_max=25),
    Colonne("Montant", EUROS),
    Colonne("Montant tel qu'écrit", largeur_max=40),
    Colonne("Montant en année pleine", EUROS),
]


def _feuille_budget(feuille, exercice, collectivite, donnees):
    feuille.title = "Budget"
    lignes = []
    for fiche_chargee in donnees.fiches:
        fiche = fiche_chargee.fiche
        for nature in ORDRE_NATURES:
            charge = fiche_chargee.budgets.get(nature)
            if charge is None:
                continue
            debut = [fiche.numero, fiche.titre, nature.label]
            parts_par_ligne = {}
            for part in charge.parts:
                parts_par_ligne.setdefault(part.ligne_id, []).append(part)
            for ligne in charge.lignes:
                parts = parts_par_ligne.get(ligne.pk, [])
                lignes.append(
                    Ligne(
                        debut
                        + [
                            "Ligne",
                            _financeurs(parts),
                            None,
                            _territoire(ligne, parts),
                            _type_depense(ligne, parts),
                            ligne.libelle,
                            ligne.quantite,
                            ligne.unite,
                            ligne.cout_unitaire,
                            ligne.periode,
                            ligne.montant,
                            "",
                            ligne.montant_annee_pleine,
                        ]
                    )
                )
            if charge.lignes:
                continue
            for part in parts_par_ligne.get(None, []):
                financeur = LIBELLES_FINANCEURS.get(part.financeur, part.financeur)
                lignes.append(
                    Ligne(
                        debut
                        + [
                            "Part",
                            financeur,
                            part.annee,
                            part.territoire,
                            LIBELLES_TYPES_DEPENSE.get(part.type_depense, ""),
                            part.libelle or financeur,
                            None,
                            "",
                            None,
                            "",
                            part.montant,
                            part.texte,
                            None,
                        ]
                    )
                )
            if not charge.parts:
                budget = charge.budget
                lignes.append(
                    Ligne(
                        debut
                        + [
                            "Budget",
                            "",
                            None,
                            "",
                            "",
                            budget.texte or budget.intitule or nature.label,
                            None,
                            "",
                            None,
                            "",
                            budget.total,
                            budget.total_texte,
                            None,
                        ]
                    )
                )
    _titre(feuille, f"Budgets des fiches – {collectivite}", f"Rapport d'exécution – exercice {exercice.libelle}")
    ecrire_tableau(feuille, 4, COLONNES_BUDGET, lignes)


def _financeurs(parts) -> str:
    """The financeurs of a line's parts, State first (the order of the enum)."""
    presents = {p.financeur for p in parts}
    return ", ".join(libelle for valeur, libelle in Financeur.choices if valeur in presents)


def _territoire(ligne, parts) -> str:
    return ligne.territoire or _distincts(p.territoire for p in parts)


def _type_depense(ligne, parts) -> str:
    """The line's kind of spending; else the kinds of its parts (seed 003 splits the CeA part of a line)."""
    if ligne.type_depense:
        return LIBELLES_TYPES_DEPENSE.get(ligne.type_depense, ligne.type_depense)
    return _distincts(LIBELLES_TYPES_DEPENSE.get(p.type_depense) for p in parts)


# « Indicateurs » --------------------------------------------------------------------------------------------------

COLONNES_INDICATEURS = [
    Colonne("N° fiche(s)", largeur_max=20),
    Colonne("Thème", largeur_max=40),
    Colonne("Tableau", largeur_max=40),
    Colonne("Code", largeur_max=8),
    Colonne("Indicateur"),
    Colonne("Indicateur parent", largeur_max=30),
    Colonne("Dimension", largeur_max=20),
    Colonne("Jalon", largeur_max=35),
    Colonne("Type de jalon", largeur_max=14),
    Colonne("Date du jalon", DATE),
    Colonne("Colonne de l'exercice", largeur_max=12),
    Colonne("Valeur telle qu'écrite", largeur_max=50),
    Colonne("Lue comme", largeur_max=14),
    Colonne("Nombre", QUANTITE),
    Colonne("Unité", largeur_max=12),
]
TOUTES_LES_COLONNES = "Toutes les colonnes (cellule fusionnée)"


def _feuille_indicateurs(feuille, exercice, collectivite, donnees, grilles):
    feuille.title = "Indicateurs"
    rang_fiche = {f.fiche.pk: (rang, f.fiche.numero) for rang, f in enumerate(donnees.fiches)}
    lignes = []
    for grille in grilles:
        tableau = grille.tableau
        numeros = ", ".join(numero for _, numero in sorted(rang_fiche[pk] for pk in grille.fiche_ids))
        courant = grille.jalon_courant.pk if grille.jalon_courant else None
        libelles = {ligne.indicateur.pk: ligne.indicateur.libelle for ligne in grille.lignes}
        for ligne in grille.lignes:
            indicateur = ligne.indicateur
            debut = [
                numeros,
                tableau.theme,
                tableau.titre or str(tableau),
                indicateur.code,
                "  " * ligne.profondeur + "– " + indicateur.libelle if ligne.profondeur else indicateur.libelle,
                libelles.get(indicateur.parent_id, ""),
                ligne.dimension,
            ]
            for cellule in ligne.cellules:
                jalon, valeur = cellule.jalon, cellule.valeur
                if cellule.colspan > 1:
                    colonne_jalon = [TOUTES_LES_COLONNES, "", None, ""]
                else:
                    colonne_jalon = [
                        jalon.libelle,
                        LIBELLES_TYPES_JALON.get(jalon.type, jalon.type),
                        jalon.date,
                        "Oui" if jalon.pk == courant else "",
                    ]
                if valeur is None:
                    lue = ["", LIBELLES_TYPES_VALEUR[TypeValeur.VIDE], None, ""]
                else:
                    lue = [
                        valeur.texte,
                        LIBELLES_TYPES_VALEUR.get(valeur.type, valeur.type),
                        valeur.nombre,
                        valeur.unite,
                    ]
                lignes.append(Ligne(debut + colonne_jalon + lue))
    _titre(feuille, f"Indicateurs de suivi – {collectivite}", f"Rapport d'exécution – exercice {exercice.libelle}")
    ecrire_tableau(feuille, 4, COLONNES_INDICATEURS, lignes)


# « État des dépenses » --------------------------------------------------------------------------------------------

SOURCE_EXECUTE = "Budget exécuté"
SOURCE_PREVISIONNEL = "Budget prévisionnel (pas de ligne exécutée)"


def _feuille_etat_depenses(feuille, exercice, collectivite, donnees):
    feuille.title = "État des dépenses"
    retenues = []  # (fiche, line, its parts, source)
    for fiche_chargee in donnees.fiches:
        execute = fiche_chargee.budgets.get(NatureBudget.EXECUTE)
        charge, source = execute, SOURCE_EXECUTE
        if execute is None or not execute.lignes:
            charge, source = fiche_chargee.previsionnel(), SOURCE_PREVISIONNEL
        if charge is None:
            continue
        parts_par_ligne = {}
        for part in charge.parts:
            if part.ligne_id:
                parts_par_ligne.setdefault(part.ligne_id, []).append(part)
        for ligne in charge.lignes:
            retenues.append((fiche_chargee.fiche, ligne, parts_par_ligne.get(ligne.pk, []), source))

    types = [
        t
        for t in TypeDepense
        if any(ligne.type_depense == t or any(p.type_depense == t for p in parts) for _, ligne, parts, _ in retenues)
    ]
    colonnes = [
        Colonne("N° fiche", largeur_max=16),
        Colonne("Nature de la dépense"),
        Colonne("Date ou période", largeur_max=25),
        Colonne("Objet de la dépense", largeur_max=40),
        Colonne("Territoire", largeur_max=20),
        Colonne("Type de dépense", largeur_max=30),
        Colonne("Unité", largeur_max=25),
        Colonne("Nombre d'unités", QUANTITE),
        Colonne("Coût unitaire", EUROS),
        Colonne("Montant", EUROS),
        Colonne("Montant en année pleine", EUROS),
    ]
    colonnes += [Colonne(f"dont {t.label.lower()}", EUROS) for t in types]
    colonnes.append(Colonne("Source", largeur_max=30))

    lignes = []
    totaux = {source: [] for source in (SOURCE_EXECUTE, SOURCE_PREVISIONNEL)}
    for fiche, ligne, parts, source in retenues:
        par_type = [_montant_du_type(ligne, parts, t) for t in types]
        totaux[source].append((ligne.montant, ligne.montant_annee_pleine, par_type))
        lignes.append(
            Ligne(
                [
                    fiche.numero,
                    ligne.libelle,
                    ligne.periode,
                    ligne.objet,
                    _territoire(ligne, parts),
                    _type_depense(ligne, parts),
                    ligne.unite,
                    ligne.quantite,
                    ligne.cout_unitaire,
                    ligne.montant,
                    ligne.montant_annee_pleine,
                    *par_type,
                    source,
                ]
            )
        )
    derniere_ligne_filtree = 4 + len(lignes)

    def total(libelle, elements, style):
        autres = [[a for _, a, _ in elements], *([p[k] for _, _, p in elements] for k in range(len(types)))]
        sommes = [somme(m for m, _, _ in elements), *(_total(montants) for montants in autres)]
        return Ligne([libelle, "", "", "", "", "", "", None, None, *sommes, ""], style)

    if totaux[SOURCE_EXECUTE] and totaux[SOURCE_PREVISIONNEL]:
        lignes.append(total("Sous-total exécuté", totaux[SOURCE_EXECUTE], "total"))
        lignes.append(total("Sous-total prévisionnel (à défaut d'exécuté)", totaux[SOURCE_PREVISIONNEL], "total"))
    lignes.append(total("Total", totaux[SOURCE_EXECUTE] + totaux[SOURCE_PREVISIONNEL], "total_general"))

    _titre(feuille, f"État des dépenses – {collectivite}", f"Rapport d'exécution – exercice {exercice.libelle}")
    ecrire_tableau(feuille, 4, colonnes, lignes, filtre_jusqu_a=derniere_ligne_filtree)


def _total(montants) -> Decimal | None:
    """The sum to the cent; None when no row gives a figure (an empty column stays empty)."""
    return somme(montants) if any(m is not None for m in montants) else None


def _montant_du_type(ligne, parts, type_depense) -> Decimal | None:
    """The part of a line's amount of one kind of spending: the whole line when it has that kind, else its parts'."""
    if ligne.type_depense:
        return quantize_cents(ligne.montant) if ligne.type_depense == type_depense and ligne.montant else None
    montants = [p.montant for p in parts if p.type_depense == type_depense and p.montant is not None]
    return somme(montants) if montants else None
