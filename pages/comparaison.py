"""Several exercices side by side: collectivités against each other, or the years of one collectivité.

Budgets compare as the read model counts them (rapports.selectors): each party's share, executed amount and
rate, socle and initiatives, and the planned amount per axe of the contractualisation (the theme's first part:
"Enfants et jeunes – Prévention des sorties sèches de l'ASE" counts under "Enfants et jeunes").

Indicators compare when they are the same indicator: the same wording once accents, case, punctuation and "nb" are
set aside, a sub-item under the same parent, the same dimension value (Bas-Rhin, PF). An administrator gives two
differently worded indicators the same `cle_comparaison` to compare them. For each exercice the row shows the last
measured value (situation, réalisé, résultat) and the last objective, as written, with its column's label.

A fixed number of queries for any number of exercices: one for their summaries (rapports.ResumeExercice, the read
model's figures kept up to date by every write), two for the indicators.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from actions.themes import SANS_AXE, axe  # noqa: F401 - the comparison's words, imported from here too
from budgets.calculs import Execution, Montants
from budgets.graphique import graphique_parite
from indicateurs.enums import TypeJalon, TypeValeur
from indicateurs.grilles import JALONS_MESURES
from indicateurs.models import Indicateur, ValeurIndicateur
from rapports.enums import StatutRapport
from rapports.models import ResumeExercice
from rapports.resumes import calculer_exercices

MAXIMUM_EXERCICES = 8
LARGEUR_BARRE = 120  # pixels of the longest bar in an indicator row
ABREVIATIONS = {"nb": "nombre", "nbre": "nombre"}
# What a bar can be drawn for: numbers of one kind in a row (a rate against a count means nothing).
LISIBLES = (TypeValeur.NOMBRE, TypeValeur.TAUX, TypeValeur.MONTANT, TypeValeur.DUREE)


@lru_cache(maxsize=8192)  # the same wordings come back in every exercice compared
def cle_texte(texte: str) -> str:
    """A wording's comparison key: lower case, no accents, no punctuation, abbreviations written out."""
    decompose = unicodedata.normalize("NFKD", texte.lower())
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    mots = re.findall(r"[a-z0-9]+", sans_accents)
    return " ".join(ABREVIATIONS.get(mot, mot) for mot in mots)


@dataclass
class ColonneExercice:
    """One exercice of the comparison, from its summary (rapports.ResumeExercice: the read model's figures, counted
    as everywhere else: parts, prévu, executed amount and the rate over the fiches that state one)."""

    exercice: object  # conventions.Exercice
    resume: object  # rapports.ResumeExercice

    @property
    def montants(self) -> Montants:
        r = self.resume
        return Montants(r.part_etat, r.part_collectivite, r.part_autres, set(r.sans_montant))

    @property
    def prevu(self):
        return self.resume.prevu

    @property
    def execution(self) -> Execution:
        r = self.resume
        return Execution(r.execute, r.prevu_des_chiffrees, r.nb_fiches_chiffrees, r.nb_fiches)

    @property
    def execute(self):
        return self.resume.execute

    @property
    def taux_execution(self):
        return self.resume.taux_execution

    @property
    def nb_fiches(self):
        return self.resume.nb_fiches

    @property
    def socle(self) -> Montants:
        """Only its total is shown."""
        return Montants(etat=self.resume.socle)

    @property
    def initiatives(self) -> Montants:
        return Montants(etat=self.resume.initiatives)

    @property
    def statut_rapport(self):
        return StatutRapport(self.resume.statut).label if self.resume.statut else "Non commencé"

    @property
    def titre(self):
        """ "Haut-Rhin 2019": what a column heading says."""
        return f"{self.exercice.nom_court} {self.exercice.libelle}"

    @property
    def titre_complet(self):
        exercice = self.exercice
        return f"{self.titre} ({exercice.intitule_acte or exercice.get_acte_display().lower()})"

    @property
    def rapport_collectivite_etat(self):
        """Collectivité's share for 1 € of the State's (parity when at least 1)."""
        if not self.montants.etat:
            return None
        return (self.montants.collectivite / self.montants.etat).quantize(Decimal("0.01"))


@dataclass
class RangeeAxe:
    libelle: str
    montants: list  # one total planned (Decimal) or None per column


@dataclass
class Mesure:
    texte: str
    jalon: str
    type: str
    nombre: Decimal | None
    largeur: float = 0  # the bar, when the row's values are numbers of one kind


@dataclass
class CelluleIndicateur:
    mesure: Mesure | None
    objectif: Mesure | None


@dataclass
class RangeeIndicateur:
    cle: tuple
    libelle: str
    dimension: str
    cellules: list  # one CelluleIndicateur or None per column

    @property
    def nb_colonnes(self):
        return sum(1 for c in self.cellules if c is not None)


@dataclass
class Comparaison:
    colonnes: list
    axes: list
    indicateurs: list = field(default_factory=list)  # those found in at least two of the exercices
    propres: int = 0  # how many indicators only one exercice has

    @property
    def graphique(self):
        return graphique_parite(
            [(c.titre, c.titre_complet, c.montants.etat, c.montants.collectivite) for c in self.colonnes],
            titre="Part de l'État et part de la collectivité par exercice",
            ident="graphique-comparaison",
        )


