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

Every sheet renders the read model of the exercice (rapports.selectors): the figures are those of the page and the
PDF, to the cent. Columns are declared (core.classeur.Colonne: title, value, format) and written by the one writer,
which writes amounts as Decimal values and every text as text, never as a formula.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from budgets.calculs import somme
from budgets.enums import NatureBudget, TypeDepense
from conventions.enums import Partie
from core.classeur import (
    ANNEE,
    DATE,
    EUROS,
    POLICE_GRAS,
    QUANTITE,
    TAUX,
    Colonne,
    Rangee,
    ecrire,
    ecrire_tableau,
    ecrire_texte,
    ecrire_titre,
    octets,
)
from core.money import format_euros, quantize_cents
from indicateurs.enums import TypeJalon, TypeValeur

from .selectors import FicheLue, GroupeLu, charger_exercice

RESPECTEE, NON_RESPECTEE = "Respectée", "Non respectée"
ORDRE_NATURES = list(NatureBudget)
LIBELLES_FINANCEURS = dict(Partie.choices)
LIBELLES_TYPES_DEPENSE = dict(TypeDepense.choices)
LIBELLES_TYPES_JALON = dict(TypeJalon.choices)
LIBELLES_TYPES_VALEUR = dict(TypeValeur.choices)


def classeur_rapport(exercice, lu=None) -> Workbook:
    """The workbook of the exercice's rapport d'exécution (see the module's docstring); `lu`: its read model, if the
    caller has it."""
    lu = lu or charger_exercice(exercice, textes=False)
    collectivite = nom_collectivite(exercice)
    classeur = Workbook()
    _proprietes(classeur, exercice, collectivite)
    _feuille_synthese(classeur.active, lu, collectivite)
    _feuille_budget(classeur.create_sheet(), lu, collectivite)
    _feuille_indicateurs(classeur.create_sheet(), lu, collectivite)
    _feuille_etat_depenses(classeur.create_sheet(), lu, collectivite)
    return classeur


def classeur_octets(exercice, lu=None) -> bytes:
    """The workbook saved as .xlsx bytes (in memory)."""
    return octets(classeur_rapport(exercice, lu))


def nom_collectivite(exercice) -> str:
    """« Collectivité européenne d'Alsace – Haut-Rhin » when the act names the territory it is signed for."""
    nom = exercice.signataire.nom
    return f"{nom} – {exercice.territoire}" if exercice.territoire else nom


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


def _numero(rang):
    if isinstance(rang, FicheLue):
        return rang.fiche.numero
    if isinstance(rang, GroupeLu):
        return f"Total {rang.code}"
    return "Total " + "+".join(g.code for g in rang.groupes)


def _titre_rang(rang):
    if isinstance(rang, FicheLue):
        return rang.fiche.titre
    return rang.titre if isinstance(rang, GroupeLu) else "Ensemble des fiches"


def _groupe(rang):
    groupe = rang.groupe_racine if isinstance(rang, FicheLue) else getattr(rang, "groupe", None)
    return f"{groupe.code} – {groupe.libelle}" if groupe else ""


def _sous_groupe(rang):
    if isinstance(rang, FicheLue) and rang.fiche.groupe_id != rang.groupe_racine.pk:
        return f"{rang.fiche.groupe.code} – {rang.fiche.groupe.libelle}"
    return ""


def _execute_texte(rang):
    if isinstance(rang, FicheLue):
        return rang.execute.budget.texte if rang.execute else ""
    total = rang.execution
    if total.partielle:
        return (
            f"Montant exécuté chiffré pour {total.nb_chiffrees} fiche(s) sur {total.nb_fiches} ; "
            "taux calculé sur ces fiches."
        )
    return ""


