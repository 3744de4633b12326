"""What is missing before a report can be sent, each point with the page where it is completed."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import ngettext

from budgets.enums import NatureBudget


@dataclass(frozen=True)
class Point:
    message: str
    url: str


def points_manquants(lu) -> list[Point]:
    """`lu`: the exercice's read model (rapports.selectors.ExerciceLu, texts and indicators loaded)."""
    exercice = lu.exercice
    points = []
    if not lu.rapport.avant_propos.strip():
        points.append(Point("L'avant-propos est vide.", reverse("rapports:avant_propos", args=[exercice.public_id])))
    for s in lu.fiches:
        fiche = s.fiche
        nom = fiche.designation
        section = reverse("rapports:section", args=[exercice.public_id, fiche.public_id])
        if not s.bilan.strip():
            points.append(Point(f"{nom} : le bilan d'exécution est vide.", section))
        if not s.execute_renseigne:
            url = reverse("budgets:modifier", args=[fiche.public_id, NatureBudget.EXECUTE])
            points.append(Point(f"{nom} : le budget exécuté n'est pas renseigné.", url))
        manquants = s.manquants
        if manquants:
            n = len(manquants)
            points.append(
                Point(
                    f"{nom} : {n} {ngettext('indicateur', 'indicateurs', n)} sans valeur pour le jalon de l'exercice.",
                    reverse("indicateurs:saisie", args=[fiche.public_id]),
                )
            )
        if not s.montants.parite and not s.explication.strip():
            points.append(Point(f"{nom} : parité non respectée, sans explication.", section))
    return points