def comparer_exercices(exercices) -> Comparaison:
    """The exercices side by side: budgets and axes from their summaries (one query, whatever their number of
    fiches; an exercice without one yet is computed from the read model), indicators in two queries."""
    exercices = list(exercices)
    resumes = {r.exercice_id: r for r in ResumeExercice.objects.filter(exercice_id__in=[e.pk for e in exercices])}
    manquants = [e for e in exercices if e.pk not in resumes]
    if manquants:
        resumes.update({r.exercice_id: r for r in calculer_exercices(manquants)})
    colonnes, axes = [], {}
    for rang, exercice in enumerate(exercices):
        resume = resumes[exercice.pk]
        for libelle, montant in resume.axes:
            montants_axe = axes.setdefault(libelle, [None] * len(exercices))
            montants_axe[rang] = (montants_axe[rang] or Decimal(0)) + Decimal(montant)
        colonnes.append(ColonneExercice(exercice, resume))
    lignes_axes = [RangeeAxe(libelle, montants) for libelle, montants in axes.items()]
    lignes_axes.sort(key=lambda ligne: (ligne.libelle == SANS_AXE, -sum(m or 0 for m in ligne.montants)))
    indicateurs, propres = _indicateurs(exercices)
    return Comparaison(colonnes, lignes_axes, indicateurs, propres)


def _indicateurs(exercices):
    """The indicators found in at least two exercices, and how many only one has. Two queries of plain values (no
    grid is built): each indicator (its parent's wording for a sub-item), then every written value with its column."""
    rang_de = {exercice.pk: rang for rang, exercice in enumerate(exercices)}
    indicateurs = list(
        Indicateur.objects.filter(tableau__exercice_id__in=rang_de)
        .order_by("tableau__exercice_id", "tableau__ordre", "tableau_id", "ordre", "pk")
        .values_list("pk", "tableau__exercice_id", "parent_id", "libelle", "cle_comparaison")
    )
    libelles = {pk: libelle for pk, _, _, libelle, _ in indicateurs}
    parents = {parent_id for _, _, parent_id, _, _ in indicateurs if parent_id}
    valeurs = defaultdict(list)  # {indicator: [(dimension, Mesure, type of its column)…]} in column order
    for indicateur_id, dimension, texte, type_valeur, nombre, jalon, type_jalon in (
        ValeurIndicateur.objects.filter(indicateur__tableau__exercice_id__in=rang_de)
        .exclude(texte="")
        .order_by("jalon__ordre", "jalon_id", "ordre_dimension")
        .values_list("indicateur_id", "dimension", "texte", "type", "nombre", "jalon__libelle", "jalon__type")
    ):
        if texte.strip():
            valeurs[indicateur_id].append((dimension, Mesure(texte, jalon, type_valeur, nombre), type_jalon))
    lignes = {}
    for pk, exercice_id, parent_id, libelle, cle_choisie in indicateurs:
        if pk in parents:  # a parent's values are its sub-items'
            continue
        if parent_id in libelles:
            libelle = f"{libelles[parent_id]} – {libelle}"
        propres = valeurs[pk]
        rang = rang_de[exercice_id]
        for dimension in dict.fromkeys(d for d, _, _ in propres) or [""]:
            mesures = [(m, t) for d, m, t in propres if d == dimension]
            mesure = next((m for m, t in reversed(mesures) if t in JALONS_MESURES), None)
            objectif = next((m for m, t in reversed(mesures) if t == TypeJalon.OBJECTIF), None)
            cle = (cle_texte(cle_choisie) or cle_texte(libelle), cle_texte(dimension))
            comparee = lignes.setdefault(cle, RangeeIndicateur(cle, libelle, dimension, [None] * len(exercices)))
            if comparee.cellules[rang] is None:  # one table per indicator and exercice: the first one tells
                comparee.cellules[rang] = CelluleIndicateur(mesure, objectif)
    communs = [ligne for ligne in lignes.values() if ligne.nb_colonnes >= 2]
    for ligne in communs:
        _barres(ligne)
    communs.sort(key=lambda ligne: (-ligne.nb_colonnes, ligne.libelle.lower(), ligne.dimension))
    return communs, len(lignes) - len(communs)


def _barres(ligne):
    """Bars in proportion to the row's largest value, when its measures are numbers of one kind (rates to 100)."""
    mesures = [c.mesure for c in ligne.cellules if c is not None and c.mesure is not None]
    types = {m.type for m in mesures}
    if len(mesures) < 2 or len(types) != 1 or types.pop() not in LISIBLES or any(m.nombre is None for m in mesures):
        return
    maximum = max(m.nombre for m in mesures)
    if mesures[0].type == TypeValeur.TAUX:
        maximum = max(maximum, Decimal(100))
    if maximum <= 0:
        return
    for mesure in mesures:
        mesure.largeur = round(float(Decimal(LARGEUR_BARRE) * mesure.nombre / maximum), 1)