def colonnes_synthese(lu) -> list[Colonne]:
    """The synthesis sheet's columns; rows are the fiches (FicheLue), their groups' and the overall totals."""
    colonnes = [
        Colonne("N° fiche", _numero, largeur_max=16),
        Colonne("Titre", _titre_rang),
        Colonne("Groupe", _groupe, largeur_max=35),
    ]
    if any(f.fiche.groupe_id != f.groupe_racine.pk for f in lu.fiches):
        colonnes.append(Colonne("Sous-groupe", _sous_groupe, largeur_max=35))
    colonnes += [
        Colonne(f"Part État {annee}", lambda r, annee=annee: r.part_etat_par_annee(annee), EUROS) for annee in lu.annees
    ]
    colonnes += [
        Colonne(f"Part État (exercice {lu.exercice.libelle})", lambda r: r.montants.etat, EUROS),
        Colonne("Part collectivité", lambda r: r.montants.collectivite, EUROS),
        Colonne("Autres financeurs", lambda r: r.montants.autres, EUROS),
        Colonne("Total", lambda r: r.prevu, EUROS),
        Colonne("Parité", lambda r: RESPECTEE if r.montants.parite else NON_RESPECTEE, largeur_max=14),
    ]
    if any(f.execute is not None for f in lu.fiches):
        colonnes += [
            Colonne("Montant exécuté", lambda r: r.execute_montant if isinstance(r, FicheLue) else r.execute, EUROS),
            Colonne("Taux d'exécution", lambda r: r.taux_execution, TAUX),
            Colonne("Budget exécuté (texte)", _execute_texte),
        ]
    colonnes.append(Colonne("Observations", lambda r: _observations(r) if isinstance(r, FicheLue) else ""))
    return colonnes


def _feuille_synthese(feuille, lu, collectivite):
    feuille.title = "Synthèse"
    rangees = []
    for groupe in lu.groupes:
        rangees += groupe.fiches
        rangees.append(Rangee(groupe, "total"))
    if len(lu.groupes) > 1:
        rangees.append(Rangee(lu, "total_general"))
    exercice = lu.exercice
    ecrire_titre(feuille, collectivite, f"Rapport d'exécution – exercice {exercice.libelle}")
    ecrire_texte(feuille.cell(row=3, column=1), "Période du")
    ecrire(feuille.cell(row=3, column=2), exercice.date_debut, DATE)
    ecrire_texte(feuille.cell(row=3, column=3), "au")
    ecrire(feuille.cell(row=3, column=4), exercice.date_fin, DATE)
    ecrire_texte(feuille.cell(row=4, column=1), "Parité sur l'exercice")
    cellule = feuille.cell(row=4, column=2)
    ecrire_texte(cellule, RESPECTEE if lu.montants.parite else NON_RESPECTEE)
    cellule.font = POLICE_GRAS
    ecrire_tableau(feuille, 6, colonnes_synthese(lu), rangees)


def _observations(fiche_lue) -> str:
    """What the planned budget states without a figure (« Part CD = / », « Partenariat complémentaire… »), and a
    declared total that differs from the sum of the parts (both figures: budgets.calculs.ChiffresFiche)."""
    prev = fiche_lue.previsionnel
    if prev is None:
        return "Pas de budget prévisionnel."
    observations = [
        f"{LIBELLES_FINANCEURS.get(part.financeur, part.financeur)} : {part.texte}"
        for part in prev.parts
        if part.montant is None and part.texte and not part.ligne_id
    ]
    if fiche_lue.chiffres.ecart_declare:
        observations.append(
            f"Le budget prévisionnel indique un total de {format_euros(fiche_lue.chiffres.total_declare)}, "
            f"la somme des parts donne {format_euros(fiche_lue.prevu)}."
        )
    explication = fiche_lue.explication.strip()
    if explication:
        observations.append(f"Explication des écarts : {explication}")
    return " ; ".join(observations)


# « Budget » -------------------------------------------------------------------------------------------------------

COLONNES_BUDGET = [
    Colonne("N° fiche", "numero", largeur_max=16),
    Colonne("Titre de la fiche", "titre", largeur_max=45),
    Colonne("Budget", "nature", largeur_max=30),
    Colonne("Élément", "element", largeur_max=10),
    Colonne("Partie(s)", "financeurs", largeur_max=30),
    Colonne("Année", "annee", ANNEE),
    Colonne("Territoire", "territoire", largeur_max=20),
    Colonne("Type de dépense", "type_depense", largeur_max=30),
    Colonne("Libellé", "libelle"),
    Colonne("Quantité", "quantite", QUANTITE),
    Colonne("Unité", "unite", largeur_max=25),
    Colonne("Coût unitaire", "cout_unitaire", EUROS),
    Colonne("Date ou période", "periode", largeur_max=25),
    Colonne("Montant", "montant", EUROS),
    Colonne("Montant tel qu'écrit", "texte", largeur_max=40),
    Colonne("Montant en année pleine", "montant_annee_pleine", EUROS),
]


