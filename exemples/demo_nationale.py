"""Fictive data for every département of the referential that has no collectivité yet, so that the national and
regional views (/pilotage/) can be tried: a convention, two exercices of a few fiches each with planned and executed
budgets, reports in every state. Every collectivité it creates is marked `donnees_fictives` (a badge on the pages,
a line in the PDF, a column in the exports). Drawn from a fixed seed: the same data each time."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.models import Action, Fiche
from budgets.enums import NatureBudget
from budgets.models import Budget, Part
from conventions.enums import Partie, TypeActe, TypeCollectivite, TypeGroupe
from conventions.models import Collectivite, Convention, Exercice, Groupe, Territoire, date_limite_par_defaut
from core.money import quantize_cents
from rapports import resumes
from rapports.enums import StatutRapport
from rapports.models import Rapport

THEMES = [
    "Prévenir toute « sortie sèche » de l'aide sociale à l'enfance",
    "Premier accueil social inconditionnel de proximité",
    "Référent de parcours",
    "Orientation et accompagnement des allocataires du RSA",
    "Garantie d'activité départementale",
    "Formation des travailleurs sociaux",
    "Lutte contre la précarité alimentaire",
    "Mobilité solidaire en milieu rural",
]
# The report of the first exercice, then of the second: what a year later may look like.
STATUTS = [
    (StatutRapport.ACCEPTE, StatutRapport.BROUILLON),
    (StatutRapport.ACCEPTE, StatutRapport.TRANSMIS),
    (StatutRapport.ACCEPTE, None),
    (StatutRapport.TRANSMIS, None),
    (StatutRapport.RENVOYE, StatutRapport.BROUILLON),
    (StatutRapport.BROUILLON, None),
]


@transaction.atomic
def charger_demo_nationale(*, fiches=6, graine=2026, log=print) -> int:
    """Create the fictive collectivités (their exercices' summaries included); returns how many."""
    rng = random.Random(graine)
    cette_annee = timezone.localdate().year
    annees = (cette_annee - 1, cette_annee)  # last year's report is due (or late), this year's not yet
    pris = set(Collectivite.objects.values_list("code_insee", flat=True))
    territoires = [
        t for t in Territoire.objects.filter(type=TypeCollectivite.DEPARTEMENT).order_by("code") if t.code not in pris
    ]
    collectivites = Collectivite.objects.bulk_create(
        Collectivite(
            code_insee=t.code,
            nom=f"Département {t.nom} (données fictives)",
            nom_court=t.nom,
            type=TypeCollectivite.DEPARTEMENT,
            region_id=t.region_id,
            donnees_fictives=True,
        )
        for t in territoires
    )
    conventions = Convention.objects.bulk_create(
        Convention(
            collectivite=c,
            cle=f"demo-{c.code_insee.lower()}-{annees[0]}-{annees[-1]}",
            intitule=f"Convention d'appui à la lutte contre la pauvreté {annees[0]}-{annees[-1]} (données fictives)",
            date_debut=datetime.date(annees[0], 1, 1),
            date_fin=datetime.date(annees[-1], 12, 31),
        )
        for c in collectivites
    )
    exercices = Exercice.objects.bulk_create(
        Exercice(
            convention=convention,
            libelle=str(annee),
            acte=TypeActe.CONVENTION if rang == 0 else TypeActe.AVENANT,
            intitule_acte="Convention initiale" if rang == 0 else f"Avenant {annee}",
            date_debut=datetime.date(annee, 1, 1),
            date_fin=datetime.date(annee, 12, 31),
            date_limite_rapport=date_limite_par_defaut(datetime.date(annee, 12, 31)),
            ordre=rang,
        )
        for convention in conventions
        for rang, annee in enumerate(annees)
    )
    groupes = Groupe.objects.bulk_create(
        Groupe(exercice=e, code=code, type=type_, libelle=libelle, ordre=ordre)
        for e in exercices
        for code, type_, libelle, ordre in (
            ("A", TypeGroupe.SOCLE, "Engagements du socle", 0),
            ("B", TypeGroupe.INITIATIVE, "Initiatives départementales", 1),
        )
    )
    actions = Action.objects.bulk_create(
        Action(collectivite=c, cle=f"demo-{c.code_insee.lower()}-{n}", intitule=THEMES[n % len(THEMES)])
        for c in collectivites
        for n in range(1, fiches + 1)
    )
    nouvelles, montants = [], []
    for i, exercice in enumerate(exercices):
        c = i // len(annees)
        for n in range(1, fiches + 1):
            nouvelles.append(
                Fiche(
                    exercice=exercice,
                    groupe=groupes[2 * i + (0 if n <= fiches - 2 else 1)],
                    action=actions[c * fiches + n - 1],
                    cle=f"fiche-{n}",
                    numero=f"ACTION {n}",
                    titre=THEMES[n % len(THEMES)],
                    ordre=n,
                )
            )
            total = Decimal(rng.randint(40, 400) * 1000)
            ratio = Decimal(rng.randint(35, 60) if rng.random() > 0.1 else rng.randint(55, 65)) / 100
            etat = quantize_cents(total * ratio)
            # First exercice: executed budgets stated; second one: about half of them so far.
            execute = (i % len(annees) == 0) or rng.random() < 0.5
            taux = Decimal(rng.randint(45, 105)) / 100
            montants.append((etat, total - etat, quantize_cents(etat * taux) if execute else None, taux))
    nouvelles = Fiche.objects.bulk_create(nouvelles)
    budgets, parts = [], []
    for fiche, (etat, collectivite, execute_etat, taux) in zip(nouvelles, montants, strict=True):
        prevu = Budget(fiche=fiche, nature=NatureBudget.PREVISIONNEL)
        budgets.append(prevu)
        parts += [(prevu, Partie.ETAT, etat), (prevu, Partie.COLLECTIVITE, collectivite)]
        if execute_etat is not None:
            execute = Budget(fiche=fiche, nature=NatureBudget.EXECUTE)
            budgets.append(execute)
            parts += [
                (execute, Partie.ETAT, execute_etat),
                (execute, Partie.COLLECTIVITE, quantize_cents(collectivite * taux)),
            ]
    Budget.objects.bulk_create(budgets)
    Part.objects.bulk_create(Part(budget=b, financeur=f, montant=m) for b, f, m in parts)
    rapports = []
    for c, collectivite in enumerate(collectivites):
        for rang, statut in enumerate(STATUTS[rng.randrange(len(STATUTS))]):
            if statut is None:
                continue
            exercice = exercices[c * len(annees) + rang]
            rapports.append(
                Rapport(
                    exercice=exercice,
                    collectivite=collectivite,
                    nom_collectivite=collectivite.nom,
                    titre=f"Rapport d'exécution – {collectivite.nom} – exercice {exercice.libelle}",
                    statut=statut,
                )
            )
    Rapport.objects.bulk_create(rapports)
    resumes.reconstruire(Exercice.objects.filter(pk__in=[e.pk for e in exercices]))
    log(
        f"{len(collectivites)} collectivités fictives, {len(exercices)} exercices, {len(nouvelles)} fiches "
        "(données fictives)."
    )
    return len(collectivites)
