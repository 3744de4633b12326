"""The seed documents, loaded: counts and figures checked against the documents themselves."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from actions.models import Action, Fiche
from budgets.calculs import montants_des_parts
from budgets.models import Budget, Part, TotalDeclare
from conventions.models import Collectivite, Convention, Exercice
from exemples.chargement import charger_exemples
from indicateurs.models import Indicateur, TableauIndicateurs, ValeurIndicateur
from rapports.models import Rapport, SectionRapport

pytestmark = pytest.mark.django_db


def fiche(convention, exercice, cle):
    return Fiche.objects.get(exercice__convention__cle=convention, exercice__libelle=exercice, cle=cle)


def budget(fiche_, nature="previsionnel"):
    return Budget.objects.get(fiche=fiche_, nature=nature)


def parts(budget_):
    return {p.financeur: p.montant for p in budget_.parts.filter(ligne=None)}


class TestCollectivites:
    def test_codes_and_succession(self):
        cea = Collectivite.objects.get(code_insee="6AE")
        assert cea.nom == "Collectivité européenne d'Alsace"
        for code, nom in [("67", "Département du Bas-Rhin"), ("68", "Département du Haut-Rhin")]:
            departement = Collectivite.objects.get(code_insee=code)
            assert departement.nom == nom
            assert departement.successeur == cea
            assert departement.date_succession == datetime.date(2021, 1, 1)
            assert not departement.est_active(datetime.date(2021, 1, 1))
            assert departement.est_active(datetime.date(2020, 12, 31))

    def test_cea_perimeter_includes_its_predecessors(self):
        cea = Collectivite.objects.get(code_insee="6AE")
        codes = set(Collectivite.objects.with_predecessors([cea]).values_list("code_insee", flat=True))
        assert codes == {"6AE", "67", "68"}
        haut_rhin = Collectivite.objects.get(code_insee="68")
        assert set(Collectivite.objects.with_predecessors([haut_rhin]).values_list("code_insee", flat=True)) == {"68"}


class TestConventionsEtExercices:
    def test_bas_rhin_convention(self):
        convention = Convention.objects.get(cle="67-2019-2021")
        assert convention.periode == "2019-2021"
        assert {s.nom for s in convention.signataires.all()} >= {"Jean-Luc MARX", "Frédéric BIERRY"}
        assert {d.reference for d in convention.deliberations.all()} == {"CD2018/059", "CD2018/148"}
        montant = convention.montants_etat.get(annee=2019)
        assert montant.montant == Decimal("1125000.00")

    def test_the_cea_avenant_carries_on_the_haut_rhin_convention(self):
        exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022")
        assert exercice.convention.collectivite.code_insee == "68"
        assert exercice.signataire.code_insee == "6AE"
        assert exercice.territoire == "Haut-Rhin"
        assert (exercice.date_debut, exercice.date_fin) == (datetime.date(2021, 7, 1), datetime.date(2022, 6, 30))

    def test_report_deadline_is_stored(self):
        exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
        assert exercice.date_limite_rapport == datetime.date(2020, 3, 31)
        # Default: 31 March of the year after the end of the exercice (here 30/06/2022).
        avenant = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022")
        assert avenant.date_limite_rapport == datetime.date(2023, 3, 31)

    def test_a_past_report_keeps_the_name_of_its_signatory(self):
        rapport = Rapport.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019")
        assert rapport.nom_collectivite == "Département du Haut-Rhin"
        assert rapport.collectivite.code_insee == "68"


class TestComptesDesFiches:
    @pytest.mark.parametrize(
        ("convention", "exercice", "socle", "initiatives"),
        [
            ("68-2019-2021", "2021-2022", 14, 2),  # seed 000: socle 1.1 … 7 (1.3 is missing from its sommaire)
            ("68-2019-2021", "2019", 7, 4),  # seed 001
            ("67-2019-2021", "2019", 5, 14),  # seed 002: annex A, annex B (3 + 8 + 3)
        ],
    )
    def test_fiches_per_document(self, convention, exercice, socle, initiatives):
        fiches = Fiche.objects.filter(exercice__convention__cle=convention, exercice__libelle=exercice)
        assert fiches.socle().count() == socle
        assert fiches.initiatives().count() == initiatives

    def test_seed_003_has_ten_fiches(self):
        assert Fiche.objects.filter(exercice__convention__cle="6ae-volet2-2024").count() == 10

    def test_annex_b_subgroups_of_seed_002(self):
        fiches = Fiche.objects.filter(exercice__convention__cle="67-2019-2021")
        par_groupe = {code: fiches.filter(groupe__code=code).count() for code in ["A", "B1", "B2", "B3"]}
        assert par_groupe == {"A": 5, "B1": 3, "B2": 8, "B3": 3}


class TestFiguresOfSeed002:
    def test_synthesis_totals(self):
        exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
        fiches = Fiche.objects.filter(exercice=exercice)
        etat_2019 = {}
        for code in ["A", "B"]:
            budgets_parts = Part.objects.filter(budget__fiche__in=fiches, budget__fiche__groupe__code__startswith=code)
            etat_2019[code] = montants_des_parts(list(budgets_parts), [2019]).etat
        assert etat_2019 == {"A": Decimal("725000.00"), "B": Decimal("400000.00")}
        assert etat_2019["A"] + etat_2019["B"] == Decimal("1125000.00")
        declared = {(t.libelle, t.financeur): t.montant for t in TotalDeclare.objects.filter(exercice=exercice)}
        assert declared[("TOTAL A", "etat")] == Decimal("725000.00")
        assert declared[("TOTAL B", "etat")] == Decimal("400000.00")
        assert declared[("TOTAL A+B", "etat")] == Decimal("1125000.00")

    def test_multi_year_state_part(self):
        action = fiche("67-2019-2021", "2019", "3-2")
        etat = {p.annee: p.montant for p in budget(action).parts.filter(financeur="etat")}
        assert etat == {2019: Decimal("190000.00"), 2020: Decimal("568000.00"), 2021: Decimal("1137000.00")}


class TestFiguresOfSeed000:
    def test_action_5_2(self):
        prev = budget(fiche("68-2019-2021", "2021-2022", "socle-5.2"))
        assert prev.total == Decimal("136258.36")
        assert parts(prev) == {"collectivite": Decimal("68129.18"), "etat": Decimal("68129.18")}

    def test_initiative_2_cea_above_the_state(self):
        prev = budget(fiche("68-2019-2021", "2021-2022", "init-2"))
        assert parts(prev) == {"collectivite": Decimal("387868.88"), "etat": Decimal("309082.00")}

    def test_action_7_is_state_only(self):
        prev = budget(fiche("68-2019-2021", "2021-2022", "socle-7"))
        assert prev.total == Decimal("25812.00")
        collectivite = prev.parts.get(financeur="collectivite")
        assert (collectivite.montant, collectivite.texte) == (None, "/")
        assert prev.parts.get(financeur="etat").montant == Decimal("25812.00")

    def test_real_budget_kept_beside_the_planned_one(self):
        action = fiche("68-2019-2021", "2021-2022", "socle-1.1")
        assert budget(action).total == Decimal("72800.00")
        reel = budget(action, "reel_indicatif")
        assert reel.total == Decimal("85500.00")
        assert parts(reel) == {"collectivite": Decimal("49100.00"), "etat": Decimal("36400.00")}

    def test_free_text_dates_stay_text(self):
        action = fiche("68-2019-2021", "2021-2022", "socle-1.1")
        assert action.date_mise_en_place.startswith("A compter du second semestre 2019")

    def test_indicator_table_shared_by_three_fiches(self):
        tableau = TableauIndicateurs.objects.get(
            exercice__libelle="2021-2022", fiches=fiche("68-2019-2021", "2021-2022", "socle-1.1")
        )
        assert sorted(tableau.fiches.values_list("cle", flat=True)) == ["socle-1.1", "socle-1.2", "socle-1.3"]
        assert [j.libelle for j in tableau.jalons.all()][-1] == "Objectif fixé pour le 30-06-2022"

    def test_action_6_training_themes_are_sub_items(self):
        tableau = TableauIndicateurs.objects.get(fiches=fiche("68-2019-2021", "2021-2022", "socle-6"))
        parents = Indicateur.objects.filter(tableau=tableau, parent=None)
        assert parents.count() == 2
        for parent in parents:
            assert parent.sous_items.count() == 6
            assert "Numérique" in parent.sous_items.values_list("libelle", flat=True)


class TestFiguresOfSeed001:
    def test_action_6_budget(self):
        prev = budget(fiche("68-2019-2021", "2019", "socle-6"))
        assert prev.total == Decimal("224992.94")
        assert parts(prev)["etat"] == Decimal("112496.47")

    def test_executed_budget_may_be_only_a_sentence(self):
        execute = budget(fiche("68-2019-2021", "2019", "socle-4"), "execute")
        assert execute.texte.startswith("Conforme aux engagements")
        assert execute.total is None

    def test_report_texts(self):
        rapport = Rapport.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019")
        assert "La contractualisation exigeante entre l'Etat et les départements" in rapport.avant_propos
        assert rapport.sections.count() == 11
        section = SectionRapport.objects.get(rapport=rapport, fiche__cle="socle-1")
        assert section.fapi.lower() == "non"
        assert "170 CJM sont en cours" in section.bilan
        assert "personne lien" in section.perspectives
        assert [e.page for e in rapport.sommaire_source.all()][:2] == [3, 4]

    def test_indicator_values_keep_the_text_and_its_reading(self):
        valeurs = ValeurIndicateur.objects.filter(indicateur__tableau__exercice__libelle="2019")
        duree = valeurs.get(texte="29 jours")
        assert (duree.type, duree.nombre, duree.unite) == ("duree", Decimal("29"), "jours")
        taux = valeurs.filter(texte="95%").first()
        assert (taux.type, taux.nombre) == ("taux", Decimal("95"))
        assert valeurs.filter(texte="ND", type="code", code="ND").exists()

    def test_values_split_by_mode(self):
        indicateur = Indicateur.objects.get(
            tableau__exercice__libelle="2019", libelle__startswith="100% d'orientations notifiées"
        )
        realise = {v.dimension: v.texte for v in indicateur.valeurs.filter(jalon__libelle="Réalisé 2019")}
        assert realise == {"Mode plateforme (PF)": "50%", "Mode télé procédure (TP)": "40 %"}


class TestLignee:
    def test_same_action_across_avenants(self):
        socle = Action.objects.get(cle="68-preparation-autonomie")
        assert sorted(socle.fiches.values_list("exercice__libelle", "numero")) == [
            ("2019", "ACTION 1"),
            ("2021-2022", "ACTION 1.1"),
        ]
        # Seed 001's initiative ACTION 1 (mobility) became seed 000's socle 5.2.
        mobilite = Action.objects.get(cle="68-mobilite-emploi")
        fiches = {f.exercice.libelle: f for f in mobilite.fiches.select_related("exercice", "groupe")}
        assert (fiches["2019"].numero, fiches["2019"].groupe.type) == ("ACTION 1", "initiative")
        assert (fiches["2021-2022"].numero, fiches["2021-2022"].groupe.type) == ("ACTION 5.2", "socle")


class TestIdempotence:
    def _snapshot(self):
        tables = sorted(connection.introspection.table_names())
        counts = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from introspection
                counts[table] = cursor.fetchone()[0]
        return counts

    def test_loading_twice_changes_nothing(self):
        before = self._snapshot()
        ids = set(Fiche.objects.values_list("public_id", flat=True))
        assert charger_exemples(log=lambda m: None) is False
        out = io.StringIO()
        call_command("charger_exemples", stdout=out)
        assert "rien à faire" in out.getvalue()
        assert self._snapshot() == before
        assert set(Fiche.objects.values_list("public_id", flat=True)) == ids

    def test_forced_reload_keeps_public_ids_and_counts(self):
        before = self._snapshot()
        ids = set(Fiche.objects.values_list("public_id", flat=True))
        assert charger_exemples(force=True, log=lambda m: None) is True
        assert set(Fiche.objects.values_list("public_id", flat=True)) == ids
        after = self._snapshot()
        assert {t: n for t, n in after.items() if "historical" not in t} == {
            t: n for t, n in before.items() if "historical" not in t
        }


class TestFiguresOfSeed003:
    def test_total_volet_2_row(self):
        exercice = Exercice.objects.get(convention__cle="6ae-volet2-2024")
        total = {
            (t.financeur, t.type_depense, t.base): t.montant
            for t in TotalDeclare.objects.filter(exercice=exercice, libelle="Total volet 2")
        }
        assert total == {
            ("", "", "annee_pleine"): Decimal("4380090.00"),
            ("", "", "exercice"): Decimal("3727340.00"),
            ("collectivite", "valorisation", "exercice"): Decimal("1430794.00"),
            ("collectivite", "nouvelles_depenses", "exercice"): Decimal("432876.00"),
            ("etat", "", "exercice"): Decimal("1863670.00"),
        }

    def test_budget_split_by_territory_and_kind_of_spending(self):
        prev = budget(fiche("6ae-volet2-2024", "2024", "1"))
        assert prev.total == Decimal("609750.00")
        ligne_67 = prev.lignes.get(territoire="67")
        assert (ligne_67.montant_annee_pleine, ligne_67.montant) == (Decimal("727110.00"), Decimal("622110.00"))
        split = {(p.financeur, p.type_depense): p.montant for p in ligne_67.parts.all()}
        assert split == {
            ("collectivite", "valorisation"): Decimal("293555.00"),
            ("collectivite", "nouvelles_depenses"): Decimal("17500.00"),
            ("etat", ""): Decimal("311055.00"),
        }

    def test_indicator_snapshots_t_minus_1_to_t3_with_values_per_territory(self):
        tableau = TableauIndicateurs.objects.get(fiches=fiche("6ae-volet2-2024", "2024", "1"))
        assert [j.code for j in tableau.jalons.all()] == ["T-1", "T0", "T1", "T2", "T3"]
        valeurs = ValeurIndicateur.objects.filter(indicateur__tableau=tableau, jalon__code="T-1", type="taux")
        assert {(v.dimension, v.nombre) for v in valeurs} >= {("Bas-Rhin", Decimal("67")), ("Haut-Rhin", Decimal("64"))}
