"""Budget arithmetic on plain objects (no queries): what counts for an exercice, parts, parity.

Objects only need the attributes of the models (`financeur`, `montant`, `annee`, `ligne_id`…), so the rules can
be tested on the seed data or on hand-made values alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import quantize_cents

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


def parts_retenues(parts, annees, financeur) -> list:
    """The parts of one budget counted for a financeur: its budget-level parts when the document gives some, else its
    lines' (only those of the exercice's years)."""
    du_financeur = [p for p in parts if p.financeur == financeur and compte_pour(p, annees)]
    niveau_budget = [p for p in du_financeur if p.ligne_id is None]
    return niveau_budget or du_financeur


def montants_des_parts(parts, annees) -> Montants:
    """Parts of one budget: the budget-level parts of a financeur when the document gives some, else its lines'."""
    resultat = {}
    sans_montant = set()
    for financeur in (ETAT, COLLECTIVITE, AUTRE):
        retenues = parts_retenues(parts, annees, financeur)
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
    nb_texte_seul: int = 0  # fiches whose executed budget is only a sentence: out of the rate, and said so

    @property
    def taux(self) -> Decimal | None:
        return taux(self.execute, self.prevu_des_chiffrees) if self.execute is not None else None

    @property
    def partielle(self) -> bool:
        return 0 < self.nb_chiffrees < self.nb_fiches


def execution(paires, texte_seul=0) -> Execution:
    """`paires`: (executed amount or None, planned amount) for each fiche (a conforme one counts its plan);
    `texte_seul`: how many of them state their execution in a sentence only."""
    paires = list(paires)
    chiffrees = [(execute, prevu) for execute, prevu in paires if execute is not None]
    return Execution(
        execute=somme(e for e, _ in chiffrees) if chiffrees else None,
        prevu_des_chiffrees=somme(p for _, p in chiffrees),
        nb_chiffrees=len(chiffrees),
        nb_fiches=len(paires),
        nb_texte_seul=texte_seul,
    )


@dataclass(frozen=True)
class ChiffresFiche:
    """The figures of one fiche for one exercice: the one definition of prévu, exécuté and their rate, used by every
    page, document and export (through the read model, rapports.selectors).

    - `montants`: each party's planned share counted for the exercice (`montants_des_parts`); parity is theirs;
    - `prevu`: what the fiche plans, the sum of those shares; when no share carries a figure, the planned budget's
      declared total (then its lines);
    - `total_declare`: the planned budget's total as the document writes it, kept beside `prevu`: when the two differ
      both are shown, with `ecart_declare` as a warning (budgets.coherence says it in words);
    - `execute`: what the executed budget states (`montant_execute`), None when it gives no figure; when the agent
      declared it conforme au prévisionnel (`conforme`), the planned amount, and `montants_executes` the planned
      shares, part by part: rates, parity and totals count it as executed.
    """

    montants: Montants
    prevu: Decimal
    total_declare: Decimal | None
    execute: Decimal | None
    execute_renseigne: bool
    part_etat_par_annee: dict  # year -> Decimal: the State's planned share per year, for multi-year conventions
    texte_collectivite: str  # the collectivité's share as written when it has no figure ("Idem Part Etat")
    parts_chiffrees: bool = True  # some planned share carries a figure: there is a parity to judge
    montants_executes: Montants | None = None  # the executed budget's shares, when it states some with a figure
    # The agent declared the executed budget "conforme au prévisionnel": executed = planned, share by share.
    conforme: bool = False

    @property
    def parite(self) -> bool:
        """Article 2.3.2 on the planned shares (what the synthesis counts); see `parite_jugee` for what to show."""
        return self.montants.parite

    @property
    def parite_jugee(self) -> bool | None:
        """The parity a badge shows: on the executed shares once the executed budget states some, else on the planned
        ones; None when no share carries a figure (nothing to judge: « non renseignée »)."""
        if self.montants_executes is not None:
            return self.montants_executes.parite
        return self.montants.parite if self.parts_chiffrees else None

    @property
    def base_parite(self) -> str:
        """Which budget the parity is judged on: « exécuté », « prévisionnel », or "" (nothing to judge)."""
        if self.montants_executes is not None:
            return "exécuté"
        return "prévisionnel" if self.parts_chiffrees else ""

    @property
    def taux_execution(self) -> Decimal | None:
        return taux(self.execute, self.prevu) if self.execute is not None else None

    @property
    def texte_seul(self) -> bool:
        """The executed budget is only a sentence (no figure, not declared conforme): out of the rates."""
        return self.execute is None and self.execute_renseigne

    @property
    def ecart_declare(self) -> Decimal | None:
        """Declared total minus the sum of the parts; None when they agree or one is missing."""
        if self.total_declare is None or not self.montants.total:
            return None
        ecart = quantize_cents(self.total_declare - self.prevu)
        return ecart or None


