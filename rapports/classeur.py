"""The Excel workbook of an exercice's rapport d'exécution (openpyxl): what a préfecture analyst filters, pivots and
checks. The same sheets and the same columns for every exercice, whatever its data:

- « Synthèse »: the report's heading, then the totals of each group (Total A, Total B) and the overall total
  (Total A+B, below the table): the figures of the PDF's synthesis;
- four data sheets, one kind of row each, every row carrying the collectivité, the exercice, the group and the fiche,
  each data range an Excel table with no total inside it: « Fiches » (planned shares, executed amount, rate,
  observations), « Parts » (each financeur's share of each budget), « Lignes » (each budget line), « Indicateurs »
  (one value per indicator × dimension × jalon);
- « État des dépenses »: seed 003's trame de bilan financier (annexe 3): per group and fiche the executed budget's
  lines and totals, which add up to the synthesis's executed total;
- « Lisez-moi »: each sheet and column described, written from the same column declarations.

Every figure comes from the read model of the exercice (rapports.selectors, budgets.calculs.chiffres_fiche): the page,
the PDF and the workbook state the same amounts, to the cent. Columns are declared (core.classeur.Colonne) and written
by the one writer: amounts as Decimal values, rates as fractions with a percent format, every text as text, never as
a formula.
"""

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from budgets.calculs import AUTRE, COLLECTIVITE, ETAT, compte_pour, parts_retenues, somme
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
    ecrire_lisez_moi,
    ecrire_tableau,
    ecrire_texte,
    ecrire_titre,
    mise_en_page,
    octets,
)
from core.money import format_euros
from indicateurs.enums import TypeJalon, TypeValeur

from .selectors import charger_exercice

RESPECTEE, NON_RESPECTEE = "Respectée", "Non respectée"
OUI, NON = "Oui", "Non"
ORDRE_NATURES = list(NatureBudget)
LIBELLES_FINANCEURS = dict(Partie.choices)
LIBELLES_TYPES_DEPENSE = dict(TypeDepense.choices)
LIBELLES_TYPES_JALON = dict(TypeJalon.choices)
LIBELLES_TYPES_VALEUR = dict(TypeValeur.choices)
LIGNE_ENTETE_SYNTHESE = 6
LIGNE_ENTETE_ETAT = 5


def classeur_rapport(exercice, lu=None) -> Workbook:
    """The workbook of the exercice's rapport d'exécution (see the module's docstring); `lu`: its read model, if the
    caller has it."""
    lu = lu or charger_exercice(exercice, textes=False)
    collectivite = nom_collectivite(exercice)
    classeur = Workbook()
    _proprietes(classeur, exercice, collectivite)
    _feuille_synthese(classeur.active, lu, collectivite)
    for nom, _, colonnes, rangees in _feuilles_de_donnees(lu, collectivite):
        feuille = classeur.create_sheet(nom)
        ecrire_tableau(feuille, 1, colonnes, rangees(), table=nom.replace("-", ""))
        mise_en_page(feuille, 1, f"{nom} – {collectivite} – exercice {exercice.libelle}")
    _feuille_etat_depenses(classeur.create_sheet(), lu, collectivite)
    _feuille_lisez_moi(classeur.create_sheet(), exercice, collectivite)
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
        "synthèse, fiches, parts, lignes de budget, indicateurs, état des dépenses"
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


def _parite(respectee) -> str:
    return RESPECTEE if respectee else NON_RESPECTEE


# The columns every data row starts with ---------------------------------------------------------------------------

