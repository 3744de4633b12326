"""The synthesis table of an exercice (seed 002's "SYNTHESE DES ACTIONS"): per fiche the State's part per year and
the collectivité's part, totals per group (Total A, Total B) and overall (Total A+B), parity at each level.

Shared by the pages and the report; a fixed number of queries (budgets.coherence.charger) for any size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .calculs import ETAT, Montants, compte_pour, montants_des_parts, somme
from .coherence import charger
from .enums import NatureBudget


@dataclass
class LigneSynthese:
    fiche: object
    montants: Montants
    etat_par_annee: dict  # year -> Decimal, for multi-year State parts

    @property
    def parite(self):
        return self.montants.parite


@dataclass
class GroupeSynthese:
    groupe: object
    lignes: list = field(default_factory=list)

    @property
    def montants(self) -> Montants:
        return sum((ligne.montants for ligne in self.lignes), Montants())

    def etat_par_annee(self, annee) -> Decimal:
        return somme(ligne.etat_par_annee.get(annee) for ligne in self.lignes)


@dataclass
class Synthese:
    exercice: object
    annees: list  # the years of the State's columns (several when the document gives multi-year parts)
    groupes: list

    @property
    def lignes(self):
        return [ligne for groupe in self.groupes for ligne in groupe.lignes]

    @property
    def montants(self) -> Montants:
        return sum((groupe.montants for groupe in self.groupes), Montants())

    def etat_par_annee(self, annee) -> Decimal:
        return somme(groupe.etat_par_annee(annee) for groupe in self.groupes)


def synthese_exercice(exercice, donnees=None) -> Synthese:
    """`donnees`: what budgets.coherence.charger already loaded for this exercice, if the caller has it."""
    donnees = donnees or charger([exercice])[0]
    par_id = {g.pk: g for g in donnees.groupes}

    def racine(groupe):  # the annex (A, B) a sub-group belongs to, whatever the groups' order
        while groupe.parent_id:
            groupe = par_id[groupe.parent_id]
        return groupe

    groupes = {g.pk: GroupeSynthese(g) for g in donnees.groupes if not g.parent_id}
    annees = set()
    for fiche_chargee in donnees.fiches:
        prev = fiche_chargee.budgets.get(NatureBudget.PREVISIONNEL)
        parts = prev.parts if prev else []
        par_annee = defaultdict(list)
        for part in parts:
            if part.financeur == ETAT and part.annee is not None and part.ligne_id is None:
                par_annee[part.annee].append(part.montant)
        annees |= set(par_annee)
        groupe = groupes[racine(par_id[fiche_chargee.fiche.groupe_id]).pk]
        groupe.lignes.append(
            LigneSynthese(
                fiche=fiche_chargee.fiche,
                montants=montants_des_parts([p for p in parts if compte_pour(p, exercice.annees)], exercice.annees),
                etat_par_annee={annee: somme(valeurs) for annee, valeurs in par_annee.items()},
            )
        )
    return Synthese(exercice=exercice, annees=sorted(annees), groupes=list(groupes.values()))
