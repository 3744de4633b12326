"""What is missing before a report can be sent, each point with the page where it is completed."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import ngettext

from budgets.enums import NatureBudget
from core.money import format_euros


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
        if s.chiffres.parite_jugee is False and not s.explication.strip():
            base = s.chiffres.base_parite
            points.append(Point(f"{nom} : parité non respectée ({base}), sans explication.", section))
    # The exercice as a whole: explained in the report's bilan global.
    bilan = reverse("rapports:avant_propos", args=[exercice.public_id])
    if lu.fiches and not lu.montants.parite and not lu.rapport.bilan_global.strip():
        points.append(
            Point(
                f"La parité n'est pas respectée sur l'exercice (collectivité {format_euros(lu.montants.collectivite)}, "
                f"État {format_euros(lu.montants.etat)}) : expliquez-le dans le bilan global.",
                bilan,
            )
        )
    for controle in lu.controles_convention:
        if not controle.concorde and not lu.rapport.bilan_global.strip():
            points.append(
                Point(
                    f"Les parts de l'État des fiches pour {controle.annee} ({format_euros(controle.parts_etat)}) ne "
                    f"font pas le montant de la convention ({format_euros(controle.montant)}) : expliquez-le dans le "
                    "bilan global.",
                    bilan,
                )
            )
    return points