COLONNES_COMMUNES = [
    Colonne(
        "Collectivité", "collectivite", largeur_max=18, description="La collectivité signataire (et son territoire)."
    ),
    Colonne(
        "Exercice", "exercice", largeur_max=10, description="L'exercice du rapport d'exécution (2019, 2021-2022…)."
    ),
    Colonne(
        "Groupe",
        "groupe",
        largeur_max=8,
        description="Le code de l'annexe de la convention : A (engagements du socle), B (initiatives départementales)…",
    ),
    Colonne("Libellé du groupe", "libelle_groupe", largeur_max=20, description="Le libellé de cette annexe."),
    Colonne(
        "Sous-groupe",
        "sous_groupe",
        largeur_max=16,
        description="Le sous-groupe de la fiche dans l'annexe (B1, B2…), vide quand la fiche n'en a pas.",
    ),
    Colonne(
        "N° fiche",
        "numero",
        largeur_max=12,
        description="Le numéro de la fiche-action, tel qu'écrit (deux groupes peuvent avoir le même).",
    ),
    Colonne("Titre de la fiche", "titre", largeur_max=30, description="Le titre de la fiche-action."),
]


def _debut(lu, collectivite, fiche_lue) -> dict:
    fiche, racine = fiche_lue.fiche, fiche_lue.groupe_racine
    sous_groupe = ""
    if fiche.groupe_id != racine.pk:
        sous_groupe = f"{fiche.groupe.code} – {fiche.groupe.libelle}"
    return {
        "collectivite": collectivite,
        "exercice": lu.exercice.libelle,
        "groupe": racine.code,
        "libelle_groupe": racine.libelle,
        "sous_groupe": sous_groupe,
        "numero": fiche.numero,
        "titre": fiche.titre,
    }


# « Fiches » -------------------------------------------------------------------------------------------------------

COLONNES_FICHES = [
    *COLONNES_COMMUNES,
    Colonne(
        "Part État prévue", "etat", EUROS, description="La part de l'État au budget prévisionnel, pour l'exercice."
    ),
    Colonne(
        "Part collectivité prévue",
        "collectivite_prevue",
        EUROS,
        description="La part de la collectivité au budget prévisionnel, pour l'exercice.",
    ),
    Colonne(
        "Autres financeurs prévus", "autres", EUROS, description="La part des autres financeurs au budget prévisionnel."
    ),
    Colonne(
        "Total prévu",
        "prevu",
        EUROS,
        description="La somme des parts prévues (à défaut, le total indiqué du budget prévisionnel) : le montant de la "
        "synthèse du rapport.",
    ),
    Colonne(
        "Total indiqué (s'il diffère)",
        "total_declare",
        EUROS,
        description="Le total écrit pour le budget prévisionnel, quand il diffère de la somme des parts.",
    ),
    Colonne(
        "Parité",
        "parite",
        largeur_max=14,
        description="Respectée quand la part prévue de la collectivité est au moins égale à celle de l'État "
        "(article 2.3.2 de la convention).",
    ),
    Colonne(
        "Montant exécuté",
        "execute",
        EUROS,
        description="Le montant du budget exécuté ; vide quand il n'est pas chiffré (texte seul ou non renseigné).",
    ),
    Colonne(
        "Taux d'exécution",
        "taux",
        TAUX,
        description="Le montant exécuté rapporté au total prévu (en pourcentage) ; vide sans montant exécuté.",
    ),
    Colonne(
        "Budget exécuté (texte)",
        "execute_texte",
        largeur_max=30,
        description="Le budget exécuté tel que le rapport l'écrit (« Conforme aux engagements »…).",
    ),
    Colonne(
        "Crédit État non consommé",
        "credit",
        EUROS,
        description="Part de l'État prévue moins part de l'État exécutée, jamais négative : la base d'une réfaction. "
        "Un budget exécuté conforme au prévisionnel consomme son prévu ; un exécuté sans part de l'État chiffrée "
        "ne justifie rien.",
    ),
    Colonne(
        "Exécution de la part État",
        "justification",
        largeur_max=30,
        description="Comment la part exécutée de l'État est connue : chiffrée, déclarée conforme, ou non justifiée "
        "(texte seul, sans part chiffrée, non renseignée).",
    ),
    Colonne(
        "Observations",
        "observations",
        largeur_max=45,
        description="Les parts écrites sans montant, un total indiqué qui diffère de la somme des parts et "
        "l'explication des écarts rédigée dans le rapport.",
    ),
]


