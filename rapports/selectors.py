"""The read model of an exercice: everything its pages, its report (page, PDF, workbook), the dashboard and the
comparison show, loaded once into plain objects with a fixed number of queries for any number of exercices.

`charger_exercices(exercices)` returns one `ExerciceLu` per exercice: its groups (annex A socle, annex B
initiatives…) each with its fiches in order; per fiche (`FicheLue`) its budgets, lines and parts, its figures
(`budgets.calculs.ChiffresFiche`: the one definition of prévu, exécuté, taux, parité and of a declared total that
differs from its parts), its indicator grids, its report section, what is missing and its warnings; for the
exercice its report (saved or not yet), the declared totals, the annex of indicators and the consistency checks.
Every total (group, socle / initiatives, overall) is the sum of the fiches' figures, computed here and nowhere else.

What a caller does not show it may skip: `indicateurs=False` (the dashboard, the comparison), `textes=False`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import BooleanField, Case, OuterRef, Q, Subquery, Value, When
from django.utils import formats, timezone
from django.utils.translation import ngettext

from actions.models import SectionTexte
from budgets.calculs import (
    ChiffresFiche,
    CreditNonConsomme,
    Montants,
    chiffres_fiche,
    credit_non_consomme,
    execution,
    somme,
)
from budgets.coherence import (
    EXECUTION_ECART,
    MONTANT_CONVENTION,
    PARITE_EXERCICE,
    PARITE_FICHE,
    Alerte,
    alerte_convention,
    controle_convention,
    verifier,
)
from budgets.enums import NatureBudget
from budgets.graphique import graphique_parite
from budgets.selectors import charger_budgets
from conventions.enums import TypeGroupe
from conventions.models import Exercice, MontantEtatAnnuel
from indicateurs.grilles import charger_tableaux
from indicateurs.grilles import manquants as manquants_indicateurs

from .enums import STATUTS_REMIS, StatutRapport
from .models import Evenement, Rapport, SectionRapport

DATE_LIMITE = "date_limite"
ORDRE_TYPES = {TypeGroupe.SOCLE: 0, TypeGroupe.INITIATIVE: 1}


# Handed in / late: the one rule, in Python (`ExerciceLu.en_retard`) and in SQL (below) ----------------------------


def remis_q(prefixe="rapport__"):
    """Exercices whose report is handed in (rapports.enums.STATUTS_REMIS), as a filter on Exercice (or a relation)."""
    return Q(**{f"{prefixe}isnull": False, f"{prefixe}statut__in": STATUTS_REMIS})


def annoter_retard(exercices, aujourd_hui=None):
    """The exercices annotated with `en_retard` (deadline passed, report not handed in), late ones first, then the
    nearest deadlines: the same rule as `ExerciceLu.en_retard`, in SQL."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    retard = Q(date_limite_rapport__lt=aujourd_hui) & ~remis_q()
    return exercices.annotate(
        en_retard=Case(When(retard, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-en_retard", "date_limite_rapport", "pk")


def ordre_du_referent(exercices, aujourd_hui=None):
    """The référent's order of work (the dashboard's default): reports waiting for their decision first (transmitted,
    oldest transmission first), then late ones, then the nearest deadlines; annotated with `en_retard` and
    `a_examiner`. The same order as `rapports.etat.journee_du_referent` on the home page."""
    derniere_transmission = (
        Evenement.objects.filter(rapport__exercice=OuterRef("pk"), type=Evenement.Type.TRANSMISSION)
        .order_by("-date", "-pk")
        .values("date")[:1]
    )
    transmis = Q(rapport__isnull=False, rapport__statut=StatutRapport.TRANSMIS)
    return (
        annoter_retard(exercices, aujourd_hui)
        .annotate(
            a_examiner=Case(When(transmis, then=Value(True)), default=Value(False), output_field=BooleanField()),
            a_examiner_depuis=Case(When(transmis, then=Subquery(derniere_transmission)), default=None),
        )
        .order_by("-a_examiner", "a_examiner_depuis", "-en_retard", "date_limite_rapport", "pk")
    )


def rapport_de(exercice):
    """The exercice's report, or a new unsaved one with the collectivité's name and the usual title."""
    return exercice.rapport_existant or nouveau_rapport(exercice)


def nouveau_rapport(exercice):
    """The report of an exercice nobody started yet (unsaved)."""
    signataire = exercice.signataire
    nom = signataire.nom + (f" {exercice.territoire}" if exercice.territoire else "")
    return Rapport(
        exercice=exercice,
        collectivite=signataire,
        nom_collectivite=nom,
        titre=f"Rapport d'exécution – {nom} – exercice {exercice.libelle}",
    )


def nom_fichier(exercice):
    """`Rapport_execution_2019_Haut-Rhin` (no extension): the exercice, then the territory it reports on."""
    nom = exercice.territoire.removeprefix("pour le ").removeprefix("pour la ").strip() or exercice.signataire.nom_court
    return f"Rapport_execution_{exercice.libelle}_{nom}".replace(" ", "-").replace("/", "-")


# The read model ----------------------------------------------------------------------------------------------------


class Totaux:
    """Totals of a set of fiches (a group, or the whole exercice): needs `fiches`. Computed once, when first read
    (the read model does not change once loaded)."""

    @cached_property
    def montants(self) -> Montants:
        return sum((f.montants for f in self.fiches), Montants())

    @cached_property
    def prevu(self):
        return somme(f.prevu for f in self.fiches)

    @cached_property
    def execution(self):
        """What the fiches executed, and the rate against what those that state a figure planned."""
        return execution(
            ((f.execute_montant, f.prevu) for f in self.fiches),
            texte_seul=sum(1 for f in self.fiches if f.chiffres.texte_seul),
        )

    @property
    def execute(self):
        return self.execution.execute

    @property
    def taux_execution(self):
        return self.execution.taux

    def part_etat_par_annee(self, annee):
        return somme(f.chiffres.part_etat_par_annee.get(annee) for f in self.fiches)

    @cached_property
    def credit_non_consomme(self):
        """The State credit the fiches did not justify spending: the sum of each fiche's (the réfaction's base)."""
        return somme(f.credit_non_consomme.montant for f in self.fiches)


@dataclass
class FicheLue:
    fiche: object  # actions.Fiche, with `sections_chargees` (its SectionTexte) when texts were loaded
    groupe_racine: object  # the annex (conventions.Groupe without parent) the fiche belongs to
    budgets: dict  # NatureBudget -> budgets.selectors.BudgetCharge
    chiffres: ChiffresFiche
    section: object = None  # SectionRapport, or None before anyone wrote it
    grilles: list = field(default_factory=list)  # the indicator tables that serve only this fiche
    grilles_partagees: list = field(default_factory=list)  # tables shared with other fiches (the annex)
    grilles_apres: list = field(default_factory=list)  # shared tables printed after this fiche, the last they serve
    manquants: list = field(default_factory=list)  # rows without a value for the exercice's jalon
    alertes: list = field(default_factory=list)

    # Figures (budgets.calculs.ChiffresFiche)
    @property
    def montants(self):
        return self.chiffres.montants

    @property
    def prevu(self):
        return self.chiffres.prevu

    @property
    def execute_montant(self):
        return self.chiffres.execute

    @property
    def taux_execution(self):
        return self.chiffres.taux_execution

    @property
    def parite(self):
        return self.chiffres.parite

    def part_etat_par_annee(self, annee):
        return self.chiffres.part_etat_par_annee.get(annee)

    @cached_property
    def credit_non_consomme(self) -> CreditNonConsomme:
        """State part planned − State part executed, never below zero, and how the executed part is known."""
        return credit_non_consomme(self.chiffres)

    # Budgets
    @property
    def previsionnel(self):
        return self.budgets.get(NatureBudget.PREVISIONNEL)

    @property
    def reel_indicatif(self):
        return self.budgets.get(NatureBudget.REEL_INDICATIF)

    @property
    def execute(self):
        return self.budgets.get(NatureBudget.EXECUTE)

    @property
    def budgets_affiches(self):
        return [self.budgets[n] for n in NatureBudget.values if n in self.budgets]

    # Report section
    @property
    def ancre(self):
        return f"fiche-{self.fiche.pk}"

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
    def execution_hors_fourchette(self):
        """The executed amount is far from plan (budgets.coherence.EXECUTION_ECART): a gap to explain."""
        return any(a.regle == EXECUTION_ECART for a in self.alertes)

    @property
    def ecart_a_expliquer(self):
        """Parity not met or execution far from plan: what the report's « explication des écarts » is about."""
        return self.chiffres.parite_jugee is False or self.execution_hors_fourchette

    @property
    def renvoi_indicateurs(self):
        return self.section.indicateurs if self.section and self.section.indicateurs else ""

    # Completeness
    @property
    def execute_renseigne(self):
        return self.chiffres.execute_renseigne

    @property
    def complete(self):
        return self.execute_renseigne and not self.manquants

    @property
    def nb_alertes(self):
        return len(self.alertes)

    @property
    def a_faire(self):
        """What is missing, in words."""
        points = []
        if not self.execute_renseigne:
            points.append("budget exécuté non renseigné")
        if self.manquants:
            n = len(self.manquants)
            points.append(f"{n} {ngettext('indicateur', 'indicateurs', n)} sans valeur pour le dernier jalon")
        return points


@dataclass
class GroupeLu(Totaux):
    """An annex of the exercice (« A – Engagements du socle », « B – Initiatives »), with its fiches in order, those
    of its sub-groups included."""

    groupe: object
    fiches: list = field(default_factory=list)

    @property
    def code(self):
        return self.groupe.code

    @property
    def titre(self):
        return self.groupe.libelle

    @property
    def ancre(self):
        return f"partie-{self.groupe.pk}"


@dataclass
class ExerciceLu(Totaux):
    exercice: object
    rapport_enregistre: object  # Rapport, or None before anyone started the report
    budgets: object  # budgets.selectors.DonneesExercice: what the checks and the budget sheets read
    groupes: list  # GroupeLu of the annexes, socle first, then initiatives
    alertes: list
    aujourd_hui: datetime.date
    grilles: list = field(default_factory=list)  # the indicator grids of the exercice, in the tables' order
    annexe: list = field(default_factory=list)  # [(thème, [Grille…])…] in the order of the tables
    # The convention's State amount for each year of the exercice, beside the fiches' State parts (`convention=True`)
    controles_convention: list = field(default_factory=list)
    indicateurs_charges: bool = False

    @cached_property
    def fiches(self):
        return [f for g in self.groupes for f in g.fiches]

    @cached_property
    def rapport(self):
        """The report, saved or not yet (then with the collectivité's name and the usual title)."""
        return self.rapport_enregistre or nouveau_rapport(self.exercice)

    @property
    def fiches_dans_l_ordre(self):
        """In the exercice's order (the fiches list), whatever their group."""
        return sorted(self.fiches, key=lambda f: (f.fiche.ordre, f.fiche.pk))

    @cached_property
    def par_fiche(self):
        return {f.fiche.pk: f for f in self.fiches}

    @property
    def tous_les_groupes(self):
        return self.budgets.groupes

    @property
    def totaux_declares(self):
        return self.budgets.totaux

    @property
    def annees(self):
        """The years of the State's columns when the convention gives multi-year parts (seed 002), else []."""
        annees = sorted({a for f in self.fiches for a in f.chiffres.part_etat_par_annee})
        return annees if len(annees) > 1 else []

    @property
    def convention_concorde(self) -> bool:
        """The convention's State amounts agree with the fiches' State parts (True when none is checked)."""
        return not any(a.regle == MONTANT_CONVENTION for a in self.alertes)

    @property
    def parite(self) -> bool:
        """Parity holds for every fiche and over the exercice (article 2.3.2)."""
        return not any(a.regle in (PARITE_FICHE, PARITE_EXERCICE) for a in self.alertes)

    # Report
    @property
    def collectivite(self):
        return self.rapport.nom_collectivite

    @property
    def titre(self):
        return self.rapport.titre

    @property
    def mois_edition(self):
        """`Mars 2020`: the report's own date (its edition month, else its délibération), never today's; "" when
        it has neither (a draft)."""
        jour = self.rapport.date_edition or self.rapport.deliberation_date
        return formats.date_format(jour, "F Y").capitalize() if jour else ""

    @property
    def nom_fichier(self):
        return nom_fichier(self.exercice)

    @property
    def projet(self):
        """Not handed in (a draft, or sent back): its documents say « Projet »."""
        return not self.remis

    @cached_property
    def graphique(self):
        return graphique_parite(
            (f"{g.code} · {f.fiche.numero}", f.fiche.titre, f.montants.etat, f.montants.collectivite)
            for g in self.groupes
            for f in g.fiches
        )

    # Deadline and completeness
    @property
    def jours_restants(self):
        return (self.exercice.date_limite_rapport - self.aujourd_hui).days

    @property
    def remis(self):
        return self.rapport_enregistre is not None and self.rapport_enregistre.is_handed_in()

    @property
    def en_retard(self):
        return self.jours_restants < 0 and not self.remis

    @property
    def alertes_exercice(self):
        return [a for a in self.alertes if a.fiche_id is None]

    @property
    def fiches_incompletes(self):
        return [f for f in self.fiches if not f.complete]


def alerte_date_limite(exercice, rapport, aujourd_hui):
    """The deadline passed and the report is not handed in."""
    if not exercice.date_limite_rapport or exercice.date_limite_rapport >= aujourd_hui:
        return None
    if rapport is not None and rapport.is_handed_in():
        return None
    retard = (aujourd_hui - exercice.date_limite_rapport).days
    return Alerte(
        DATE_LIMITE,
        f"La date limite du rapport d'exécution ({exercice.date_limite_rapport:%d/%m/%Y}) est dépassée "
        f"de {retard} {ngettext('jour', 'jours', retard)} et le rapport n'est pas transmis.",
        exercice.pk,
    )


def charger_exercices(
    exercices, *, indicateurs=True, textes=True, sections=True, convention=False, alertes=True, aujourd_hui=None
) -> list[ExerciceLu]:
    """The read model of each exercice (see the module's docstring). Queries, whatever the number of exercices and
    fiches: six for the budgets; one for the reports (none when the exercices come with `select_related("rapport")`);
    one for the report sections (`sections`); one for the fiches' texts (`textes`); five for the indicator grids
    (`indicateurs`; six for only what is missing with `indicateurs="manquants"`); one for the State's amounts of the
    conventions (`convention`: checked against the fiches' State parts of each year of the exercice). `alertes=False`
    skips the consistency checks (no query, only time: the comparison shows none)."""
    exercices = list(exercices)
    aujourd_hui = aujourd_hui or timezone.localdate()
    ids = [e.pk for e in exercices]
    if all(Exercice.rapport.is_cached(e) for e in exercices):
        rapports = {e.pk: e.rapport_existant for e in exercices if e.rapport_existant is not None}
    else:
        rapports = {r.exercice_id: r for r in Rapport.objects.filter(exercice_id__in=ids)}
    sections_rapport = {}
    if rapports and sections:
        sections_rapport = {
            (s.rapport_id, s.fiche_id): s for s in SectionRapport.objects.filter(rapport__exercice_id__in=ids)
        }
    textes_fiches = defaultdict(list)
    if textes:
        for texte in SectionTexte.objects.filter(fiche__exercice_id__in=ids).order_by("ordre", "pk"):
            textes_fiches[texte.fiche_id].append(texte)
    grilles, absents = {}, {}
    if indicateurs == "manquants":
        absents = manquants_indicateurs(exercices)
    elif indicateurs:
        grilles = charger_tableaux(exercices)
    montants_etat = defaultdict(list)
    if convention:
        conventions = {e.convention_id for e in exercices}
        for montant in MontantEtatAnnuel.objects.filter(convention_id__in=conventions).order_by("annee"):
            montants_etat[montant.convention_id].append(montant)
    resultat = []
    for donnees in charger_budgets(exercices):
        exercice = donnees.exercice
        rapport = rapports.get(exercice.pk)
        alertes_exercice = verifier(donnees) if alertes else []
        controles = [
            controle_convention(montant, [donnees])
            for montant in montants_etat[exercice.convention_id]
            if montant.annee in exercice.annees
        ]
        alertes_exercice += [a for a in (alerte_convention(c, exercice.pk) for c in controles) if a]
        retard = alerte_date_limite(exercice, rapport, aujourd_hui)
        if retard and alertes:
            alertes_exercice.append(retard)
        de_l_exercice = grilles.get(exercice.pk, [])
        manquants = defaultdict(list)
        for grille in de_l_exercice:
            for fiche_id in grille.fiche_ids:
                manquants[fiche_id].extend(grille.manquants())
        for fiche_ids, lignes in absents.get(exercice.pk, []):
            for fiche_id in fiche_ids:
                manquants[fiche_id].extend(lignes)
        par_id = {g.pk: g for g in donnees.groupes}

        def racine(groupe, par_id=par_id):  # the annex a sub-group belongs to, whatever the groups' order
            while groupe.parent_id:
                groupe = par_id[groupe.parent_id]
            return groupe

        groupes = {g.pk: GroupeLu(g) for g in donnees.groupes if not g.parent_id}
        for chargee in donnees.fiches:
            fiche = chargee.fiche
            fiche.exercice = exercice  # known already: never fetched again through the fiche
            if textes:
                fiche.sections_chargees = textes_fiches[fiche.pk]
            groupe = groupes[racine(par_id[fiche.groupe_id]).pk]
            groupe.fiches.append(
                FicheLue(
                    fiche=fiche,
                    groupe_racine=groupe.groupe,
                    budgets=chargee.budgets,
                    chiffres=chiffres_fiche(
                        chargee.budgets.get(NatureBudget.PREVISIONNEL),
                        chargee.budgets.get(NatureBudget.EXECUTE),
                        exercice.annees,
                    ),
                    section=sections_rapport.get((rapport.pk, fiche.pk)) if rapport else None,
                    grilles=[g for g in de_l_exercice if g.fiche_ids == {fiche.pk}],
                    grilles_partagees=[g for g in de_l_exercice if fiche.pk in g.fiche_ids and len(g.fiche_ids) > 1],
                    manquants=manquants.get(fiche.pk, []),
                    alertes=[a for a in alertes_exercice if a.fiche_id == fiche.pk],
                )
            )
        ordonnes = sorted(groupes.values(), key=lambda g: (ORDRE_TYPES.get(g.groupe.type, 2), g.groupe.ordre))
        derniere = {}  # a shared table follows the last fiche it serves, in the report's order (seed 001)
        for fiche_lue in (f for g in ordonnes for f in g.fiches):
            for grille in fiche_lue.grilles_partagees:
                derniere[id(grille)] = (grille, fiche_lue)
        for grille, fiche_lue in derniere.values():
            fiche_lue.grilles_apres.append(grille)
        annexe = {}
        for grille in de_l_exercice:
            annexe.setdefault(grille.tableau.theme or "Indicateurs de suivi", []).append(grille)
        resultat.append(
            ExerciceLu(
                exercice=exercice,
                rapport_enregistre=rapport,
                budgets=donnees,
                groupes=[g for g in ordonnes if g.fiches],
                alertes=alertes_exercice,
                aujourd_hui=aujourd_hui,
                grilles=de_l_exercice,
                annexe=list(annexe.items()),
                controles_convention=controles,
                indicateurs_charges=bool(indicateurs),
            )
        )
    return resultat


def charger_exercice(exercice, **options) -> ExerciceLu:
    return charger_exercices([exercice], **options)[0]
