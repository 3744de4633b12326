"""Consistency checks of an exercice, a fiche and a convention: warnings, never refusals.

The documents carry real slips (a total copied from the fiche above, a sum that does not add up): the data keeps
what the document says, and these checks say what does not hold, in French. Each check loads its data with a
fixed number of queries, whatever the number of fiches, then works on plain objects (budgets/calculs.py).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from conventions.enums import Partie
from conventions.models import Exercice, MontantEtatAnnuel
from core.money import format_euros, format_number_fr, quantize_cents

from .calculs import COLLECTIVITE, ETAT, Montants, chiffres_fiche, compte_pour, montants_des_parts, somme
from .enums import BaseMontant, NatureBudget
from .selectors import charger_budgets

PARITE_FICHE = "parite_fiche"
PARITE_EXERCICE = "parite_exercice"
TOTAL_PARTS = "total_parts"
TOTAL_LIGNES = "total_lignes"
PARTS_LIGNE = "parts_ligne"
QUANTITE_COUT = "quantite_cout"
TOTAL_DECLARE = "total_declare"
MONTANT_CONVENTION = "montant_convention"
BUDGET_RECOPIE = "budget_recopie"
PARITE_EXECUTE = "parite_execute"
EXECUTION_ECART = "execution_ecart"

LIBELLES_FINANCEURS = {Partie.ETAT: "État", Partie.COLLECTIVITE: "collectivité", Partie.AUTRE: "autres"}


@dataclass(frozen=True)
class Alerte:
    regle: str
    message: str
    exercice_id: int
    fiche_id: int | None = None
    budget_id: int | None = None


def alertes_exercice(exercice) -> list[Alerte]:
    return verifier(charger_budgets([exercice])[0])


def alertes_fiche(fiche) -> list[Alerte]:
    """A fiche's warnings (computed with its exercice: a copied budget is a relation between fiches)."""
    return [a for a in alertes_exercice(fiche.exercice) if a.fiche_id == fiche.pk]


def alertes_convention(convention) -> list[Alerte]:
    exercices = list(Exercice.objects.filter(convention=convention).select_related("convention"))
    donnees = charger_budgets(exercices)
    alertes = [a for d in donnees for a in verifier(d)]
    for montant in MontantEtatAnnuel.objects.filter(convention=convention).order_by("annee"):
        alertes.extend(verifier_montant_convention(montant, donnees))
    return alertes


def verifier(donnees) -> list[Alerte]:
    """The budget checks of one exercice (`donnees`: budgets.selectors.DonneesExercice)."""
    alertes = []
    for fiche_chargee in donnees.fiches:
        alertes.extend(_verifier_fiche(donnees, fiche_chargee))
    alertes.extend(_verifier_budgets_recopies(donnees))
    alertes.extend(_verifier_parite_exercice(donnees))
    alertes.extend(_verifier_totaux_declares(donnees))
    return alertes


def _verifier_fiche(donnees, fiche_chargee):
    fiche = fiche_chargee.fiche
    exercice_id = donnees.exercice.pk
    montants = donnees.montants(fiche_chargee)
    if montants.etat > montants.collectivite:
        if COLLECTIVITE in montants.sans_montant:
            collectivite = "n'est pas chiffrée"
        else:
            collectivite = f"({format_euros(montants.collectivite)}) est inférieure à celle de l'État"
        yield Alerte(
            PARITE_FICHE,
            f"Parité non respectée : la part de la collectivité {collectivite} "
            f"(part de l'État : {format_euros(montants.etat)}).",
            exercice_id,
            fiche.pk,
        )
    yield from _verifier_execution(donnees, fiche_chargee)
    for charge in fiche_chargee.budgets.values():
        budget = charge.budget
        nature = budget.get_nature_display()
        montants_budget = montants_des_parts(charge.parts, donnees.exercice.annees)
        if budget.total is not None and any(p.montant is not None for p in charge.parts):
            if montants_budget.total != quantize_cents(budget.total):
                yield Alerte(
                    TOTAL_PARTS,
                    f"{nature} : le total indiqué ({format_euros(budget.total)}) n'est pas la somme des parts "
                    f"({format_euros(montants_budget.total)}).",
                    exercice_id,
                    fiche.pk,
                    budget.pk,
                )
        montants_lignes = [ligne.montant for ligne in charge.lignes if ligne.montant is not None]
        if budget.total is not None and montants_lignes and somme(montants_lignes) != quantize_cents(budget.total):
            yield Alerte(
                TOTAL_LIGNES,
                f"{nature} : le total indiqué ({format_euros(budget.total)}) n'est pas la somme des lignes "
                f"({format_euros(somme(montants_lignes))}).",
                exercice_id,
                fiche.pk,
                budget.pk,
            )
        parts_par_ligne = defaultdict(list)
        for part in charge.parts:
            if part.ligne_id:
                parts_par_ligne[part.ligne_id].append(part)
        for ligne in charge.lignes:
            yield from _verifier_ligne(ligne, parts_par_ligne[ligne.pk], nature, exercice_id, fiche.pk, budget.pk)


