from decimal import Decimal

import pytest

from budgets.synthese import synthese_exercice
from conventions.models import Exercice

pytestmark = pytest.mark.django_db


def synthese(convention, libelle):
    return synthese_exercice(Exercice.objects.get(convention__cle=convention, libelle=libelle))


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
        assert len(b.lignes) == 14
        assert b.montants.collectivite == Decimal("4130000.00")
        assert s.etat_par_annee(2021) == Decimal("2072000.00")  # 155+110+80+190+1 137 k + 240+90+70 k
        assert s.montants.parite

    def test_parity_per_fiche(self):
        s = synthese("68-2019-2021", "2021-2022")
        sans_parite = [ligne.fiche.numero for ligne in s.lignes if not ligne.parite]
        assert sans_parite == ["ACTION 7"]
        init_2 = next(ligne for ligne in s.lignes if ligne.fiche.cle == "init-2")
        assert (init_2.montants.collectivite, init_2.montants.etat) == (Decimal("387868.88"), Decimal("309082.00"))

    def test_fixed_number_of_queries(self, django_assert_num_queries):
        exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
        with django_assert_num_queries(7):
            synthese_exercice(exercice)
