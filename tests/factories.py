"""factory_boy factories for the domain objects, with Traits for the states a test asks for.

Each factory builds a valid object (`full_clean()` passes) that does not collide with the seed data the test database
holds: codes, keys and e-mails come from sequences. Money is always Decimal.

    FicheFactory(avec_budget=True)                   # planned budget: State 1 000,00 €, collectivité 1 200,00 €
    RapportFactory(transmis=True)
    UserFactory(referent=True, collectivites=[collectivite])
"""

import datetime
import string
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from actions.models import Action, Fiche
from budgets.enums import NatureBudget
from budgets.models import Budget, LigneBudget, Part
from comptes.enums import Role
from comptes.models import Affectation, User
from conventions.enums import Partie, TypeActe, TypeCollectivite, TypeGroupe
from conventions.models import Collectivite, Convention, Exercice, Groupe, date_limite_par_defaut
from indicateurs.enums import TypeJalon
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur
from rapports.enums import StatutRapport
from rapports.models import Rapport, SectionRapport

MOT_DE_PASSE = "mot-de-passe-de-test-factory"
PART_ETAT = Decimal("1000.00")
PART_COLLECTIVITE = Decimal("1200.00")

_BASE36 = string.digits + string.ascii_uppercase


def _code_insee(n):
    """Three characters, as the field allows: F00, F01 … FZZ (the seeds use 67, 68 and 6AE)."""
    n %= len(_BASE36) ** 2
    return f"F{_BASE36[n // len(_BASE36)]}{_BASE36[n % len(_BASE36)]}"


def _annee_suivante(exercice):
    """The first year of the convention not yet taken by one of its exercices (one calendar year each)."""
    convention = exercice.convention
    annee = convention.date_debut.year
    if convention.pk is None:
        return annee
    prises = {e.date_debut.year for e in convention.exercices.all()}
    while annee in prises:
        annee += 1
    return annee


class CollectiviteFactory(DjangoModelFactory):
    class Meta:
        model = Collectivite

    code_insee = factory.Sequence(_code_insee)
    nom = factory.LazyAttribute(lambda o: f"Département de test {o.code_insee}")
    nom_court = factory.LazyAttribute(lambda o: f"Test {o.code_insee}")
    type = TypeCollectivite.DEPARTEMENT


class ConventionFactory(DjangoModelFactory):
    class Meta:
        model = Convention

    collectivite = factory.SubFactory(CollectiviteFactory)
    cle = factory.Sequence(lambda n: f"factory-{n}")
    intitule = "Convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi"
    date_debut = datetime.date(2019, 1, 1)
    date_fin = datetime.date(2022, 12, 31)
    date_signature = datetime.date(2019, 6, 28)
    lieu_signature = "Strasbourg"


class ExerciceFactory(DjangoModelFactory):
    """One calendar year of the convention: the first year no other exercice of the convention takes."""

    class Meta:
        model = Exercice

    class Params:
        annee = factory.LazyAttribute(_annee_suivante)

    convention = factory.SubFactory(ConventionFactory)
    libelle = factory.LazyAttribute(lambda o: str(o.annee))
    acte = TypeActe.CONVENTION
    date_debut = factory.LazyAttribute(lambda o: datetime.date(o.annee, 1, 1))
    date_fin = factory.LazyAttribute(lambda o: datetime.date(o.annee, 12, 31))
    date_limite_rapport = factory.LazyAttribute(lambda o: date_limite_par_defaut(o.date_fin))
    ordre = factory.LazyAttribute(lambda o: max(o.annee - o.convention.date_debut.year, 0))