def _rangees_budget(fiche_lue):
    """One row per line of each budget; for a budget without lines one per budget-level part, or the budget."""
    fiche = fiche_lue.fiche
    for nature in ORDRE_NATURES:
        charge = fiche_lue.budgets.get(nature)
        if charge is None:
            continue
        debut = {"numero": fiche.numero, "titre": fiche.titre, "nature": nature.label}
        parts_par_ligne = {}
        for part in charge.parts:
            parts_par_ligne.setdefault(part.ligne_id, []).append(part)
        for ligne in charge.lignes:
            parts = parts_par_ligne.get(ligne.pk, [])
            yield debut | {
                "element": "Ligne",
                "financeurs": _financeurs(parts),
                "annee": None,
                "territoire": _territoire(ligne, parts),
                "type_depense": _type_depense(ligne, parts),
                "libelle": ligne.libelle,
                "quantite": ligne.quantite,
                "unite": ligne.unite,
                "cout_unitaire": ligne.cout_unitaire,
                "periode": ligne.periode,
                "montant": ligne.montant,
                "texte": "",
                "montant_annee_pleine": ligne.montant_annee_pleine,
            }
        if charge.lignes:
            continue
        vide = {"quantite": None, "unite": "", "cout_unitaire": None, "periode": "", "montant_annee_pleine": None}
        for part in parts_par_ligne.get(None, []):
            financeur = LIBELLES_FINANCEURS.get(part.financeur, part.financeur)
            yield (
                debut
                | vide
                | {
                    "element": "Part",
                    "financeurs": financeur,
                    "annee": part.annee,
                    "territoire": part.territoire,
                    "type_depense": LIBELLES_TYPES_DEPENSE.get(part.type_depense, ""),
                    "libelle": part.libelle or financeur,
                    "montant": part.montant,
                    "texte": part.texte,
                }
            )
        if not charge.parts:
            budget = charge.budget
            yield (
                debut
                | vide
                | {
                    "element": "Budget",
                    "financeurs": "",
                    "annee": None,
                    "territoire": "",
                    "type_depense": "",
                    "libelle": budget.texte or budget.intitule or nature.label,
                    "montant": budget.total,
                    "texte": budget.total_texte,
                }
            )


def _feuille_budget(feuille, lu, collectivite):
    feuille.title = "Budget"
    rangees = [rangee for fiche_lue in lu.fiches_dans_l_ordre for rangee in _rangees_budget(fiche_lue)]
    titre = f"Budgets des fiches – {collectivite}"
    ecrire_titre(feuille, titre, f"Rapport d'exécution – exercice {lu.exercice.libelle}")
    ecrire_tableau(feuille, 4, COLONNES_BUDGET, rangees)


def _financeurs(parts) -> str:
    """The financeurs of a line's parts, State first (the order of the enum)."""
    presents = {p.financeur for p in parts}
    return ", ".join(libelle for valeur, libelle in Partie.choices if valeur in presents)


def _territoire(ligne, parts) -> str:
    return ligne.territoire or _distincts(p.territoire for p in parts)


def _type_depense(ligne, parts) -> str:
    """The line's kind of spending; else the kinds of its parts (seed 003 splits the CeA part of a line)."""
    if ligne.type_depense:
        return LIBELLES_TYPES_DEPENSE.get(ligne.type_depense, ligne.type_depense)
    return _distincts(LIBELLES_TYPES_DEPENSE.get(p.type_depense) for p in parts)


# « Indicateurs » --------------------------------------------------------------------------------------------------

