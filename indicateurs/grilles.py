"""Indicator tables as grids: one row per indicator (or sub-item) and dimension value, one column per jalon.

Loaded with a fixed number of queries for any number of tables (`charger_tableaux`), then plain Python: the fiche
page shows the grids, the editing page fills them, completeness counts the empty cells of the current jalon.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min

from .enums import TypeJalon
from .models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur

JALONS_MESURES = (TypeJalon.SITUATION, TypeJalon.REALISE, TypeJalon.RESULTAT)


@dataclass
class Cellule:
    jalon: Jalon
    valeur: ValeurIndicateur | None
    colspan: int = 1

    @property
    def texte(self):
        return self.valeur.texte if self.valeur else ""


@dataclass
class RangeeGrille:
    indicateur: Indicateur
    dimension: str
    profondeur: int
    cellules: list
    premiere_de_l_indicateur: bool = True
    nb_dimensions: int = 1

    @property
    def a_des_sous_items(self):
        return bool(getattr(self.indicateur, "_enfants", None))


@dataclass
class Grille:
    tableau: TableauIndicateurs
    jalons: list
    lignes: list = field(default_factory=list)
    fiche_ids: set = field(default_factory=set)
    jalon_courant: Jalon | None = None

    @property
    def dimensionnee(self):
        return any(ligne.dimension for ligne in self.lignes)

    def manquants(self):
        """Rows that should have a value for the current jalon and have none (parents of sub-items excepted)."""
        if self.jalon_courant is None:
            return []
        manquants = []
        for ligne in self.lignes:
            if ligne.a_des_sous_items:
                continue
            cellule = next((c for c in ligne.cellules if c.jalon.pk == self.jalon_courant.pk), None)
            couvert = ligne.indicateur.fusion and any(c.valeur and c.valeur.texte.strip() for c in ligne.cellules)
            if not couvert and (cellule is None or not cellule.texte.strip()):
                manquants.append(ligne)
        return manquants


def jalon_courant(jalons, exercice):
    """The column the exercice's report fills: the last measured jalon (situation, réalisé, résultat) dated within
    the exercice, or an undated réalisé / résultat column ("Réalisé 2019")."""
    candidats = [
        j
        for j in jalons
        if j.type in JALONS_MESURES
        and (
            (j.date is None and j.type != TypeJalon.SITUATION)
            or (j.date is not None and exercice.date_debut <= j.date <= exercice.date_fin)
        )
    ]
    return candidats[-1] if candidats else None


def charger_tableaux(exercices, fiche=None) -> dict:
    """{exercice id: [Grille…]} in five queries; with `fiche`, only the tables that serve it."""
    exercices = {e.pk: e for e in exercices}
    tableaux, fiches_par_tableau = _tableaux(exercices, fiche)
    ids = [t.pk for t in tableaux]
    jalons = defaultdict(list)
    for jalon in Jalon.objects.filter(tableau_id__in=ids).order_by("ordre", "pk"):
        jalons[jalon.tableau_id].append(jalon)
    indicateurs = defaultdict(list)
    for indicateur in Indicateur.objects.filter(tableau_id__in=ids).order_by("ordre", "pk"):
        indicateurs[indicateur.tableau_id].append(indicateur)
    valeurs = defaultdict(list)
    for valeur in ValeurIndicateur.objects.filter(indicateur__tableau_id__in=ids).order_by("ordre_dimension", "pk"):
        valeurs[valeur.indicateur_id].append(valeur)
    dimensions = {indicateur_id: _dimensions(propres) for indicateur_id, propres in valeurs.items()}
    resultat = defaultdict(list)
    for tableau in tableaux:
        grille = Grille(tableau, jalons[tableau.pk], fiche_ids=fiches_par_tableau[tableau.pk])
        grille.jalon_courant = jalon_courant(grille.jalons, exercices[tableau.exercice_id])
        grille.lignes = _lignes(tableau, grille.jalons, indicateurs[tableau.pk], valeurs, dimensions)
        resultat[tableau.exercice_id].append(grille)
    return resultat


@dataclass(frozen=True)
class Manquant:
    """A row (indicator, dimension value) without a value for its table's current jalon."""

    tableau_id: int
    indicateur_id: int
    libelle: str
    dimension: str