def _verifier_execution(donnees, fiche_chargee):
    """The executed budget: parity on its shares once it states some, and a rate far from plan (thresholds
    CALPAE_TAUX_EXECUTION_MIN and _MAX, in percent). One declared conforme executes its plan: nothing to say."""
    execute = fiche_chargee.budgets.get(NatureBudget.EXECUTE)
    if execute is None:
        return
    chiffres = chiffres_fiche(fiche_chargee.budgets.get(NatureBudget.PREVISIONNEL), execute, donnees.exercice.annees)
    executes = chiffres.montants_executes
    # Declared conforme: the executed shares are the planned ones, whose parity PARITE_FICHE already judges.
    if executes is not None and not executes.parite and not chiffres.conforme:
        yield Alerte(
            PARITE_EXECUTE,
            "Budget exécuté : parité non respectée, la part de la collectivité "
            f"({format_euros(executes.collectivite)}) est inférieure à celle de l'État "
            f"({format_euros(executes.etat)}).",
            donnees.exercice.pk,
            fiche_chargee.fiche.pk,
            execute.budget.pk,
        )
    taux = chiffres.taux_execution
    minimum, maximum = settings.CALPAE_TAUX_EXECUTION_MIN, settings.CALPAE_TAUX_EXECUTION_MAX
    if taux is not None and not minimum <= taux <= maximum:
        sens = "au-delà" if taux > maximum else "en deçà"
        yield Alerte(
            EXECUTION_ECART,
            f"Exécution à {format_number_fr(taux, 1)} % du prévu ({format_euros(chiffres.execute)} pour "
            f"{format_euros(chiffres.prevu)}), {sens} de la fourchette attendue ({minimum} – {maximum} %) : "
            "vérifiez le montant ou expliquez l'écart.",
            donnees.exercice.pk,
            fiche_chargee.fiche.pk,
            execute.budget.pk,
        )


def _verifier_ligne(ligne, parts, nature, exercice_id, fiche_id, budget_id):
    libelle = _court(ligne.libelle)
    if ligne.quantite is not None and ligne.cout_unitaire is not None and ligne.montant is not None:
        produit = quantize_cents(ligne.quantite * ligne.cout_unitaire)
        if produit != quantize_cents(ligne.montant):
            yield Alerte(
                QUANTITE_COUT,
                f"{nature}, ligne « {libelle} » : {_quantite(ligne.quantite)} × {format_euros(ligne.cout_unitaire)} "
                f"= {format_euros(produit)}, et non {format_euros(ligne.montant)}.",
                exercice_id,
                fiche_id,
                budget_id,
            )
    chiffrees = [p.montant for p in parts if p.montant is not None]
    if chiffrees and ligne.montant is not None and somme(chiffrees) != quantize_cents(ligne.montant):
        yield Alerte(
            PARTS_LIGNE,
            f"{nature}, ligne « {libelle} » : le montant ({format_euros(ligne.montant)}) n'est pas la somme "
            f"des parts ({format_euros(somme(chiffrees))}).",
            exercice_id,
            fiche_id,
            budget_id,
        )


def _verifier_budgets_recopies(donnees):
    """Two fiches with the very same planned budget: often a total copied from the fiche above."""
    vus = {}
    for fiche_chargee in donnees.fiches:
        prev = fiche_chargee.previsionnel()
        if prev is None or prev.budget.total is None:
            continue
        montants = donnees.montants(fiche_chargee)
        signature = (quantize_cents(prev.budget.total), montants.etat, montants.collectivite)
        if signature in vus:
            premiere = vus[signature]
            yield Alerte(
                BUDGET_RECOPIE,
                f"Le budget prévisionnel ({format_euros(prev.budget.total)}, dont État {format_euros(montants.etat)}) "
                f"est identique à celui de la fiche {premiere.numero} : vérifiez qu'il n'a pas été recopié.",
                donnees.exercice.pk,
                fiche_chargee.fiche.pk,
                prev.budget.pk,
            )
        else:
            vus[signature] = fiche_chargee.fiche


def _verifier_parite_exercice(donnees):
    total = sum((donnees.montants(f) for f in donnees.fiches), Montants())
    if total.etat > total.collectivite:
        yield Alerte(
            PARITE_EXERCICE,
            f"Parité non respectée sur l'exercice {donnees.exercice.libelle} : collectivité "
            f"{format_euros(total.collectivite)}, État {format_euros(total.etat)}.",
            donnees.exercice.pk,
        )


def _descendants(groupes, racine_id):
    ids = {racine_id}
    changed = True
    while changed:
        nouveaux = {g.pk for g in groupes if g.parent_id in ids} - ids
        ids |= nouveaux
        changed = bool(nouveaux)
    return ids