COLONNES_INDICATEURS = [
    Colonne("N° fiche(s)", "numeros", largeur_max=20),
    Colonne("Thème", "theme", largeur_max=40),
    Colonne("Tableau", "tableau", largeur_max=40),
    Colonne("Code", "code", largeur_max=8),
    Colonne("Indicateur", "indicateur"),
    Colonne("Indicateur parent", "parent", largeur_max=30),
    Colonne("Dimension", "dimension", largeur_max=20),
    Colonne("Jalon", "jalon", largeur_max=35),
    Colonne("Type de jalon", "type_jalon", largeur_max=14),
    Colonne("Date du jalon", "date_jalon", DATE),
    Colonne("Colonne de l'exercice", "courant", largeur_max=12),
    Colonne("Valeur telle qu'écrite", "texte", largeur_max=50),
    Colonne("Lue comme", "lue_comme", largeur_max=14),
    Colonne("Nombre", "nombre", QUANTITE),
    Colonne("Unité", "unite", largeur_max=12),
]
TOUTES_LES_COLONNES = "Toutes les colonnes (cellule fusionnée)"


def _rangees_indicateurs(lu):
    """Long format: one row per indicator (or sub-item) × dimension × jalon, the tables in the annex's order."""
    rang_fiche = {f.fiche.pk: (rang, f.fiche.numero) for rang, f in enumerate(lu.fiches_dans_l_ordre)}
    for grille in lu.grilles:
        if True:
            tableau = grille.tableau
            numeros = ", ".join(numero for _, numero in sorted(rang_fiche[pk] for pk in grille.fiche_ids))
            courant = grille.jalon_courant.pk if grille.jalon_courant else None
            libelles = {ligne.indicateur.pk: ligne.indicateur.libelle for ligne in grille.lignes}
            for ligne in grille.lignes:
                indicateur = ligne.indicateur
                debut = {
                    "numeros": numeros,
                    "theme": tableau.theme,
                    "tableau": tableau.titre or str(tableau),
                    "code": indicateur.code,
                    "indicateur": "  " * ligne.profondeur + "– " + indicateur.libelle
                    if ligne.profondeur
                    else indicateur.libelle,
                    "parent": libelles.get(indicateur.parent_id, ""),
                    "dimension": ligne.dimension,
                }
                for cellule in ligne.cellules:
                    jalon, valeur = cellule.jalon, cellule.valeur
                    if cellule.colspan > 1:
                        colonne_jalon = {
                            "jalon": TOUTES_LES_COLONNES,
                            "type_jalon": "",
                            "date_jalon": None,
                            "courant": "",
                        }
                    else:
                        colonne_jalon = {
                            "jalon": jalon.libelle,
                            "type_jalon": LIBELLES_TYPES_JALON.get(jalon.type, jalon.type),
                            "date_jalon": jalon.date,
                            "courant": "Oui" if jalon.pk == courant else "",
                        }
                    if valeur is None:
                        lue = {
                            "texte": "",
                            "lue_comme": LIBELLES_TYPES_VALEUR[TypeValeur.VIDE],
                            "nombre": None,
                            "unite": "",
                        }
                    else:
                        lue = {
                            "texte": valeur.texte,
                            "lue_comme": LIBELLES_TYPES_VALEUR.get(valeur.type, valeur.type),
                            "nombre": valeur.nombre,
                            "unite": valeur.unite,
                        }
                    yield debut | colonne_jalon | lue


def _feuille_indicateurs(feuille, lu, collectivite):
    feuille.title = "Indicateurs"
    titre = f"Indicateurs de suivi – {collectivite}"
    ecrire_titre(feuille, titre, f"Rapport d'exécution – exercice {lu.exercice.libelle}")
    ecrire_tableau(feuille, 4, COLONNES_INDICATEURS, _rangees_indicateurs(lu))


# « État des dépenses » --------------------------------------------------------------------------------------------

SOURCE_EXECUTE = "Budget exécuté"
SOURCE_PREVISIONNEL = "Budget prévisionnel (pas de ligne exécutée)"


