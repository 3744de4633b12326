"""Each warning of an exercice with the page where it is fixed."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass
class AlerteLiee:
    alerte: object
    url: str
    fiche: object | None


def alertes_liees(lu) -> list[AlerteLiee]:
    """`lu`: rapports.selectors.ExerciceLu. The fiche's budget, the fiche, or the exercice's synthesis."""
    fiches = {f.fiche.pk: f.fiche for f in lu.fiches}
    liees = []
    for alerte in lu.alertes:
        fiche = fiches.get(alerte.fiche_id)
        if fiche is None:
            url = reverse("pages:exercice", args=[lu.exercice.public_id]) + "#alertes"
        elif alerte.budget_id:
            url = reverse("pages:fiche", args=[fiche.public_id]) + "#budgets"
        else:
            url = reverse("pages:fiche", args=[fiche.public_id]) + "#alertes"
        liees.append(AlerteLiee(alerte, url, fiche))
    return liees
