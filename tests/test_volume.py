"""The volume generator (tests/volume.py): the expected counts, exact Decimal totals, and the checks still run."""

import datetime
from decimal import Decimal

import pytest

from actions.models import Action, Fiche
from budgets import coherence
from budgets.enums import NatureBudget
from budgets.models import Budget, LigneBudget, Part
from conventions.enums import Partie
from conventions.models import Exercice
from conventions.perms import exercices_visible_by
from core.money import quantize_cents
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur
from tests.volume import MOT_DE_PASSE, RUPTURE_PARITE, ajouter_fiches, generer_collectivites, nombre_valeurs

pytestmark = pytest.mark.django_db

AVANT_2019 = datetime.date(2019, 6, 1)
NOMBRE = 10 * 11
LIGNES, INDICATEURS, JALONS = 3, 10, 5


@pytest.fixture
def exercice_68_2019():
    return Exercice.objects.select_related("convention").get(convention__cle="68-2019-2021", libelle="2019")


@pytest.fixture
def ajoutees(exercice_68_2019):
    return ajouter_fiches(exercice_68_2019, NOMBRE, lignes=LIGNES, indicateurs=INDICATEURS, jalons=JALONS)


class TestAjouterFiches:
    def test_counts(self, exercice_68_2019):
        avant = Fiche.objects.filter(exercice=exercice_68_2019).count()
        fiches = ajouter_fiches(exercice_68_2019, NOMBRE, lignes=LIGNES, indicateurs=INDICATEURS, jalons=JALONS)
        ids = [f.pk for f in fiches]
        assert len(fiches) == NOMBRE and all(ids)
        assert Fiche.objects.filter(exercice=exercice_68_2019).count() == avant + NOMBRE
        assert Action.objects.filter(fiches__in=ids).distinct().count() == NOMBRE  # one lineage each
        assert Budget.objects.filter(fiche__in=ids, nature=NatureBudget.PREVISIONNEL).count() == NOMBRE
        assert Budget.objects.filter(fiche__in=ids, nature=NatureBudget.EXECUTE).count() == NOMBRE
        assert LigneBudget.objects.filter(budget__fiche__in=ids).count() == NOMBRE * LIGNES
        assert Part.objects.filter(budget__fiche__in=ids, ligne=None).count() == NOMBRE * 4
        tableaux = TableauIndicateurs.objects.filter(fiches__in=ids)
        assert tableaux.count() == NOMBRE
        assert all(t.fiches.count() == 1 for t in tableaux[:5])
        assert Jalon.objects.filter(tableau__in=tableaux).count() == NOMBRE * JALONS
        indicateurs = Indicateur.objects.filter(tableau__in=tableaux)
        assert indicateurs.count() == NOMBRE * INDICATEURS
        assert indicateurs.exclude(parent=None).count() == NOMBRE * 2
        valeurs = ValeurIndicateur.objects.filter(indicateur__in=indicateurs)
        assert valeurs.count() == NOMBRE * nombre_valeurs(INDICATEURS, JALONS) < NOMBRE * INDICATEURS * JALONS
        # The typed fields were read before the bulk insert, as ValeurIndicateur.save() would have.
        assert set(valeurs.values_list("type", flat=True)) >= {"nombre", "taux", "duree", "montant", "code", "texte"}
        assert not valeurs.filter(type="vide").exists()
        cellule = valeurs.filter(texte__endswith=" %").first()
        assert cellule.type == "taux" and cellule.nombre == Decimal(cellule.texte.removesuffix(" %"))
        # One initial history row per versioned object, as the seed loader writes.
        assert Fiche.history.filter(id__in=ids).count() == NOMBRE
        assert ValeurIndicateur.history.filter(indicateur_id__in=indicateurs.values("pk")).count() == valeurs.count()

    def test_keys_numbers_and_order_follow_the_existing_fiches(self, exercice_68_2019, ajoutees):
        existantes = Fiche.objects.filter(exercice=exercice_68_2019).exclude(pk__in=[f.pk for f in ajoutees])
        for champ in ("cle", "numero", "ordre"):
            nouvelles = {getattr(f, champ) for f in ajoutees}
            assert len(nouvelles) == NOMBRE, champ
            assert not nouvelles & set(existantes.values_list(champ, flat=True)), champ
        assert min(f.ordre for f in ajoutees) > max(existantes.values_list("ordre", flat=True))
        encore = ajouter_fiches(exercice_68_2019, 2, lignes=1, indicateurs=2, jalons=1)
        assert min(f.ordre for f in encore) > max(f.ordre for f in ajoutees)
        assert {f.groupe.code for f in ajoutees} == {"A", "B"}  # spread over the exercice's groups

    def test_totals_are_exact_decimals(self, ajoutees):
        budgets = Budget.objects.filter(fiche__in=ajoutees).prefetch_related("lignes", "parts")
        for budget in budgets:
            assert isinstance(budget.total, Decimal)
            parts = [p.montant for p in budget.parts.all()]
            assert budget.total == sum(parts, Decimal(0))
            if budget.nature == NatureBudget.PREVISIONNEL:
                lignes = list(budget.lignes.all())
                assert budget.total == sum((ligne.montant for ligne in lignes), Decimal(0))
                assert all(isinstance(ligne.montant, Decimal) for ligne in lignes)
                for ligne in lignes:
                    if ligne.quantite is not None:
                        assert quantize_cents(ligne.quantite * ligne.cout_unitaire) == ligne.montant

    def test_consistency_checks_run_on_the_result(self, exercice_68_2019, ajoutees):
        alertes = coherence.alertes_exercice(exercice_68_2019)
        ids = {f.pk for f in ajoutees}
        nouvelles = [a for a in alertes if a.fiche_id in ids]
        regles = {a.regle for a in nouvelles}
        # Totals, lines and quantities hold; a few fiches break parity on purpose.
        assert not regles & {coherence.TOTAL_PARTS, coherence.TOTAL_LIGNES, coherence.QUANTITE_COUT}
        parite = [a for a in nouvelles if a.regle == coherence.PARITE_FICHE]
        assert len(parite) == NOMBRE // RUPTURE_PARITE
        etat = Part.objects.filter(budget__fiche__in=ajoutees, budget__nature="previsionnel")
        assert etat.filter(financeur=Partie.ETAT).count() == NOMBRE


class TestGenererCollectivites:
    def test_collectivites_accounts_and_exercices(self):
        generees = generer_collectivites(2, exercices=2, fiches=3, indicateurs=4, jalons=3, lignes=2, prefixe="essai")
        assert len(generees) == 2
        (premiere, agent, exercices), _ = generees
        assert premiere.code_insee == "E00" and agent.email == "agent.e00@essai.calpae.fr"
        assert agent.check_password(MOT_DE_PASSE) and list(agent.collectivites.all()) == [premiere]
        assert [e.libelle for e in exercices] == ["2019", "2020"]
        assert exercices[0].date_limite_rapport == datetime.date(2020, 3, 31)
        assert set(exercices_visible_by(agent)) == set(exercices)
        fiches = Fiche.objects.filter(exercice__in=exercices)
        assert fiches.count() == 2 * 3
        assert Action.objects.filter(fiches__in=fiches).distinct().count() == 3  # one lineage across exercices
        assert ValeurIndicateur.objects.filter(jalon__tableau__exercice__in=exercices).count() == 2 * 3 * (
            nombre_valeurs(4, 3)
        )
        assert generer_collectivites(1, exercices=1, fiches=1, prefixe="essai")[0].collectivite.code_insee == "E02"
        for exercice in exercices:
            coherence.alertes_exercice(exercice)
