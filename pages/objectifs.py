"""A collectivité's plans as tables: one row per territory and nature of objective, one column per year, a total
per row, and per nature the total over the territories."""

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class RangeeObjectif:
    territoire: str
    nature: str
    precision: str
    valeurs: list  # one number (or None) per year

    @property
    def total(self):
        return sum(v for v in self.valeurs if v is not None)


@dataclass
class PlanTerritorial:
    plan: str
    annees: list
    rangees: list = field(default_factory=list)

    @property
    def totaux(self):
        """Per nature of objective, the sum over the territories: (nature, [per year], total)."""
        par_nature = defaultdict(lambda: [0] * len(self.annees))
        for rangee in self.rangees:
            for rang, valeur in enumerate(rangee.valeurs):
                par_nature[rangee.nature][rang] += valeur or 0
        return [(nature, valeurs, sum(valeurs)) for nature, valeurs in par_nature.items()]


def plans_territoriaux(objectifs) -> list[PlanTerritorial]:
    """`objectifs`: conventions.ObjectifTerritorial rows (one query)."""
    objectifs = list(objectifs.order_by("plan", "ordre", "annee"))
    plans = {}
    for objectif in objectifs:
        plan = plans.setdefault(objectif.plan, PlanTerritorial(objectif.plan, []))
        if objectif.annee not in plan.annees:
            plan.annees.append(objectif.annee)
    for plan in plans.values():
        plan.annees.sort()
    rangees = {}
    for objectif in objectifs:
        plan = plans[objectif.plan]
        cle = (objectif.plan, objectif.territoire, objectif.nature)
        if cle not in rangees:
            rangees[cle] = RangeeObjectif(
                objectif.territoire, objectif.nature, objectif.precision, [None] * len(plan.annees)
            )
            plan.rangees.append(rangees[cle])
        rangees[cle].valeurs[plan.annees.index(objectif.annee)] = objectif.nombre
    return list(plans.values())
