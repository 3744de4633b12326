"""What the rapport d'exécution of an exercice says, gathered once for the report page, the PDF and the command.

The report's own texts (avant-propos, per fiche: FAPI, bilan, perspectives) come from Rapport / SectionRapport; the
rest is taken from the fiches, never retyped: the rappel (texts), the planned and executed budgets, the indicator
tables. A fixed number of queries whatever the number of fiches (budgets.coherence.charger, indicateurs.grilles).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from actions.models import SectionTexte
from budgets.calculs import Montants, execution, montant_execute, somme, taux
from budgets.coherence import charger
from budgets.enums import NatureBudget
from budgets.graphique import graphique_parite
from conventions.enums import TypeGroupe
from indicateurs.grilles import charger_tableaux

from .models import Rapport, SectionRapport

MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def mois_annee(jour: datetime.date) -> str:
    """`Mars 2020`."""
    return f"{MOIS[jour.month - 1].capitalize()} {jour.year}"


@dataclass
class SectionFiche:
    fiche: object
    section: object  # SectionRapport, or None before anyone wrote it
    previsionnel: object  # budgets.coherence.BudgetCharge or None
    reel_indicatif: object
    execute: object
    montants: Montants  # the planned parts counted for the exercice
    execute_montant: object  # Decimal or None
    grilles: list  # the tables that serve only this fiche (shown in its section)
    grilles_partagees: list  # tables shared with other fiches (in the annex: "voir infra")

    @property
    def ancre(self):
        return f"fiche-{self.fiche.pk}"

    @property
    def budgets_affiches(self):
        return [b for b in (self.previsionnel, self.reel_indicatif, self.execute) if b is not None]

    @property
    def prevu(self):
        if self.previsionnel is not None and self.previsionnel.budget.total is not None:
            return self.previsionnel.budget.total
        return self.montants.total

    @property
    def taux_execution(self):
        return taux(self.execute_montant, self.prevu) if self.execute_montant is not None else None

    @property
    def fapi(self):
        return self.section.fapi if self.section else ""

    @property
    def bilan(self):
        return self.section.bilan if self.section else ""

    @property
    def perspectives(self):
        return self.section.perspectives if self.section else ""

    @property
    def explication(self):
        return self.section.explication if self.section else ""

    @property
    def renvoi_indicateurs(self):
        return self.section.indicateurs if self.section and self.section.indicateurs else ""


class TotauxDesSections:
    """Totals of a set of fiche sections (a part of the report, or the whole report): needs `sections`."""

    @property
    def montants(self):
        return sum((s.montants for s in self.sections), Montants())

    @property
    def prevu(self):
        return somme(s.prevu for s in self.sections)

    @property
    def execution(self):
        """What the fiches executed, and the rate against what those that state a figure planned."""
        return execution((s.execute_montant, s.prevu) for s in self.sections)

    @property
    def execute(self):
        """What the fiches executed; None when none of them states an amount."""
        return self.execution.execute

    @property
    def taux_execution(self):
        return self.execution.taux


@dataclass
class Partie(TotauxDesSections):
    """ "Fiches actions – Engagements du socle", then "Engagements à l'initiative du département"."""

    groupe: object
    sections: list = field(default_factory=list)

    @property
    def titre(self):
        return self.groupe.libelle

    @property
    def ancre(self):
        return f"partie-{self.groupe.pk}"


@dataclass
class ContenuRapport(TotauxDesSections):
    exercice: object
    rapport: object  # Rapport (maybe unsaved: a report nobody started yet)
    parties: list
    annexe: list  # [(thème, [Grille…])…] in the order of the tables
    graphique: str

    @property
    def collectivite(self):
        return self.rapport.nom_collectivite

    @property
    def titre(self):
        return self.rapport.titre

    @property
    def mois_edition(self):
        return mois_annee(self.rapport.date_edition or datetime.date.today())

    @property
    def sections(self):
        return [s for p in self.parties for s in p.sections]

    @property
    def nom_fichier(self):
        return nom_fichier(self.exercice)


def nom_fichier(exercice):
    """`Rapport_execution_2019_Haut-Rhin` (no extension): the exercice, then the territory it reports on."""
    nom = exercice.territoire.removeprefix("pour le ").removeprefix("pour la ").strip() or exercice.signataire.nom_court
    return f"Rapport_execution_{exercice.libelle}_{nom}".replace(" ", "-").replace("/", "-")


def rapport_de(exercice):
    """The exercice's report, or a new unsaved one with the collectivité's name and the usual title."""
    rapport = Rapport.objects.filter(exercice=exercice).first()
    if rapport is not None:
        return rapport
    signataire = exercice.signataire
    nom = signataire.nom + (f" {exercice.territoire}" if exercice.territoire else "")
    return Rapport(
        exercice=exercice,
        collectivite=signataire,
        nom_collectivite=nom,
        titre=f"Rapport d'exécution – {nom} – exercice {exercice.libelle}",
    )


def contenu_rapport(exercice, donnees=None) -> ContenuRapport:
    """`donnees`: what budgets.coherence.charger already loaded for this exercice, if the caller has it."""
    rapport = rapport_de(exercice)
    donnees = donnees or charger([exercice])[0]
    sections = {}
    if rapport.pk:
        sections = {s.fiche_id: s for s in SectionRapport.objects.filter(rapport=rapport)}
    grilles = charger_tableaux([exercice]).get(exercice.pk, [])
    textes = defaultdict(list)
    for section in SectionTexte.objects.filter(fiche__exercice=exercice).order_by("ordre", "pk"):
        textes[section.fiche_id].append(section)
    par_id = {g.pk: g for g in donnees.groupes}

    def racine(groupe):
        while groupe.parent_id:
            groupe = par_id[groupe.parent_id]
        return groupe

    parties = {g.pk: Partie(g) for g in donnees.groupes if not g.parent_id}
    for fiche_chargee in donnees.fiches:
        fiche = fiche_chargee.fiche
        fiche.sections_chargees = textes[fiche.pk]
        budgets = fiche_chargee.budgets
        execute = budgets.get(NatureBudget.EXECUTE)
        parties[racine(par_id[fiche.groupe_id]).pk].sections.append(
            SectionFiche(
                fiche=fiche,
                section=sections.get(fiche.pk),
                previsionnel=budgets.get(NatureBudget.PREVISIONNEL),
                reel_indicatif=budgets.get(NatureBudget.REEL_INDICATIF),
                execute=execute,
                montants=donnees.montants(fiche_chargee),
                execute_montant=montant_execute(execute, exercice.annees),
                grilles=[g for g in grilles if g.fiche_ids == {fiche.pk}],
                grilles_partagees=[g for g in grilles if fiche.pk in g.fiche_ids and len(g.fiche_ids) > 1],
            )
        )
    ordre_type = {TypeGroupe.SOCLE: 0, TypeGroupe.INITIATIVE: 1}
    parties = sorted(parties.values(), key=lambda p: (ordre_type.get(p.groupe.type, 2), p.groupe.ordre))
    annexe = {}
    for grille in grilles:
        annexe.setdefault(grille.tableau.theme or "Indicateurs de suivi", []).append(grille)
    graphique = graphique_parite(
        (f"{p.groupe.code} · {s.fiche.numero}", s.fiche.titre, s.montants.etat, s.montants.collectivite)
        for p in parties
        for s in p.sections
    )
    return ContenuRapport(exercice, rapport, [p for p in parties if p.sections], list(annexe.items()), graphique)