class GroupeFactory(DjangoModelFactory):
    class Meta:
        model = Groupe

    class Params:
        socle = factory.Trait(type=TypeGroupe.SOCLE, libelle="Engagements du socle")
        initiative = factory.Trait(type=TypeGroupe.INITIATIVE, libelle="Initiatives départementales")

    exercice = factory.SubFactory(ExerciceFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    type = TypeGroupe.AUTRE
    libelle = factory.Sequence(lambda n: f"Groupe {n}")
    ordre = factory.Sequence(lambda n: n % 1000)


class ActionFactory(DjangoModelFactory):
    """The lineage: the same action across the exercices (avenants) of a collectivité."""

    class Meta:
        model = Action

    collectivite = factory.SubFactory(CollectiviteFactory)
    cle = factory.Sequence(lambda n: f"factory-action-{n}")
    intitule = factory.Sequence(lambda n: f"Action de test {n}")


class BudgetFactory(DjangoModelFactory):
    class Meta:
        model = Budget
        skip_postgeneration_save = True

    class Params:
        previsionnel = factory.Trait(nature=NatureBudget.PREVISIONNEL, intitule="Budget prévisionnel")
        execute = factory.Trait(nature=NatureBudget.EXECUTE, intitule="Budget exécuté")
        reel_indicatif = factory.Trait(nature=NatureBudget.REEL_INDICATIF, intitule="Budget réel à titre indicatif")
        # A State part and a collectivité part that respect parity and add up to the total.
        avec_parts = factory.Trait(
            total=PART_ETAT + PART_COLLECTIVITE,
            total_texte="2 200,00 €",
            part_etat=factory.RelatedFactory(
                "tests.factories.PartFactory", factory_related_name="budget", etat=True, montant=PART_ETAT, ordre=0
            ),
            part_collectivite=factory.RelatedFactory(
                "tests.factories.PartFactory",
                factory_related_name="budget",
                collectivite=True,
                montant=PART_COLLECTIVITE,
                ordre=1,
            ),
        )

    fiche = factory.SubFactory("tests.factories.FicheFactory")
    nature = NatureBudget.PREVISIONNEL
    intitule = "Budget prévisionnel"
    total = Decimal("2200.00")
    total_texte = "2 200,00 €"


class FicheFactory(DjangoModelFactory):
    """A fiche of an exercice, in a (socle) group of the same exercice, in a lineage of the exercice's collectivité."""

    class Meta:
        model = Fiche
        skip_postgeneration_save = True

    class Params:
        avec_budget = factory.Trait(
            budget_previsionnel=factory.RelatedFactory(
                BudgetFactory, factory_related_name="fiche", previsionnel=True, avec_parts=True
            )
        )

    exercice = factory.SubFactory(ExerciceFactory)
    groupe = factory.SubFactory(GroupeFactory, socle=True, exercice=factory.SelfAttribute("..exercice"))
    action = factory.SubFactory(ActionFactory, collectivite=factory.SelfAttribute("..exercice.convention.collectivite"))
    cle = factory.Sequence(lambda n: f"factory-{n}")
    numero = factory.Sequence(lambda n: f"ACTION {n}")
    ordre = factory.Sequence(lambda n: n % 1000)
    titre = factory.Sequence(lambda n: f"Prévenir les sorties sèches de l'aide sociale à l'enfance ({n})")
    theme = "Enfance"
    description = "Accompagner les jeunes majeurs sortant de l'aide sociale à l'enfance."


class PartFactory(DjangoModelFactory):
    class Meta:
        model = Part

    class Params:
        etat = factory.Trait(financeur=Partie.ETAT, libelle="Part Etat")
        collectivite = factory.Trait(
            financeur=Partie.COLLECTIVITE,
            libelle=factory.LazyAttribute(
                lambda o: f"Part {o.budget.fiche.exercice.convention.collectivite.nom_court}"
            ),
        )

    budget = factory.SubFactory(BudgetFactory)
    financeur = Partie.AUTRE
    libelle = "Part des co-financeurs"
    montant = Decimal("1000.00")


class LigneBudgetFactory(DjangoModelFactory):
    class Meta:
        model = LigneBudget

    budget = factory.SubFactory(BudgetFactory)
    ordre = factory.Sequence(lambda n: n % 1000)
    libelle = "Recrutement de travailleurs sociaux (ETP)"
    quantite = Decimal("2.00")
    unite = "ETP"
    cout_unitaire = Decimal("1100.00")
    montant = factory.LazyAttribute(lambda o: (o.quantite * o.cout_unitaire).quantize(Decimal("0.01")))


class TableauIndicateursFactory(DjangoModelFactory):
    class Meta:
        model = TableauIndicateurs
        skip_postgeneration_save = True

    exercice = factory.SubFactory(ExerciceFactory)
    ordre = factory.Sequence(lambda n: n % 1000)
    titre = factory.Sequence(lambda n: f"Indicateurs de l'action {n}")

    @factory.post_generation
    def fiches(self, create, extracted, **kwargs):
        """`fiches=[fiche]` links the table to those fiches (a table may serve several)."""
        if create and extracted:
            self.fiches.add(*extracted)


class JalonFactory(DjangoModelFactory):
    class Meta:
        model = Jalon

    tableau = factory.SubFactory(TableauIndicateursFactory)
    ordre = factory.Sequence(lambda n: n % 1000)
    type = TypeJalon.REALISE
    date = factory.LazyAttribute(lambda o: o.tableau.exercice.date_fin)
    libelle = factory.LazyAttribute(lambda o: f"Réalisé au {o.date:%d/%m/%Y}")


class IndicateurFactory(DjangoModelFactory):
    class Meta:
        model = Indicateur

    tableau = factory.SubFactory(TableauIndicateursFactory)
    ordre = factory.Sequence(lambda n: n % 1000)
    code = "a)"
    libelle = "Nombre de personnes accompagnées"


class ValeurIndicateurFactory(DjangoModelFactory):
    """A cell; `save()` reads `texte` into the typed fields."""

    class Meta:
        model = ValeurIndicateur

    indicateur = factory.SubFactory(IndicateurFactory)
    jalon = factory.SubFactory(JalonFactory, tableau=factory.SelfAttribute("..indicateur.tableau"))
    texte = "4 827"


class RapportFactory(DjangoModelFactory):
    """The report of an exercice; the Traits set the FSM state directly (the field is not protected)."""

    class Meta:
        model = Rapport

    class Params:
        transmis = factory.Trait(statut=StatutRapport.TRANSMIS)
        renvoye = factory.Trait(statut=StatutRapport.RENVOYE)
        accepte = factory.Trait(statut=StatutRapport.ACCEPTE)

    exercice = factory.SubFactory(ExerciceFactory)
    collectivite = factory.SelfAttribute("exercice.convention.collectivite")
    nom_collectivite = factory.LazyAttribute(lambda o: o.collectivite.nom)
    titre = factory.LazyAttribute(lambda o: f"Rapport d'exécution {o.exercice.libelle}")
    statut = StatutRapport.BROUILLON


class SectionRapportFactory(DjangoModelFactory):
    class Meta:
        model = SectionRapport

    rapport = factory.SubFactory(RapportFactory)
    fiche = factory.SubFactory(FicheFactory, exercice=factory.SelfAttribute("..rapport.exercice"))
    fapi = "non"
    bilan = "L'action a été mise en œuvre sur l'ensemble du territoire."
    perspectives = "Poursuite de l'action l'an prochain."


class UserFactory(DjangoModelFactory):
    """A login by e-mail; `collectivites=[c]` creates the Affectation rows (an agent's or a référent's)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        agent = factory.Trait(role=Role.AGENT)
        referent = factory.Trait(role=Role.REFERENT)
        administrateur = factory.Trait(role=Role.ADMINISTRATEUR, is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"compte{n}@factory.calpae.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    password = factory.django.Password(MOT_DE_PASSE)
    role = Role.AGENT

    @factory.post_generation
    def collectivites(self, create, extracted, **kwargs):
        if create and extracted:
            Affectation.objects.bulk_create(Affectation(user=self, collectivite=c) for c in extracted)