def chiffres_fiche(previsionnel, execute, annees) -> ChiffresFiche:
    """`previsionnel`, `execute`: the loaded budgets (budget, parts, lignes) or None; `annees`: the exercice's years."""
    parts = previsionnel.parts if previsionnel else []
    montants = montants_des_parts(parts, annees)
    total_declare = quantize_cents(previsionnel.budget.total) if previsionnel and previsionnel.budget.total else None
    if montants.total or any(p.montant is not None for p in parts if compte_pour(p, annees)):
        prevu = montants.total
    elif total_declare is not None:
        prevu = total_declare
    else:
        prevu = somme(ligne.montant for ligne in (previsionnel.lignes if previsionnel else []))
    par_annee = {}
    for part in parts:
        if part.financeur == ETAT and part.annee is not None and part.ligne_id is None:
            par_annee.setdefault(part.annee, []).append(part.montant)
    texte_collectivite = next(
        (p.texte for p in parts if p.financeur == COLLECTIVITE and p.montant is None and p.texte and not p.ligne_id),
        "",
    )
    conforme = est_conforme(execute)
    parts_executees = [p for p in (execute.parts if execute else []) if compte_pour(p, annees)]
    if conforme:
        montants_executes, montant_exec = montants, prevu
    else:
        montants_executes = (
            montants_des_parts(parts_executees, annees) if any(p.montant is not None for p in parts_executees) else None
        )
        montant_exec = montant_execute(execute, annees)
    return ChiffresFiche(
        parts_chiffrees=any(p.montant is not None for p in parts if compte_pour(p, annees)),
        montants_executes=montants_executes,
        montants=montants,
        prevu=prevu,
        total_declare=total_declare,
        execute=montant_exec,
        execute_renseigne=execute_renseigne(execute),
        conforme=conforme,
        part_etat_par_annee={annee: somme(valeurs) for annee, valeurs in par_annee.items()},
        texte_collectivite=texte_collectivite,
    )


def dit_seulement_conforme(texte) -> bool:
    """The executed budget's text is only « Conforme aux engagements » (seed 001): what the conforme flag says."""
    return " ".join(str(texte or "").split()).lower().rstrip(".") == "conforme aux engagements"


def est_conforme(execute) -> bool:
    """The agent declared the executed budget (`execute`: loaded budget or None) conforme au prévisionnel."""
    return execute is not None and bool(getattr(execute.budget, "conforme", False))


def execute_renseigne(execute) -> bool:
    """The executed budget says something: declared conforme, an amount, a share, a line, or a sentence."""
    if execute is None:
        return False
    budget = execute.budget
    return (
        est_conforme(execute)
        or budget.total is not None
        or bool(budget.texte.strip())
        or any(p.montant is not None or p.texte.strip() for p in execute.parts)
        or any(ligne.montant is not None for ligne in execute.lignes)
    )


# How the State's executed share of a fiche is known, for the unspent State credit (réfaction).
CHIFFRE, CONFORME, NON_VENTILE, TEXTE_SEUL, ABSENT = "chiffre", "conforme", "non_ventile", "texte_seul", "absent"
JUSTIFICATIONS = {
    CHIFFRE: "part État exécutée chiffrée",
    CONFORME: "exécuté déclaré conforme au prévisionnel",
    NON_VENTILE: "exécuté sans part État chiffrée : non justifié",
    TEXTE_SEUL: "exécuté en texte seul : non justifié",
    ABSENT: "exécuté non renseigné : non justifié",
}


@dataclass(frozen=True)
class CreditNonConsomme:
    """The State credit a fiche did not justify spending in an exercice: the figure a réfaction decision rests on.

    `montant` = State part planned − State part executed, never below zero. An executed budget declared conforme
    spends its plan; one that states no State share with a figure (a sentence, a total without shares, nothing)
    justifies nothing: the whole planned State part counts, and `base` says why."""

    montant: Decimal
    base: str

    @property
    def justifie(self) -> bool:
        return self.base in (CHIFFRE, CONFORME)

    @property
    def libelle(self) -> str:
        return JUSTIFICATIONS[self.base]


def credit_non_consomme(chiffres: ChiffresFiche) -> CreditNonConsomme:
    prevu_etat = chiffres.montants.etat
    if chiffres.conforme:
        return CreditNonConsomme(ZERO, CONFORME)
    if chiffres.montants_executes is not None:
        return CreditNonConsomme(max(ZERO, quantize_cents(prevu_etat - chiffres.montants_executes.etat)), CHIFFRE)
    if chiffres.execute is not None:
        base = NON_VENTILE
    elif chiffres.execute_renseigne:
        base = TEXTE_SEUL
    else:
        base = ABSENT
    return CreditNonConsomme(prevu_etat, base)
