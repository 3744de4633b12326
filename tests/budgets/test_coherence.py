"""Each consistency rule, tested on a real slip of the seed documents (the data still loads)."""

from decimal import Decimal

import pytest

from actions.models import Fiche
from budgets import coherence
from budgets.models import Part
from conventions.models import Convention, Exercice

pytestmark = pytest.mark.django_db


def exercice(convention, libelle):
    return Exercice.objects.select_related("convention").get(convention__cle=convention, libelle=libelle)


def alertes(convention, libelle, regle):
    return [a for a in coherence.alertes_exercice(exercice(convention, libelle)) if a.regle == regle]


def numero(alerte):
    return Fiche.objects.get(pk=alerte.fiche_id).numero


class TestRules:
    def test_parity_per_fiche_state_only_action_7(self):
        found = alertes("68-2019-2021", "2021-2022", coherence.PARITE_FICHE)
        assert [numero(a) for a in found] == ["ACTION 7"]
        assert "n'est pas chiffrée" in found[0].message
        assert "25\u00a0812,00\u00a0€" in found[0].message

    def test_parity_over_the_exercice(self):
        # The documents meet parity over each exercice: no warning on the real data…
        assert alertes("68-2019-2021", "2021-2022", coherence.PARITE_EXERCICE) == []
        # …until the CeA's share of initiative 2 falls under what the State's 25 812 € alone tips over.
        part = Part.objects.get(
            budget__fiche__exercice__libelle="2021-2022", budget__fiche__cle="init-2", financeur="collectivite"
        )
        part.montant = Decimal("300000")
        part.save()
        found = alertes("68-2019-2021", "2021-2022", coherence.PARITE_EXERCICE)
        assert len(found) == 1
        assert "Parité non respectée sur l'exercice 2021-2022" in found[0].message

    def test_total_not_the_sum_of_its_parts_seed_001_action_7(self):
        found = alertes("68-2019-2021", "2019", coherence.TOTAL_PARTS)
        assert [numero(a) for a in found] == ["ACTION 7"]
        assert "229\u00a0675,00\u00a0€" in found[0].message and "229\u00a0775,00\u00a0€" in found[0].message

    def test_total_not_the_sum_of_its_lines_seed_000_action_6(self):
        found = alertes("68-2019-2021", "2021-2022", coherence.TOTAL_LIGNES)
        assert [numero(a) for a in found] == ["ACTION 6"]
        assert "51\u00a0156,00\u00a0€" in found[0].message

    def test_quantity_times_unit_cost_seed_000_initiative_2(self):
        found = alertes("68-2019-2021", "2021-2022", coherence.QUANTITE_COUT)
        assert len(found) == 1
        assert numero(found[0]) == "ACTION 2"
        assert "5 × 24\u00a0590,00\u00a0€ = 122\u00a0950,00\u00a0€, et non 122\u00a0950,88\u00a0€" in found[0].message

    def test_declared_total_seed_002_total_b(self):
        found = alertes("67-2019-2021", "2019", coherence.TOTAL_DECLARE)
        assert [a.message for a in found] == [
            "« TOTAL B » (collectivité) : le document indique 400\u00a0000,00\u00a0€, "
            "la somme des fiches donne 4\u00a0130\u00a0000,00\u00a0€."
        ]

    def test_copied_budget_seed_000_action_5_1(self):
        found = alertes("68-2019-2021", "2021-2022", coherence.BUDGET_RECOPIE)
        assert [numero(a) for a in found] == ["ACTION 5.1"]
        assert "identique à celui de la fiche ACTION 4.1" in found[0].message

    def test_convention_state_amount(self):
        convention = Convention.objects.get(cle="67-2019-2021")
        regle = coherence.MONTANT_CONVENTION
        # Seed 002's fiches add up to the 1 125 000 € of article 2.3.1.
        assert [a for a in coherence.alertes_convention(convention) if a.regle == regle] == []
        part = Part.objects.get(budget__fiche__exercice__convention=convention, budget__fiche__cle="4-3", annee=2019)
        part.montant = Decimal("75000")
        part.save()
        found = [a for a in coherence.alertes_convention(convention) if a.regle == regle]
        assert [a.message for a in found] == [
            "Les parts de l'État des fiches pour 2019 totalisent 1\u00a0130\u00a0000,00\u00a0€, "
            "alors que la convention indique 1\u00a0125\u00a0000,00\u00a0€ (prévisionnel)."
        ]

    def test_fiche_warnings_are_its_own(self):
        action_7 = Fiche.objects.get(exercice__libelle="2021-2022", cle="socle-7")
        assert {a.regle for a in coherence.alertes_fiche(action_7)} == {coherence.PARITE_FICHE}
        action_5_2 = Fiche.objects.get(exercice__libelle="2021-2022", cle="socle-5.2")
        assert coherence.alertes_fiche(action_5_2) == []


class TestQueries:
    def test_fixed_number_of_queries_whatever_the_number_of_fiches(self, django_assert_num_queries):
        petit = exercice("68-2019-2021", "2019")  # 11 fiches
        grand = exercice("67-2019-2021", "2019")  # 19 fiches
        with django_assert_num_queries(6):
            coherence.alertes_exercice(petit)
        with django_assert_num_queries(6):
            coherence.alertes_exercice(grand)


class TestSeed003:
    def test_recap_slips_are_found(self):
        messages = [a.message for a in alertes("6ae-volet2-2024", "2024", coherence.TOTAL_DECLARE)]
        # ANNEXE 2 prints 4 380 090 € where its rows add up to 4 880 090 €.
        assert (
            "« Total volet 2 » (année pleine) : le document indique 4\u00a0380\u00a0090,00\u00a0€, "
            "la somme des fiches donne 4\u00a0880\u00a0090,00\u00a0€." in messages
        )
        # The 2024 column and the CeA columns of the total do add up.
        assert not any(m.startswith("« Total volet 2 » :") or "Total volet 2 » (collectivité" in m for m in messages)

    def test_fiche_1_global_budget_covers_only_one_of_its_two_rows(self):
        found = alertes("6ae-volet2-2024", "2024", coherence.TOTAL_LIGNES)
        assert [numero(a) for a in found] == ["Fiche 1"]