def _rangees_fiches(lu, collectivite):
    for fiche_lue in lu.fiches:
        chiffres = fiche_lue.chiffres
        execute = fiche_lue.execute
        yield _debut(lu, collectivite, fiche_lue) | {
            "etat": fiche_lue.montants.etat,
            "collectivite_prevue": fiche_lue.montants.collectivite,
            "autres": fiche_lue.montants.autres,
            "prevu": fiche_lue.prevu,
            "total_declare": chiffres.total_declare if chiffres.ecart_declare else None,
            "parite": _parite(fiche_lue.parite),
            "execute": fiche_lue.execute_montant,
            "taux": fiche_lue.taux_execution,
            "execute_texte": execute.budget.texte if execute else "",
            "credit": fiche_lue.credit_non_consomme.montant,
            "justification": fiche_lue.credit_non_consomme.libelle,
            "observations": _observations(fiche_lue),
        }


def _observations(fiche_lue) -> str:
    """What the planned budget states without a figure (« Part CD = / »), a declared total that differs from the sum
    of the parts (both figures: budgets.calculs.ChiffresFiche), and the report's explanation of the gaps."""
    prev = fiche_lue.previsionnel
    observations = [] if prev is not None else ["Pas de budget prévisionnel."]
    observations += [
        f"{LIBELLES_FINANCEURS.get(part.financeur, part.financeur)} : {part.texte}"
        for part in (prev.parts if prev else [])
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


# « Parts » --------------------------------------------------------------------------------------------------------

COLONNES_PARTS = [
    *COLONNES_COMMUNES,
    Colonne("Budget", "nature", largeur_max=30, description="Budget prévisionnel, réel à titre indicatif ou exécuté."),
    Colonne("Partie", "financeur", largeur_max=14, description="Le financeur : État, collectivité ou autre."),
    Colonne(
        "Libellé de la part",
        "libelle",
        largeur_max=30,
        description="La part telle que le document la nomme (« Part CD 68 au titre de la convention »…).",
    ),
    Colonne(
        "Niveau",
        "niveau",
        largeur_max=10,
        description="Budget : une part du budget entier ; Ligne : la part d'une ligne de budget.",
    ),
    Colonne("Ligne de budget", "ligne", largeur_max=30, description="La ligne de budget de la part (niveau Ligne)."),
    Colonne("Année", "annee", ANNEE, description="L'année de la part, quand la convention en donne une."),
    Colonne("Territoire", "territoire", largeur_max=20, description="Le territoire de la part (67, 68, Alsace…)."),
    Colonne(
        "Type de dépense", "type_depense", largeur_max=25, description="Nouvelles dépenses ou valorisation, si indiqué."
    ),
    Colonne("Montant", "montant", EUROS, description="Le montant de la part ; vide quand le document n'en donne pas."),
    Colonne("Montant tel qu'écrit", "texte", largeur_max=40, description="Le montant tel que le document l'écrit."),
    Colonne(
        "Comptée dans les totaux",
        "comptee",
        largeur_max=12,
        description="Oui pour les parts dont la somme, par budget et par partie, donne les montants de la fiche "
        "(les parts du budget entier quand il y en a, sinon celles des lignes) : filtrer sur Oui avant d'additionner.",
    ),
]


def _rangees_parts(lu, collectivite):
    annees = lu.exercice.annees
    for fiche_lue in lu.fiches:
        debut = _debut(lu, collectivite, fiche_lue)
        for nature in ORDRE_NATURES:
            charge = fiche_lue.budgets.get(nature)
            if charge is None:
                continue
            comptees = {
                id(p)
                for financeur in (ETAT, COLLECTIVITE, AUTRE)
                for p in parts_retenues(charge.parts, annees, financeur)
            }
            lignes = {ligne.pk: ligne for ligne in charge.lignes}
            for part in charge.parts:
                if not compte_pour(part, annees):
                    continue  # another year's part: a report states only its own exercice's amounts
                ligne = lignes.get(part.ligne_id)
                yield debut | {
                    "nature": nature.label,
                    "financeur": LIBELLES_FINANCEURS.get(part.financeur, part.financeur),
                    "libelle": part.libelle,
                    "niveau": "Ligne" if part.ligne_id else "Budget",
                    "ligne": ligne.libelle if ligne else "",
                    "annee": part.annee,
                    "territoire": part.territoire,
                    "type_depense": LIBELLES_TYPES_DEPENSE.get(part.type_depense, ""),
                    "montant": part.montant,
                    "texte": part.texte,
                    "comptee": OUI if id(part) in comptees else NON,
                }


# « Lignes » -------------------------------------------------------------------------------------------------------

# A spending's detail, on the Lignes sheet and in État des dépenses (seed 003's trame).
COLONNES_DEPENSE = [
    Colonne("Nombre d'unités", "quantite", QUANTITE, description="Le nombre d'unités."),
    Colonne("Coût unitaire", "cout_unitaire", EUROS, description="Le coût d'une unité."),
    Colonne("Date ou période", "periode", largeur_max=25, description="La date ou la période de la dépense."),
]

COLONNES_LIGNES = [
    *COLONNES_COMMUNES,
    Colonne("Budget", "nature", largeur_max=30, description="Budget prévisionnel, réel à titre indicatif ou exécuté."),
    Colonne("Nature de la dépense", "libelle", largeur_max=35, description="Le libellé de la ligne de budget."),
    Colonne("Objet de la dépense", "objet", largeur_max=30, description="L'objet de la dépense, si indiqué."),
    Colonne("Territoire", "territoire", largeur_max=20, description="Le territoire de la ligne (ou de ses parts)."),
    Colonne(
        "Type de dépense",
        "type_depense",
        largeur_max=30,
        description="Nouvelles dépenses ou valorisation (de la ligne, sinon de ses parts).",
    ),
    Colonne("Financeurs", "financeurs", largeur_max=30, description="Les parties qui financent la ligne (ses parts)."),
    Colonne("Unité", "unite", largeur_max=25, description="L'unité de la dépense, si pertinent."),
    *COLONNES_DEPENSE,
    Colonne("Montant", "montant", EUROS, description="Le montant de la ligne."),
    Colonne(
        "Montant en année pleine",
        "montant_annee_pleine",
        EUROS,
        description="Le montant rapporté à une année pleine, quand le document le donne.",
    ),
]


def _rangees_lignes(lu, collectivite):
    for fiche_lue in lu.fiches:
        debut = _debut(lu, collectivite, fiche_lue)
        for nature in ORDRE_NATURES:
            charge = fiche_lue.budgets.get(nature)
            if charge is None:
                continue
            parts_par_ligne = {}
            for part in charge.parts:
                parts_par_ligne.setdefault(part.ligne_id, []).append(part)
            for ligne in charge.lignes:
                parts = parts_par_ligne.get(ligne.pk, [])
                yield debut | {
                    "nature": nature.label,
                    "libelle": ligne.libelle,
                    "objet": ligne.objet,
                    "territoire": _territoire(ligne, parts),
                    "type_depense": _type_depense(ligne, parts),
                    "financeurs": _financeurs(parts),
                    "unite": ligne.unite,
                    "quantite": ligne.quantite,
                    "cout_unitaire": ligne.cout_unitaire,
                    "periode": ligne.periode,
                    "montant": ligne.montant,
                    "montant_annee_pleine": ligne.montant_annee_pleine,
                }


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

TOUTES_LES_COLONNES = "Toutes les colonnes (cellule fusionnée)"
COLONNES_INDICATEURS = [
    *COLONNES_COMMUNES[:3],
    Colonne(
        "N° fiche(s)",
        "numeros",
        largeur_max=20,
        description="Les fiches que le tableau d'indicateurs suit (une ou plus).",
    ),
    Colonne("Thème", "theme", largeur_max=25, description="Le thème du tableau dans l'annexe des indicateurs."),
    Colonne("Tableau", "tableau", largeur_max=30, description="Le titre du tableau d'indicateurs."),
    Colonne(
        "Code", "code", largeur_max=8, description="Le code de l'indicateur (a), b), 3.2.1…), si le document en donne."
    ),
    Colonne(
        "Indicateur",
        "indicateur",
        largeur_max=45,
        description="Le libellé de l'indicateur (un sous-indicateur est précédé de « – »).",
    ),
    Colonne("Indicateur parent", "parent", largeur_max=25, description="L'indicateur dont c'est un sous-indicateur."),
    Colonne("Dimension", "dimension", largeur_max=20, description="La déclinaison de la valeur (territoire, mode…)."),
    Colonne("Jalon", "jalon", largeur_max=25, description="La colonne du tableau (situation, objectif, réalisé…)."),
    Colonne("Type de jalon", "type_jalon", largeur_max=14, description="Situation, objectif ou réalisé."),
    Colonne("Date du jalon", "date_jalon", DATE, description="La date de la colonne, quand elle en a une."),
    Colonne(
        "Colonne de l'exercice",
        "courant",
        largeur_max=12,
        description="Oui pour la colonne qui mesure l'exercice du rapport.",
    ),
    Colonne("Valeur telle qu'écrite", "texte", largeur_max=30, description="La valeur telle que le document l'écrit."),
    Colonne("Lue comme", "lue_comme", largeur_max=14, description="Nombre, taux, texte libre, code, vide…"),
    Colonne("Nombre", "nombre", QUANTITE, description="Le nombre lu dans la valeur (un taux de 7 % donne 7)."),
    Colonne("Unité", "unite", largeur_max=12, description="L'unité lue dans la valeur (%, €, jours…)."),
]


def _rangees_indicateurs(lu, collectivite):
    """Long format: one row per indicator (or sub-item) × dimension × jalon, the tables in the annex's order."""
    rang_fiche = {f.fiche.pk: (rang, f) for rang, f in enumerate(lu.fiches_dans_l_ordre)}
    for grille in lu.grilles:
        tableau = grille.tableau
        servies = [f for _, f in sorted((rang_fiche[pk] for pk in grille.fiche_ids), key=lambda paire: paire[0])]
        courant = grille.jalon_courant.pk if grille.jalon_courant else None
        libelles = {ligne.indicateur.pk: ligne.indicateur.libelle for ligne in grille.lignes}
        for ligne in grille.lignes:
            indicateur = ligne.indicateur
            debut = {
                "collectivite": collectivite,
                "exercice": lu.exercice.libelle,
                "groupe": _distincts(f.groupe_racine.code for f in servies),
                "numeros": ", ".join(f.fiche.numero for f in servies),
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
                    colonne_jalon = {"jalon": TOUTES_LES_COLONNES, "type_jalon": "", "date_jalon": None, "courant": ""}
                else:
                    colonne_jalon = {
                        "jalon": jalon.libelle,
                        "type_jalon": LIBELLES_TYPES_JALON.get(jalon.type, jalon.type),
                        "date_jalon": jalon.date,
                        "courant": OUI if jalon.pk == courant else "",
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


def _feuilles_de_donnees(lu, collectivite):
    """(name, description, columns, rows) of each data sheet, in order."""
    return [
        (
            "Fiches",
            "Une ligne par fiche-action : ses parts prévues, son montant exécuté, son taux d'exécution et les "
            "observations du rapport.",
            COLONNES_FICHES,
            lambda: _rangees_fiches(lu, collectivite),
        ),
        (
            "Parts",
            "Une ligne par part d'un financeur dans un budget de fiche (prévisionnel, réel indicatif, exécuté), pour "
            "l'exercice.",
            COLONNES_PARTS,
            lambda: _rangees_parts(lu, collectivite),
        ),
        (
            "Lignes",
            "Une ligne par ligne de budget des fiches (prévisionnel, réel indicatif, exécuté).",
            COLONNES_LIGNES,
            lambda: _rangees_lignes(lu, collectivite),
        ),
        (
            "Indicateurs",
            "Une ligne par valeur d'indicateur : indicateur × dimension × colonne (jalon) de chaque tableau de suivi.",
            COLONNES_INDICATEURS,
            lambda: _rangees_indicateurs(lu, collectivite),
        ),
    ]


# « Synthèse » -----------------------------------------------------------------------------------------------------

COLONNES_SYNTHESE = [
    Colonne(
        "Total", "libelle", largeur_max=14, description="Total A, Total B… : les totaux de la synthèse du rapport."
    ),
    Colonne("Groupe", "groupe", largeur_max=40, description="L'annexe de la convention (engagements du socle…)."),
    Colonne("Nombre de fiches", "nb_fiches", ANNEE, description="Le nombre de fiches-action du groupe."),
    Colonne("Part État", "etat", EUROS, description="La somme des parts prévues de l'État."),
    Colonne("Part collectivité", "collectivite", EUROS, description="La somme des parts prévues de la collectivité."),
    Colonne("Autres financeurs", "autres", EUROS, description="La somme des parts prévues des autres financeurs."),
    Colonne("Total prévu", "prevu", EUROS, description="La somme des totaux prévus des fiches."),
    Colonne(
        "Parité", "parite", largeur_max=14, description="Respectée quand la part collectivité atteint la part État."
    ),
    Colonne("Montant exécuté", "execute", EUROS, description="La somme des montants exécutés chiffrés des fiches."),
    Colonne(
        "Fiches au montant exécuté chiffré",
        "nb_chiffrees",
        ANNEE,
        description="Combien de fiches chiffrent leur budget exécuté.",
    ),
    Colonne(
        "Prévu des fiches chiffrées",
        "prevu_des_chiffrees",
        EUROS,
        description="Le total prévu de ces seules fiches : la base du taux d'exécution.",
    ),
    Colonne(
        "Taux d'exécution",
        "taux",
        TAUX,
        description="Le montant exécuté rapporté au prévu des fiches chiffrées (en pourcentage).",
    ),
]


def _rangee_synthese(libelle, groupe, totaux) -> dict:
    execution = totaux.execution
    return {
        "libelle": libelle,
        "groupe": groupe,
        "nb_fiches": len(totaux.fiches),
        "etat": totaux.montants.etat,
        "collectivite": totaux.montants.collectivite,
        "autres": totaux.montants.autres,
        "prevu": totaux.prevu,
        "parite": _parite(totaux.montants.parite),
        "execute": execution.execute,
        "nb_chiffrees": execution.nb_chiffrees,
        "prevu_des_chiffrees": execution.prevu_des_chiffrees if execution.nb_chiffrees else None,
        "taux": execution.taux,
    }


def _feuille_synthese(feuille, lu, collectivite):
    feuille.title = "Synthèse"
    exercice = lu.exercice
    ecrire_titre(feuille, collectivite, f"Rapport d'exécution – exercice {exercice.libelle}")
    ecrire_texte(feuille.cell(row=3, column=1), "Période du")
    ecrire(feuille.cell(row=3, column=2), exercice.date_debut, DATE)
    ecrire_texte(feuille.cell(row=3, column=3), "au")
    ecrire(feuille.cell(row=3, column=4), exercice.date_fin, DATE)
    ecrire_texte(feuille.cell(row=4, column=1), "Parité sur l'exercice")
    cellule = feuille.cell(row=4, column=2)
    ecrire_texte(cellule, _parite(lu.montants.parite))
    cellule.font = POLICE_GRAS
    ecrire_texte(
        feuille.cell(row=4, column=4),
        "Le détail par fiche, part, ligne et indicateur est dans les feuilles suivantes ; voir « Lisez-moi ».",
    )
    rangees = [_rangee_synthese(f"Total {g.code}", g.titre, g) for g in lu.groupes]
    if len(lu.groupes) > 1:
        libelle = "Total " + "+".join(g.code for g in lu.groupes)
        rangees.append(Rangee(_rangee_synthese(libelle, "Ensemble des fiches", lu), "total_general"))
    ligne_fin_table = LIGNE_ENTETE_SYNTHESE + len(lu.groupes)
    derniere = ecrire_tableau(
        feuille, LIGNE_ENTETE_SYNTHESE, COLONNES_SYNTHESE, rangees, filtre_jusqu_a=ligne_fin_table, table="Totaux"
    )
    colonne_a = feuille.column_dimensions["A"]
    colonne_a.width = max(colonne_a.width, len("Parité sur l'exercice") + 2)  # the heading's labels
    if not lu.groupes:
        ecrire_texte(feuille.cell(row=derniere + 2, column=1), "Aucune fiche-action dans cet exercice.")
    elif lu.execution.partielle:
        ecrire_texte(
            feuille.cell(row=derniere + 2, column=1),
            f"Montant exécuté chiffré pour {lu.execution.nb_chiffrees} fiche(s) sur {lu.execution.nb_fiches} ; "
            "le taux d'exécution est calculé sur ces seules fiches.",
        )
    mise_en_page(feuille, LIGNE_ENTETE_SYNTHESE, f"Synthèse – {collectivite} – exercice {exercice.libelle}")


# « État des dépenses » --------------------------------------------------------------------------------------------

COLONNES_ETAT = [
    Colonne(
        "Nature de la dépense",
        "libelle",
        largeur_max=50,
        description="La ligne du budget exécuté, ou l'intitulé d'une section (groupe, fiche) ou d'un total.",
    ),
    Colonne("Unité (si pertinent)", "unite", largeur_max=20, description="L'unité de la dépense."),
    *COLONNES_DEPENSE,
    Colonne(
        "Objet de la dépense",
        "objet",
        largeur_max=45,
        description="L'objet de la dépense ; pour une fiche sans montant exécuté, son budget exécuté tel qu'écrit.",
    ),
    Colonne("Territoire", "territoire", largeur_max=15, description="Le territoire de la dépense (67, 68, Alsace…)."),
    Colonne("Type de dépense", "type_depense", largeur_max=25, description="Nouvelles dépenses ou valorisation."),
    Colonne(
        "Montant",
        "montant",
        EUROS,
        description="Le montant exécuté. Chaque total est la somme des lignes de sa "
        "section ; le total général est le montant exécuté de la synthèse.",
    ),
]
NON_CHIFFRE = "Montant exécuté non chiffré : hors des totaux."


def _rangees_etat(lu):
    """Seed 003's trame: per group a section, per fiche its executed lines and total, the group's total, the
    overall total. Only executed amounts (never the planned ones); a fiche without an executed figure is named,
    with no amount, and counts in no total."""
    for groupe in lu.groupes:
        yield Rangee({"libelle": f"{groupe.code} – {groupe.titre}"}, "section")
        for fiche_lue in groupe.fiches:
            yield from _rangees_etat_fiche(fiche_lue)
        yield Rangee(
            {
                "libelle": f"TOTAL DES DÉPENSES – {groupe.code} – {groupe.titre}",
                "montant": groupe.execute,
                "objet": "" if groupe.execute is not None else NON_CHIFFRE,
            },
            "total",
        )
    objet = NON_CHIFFRE if lu.groupes else "Aucune fiche-action dans cet exercice."
    if lu.execute is not None and lu.execution.partielle:
        objet = f"Montant exécuté chiffré pour {lu.execution.nb_chiffrees} fiche(s) sur {lu.execution.nb_fiches}."
    elif lu.execute is not None:
        objet = ""
    yield Rangee({"libelle": "TOTAL DES DÉPENSES EXÉCUTÉES", "montant": lu.execute, "objet": objet}, "total_general")


def _rangees_etat_fiche(fiche_lue):
    fiche, chiffres, execute = fiche_lue.fiche, fiche_lue.chiffres, fiche_lue.execute
    conforme = chiffres.conforme and not (execute and execute.lignes)
    titre = f"{fiche.numero} – {fiche.titre}"
    if conforme:
        titre += " (budget exécuté conforme au prévisionnel)"
    yield Rangee({"libelle": titre}, "section")
    source = fiche_lue.previsionnel if conforme else execute
    lignes = list(source.lignes) if source else []
    parts_par_ligne = {}
    for part in source.parts if source else []:
        parts_par_ligne.setdefault(part.ligne_id, []).append(part)
    for ligne in lignes:
        parts = parts_par_ligne.get(ligne.pk, [])
        yield {
            "libelle": ligne.libelle,
            "unite": ligne.unite,
            "quantite": ligne.quantite,
            "cout_unitaire": ligne.cout_unitaire,
            "periode": ligne.periode,
            "objet": ligne.objet,
            "territoire": _territoire(ligne, parts),
            "type_depense": _type_depense(ligne, parts),
            "montant": ligne.montant,
        }
    montant = chiffres.execute
    if montant is None:
        texte = execute.budget.texte if execute else ""
        libelle = "Budget exécuté non chiffré" if fiche_lue.execute_renseigne else "Budget exécuté non renseigné"
        yield {"libelle": libelle, "objet": texte or NON_CHIFFRE}
    else:
        reste = montant - somme(ligne.montant for ligne in lignes)
        if not lignes:
            texte = execute.budget.texte if execute else ""
            yield {"libelle": "Montant exécuté (sans détail par ligne)", "objet": texte, "montant": reste}
        elif reste:
            yield {
                "libelle": "Montant exécuté non ventilé par ligne",
                "objet": "Écart entre le montant exécuté de la fiche et la somme de ses lignes.",
                "montant": reste,
            }
    yield Rangee(
        {
            "libelle": f"TOTAL DES DÉPENSES – {fiche.numero}",
            "montant": montant,
            "objet": "" if montant is not None else NON_CHIFFRE,
        },
        "total",
    )


def _feuille_etat_depenses(feuille, lu, collectivite):
    feuille.title = "État des dépenses"
    exercice = lu.exercice
    ecrire_titre(feuille, f"État des dépenses – {collectivite}", f"Rapport d'exécution – exercice {exercice.libelle}")
    ecrire_texte(
        feuille.cell(row=3, column=1),
        "Trame de bilan financier : les dépenses exécutées de chaque fiche, par groupe, et leurs totaux.",
    )
    cles = dict.fromkeys(colonne.valeur for colonne in COLONNES_ETAT)
    rangees = [
        Rangee(cles | r.objet, r.style) if isinstance(r, Rangee) else Rangee(cles | r) for r in _rangees_etat(lu)
    ]
    ecrire_tableau(feuille, LIGNE_ENTETE_ETAT, COLONNES_ETAT, rangees, filtre=False)
    mise_en_page(feuille, LIGNE_ENTETE_ETAT, f"État des dépenses – {collectivite} – exercice {exercice.libelle}")


# « Lisez-moi » ----------------------------------------------------------------------------------------------------


def _feuille_lisez_moi(feuille, exercice, collectivite):
    feuilles = [
        (
            "Synthèse",
            "Les totaux de chaque groupe et le total général (sous le tableau) : ceux de la synthèse du rapport PDF.",
            COLONNES_SYNTHESE,
        ),
        *((nom, description, colonnes) for nom, description, colonnes, _ in _feuilles_de_donnees(None, "")),
        (
            "État des dépenses",
            "La trame de bilan financier : par groupe et par fiche, les lignes du budget exécuté, un total par fiche, "
            "par groupe et le total général. Une fiche sans montant exécuté chiffré est citée sans montant.",
            COLONNES_ETAT,
        ),
        ("Lisez-moi", "Cette feuille.", None),
    ]
    ecrire_lisez_moi(
        feuille,
        f"Rapport d'exécution – {collectivite} – exercice {exercice.libelle}",
        [
            "Les feuilles de données (Fiches, Parts, Lignes, Indicateurs) sont des tableaux Excel sans ligne de "
            "total : on peut les filtrer, les additionner et en faire des tableaux croisés.",
            "Chaque ligne porte la collectivité, l'exercice, le groupe et la fiche : les classeurs de plusieurs "
            "exercices ont les mêmes colonnes et se mettent bout à bout.",
            "Montants en euros ; taux en pourcentage ; aucune formule : chaque cellule est une valeur.",
        ],
        feuilles,
    )
    mise_en_page(feuille, None, f"Lisez-moi – {collectivite} – exercice {exercice.libelle}")