def _feuille_etat_depenses(feuille, lu, collectivite):
    feuille.title = "État des dépenses"
    retenues = []  # {fiche, ligne, parts, source}: each line of the executed budgets, else of the planned one
    for fiche_lue in lu.fiches_dans_l_ordre:
        execute = fiche_lue.execute
        charge, source = execute, SOURCE_EXECUTE
        if execute is None or not execute.lignes:
            charge, source = fiche_lue.previsionnel, SOURCE_PREVISIONNEL
        if charge is None:
            continue
        parts_par_ligne = {}
        for part in charge.parts:
            if part.ligne_id:
                parts_par_ligne.setdefault(part.ligne_id, []).append(part)
        for ligne in charge.lignes:
            parts = parts_par_ligne.get(ligne.pk, [])
            retenues.append({"numero": fiche_lue.fiche.numero, "ligne": ligne, "parts": parts, "source": source})

    types = [
        t
        for t in TypeDepense
        if any(r["ligne"].type_depense == t or any(p.type_depense == t for p in r["parts"]) for r in retenues)
    ]

    def de_la_ligne(attribut):
        return lambda r: getattr(r["ligne"], attribut) if "ligne" in r else r.get(attribut)

    colonnes = [
        Colonne("N° fiche", "numero", largeur_max=16),
        Colonne("Nature de la dépense", de_la_ligne("libelle")),
        Colonne("Date ou période", de_la_ligne("periode"), largeur_max=25),
        Colonne("Objet de la dépense", de_la_ligne("objet"), largeur_max=40),
        Colonne("Territoire", lambda r: _territoire(r["ligne"], r["parts"]) if "ligne" in r else "", largeur_max=20),
        Colonne(
            "Type de dépense", lambda r: _type_depense(r["ligne"], r["parts"]) if "ligne" in r else "", largeur_max=30
        ),
        Colonne("Unité", de_la_ligne("unite"), largeur_max=25),
        Colonne("Nombre d'unités", de_la_ligne("quantite"), QUANTITE),
        Colonne("Coût unitaire", de_la_ligne("cout_unitaire"), EUROS),
        Colonne("Montant", de_la_ligne("montant"), EUROS),
        Colonne("Montant en année pleine", de_la_ligne("montant_annee_pleine"), EUROS),
    ]
    colonnes += [Colonne(f"dont {t.label.lower()}", lambda r, t=t: r[t], EUROS) for t in types]
    colonnes.append(Colonne("Source", "source", largeur_max=30))

    for retenue in retenues:
        retenue.update({t: _montant_du_type(retenue["ligne"], retenue["parts"], t) for t in types})

    def total(libelle, elements, style):
        sommes = {
            "montant": somme(r["ligne"].montant for r in elements),
            "montant_annee_pleine": _total([r["ligne"].montant_annee_pleine for r in elements]),
        }
        sommes |= {t: _total([r[t] for r in elements]) for t in types}
        return Rangee({"numero": libelle, "source": "", **sommes}, style)

    rangees = list(retenues)
    executees = [r for r in retenues if r["source"] == SOURCE_EXECUTE]
    prevues = [r for r in retenues if r["source"] == SOURCE_PREVISIONNEL]
    if executees and prevues:
        rangees.append(total("Sous-total exécuté", executees, "total"))
        rangees.append(total("Sous-total prévisionnel (à défaut d'exécuté)", prevues, "total"))
    rangees.append(total("Total", retenues, "total_general"))

    titre = f"État des dépenses – {collectivite}"
    ecrire_titre(feuille, titre, f"Rapport d'exécution – exercice {lu.exercice.libelle}")
    ecrire_tableau(feuille, 4, colonnes, rangees, filtre_jusqu_a=4 + len(retenues))


def _total(montants) -> Decimal | None:
    """The sum to the cent; None when no row gives a figure (an empty column stays empty)."""
    return somme(montants) if any(m is not None for m in montants) else None


def _montant_du_type(ligne, parts, type_depense) -> Decimal | None:
    """The part of a line's amount of one kind of spending: the whole line when it has that kind, else its parts'."""
    if ligne.type_depense:
        return quantize_cents(ligne.montant) if ligne.type_depense == type_depense and ligne.montant else None
    montants = [p.montant for p in parts if p.type_depense == type_depense and p.montant is not None]
    return somme(montants) if montants else None