def montant_calcule(donnees, total):
    """What the fiches add up to, for the scope and filters of a declared total; None when they give no figure."""
    if total.fiche_id:
        fiches = [f for f in donnees.fiches if f.fiche.pk == total.fiche_id]
    elif total.groupe_id:
        groupes = _descendants(donnees.groupes, total.groupe_id)
        fiches = [f for f in donnees.fiches if f.fiche.groupe_id in groupes]
    else:
        fiches = donnees.fiches
    annees = [total.annee] if total.annee else donnees.exercice.annees
    valeurs = []
    for fiche_chargee in fiches:
        prev = fiche_chargee.previsionnel()
        if prev is None:
            continue
        lignes = [ligne for ligne in prev.lignes if _correspond(ligne, ligne, total)]
        parts = [p for p in prev.parts if _correspond(p, p.ligne_chargee, total) and compte_pour(p, annees)]
        if total.ligne_id:  # a recap row that gives one line of the fiche
            lignes = [ligne for ligne in lignes if ligne.pk == total.ligne_id]
            parts = [p for p in parts if p.ligne_id == total.ligne_id]
        if total.base == BaseMontant.ANNEE_PLEINE:
            valeurs.extend(ligne.montant_annee_pleine for ligne in lignes)
        elif total.financeur:
            montants = montants_des_parts(parts, annees)
            valeurs.append(
                {ETAT: montants.etat, COLLECTIVITE: montants.collectivite}.get(total.financeur, montants.autres)
            )
        elif any(ligne.montant is not None for ligne in prev.lignes):
            valeurs.extend(ligne.montant for ligne in lignes)
        elif not total.territoire and not total.type_depense:
            valeurs.append(prev.budget.total)
    if all(v is None for v in valeurs):
        return None
    return somme(valeurs)


def _correspond(objet, ligne, total):
    territoire = getattr(objet, "territoire", "") or (ligne.territoire if ligne else "")
    type_depense = getattr(objet, "type_depense", "") or (ligne.type_depense if ligne else "")
    if total.territoire and territoire != total.territoire:
        return False
    if total.type_depense and type_depense != total.type_depense:
        return False
    return True


def _verifier_totaux_declares(donnees):
    for total in donnees.totaux:
        calcule = montant_calcule(donnees, total)
        if calcule is not None and calcule != quantize_cents(total.montant):
            precisions = [LIBELLES_FINANCEURS[total.financeur]] if total.financeur else []
            if total.type_depense:
                precisions.append(total.get_type_depense_display().lower())
            if total.territoire:
                precisions.append(total.territoire)
            if total.annee:
                precisions.append(str(total.annee))
            if total.base == BaseMontant.ANNEE_PLEINE:
                precisions.append("année pleine")
            precision = f" ({', '.join(precisions)})" if precisions else ""
            yield Alerte(
                TOTAL_DECLARE,
                f"« {total.libelle} »{precision} : le document indique {format_euros(total.montant)}, "
                f"la somme des fiches donne {format_euros(calcule)}.",
                donnees.exercice.pk,
                total.fiche_id,
            )


@dataclass(frozen=True)
class ControleConvention:
    """The State's amount a convention states for a year, beside what the fiches' State parts add up to that year."""

    annee: int
    nature: str  # NatureMontant's label (prévisionnel, réalisé…)
    montant: object  # Decimal, as the convention writes it
    parts_etat: object  # Decimal: the fiches' State parts for that year

    @property
    def concorde(self) -> bool:
        return self.parts_etat == quantize_cents(self.montant)


def controle_convention(montant, donnees_exercices) -> ControleConvention | None:
    """The check of one MontantEtatAnnuel against the exercices that cover its year (None when none does)."""
    etat = []
    concernes = [d for d in donnees_exercices if montant.annee in d.exercice.annees]
    if not concernes:
        return None
    for donnees in concernes:
        for fiche_chargee in donnees.fiches:
            prev = fiche_chargee.previsionnel()
            if prev is None:
                continue
            parts = [
                p
                for p in prev.parts
                if p.annee == montant.annee or (p.annee is None and len(donnees.exercice.annees) == 1)
            ]
            etat.append(montants_des_parts(parts, [montant.annee]).etat)
    return ControleConvention(montant.annee, montant.get_nature_display().lower(), montant.montant, somme(etat))


def alerte_convention(controle: ControleConvention, exercice_id) -> Alerte | None:
    if controle is None or controle.concorde:
        return None
    return Alerte(
        MONTANT_CONVENTION,
        f"Les parts de l'État des fiches pour {controle.annee} totalisent {format_euros(controle.parts_etat)}, "
        f"alors que la convention indique {format_euros(controle.montant)} ({controle.nature}).",
        exercice_id,
    )


def verifier_montant_convention(montant, donnees_exercices):
    """The State's amount the convention states for a year against the fiches' State parts for that year."""
    controle = controle_convention(montant, donnees_exercices)
    if controle is not None and not controle.concorde:
        premier = next(d.exercice.pk for d in donnees_exercices if montant.annee in d.exercice.annees)
        yield alerte_convention(controle, premier)


def _court(texte, longueur=70):
    texte = " ".join(texte.split())
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


def _quantite(valeur):
    valeur = valeur.normalize()
    return f"{valeur:f}".replace(".", ",")
