"""The State's national and regional view (« pilotage »): every collectivité's current exercice, read from the
per-exercice summaries (rapports.ResumeExercice) so that filters, order and totals are SQL and the page costs the
same for 4 exercices or 500; totals per région and for the nation; the tile map of France."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse

from conventions.enums import TypeCollectivite
from conventions.models import Exercice, Territoire
from conventions.perms import collectivite_ids_visible_by
from core.money import format_number_fr
from rapports.enums import StatutRapport
from rapports.models import ResumeExercice
from rapports.resumes import annoter

RELATIONS = (
    "exercice__convention__collectivite__region",
    "exercice__collectivite_signataire",
)
TAILLE, ECART = 40, 4  # a tile's side and the gap between tiles, in the SVG's units
NON_COMMENCE = "aucun"
COULEURS = ("etat", "taux")


def resumes_courants(user, aujourd_hui=None):
    """The summary of each visible collectivité's current exercice (its latest), annotated with `en_retard`. The
    current exercices are picked from one list of ids (a correlated subquery would be run again by each aggregate)."""
    courants = {}
    for collectivite_id, pk in (
        Exercice.objects.filter(convention__collectivite_id__in=collectivite_ids_visible_by(user))
        .order_by("convention__collectivite_id", "-date_debut", "-pk")
        .values_list("convention__collectivite_id", "pk")
    ):
        courants.setdefault(collectivite_id, pk)
    resumes = ResumeExercice.objects.filter(exercice_id__in=list(courants.values())).select_related(*RELATIONS)
    return annoter(resumes, aujourd_hui).order_by(
        "exercice__convention__collectivite__region__nom", "exercice__convention__collectivite__code_insee"
    )


SOMMES = {
    "part_etat": Sum("part_etat"),
    "part_collectivite": Sum("part_collectivite"),
    "execute_etat": Sum("execute_etat"),
    "execute_collectivite": Sum("execute_collectivite"),
    "credit_non_consomme": Sum("credit_non_consomme"),
    "nb_exercices": Count("pk"),
    "nb_retards": Count("pk", filter=Q(en_retard=True)),
    "nb_parite": Count("pk", filter=Q(parite=False)),
}


def totaux(resumes):
    """(per région [{région, sums…}], national {sums…}): two SQL aggregates over the filtered summaries."""
    regions = list(
        resumes.order_by()
        .values("exercice__convention__collectivite__region__nom")
        .annotate(**SOMMES)
        .order_by("exercice__convention__collectivite__region__nom")
    )
    for ligne in regions:
        ligne["region"] = ligne.pop("exercice__convention__collectivite__region__nom") or "Sans région"
    national = resumes.order_by().aggregate(**SOMMES)
    return regions, national


# The tile map ------------------------------------------------------------------------------------------------------


def libelle_statut(resume):
    return StatutRapport(resume.statut).label if resume.statut else "Non commencé"


def classe_etat(resume):
    """The tile's colour by report state: late (not handed in) first, else the state."""
    if resume.en_retard:
        return "retard"
    return resume.statut or NON_COMMENCE


def classe_taux(resume):
    taux = resume.taux_execution
    if taux is None:
        return "non-chiffre"
    if taux < 50:
        return "taux-faible"
    if taux < 80:
        return "taux-moyen"
    if taux < 100:
        return "taux-bon"
    return "taux-plein"


LEGENDES = {
    "etat": [
        ("retard", "En retard (non transmis après la date limite)"),
        (NON_COMMENCE, "Non commencé"),
        (StatutRapport.BROUILLON, "Brouillon"),
        (StatutRapport.RENVOYE, "Renvoyé pour compléments"),
        (StatutRapport.TRANSMIS, "Transmis (à examiner)"),
        (StatutRapport.ACCEPTE, "Accepté"),
        ("hors", "Sans exercice suivi ici"),
    ],
    "taux": [
        ("taux-faible", "Exécution inférieure à 50 %"),
        ("taux-moyen", "De 50 % à moins de 80 %"),
        ("taux-bon", "De 80 % à moins de 100 %"),
        ("taux-plein", "100 % ou plus"),
        ("non-chiffre", "Exécution non chiffrée"),
        ("hors", "Sans exercice suivi ici"),
    ],
}


@dataclass
class Tuile:
    code: str
    nom: str
    x: int
    y: int
    classe: str
    lien: str = ""
    description: str = ""

    @property
    def texte_x(self):
        return self.x + TAILLE // 2

    @property
    def texte_y(self):
        return self.y + TAILLE // 2 + 5


def carte(resumes, territoires, couleur="etat"):
    """The tiles of the départements: each coloured by its collectivité's current exercice (the département's own,
    else the collectivité that covers it: CeA for 67 and 68, Métropole de Lyon for 69…), a link to that exercice and
    a description for screen readers. `territoires`: the referential (conventions.Territoire)."""
    par_code = {r.exercice.convention.collectivite.code_insee: r for r in resumes}
    couvre = {}
    for territoire in territoires:
        for departement in territoire.departements:
            if territoire.code in par_code:
                couvre.setdefault(departement, par_code[territoire.code])
    colorer = classe_taux if couleur == "taux" else classe_etat
    tuiles = []
    for t in territoires:
        if t.type != TypeCollectivite.DEPARTEMENT or t.ligne is None:
            continue
        x, y = t.colonne * (TAILLE + ECART), t.ligne * (TAILLE + ECART)
        resume = par_code.get(t.code) or couvre.get(t.code)
        if resume is None:
            tuiles.append(Tuile(t.code, t.nom, x, y, "hors", description=f"{t.nom} ({t.code}) : aucun exercice suivi"))
            continue
        exercice = resume.exercice
        taux = (
            f"taux d'exécution {format_number_fr(resume.taux_execution, 1)} %"
            if resume.taux_execution is not None
            else "exécution non chiffrée"
        )
        retard = ", en retard" if resume.en_retard else ""
        description = (
            f"{t.nom} ({t.code}) : {exercice.signataire.nom_court}, exercice {exercice.libelle}, "
            f"rapport {libelle_statut(resume).lower()}{retard}, {taux}"
        )
        tuiles.append(
            Tuile(
                t.code,
                t.nom,
                x,
                y,
                colorer(resume),
                reverse("pages:exercice", args=[exercice.public_id]),
                description,
            )
        )
    return tuiles


def dimensions_carte(tuiles):
    largeur = max((t.x for t in tuiles), default=0) + TAILLE
    hauteur = max((t.y for t in tuiles), default=0) + TAILLE
    return largeur, hauteur


def territoires():
    return list(Territoire.objects.order_by("code"))
