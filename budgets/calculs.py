"""Budget arithmetic on plain objects (no queries): what counts for an exercice, parts, parity.

Objects only need the attributes of the models (`financeur`, `montant`, `annee`, `ligne_id`…), so the rules can
be tested on the seed data or on hand-made values alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from calpae.money import quantize_cents

ETAT, COLLECTIVITE, AUTRE = "etat", "collectivite", "autre"
ZERO = Decimal("0.00")


def compte_pour(part, annees) -> bool:
    """A multi-year part (seed 002: 2019 / 2020 / 2021) counts only in the exercice of its year."""
    return part.annee is None or part.annee in annees


def somme(valeurs: Iterable) -> Decimal:
    return quantize_cents(sum((v for v in valeurs if v is not None), Decimal("0")))


@dataclass
class Montants:
    """Each party's share of a budget, as counted for one exercice."""

    etat: Decimal = ZERO
    collectivite: Decimal = ZERO
    autres: Decimal = ZERO
    # A party the document names without a figure ("Part CD = /").
    sans_montant: set = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return quantize_cents(self.etat + self.collectivite + self.autres)

    @property
    def parite(self) -> bool:
        """Article 2.3.2: the collectivité funds at least as much as the State."""
        return self.collectivite >= self.etat

    def __add__(self, other):
        return Montants(
            etat=quantize_cents(self.etat + other.etat),
            collectivite=quantize_cents(self.collectivite + other.collectivite),
            autres=quantize_cents(self.autres + other.autres),
            sans_montant=self.sans_montant | other.sans_montant,
        )


def montants_des_parts(parts, annees) -> Montants:
    """Parts of one budget: the budget-level parts of a financeur when the document gives some, else its lines'."""
    comptees = [p for p in parts if compte_pour(p, annees)]
    resultat = {}
    sans_montant = set()
    for financeur in (ETAT, COLLECTIVITE, AUTRE):
        du_financeur = [p for p in comptees if p.financeur == financeur]
        niveau_budget = [p for p in du_financeur if p.ligne_id is None]
        retenues = niveau_budget or du_financeur
        resultat[financeur] = somme(p.montant for p in retenues)
        if retenues and all(p.montant is None for p in retenues):
            sans_montant.add(financeur)
    return Montants(
        etat=resultat[ETAT], collectivite=resultat[COLLECTIVITE], autres=resultat[AUTRE], sans_montant=sans_montant
    )


def montant_execute(charge, annees) -> Decimal | None:
    """What a budget executed (`charge`: budget, parts, lignes, or None): its stated total, else the sum of its parts,
    else of its lines; None when it states no amount ("Conforme aux engagements")."""
    if charge is None:
        return None
    if charge.budget.total is not None:
        return quantize_cents(charge.budget.total)
    if any(part.montant is not None for part in charge.parts):
        return montants_des_parts(charge.parts, annees).total
    montants = [ligne.montant for ligne in charge.lignes if ligne.montant is not None]
    return somme(montants) if montants else None


def taux(numerateur: Decimal, denominateur: Decimal) -> Decimal | None:
    """Execution rate in percent, one decimal; None when nothing was planned."""
    if not denominateur:
        return None
    return (Decimal(100) * numerateur / denominateur).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Execution:
    """What a set of fiches executed. Many fiches state no figure ("Conforme aux engagements"): the rate compares the
    executed amount with what the fiches that do state one planned, never with every fiche's plan."""

    execute: Decimal | None  # None when no fiche states an executed amount
    prevu_des_chiffrees: Decimal
    nb_chiffrees: int
    nb_fiches: int

    @property
    def taux(self) -> Decimal | None:
        return taux(self.execute, self.prevu_des_chiffrees) if self.execute is not None else None

    @property
    def partielle(self) -> bool:
        return 0 < self.nb_chiffrees < self.nb_fiches


def execution(paires) -> Execution:
    """`paires`: (executed amount or None, planned amount) for each fiche."""
    paires = list(paires)
    chiffrees = [(execute, prevu) for execute, prevu in paires if execute is not None]
    return Execution(
        execute=somme(e for e, _ in chiffrees) if chiffrees else None,
        prevu_des_chiffrees=somme(p for _, p in chiffrees),
        nb_chiffrees=len(chiffrees),
        nb_fiches=len(paires),
    )
