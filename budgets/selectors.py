"""Reading the budgets of one or many exercices: the fiches, their budgets, lines and parts, the groups and the
declared totals, in six queries for any number of exercices. Plain objects after that (budgets.calculs,
budgets.coherence); the read model of an exercice (rapports.selectors) builds on it."""

from collections import defaultdict
from dataclasses import dataclass

from actions.models import Fiche
from conventions.models import Groupe
from core.money import quantize_cents

from .calculs import Montants, compte_pour, dit_seulement_conforme, montants_des_parts, somme
from .enums import NatureBudget
from .models import Budget, LigneBudget, Part, TotalDeclare


@dataclass
class BudgetCharge:
    budget: Budget
    lignes: list
    parts: list
    annees: tuple = ()  # the exercice's years: a part of another year (seed 002: 2020, 2021) is not printed

    @property
    def parts_de_l_exercice(self):
        """The parts of the budget as a whole counted for the exercice (budgets.calculs.compte_pour)."""
        return [p for p in self.parts if not p.ligne_id and (not self.annees or compte_pour(p, self.annees))]

    @property
    def somme_lignes(self):
        montants = [ligne.montant for ligne in self.lignes if ligne.montant is not None]
        return somme(montants) if montants else None

    @property
    def ecart_lignes(self):
        """The stated total minus the sum of the lines (CeA 2024 fiche 1: 609 750 € for lines of 1 231 860 €);
        None when they agree or one is missing (budgets.coherence.TOTAL_LIGNES says it in words)."""
        if self.budget.total is None or self.somme_lignes is None:
            return None
        return quantize_cents(quantize_cents(self.budget.total) - self.somme_lignes) or None

    @property
    def texte_en_plus(self):
        """The budget's text, unless it only says what `conforme` shows already (« Conforme aux engagements »)."""
        texte = self.budget.texte
        return "" if self.budget.conforme and dit_seulement_conforme(texte) else texte

    @property
    def avec_territoires(self):
        return any(ligne.territoire or ligne.type_depense for ligne in self.lignes)


@dataclass
class FicheChargee:
    fiche: object
    budgets: dict  # nature -> BudgetCharge

    def previsionnel(self):
        return self.budgets.get(NatureBudget.PREVISIONNEL)


@dataclass
class DonneesExercice:
    exercice: object
    fiches: list  # of FicheChargee, in order
    groupes: list
    totaux: list

    def montants(self, fiche_chargee, annees=None) -> Montants:
        """The planned parts of the fiche counted for `annees` (the exercice's years by default), computed once."""
        annees = tuple(annees or self.exercice.annees)
        cache = fiche_chargee.__dict__.setdefault("_montants", {})
        if annees not in cache:
            prev = fiche_chargee.previsionnel()
            cache[annees] = montants_des_parts(prev.parts, annees) if prev is not None else Montants()
        return cache[annees]


def charger_budgets(exercices) -> list[DonneesExercice]:
    """Everything the checks and the synthesis need, in six queries for any number of exercices."""
    exercices = list(exercices)
    ids = [e.pk for e in exercices]
    fiches = list(
        Fiche.objects.filter(exercice_id__in=ids).select_related("groupe", "action").order_by("exercice_id", "ordre")
    )
    budgets = list(Budget.objects.filter(fiche__exercice_id__in=ids))
    lignes = defaultdict(list)
    for ligne in LigneBudget.objects.filter(budget__fiche__exercice_id__in=ids).order_by("ordre", "pk"):
        lignes[ligne.budget_id].append(ligne)
    parts = defaultdict(list)
    lignes_par_id = {ligne.pk: ligne for liste in lignes.values() for ligne in liste}
    for part in Part.objects.filter(budget__fiche__exercice_id__in=ids).order_by("ordre", "pk"):
        part.ligne_chargee = lignes_par_id.get(part.ligne_id)
        parts[part.budget_id].append(part)
    annees = {e.pk: tuple(e.annees) for e in exercices}
    annees_fiche = {fiche.pk: annees[fiche.exercice_id] for fiche in fiches}
    budgets_par_fiche = defaultdict(dict)
    for budget in budgets:
        budgets_par_fiche[budget.fiche_id][budget.nature] = BudgetCharge(
            budget, lignes[budget.pk], parts[budget.pk], annees_fiche.get(budget.fiche_id, ())
        )
    groupes = defaultdict(list)
    for groupe in Groupe.objects.filter(exercice_id__in=ids).order_by("ordre"):
        groupes[groupe.exercice_id].append(groupe)
    totaux = defaultdict(list)
    for total in TotalDeclare.objects.filter(exercice_id__in=ids).order_by("ordre", "pk"):
        totaux[total.exercice_id].append(total)
    fiches_par_exercice = defaultdict(list)
    for fiche in fiches:
        fiches_par_exercice[fiche.exercice_id].append(FicheChargee(fiche, budgets_par_fiche[fiche.pk]))
    return [DonneesExercice(e, fiches_par_exercice[e.pk], groupes[e.pk], totaux[e.pk]) for e in exercices]
