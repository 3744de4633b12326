import datetime
from decimal import Decimal

import pytest

from conventions.models import Exercice
from rapports.selectors import DATE_LIMITE, charger_exercice

pytestmark = pytest.mark.django_db


def synthese(convention, libelle):
    exercice = Exercice.objects.get(convention__cle=convention, libelle=libelle)
    return charger_exercice(exercice, indicateurs=False, textes=False)


class TestSynthese:
    def test_seed_002_totals_a_b_and_a_plus_b(self):
        s = synthese("67-2019-2021", "2019")
        assert s.annees == [2019, 2020, 2021]
        a, b = s.groupes
        assert (a.groupe.code, b.groupe.code) == ("A", "B")
        assert (a.montants.etat, b.montants.etat, s.montants.etat) == (
            Decimal("725000.00"),
            Decimal("400000.00"),
            Decimal("1125000.00"),
        )
        assert a.montants.collectivite == Decimal("725000.00")
        # Annex B holds the sub-groups' fiches: 3 cofinanced + 8 of the Département + 3 of its implication.
        assert len(b.fiches) == 14
        assert b.montants.collectivite == Decimal("4130000.00")
        assert s.part_etat_par_annee(2021) == Decimal("2072000.00")  # 155+110+80+190+1 137 k + 240+90+70 k
        assert s.montants.parite

    def test_parity_per_fiche(self):
        s = synthese("68-2019-2021", "2021-2022")
        sans_parite = [ligne.fiche.numero for ligne in s.fiches if not ligne.parite]
        assert sans_parite == ["ACTION 7"]
        init_2 = next(ligne for ligne in s.fiches if ligne.fiche.cle == "init-2")
        assert (init_2.montants.collectivite, init_2.montants.etat) == (Decimal("387868.88"), Decimal("309082.00"))

    def test_fixed_number_of_queries(self, django_assert_num_queries):
        exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
        with django_assert_num_queries(7):  # six for the budgets, one for the report
            charger_exercice(exercice, indicateurs=False, textes=False)


class TestDateLimite:
    def test_report_deadline_passed(self):
        # Seed 002: no report of the Bas-Rhin for 2019 in the application.
        exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")

        def alertes(jour):
            lu = charger_exercice(exercice, indicateurs=False, textes=False, aujourd_hui=jour)
            return [a.message for a in lu.alertes if a.regle == DATE_LIMITE]

        assert alertes(datetime.date(2020, 3, 31)) == []
        assert alertes(datetime.date(2020, 4, 2)) == [
            "La date limite du rapport d'exécution (31/03/2020) est dépassée de 2 jours "
            "et le rapport n'est pas transmis."
        ]


class TestDefinitions:
    """The one definition of each figure, on exercices built with the factories."""

    def test_a_declared_total_that_differs_from_the_parts(self):
        from tests.factories import BudgetFactory, FicheFactory, PartFactory

        fiche = FicheFactory()
        budget = BudgetFactory(fiche=fiche, previsionnel=True, total=Decimal("2000.00"))
        PartFactory(budget=budget, etat=True, montant=Decimal("1000.00"))
        PartFactory(budget=budget, collectivite=True, montant=Decimal("1100.00"))
        lue = charger_exercice(fiche.exercice).fiches[0]
        assert lue.prevu == Decimal("2100.00")  # the sum of the parts
        assert lue.chiffres.total_declare == Decimal("2000.00") and lue.chiffres.ecart_declare == Decimal("-100.00")
        assert [a.regle for a in lue.alertes] == ["total_parts"]

    def test_without_parts_the_declared_total_is_planned_and_execution_counts_only_stated_figures(self):
        from tests.factories import BudgetFactory, FicheFactory, GroupeFactory

        chiffree = FicheFactory(avec_budget=True)  # 1 000 € État + 1 200 € collectivité
        exercice = chiffree.exercice
        BudgetFactory(fiche=chiffree, execute=True, total=Decimal("1100.00"))
        sans_parts = FicheFactory(exercice=exercice, groupe=GroupeFactory(exercice=exercice, initiative=True))
        BudgetFactory(fiche=sans_parts, previsionnel=True, total=Decimal("500.00"))
        BudgetFactory(fiche=sans_parts, execute=True, total=None, texte="Conforme aux engagements")
        lu = charger_exercice(exercice)
        assert [f.prevu for f in lu.fiches] == [Decimal("2200.00"), Decimal("500.00")]
        assert [f.execute_renseigne for f in lu.fiches] == [True, True]
        assert lu.prevu == Decimal("2700.00")
        # The rate compares what was executed with what the fiches that state a figure planned: 1 100 / 2 200.
        assert (lu.execute, lu.taux_execution, lu.execution.partielle) == (Decimal("1100.00"), Decimal("50.0"), True)
        assert [g.groupe.type for g in lu.groupes] == ["socle", "initiative"]

    def test_query_count_is_the_same_for_3_and_30_fiches(self, django_assert_num_queries):
        from tests.factories import ExerciceFactory, FicheFactory

        exercice = ExerciceFactory()
        for _ in range(3):
            FicheFactory(exercice=exercice, avec_budget=True)
        exercice = Exercice.objects.select_related("rapport").get(pk=exercice.pk)
        # Budgets 6, texts 1, indicator tables 2 (no table: their columns and values need no query); the report comes
        # with the exercice (select_related) and it has none: no section to read.
        with django_assert_num_queries(9):
            charger_exercice(exercice)
        for _ in range(27):
            FicheFactory(exercice=exercice, avec_budget=True)
        with django_assert_num_queries(9):
            assert len(charger_exercice(exercice).fiches) == 30