def manquants(exercices) -> dict:
    """{exercice id: [(ids of the fiches the table serves, [Manquant…])…]}: the same rule as `Grille.manquants`,
    computed from sets without building the grids (six queries; only the current and first columns' values)."""
    exercices = {e.pk: e for e in exercices}
    tableaux, fiches_par_tableau = _tableaux(exercices)
    ids = [t.pk for t in tableaux]
    jalons = defaultdict(list)
    for jalon in Jalon.objects.filter(tableau_id__in=ids).only("pk", "tableau_id", "ordre", "type", "date"):
        jalons[jalon.tableau_id].append(jalon)
    courants, premiers = {}, set()
    for tableau in tableaux:
        colonnes = sorted(jalons[tableau.pk], key=lambda j: (j.ordre, j.pk))
        courant = jalon_courant(colonnes, exercices[tableau.exercice_id])
        if courant is not None:
            courants[tableau.pk] = courant.pk
            premiers.add(colonnes[0].pk)
    indicateurs = defaultdict(list)
    for indicateur in (
        Indicateur.objects.filter(tableau_id__in=list(courants))
        .only("pk", "tableau_id", "parent_id", "libelle", "fusion", "ordre")
        .order_by("ordre", "pk")
    ):
        indicateurs[indicateur.tableau_id].append(indicateur)
    remplies, fusions = set(), set()
    for indicateur_id, jalon_id, dimension in (
        ValeurIndicateur.objects.filter(indicateur__tableau_id__in=list(courants))
        .filter(jalon_id__in=set(courants.values()) | premiers)
        .exclude(texte="")
        .values_list("indicateur_id", "jalon_id", "dimension")
    ):
        remplies.add((indicateur_id, jalon_id, dimension))
        fusions.add((indicateur_id, dimension))
    dimensions = defaultdict(list)  # from every value of the tables, in order (one grouped query)
    for indicateur_id, dimension, _rang in (
        ValeurIndicateur.objects.filter(indicateur__tableau_id__in=list(courants))
        .values_list("indicateur_id", "dimension")
        .annotate(rang=Min("ordre_dimension"))
        .order_by("indicateur_id", "rang", "dimension")
    ):
        dimensions[indicateur_id].append(dimension)
    resultat = defaultdict(list)
    for tableau in tableaux:
        if tableau.pk not in courants:
            continue
        liste = indicateurs[tableau.pk]
        parents = {i.parent_id for i in liste}
        du_tableau = [""]
        if tableau.dimension:
            du_tableau = [d for d in dict.fromkeys(d for i in liste for d in dimensions[i.pk]) if d] or [""]
        absents = []
        for indicateur in liste:
            if indicateur.pk in parents:
                continue
            for dimension in dimensions[indicateur.pk] or du_tableau:
                if indicateur.fusion and (indicateur.pk, dimension) in fusions:
                    continue
                if (indicateur.pk, courants[tableau.pk], dimension) not in remplies:
                    absents.append(Manquant(tableau.pk, indicateur.pk, indicateur.libelle, dimension))
        resultat[tableau.exercice_id].append((fiches_par_tableau[tableau.pk], absents))
    return resultat


def _tableaux(exercices, fiche=None):
    tableaux = TableauIndicateurs.objects.filter(exercice_id__in=exercices).order_by("exercice_id", "ordre", "pk")
    liens = TableauIndicateurs.fiches.through.objects.filter(tableauindicateurs__exercice_id__in=exercices)
    if fiche is not None:
        tableaux = tableaux.filter(fiches=fiche)
        liens = liens.filter(fiche=fiche)
    fiches_par_tableau = defaultdict(set)
    for tableau_id, fiche_id in liens.values_list("tableauindicateurs_id", "fiche_id"):
        fiches_par_tableau[tableau_id].add(fiche_id)
    return list(tableaux), fiches_par_tableau


def _lignes(tableau, jalons, indicateurs, valeurs, dimensions_indicateurs):
    enfants = defaultdict(list)
    for indicateur in indicateurs:
        enfants[indicateur.parent_id].append(indicateur)
    for indicateur in indicateurs:
        indicateur._enfants = enfants[indicateur.pk]
    dimensions_tableau = [""]
    if tableau.dimension:
        dimensions_tableau = list(dict.fromkeys(d for i in indicateurs for d in dimensions_indicateurs.get(i.pk, [])))
    lignes = []

    def parcourir(parent_id, profondeur):
        for indicateur in enfants[parent_id]:
            propres = valeurs[indicateur.pk]
            dimensions = dimensions_indicateurs.get(indicateur.pk) or (
                [""] if indicateur._enfants else [d for d in dimensions_tableau if d] or [""]
            )
            par_cle = {(v.jalon_id, v.dimension): v for v in propres}
            for rang, dimension in enumerate(dimensions):
                if indicateur.fusion:
                    premiere = next((v for v in propres if v.dimension == dimension), None)
                    cellules = [Cellule(jalons[0], premiere, colspan=len(jalons))] if jalons else []
                else:
                    cellules = [Cellule(jalon, par_cle.get((jalon.pk, dimension))) for jalon in jalons]
                lignes.append(
                    RangeeGrille(indicateur, dimension, profondeur, cellules, rang == 0, nb_dimensions=len(dimensions))
                )
            parcourir(indicateur.pk, profondeur + 1)

    parcourir(None, 0)
    return lignes


def _dimensions(valeurs):
    vues = []
    for valeur in sorted(valeurs, key=lambda v: v.ordre_dimension):
        if valeur.dimension not in vues:
            vues.append(valeur.dimension)
    return vues
