"""The rapport d'exécution workbook: generated on the seed exercices, saved, read back with openpyxl (no mocks)."""

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from actions.models import Fiche
from budgets.models import LigneBudget, Part
from conventions.enums import TypeActe
from conventions.models import Exercice
from core.classeur import FORMAT_EUROS, FORMAT_TAUX
from core.money import quantize_cents
from indicateurs.grilles import charger_tableaux
from indicateurs.models import Indicateur
from rapports.classeur import classeur_octets, classeur_rapport
from rapports.models import Rapport, SectionRapport
from rapports.selectors import charger_exercice
from tests.volume import ajouter_fiches

pytestmark = pytest.mark.django_db

FEUILLES = ["Synthèse", "Fiches", "Parts", "Lignes", "Indicateurs", "État des dépenses", "Lisez-moi"]
DONNEES = ["Fiches", "Parts", "Lignes", "Indicateurs"]
SEEDS = [("68-2019-2021", "2019"), ("68-2019-2021", "2021-2022"), ("67-2019-2021", "2019"), ("6ae-volet2-2024", "2024")]
LIGNE_ENTETE = {"Synthèse": 6, "État des dépenses": 5, "Lisez-moi": 7}


def exercice(cle, libelle):
    return Exercice.objects.get(convention__cle=cle, libelle=libelle)


def exercice_vide():
    modele = exercice("68-2019-2021", "2019")
    return Exercice.objects.create(
        convention=modele.convention,
        libelle="2020",
        acte=TypeActe.AVENANT,
        date_debut=datetime.date(2020, 1, 1),
        date_fin=datetime.date(2020, 12, 31),
    )


def lire(un_exercice):
    return load_workbook(BytesIO(classeur_octets(un_exercice)))


def table(feuille):
    """[{header: cell}…] of the sheet's one Excel table (its rows only, nothing below it)."""
    (tableau,) = feuille.tables.values()
    _, premiere, _, derniere = range_boundaries(tableau.ref)
    entetes = [cellule.value for cellule in feuille[premiere]]
    return [
        dict(zip(entetes, rangee, strict=True))
        for rangee in feuille.iter_rows(min_row=premiere + 1, max_row=derniere)
        if any(c.value is not None for c in rangee)
    ]


def entetes(feuille):
    return [c.value for c in feuille[LIGNE_ENTETE.get(feuille.title, 1)] if c.value is not None]


def euros(cellule):
    """A money cell read back (openpyxl gives a float or an int) as Decimal to the cent; None when empty."""
    if cellule.value is None:
        return None
    assert cellule.data_type == "n", cellule.coordinate
    assert cellule.number_format == FORMAT_EUROS, cellule.coordinate
    return quantize_cents(Decimal(str(cellule.value)))


def ligne(lignes, colonne, valeur):
    (trouvee,) = [rangee for rangee in lignes if rangee[colonne].value == valeur]
    return trouvee


def etat_des_depenses(feuille):
    """(label, amount or None, style) of each row under the header: style "section", "total" or ""."""
    rangees = []
    for rangee in feuille.iter_rows(min_row=LIGNE_ENTETE["État des dépenses"] + 1):
        libelle, montant = rangee[0], rangee[-1]
        if libelle.value is None:
            continue
        style = ""
        if libelle.font.b:
            style = (
                "total" if libelle.fill.fgColor.rgb not in (None, "00000000") and libelle.fill.fill_type else "section"
            )
        rangees.append((libelle.value, euros(montant), style))
    return rangees


@pytest.fixture(scope="module")
def classeurs(django_db_setup, django_db_blocker):
    """The workbook of each seed exercice and of an exercice without fiches (generated once for the module)."""
    with django_db_blocker.unblock():
        resultat = {seed: (lire(exercice(*seed)), charger_exercice(exercice(*seed))) for seed in SEEDS}
        vide = exercice_vide()
        resultat["vide"] = (lire(vide), charger_exercice(vide))
        vide.delete()
    return resultat


class TestEveryExercice:
    """What holds for every seed exercice and for an empty one."""

    def test_same_sheets_and_same_columns_for_every_exercice(self, classeurs):
        reference = {nom: entetes(classeurs[SEEDS[0]][0][nom]) for nom in FEUILLES}
        assert len(reference["Fiches"]) == 19 and "Observations" in reference["Fiches"]
        for cle, (classeur, _) in classeurs.items():
            assert classeur.sheetnames == FEUILLES, cle
            for nom in FEUILLES:
                assert entetes(classeur[nom]) == reference[nom], (cle, nom)

    def test_data_ranges_are_excel_tables_with_the_context_on_every_row(self, classeurs):
        for cle, (classeur, lu) in classeurs.items():
            for nom in DONNEES:
                feuille = classeur[nom]
                assert list(feuille.tables) == [nom], (cle, nom)
                _, premiere, _, derniere = range_boundaries(feuille.tables[nom].ref)
                assert premiere == 1 and derniere >= max(feuille.max_row, 2), (cle, nom)  # every row inside
                for rangee in table(feuille):
                    assert rangee["Exercice"].value == lu.exercice.libelle
                    assert rangee["Collectivité"].value and rangee["Groupe"].value, (cle, nom)
                    assert not str(rangee.get("N° fiche", rangee.get("N° fiche(s)")).value).startswith("Total")
            assert len(table(classeur["Fiches"])) == len(lu.fiches)

    def test_print_setup(self, classeurs):
        for classeur, _ in classeurs.values():
            for feuille in classeur:
                mise_en_page = feuille.page_setup
                assert mise_en_page.paperSize == 9  # A4
                assert mise_en_page.orientation == "landscape"
                assert mise_en_page.fitToWidth == 1 and mise_en_page.fitToHeight == 0
                assert feuille.sheet_properties.pageSetUpPr.fitToPage
                ligne_entete = LIGNE_ENTETE.get(feuille.title, 1)
                assert feuille.print_title_rows == f"${ligne_entete}:${ligne_entete}"
                assert feuille.freeze_panes == f"A{ligne_entete + 1}"
                entete = feuille.cell(row=ligne_entete, column=1)
                assert entete.font.b and entete.fill.fgColor.rgb.endswith("000091")
                largeurs = [dimension.width for dimension in feuille.column_dimensions.values()]
                assert largeurs and all(8 <= largeur <= 62 for largeur in largeurs)

    def test_rates_are_fractions_with_a_percent_format(self, classeurs):
        vus = 0
        for classeur, _ in classeurs.values():
            for nom in ("Synthèse", "Fiches"):
                for rangee in classeur[nom].iter_rows(min_row=LIGNE_ENTETE.get(nom, 1) + 1):
                    cellule = rangee[entetes(classeur[nom]).index("Taux d'exécution")]
                    if cellule.value is not None:
                        vus += 1
                        assert cellule.data_type == "n" and 0 <= cellule.value < 10
                        assert cellule.number_format == FORMAT_TAUX and "%" in FORMAT_TAUX
        assert vus >= 5

    def test_synthesis_totals_are_the_read_models(self, classeurs):
        for cle, (classeur, lu) in classeurs.items():
            feuille = classeur["Synthèse"]
            lignes = table(feuille)
            assert [r["Total"].value for r in lignes] == [f"Total {g.code}" for g in lu.groupes], cle
            attendus = list(lu.groupes) + ([lu] if len(lu.groupes) > 1 else [])
            rangees = [
                dict(zip(entetes(feuille), r, strict=False))
                for r in feuille.iter_rows(min_row=LIGNE_ENTETE["Synthèse"] + 1, max_row=feuille.max_row)
                if r[0].value and str(r[0].value).startswith("Total")
            ]
            assert len(rangees) == len(attendus)
            for rangee, totaux in zip(rangees, attendus, strict=True):
                assert euros(rangee["Total prévu"]) == totaux.prevu
                assert euros(rangee["Part État"]) == totaux.montants.etat
                assert euros(rangee["Part collectivité"]) == totaux.montants.collectivite
                assert euros(rangee["Montant exécuté"]) == totaux.execute
                taux = rangee["Taux d'exécution"].value
                assert (taux is None) == (totaux.taux_execution is None)
                if taux is not None:
                    assert Decimal(str(taux)) == totaux.taux_execution / 100
            # The fiches' rows add up to the totals: a sum over the Fiches table counts nothing twice.
            fiches = table(classeur["Fiches"])
            for groupe in lu.groupes:
                du_groupe = [r for r in fiches if r["Groupe"].value == groupe.code]
                assert sum((euros(r["Total prévu"]) for r in du_groupe), Decimal("0.00")) == groupe.prevu

    def test_statement_of_expenditure_totals_add_up(self, classeurs):
        for cle, (classeur, lu) in classeurs.items():
            rangees = etat_des_depenses(classeur["État des dépenses"])
            fiche, fiches_du_groupe, groupes = None, [], []
            for libelle, montant, style in rangees[:-1]:
                if style == "total" and libelle.count(" – ") == 1:  # a fiche's total: the sum of its lines
                    chiffres = [m for m in fiche if m is not None]
                    assert montant == (sum(chiffres, Decimal("0.00")) if chiffres else None), (cle, libelle)
                    fiches_du_groupe.append(montant)
                    fiche = None
                elif style == "total":  # a group's total: the sum of its fiches' totals
                    chiffres = [m for m in fiches_du_groupe if m is not None]
                    assert montant == (sum(chiffres, Decimal("0.00")) if chiffres else None), (cle, libelle)
                    groupes.append(montant)
                    fiches_du_groupe = []
                elif style == "section" and libelle.split(" – ")[0] not in {g.code for g in lu.groupes}:
                    fiche = []
                elif style == "":
                    fiche.append(montant)
            libelle, total, _ = rangees[-1]
            assert libelle == "TOTAL DES DÉPENSES EXÉCUTÉES"
            chiffres = [m for m in groupes if m is not None]
            assert total == (sum(chiffres, Decimal("0.00")) if chiffres else None) == lu.execute, cle
            assert len(groupes) == len(lu.groupes)

    def test_lisez_moi_describes_every_sheet_and_column(self, classeurs):
        for classeur, _ in classeurs.values():
            lignes = table(classeur["Lisez-moi"])
            decrites = defaultdict(list)
            for rangee in lignes:
                assert rangee["Description"].value, (rangee["Feuille"].value, rangee["Colonne"].value)
                if rangee["Colonne"].value:
                    decrites[rangee["Feuille"].value].append(rangee["Colonne"].value)
            assert [r["Feuille"].value for r in lignes if not r["Colonne"].value] == FEUILLES
            for nom in FEUILLES[:-1]:
                assert decrites[nom] == entetes(classeur[nom]), nom

    def test_no_formula_anywhere(self, classeurs):
        for classeur, _ in classeurs.values():
            for feuille in classeur:
                for rangee in feuille.iter_rows():
                    assert all(c.data_type != "f" for c in rangee)


class TestHautRhin2019:
    @pytest.fixture
    def classeur(self):
        return lire(exercice("68-2019-2021", "2019"))

    def test_heading_rows(self, classeur):
        feuille = classeur["Synthèse"]
        assert feuille["A1"].value == "Département du Haut-Rhin"
        assert feuille["A2"].value == "Rapport d'exécution – exercice 2019"
        assert (feuille["B3"].value, feuille["D3"].value) == (
            datetime.datetime(2019, 1, 1),
            datetime.datetime(2019, 12, 31),
        )
        assert feuille["B3"].number_format == feuille["D3"].number_format == "DD/MM/YYYY"
        assert (feuille["A4"].value, feuille["B4"].value) == ("Parité sur l'exercice", "Respectée")

    def test_group_totals_and_the_overall_total_below_the_table(self, classeur):
        feuille = classeur["Synthèse"]
        lignes = table(feuille)
        assert [r["Total"].value for r in lignes] == ["Total A", "Total B"]
        assert euros(ligne(lignes, "Total", "Total A")["Total prévu"]) == Decimal("1020367.94")
        # Total A+B sits under the table: filtering or summing the table never counts it.
        general = [r for r in feuille.iter_rows(min_row=8) if r[0].value == "Total A+B"]
        (general,) = general
        assert general[0].row > range_boundaries(feuille.tables["Totaux"].ref)[3]
        valeurs = dict(zip(entetes(feuille), general, strict=False))
        assert euros(valeurs["Part État"]) == Decimal("612343.26")
        assert euros(valeurs["Part collectivité"]) == Decimal("617125.32")
        assert euros(valeurs["Total prévu"]) == Decimal("1229468.58")
        assert euros(valeurs["Montant exécuté"]) == Decimal("1065548.58")
        assert valeurs["Taux d'exécution"].value == pytest.approx(0.998)

    def test_fiches_with_their_group_and_execution(self, classeur):
        lignes = table(classeur["Fiches"])
        fiches = Fiche.objects.filter(exercice=exercice("68-2019-2021", "2019"))
        assert fiches.count() == len(lignes) == 11
        assert {r["Titre de la fiche"].value for r in lignes} == set(fiches.values_list("titre", flat=True))
        # « ACTION 1 » names a fiche of annex A and one of annex B: the group column tells them apart.
        action_1 = [
            (r["Groupe"].value, r["Titre de la fiche"].value) for r in lignes if r["N° fiche"].value == "ACTION 1"
        ]
        assert sorted(g for g, _ in action_1) == ["A", "B"]
        action_2 = ligne(lignes, "Titre de la fiche", "Les PAEJ comme lieu d'ancrage pour les jeunes de l'ASE")
        assert euros(action_2["Montant exécuté"]) == Decimal("25000.00")
        assert action_2["Taux d'exécution"].value == pytest.approx(1.064)  # 25 000 / 23 500, not 106.4
        mobilite = ligne(lignes, "Titre de la fiche", "La mobilité au service de l'emploi")
        assert euros(mobilite["Montant exécuté"]) == Decimal("71680.00")
        assert Decimal(str(mobilite["Taux d'exécution"].value)) == Decimal("0.956")
        # « Conforme aux engagements », declared conforme: executed = planned, the text is kept.
        action_4 = ligne(lignes, "Titre de la fiche", "Vers un renforcement du maillage territorial")
        assert euros(action_4["Montant exécuté"]) == Decimal("220000.00")
        assert action_4["Budget exécuté (texte)"].value == "Conforme aux engagements."
        # ACTION 7: the parts add up to 229 775 €, the document's stated total says 229 675 €.
        action_7 = ligne(lignes, "N° fiche", "ACTION 7")
        assert euros(action_7["Total prévu"]) == Decimal("229775.00")
        assert euros(action_7["Total indiqué (s'il diffère)"]) == Decimal("229675.00")
        assert euros(action_7["Part collectivité prévue"]) == Decimal("117278.53")
        assert "229\u00a0675,00\u00a0€" in action_7["Observations"].value

    def test_observations_carry_the_explanation_of_the_gaps(self):
        un_exercice = exercice("68-2019-2021", "2019")
        fiche = Fiche.objects.get(exercice=un_exercice, cle="socle-7")
        rapport = Rapport.objects.get(exercice=un_exercice)
        explication = "Le Département a réduit sa part : recrutement décalé au 1er septembre."
        SectionRapport.objects.update_or_create(rapport=rapport, fiche=fiche, defaults={"explication": explication})
        action_7 = ligne(table(lire(un_exercice)["Fiches"]), "N° fiche", "ACTION 7")
        observations = action_7["Observations"].value
        assert observations.endswith(f"Explication des écarts : {explication}")
        assert action_7["Observations"].alignment.wrap_text
        feuille = action_7["Observations"].parent
        assert feuille.row_dimensions[action_7["Observations"].row].height >= 30  # two lines at least

    def test_parts_pivot_by_financeur_covers_every_fiche(self, classeur):
        un_exercice = exercice("68-2019-2021", "2019")
        parts = table(classeur["Parts"])
        fiches = table(classeur["Fiches"])
        comptees = [r for r in parts if r["Comptée dans les totaux"].value == "Oui"]
        prevues = [r for r in comptees if r["Budget"].value == "Budget prévisionnel"]
        assert {(r["Groupe"].value, r["N° fiche"].value) for r in prevues} == {
            (r["Groupe"].value, r["N° fiche"].value) for r in fiches
        }
        for partie, colonne in (("État", "Part État prévue"), ("Collectivité", "Part collectivité prévue")):
            du_financeur = sum(euros(r["Montant"]) or 0 for r in prevues if r["Partie"].value == partie)
            assert du_financeur == sum(euros(r[colonne]) for r in fiches), partie
        assert len(parts) == Part.objects.filter(budget__fiche__exercice=un_exercice).count()
        # ACTION 7's parts: the amounts as the document writes them stay beside the figures.
        action_7 = {r["Montant tel qu'écrit"].value for r in parts if r["N° fiche"].value == "ACTION 7"}
        assert "4 782,06€ de financement supplémentaires CD68" in action_7

    def test_lines_sheet_has_every_line(self, classeur):
        un_exercice = exercice("68-2019-2021", "2019")
        lignes = table(classeur["Lignes"])
        assert len(lignes) == LigneBudget.objects.filter(budget__fiche__exercice=un_exercice).count()
        assert {r["Budget"].value for r in lignes} == {"Budget prévisionnel", "Budget exécuté"}

    def test_statement_of_expenditure_lists_every_fiche_with_executed_amounts_only(self, classeur):
        rangees = etat_des_depenses(classeur["État des dépenses"])
        totaux_fiches = [r for r in rangees if r[0].startswith("TOTAL DES DÉPENSES –") and r[0].count(" – ") == 1]
        assert len(totaux_fiches) == 11  # actions 2 and 7 included
        # The executed amounts (2 fiches) and the planned lines of the 7 fiches declared conforme add up to the
        # synthesis's executed total.
        depenses = [m for _, m, style in rangees if style == "" and m is not None]
        assert depenses[:2] == [Decimal("25000.00"), Decimal("220000.00")]
        assert sum(depenses) == Decimal("1065548.58")
        assert rangees[-1][:2] == ("TOTAL DES DÉPENSES EXÉCUTÉES", Decimal("1065548.58"))
        assert ("Budget exécuté non chiffré", None, "") in rangees

    def test_indicators_long_format(self, classeur):
        un_exercice = exercice("68-2019-2021", "2019")
        grilles = charger_tableaux([un_exercice])[un_exercice.pk]
        lignes = table(classeur["Indicateurs"])
        assert len(lignes) == sum(len(rangee.cellules) for grille in grilles for rangee in grille.lignes)
        taux = [
            r
            for r in lignes
            if r["Indicateur"].value.startswith("Taux de jeunes sans logement") and r["Jalon"].value == "Réalisé 2019"
        ]
        (realise,) = taux
        assert (realise["Valeur telle qu'écrite"].value, realise["Lue comme"].value) == ("7%", "Taux")
        assert realise["Nombre"].value == 7 and realise["Nombre"].data_type == "n"
        assert realise["Colonne de l'exercice"].value == "Oui"
        assert realise["N° fiche(s)"].value == "ACTION 1, ACTION 2, ACTION 3"
        assert realise["Groupe"].value == "A"
        situation = next(r for r in lignes if r["Jalon"].value == "Situation au 31/12/2018")
        assert situation["Date du jalon"].value == datetime.datetime(2018, 12, 31)
        assert situation["Date du jalon"].number_format == "DD/MM/YYYY"
        sous_item = next(r for r in lignes if r["Indicateur"].value == "  – Actions nouvelles")
        assert sous_item["Indicateur parent"].value.startswith("3.2.1 Garantie d'activité")
        assert {r["Lue comme"].value for r in lignes} >= {"Code", "Taux", "Nombre", "Texte libre", "Vide"}

    def test_document_properties(self, classeur):
        proprietes = classeur.properties
        assert proprietes.title == "Rapport d'exécution 2019 – Département du Haut-Rhin"
        assert proprietes.creator == "CALPAE"
        assert "Département du Haut-Rhin" in proprietes.keywords and "exercice 2019" in proprietes.keywords
        personnalisees = {p.name: p.value for p in classeur.custom_doc_props.props}
        assert personnalisees == {"Collectivité": "Département du Haut-Rhin", "Exercice": "2019"}


class TestConformeAuPrevisionnel:
    def test_a_fiche_declared_conforme_lists_its_planned_lines_as_spent(self):
        """An executed budget declared « conforme au prévisionnel » counts executed = planned (budgets.calculs): the
        statement lists the planned lines as the spending, and its totals still add up to the synthesis's."""
        un_exercice = exercice("68-2019-2021", "2019")
        lu = charger_exercice(un_exercice, textes=False)
        action_2 = next(f for f in lu.fiches if f.fiche.numero == "ACTION 2" and f.groupe_racine.code == "B")
        assert action_2.execute is not None and not action_2.execute.lignes
        action_2.chiffres = dataclasses.replace(action_2.chiffres, conforme=True, execute=action_2.prevu)
        classeur = load_workbook(BytesIO(classeur_octets(un_exercice, lu)))
        rangees = etat_des_depenses(classeur["État des dépenses"])
        debut = rangees.index(
            (f"ACTION 2 – {action_2.fiche.titre} (budget exécuté conforme au prévisionnel)", None, "section")
        )
        lignes_prevues = [ligne.montant for ligne in action_2.previsionnel.lignes]
        assert [m for _, m, _ in rangees[debut + 1 : debut + 1 + len(lignes_prevues)]] == lignes_prevues
        assert ("TOTAL DES DÉPENSES – ACTION 2", action_2.prevu, "total") in rangees
        general = next(r for r in classeur["Synthèse"].iter_rows(values_only=True) if r[0] == "Total A+B")
        assert Decimal(str(general[entetes(classeur["Synthèse"]).index("Montant exécuté")])) == rangees[-1][1]


class TestBasRhin2019:
    def test_only_the_exercices_amounts_and_sub_groups(self):
        classeur = lire(exercice("67-2019-2021", "2019"))
        total_a = ligne(table(classeur["Synthèse"]), "Total", "Total A")
        assert euros(total_a["Part État"]) == Decimal("725000.00")
        # The convention's State amounts of 2020 and 2021 are not the 2019 report's.
        assert {r["Année"].value for r in table(classeur["Parts"])} <= {2019, None}
        fiches = table(classeur["Fiches"])
        action_6_1 = ligne(fiches, "N° fiche", "Action 6-1")
        assert action_6_1["Observations"].value == "Collectivité : Partenariat complémentaire avec l'Etat"
        assert action_6_1["Sous-groupe"].value.startswith("B3 – ")
        assert all(r["Montant exécuté"].value is None for r in fiches)


class TestAlsace2024:
    def test_lines_with_territory_and_kind_of_spending(self):
        un_exercice = exercice("6ae-volet2-2024", "2024")
        lignes = table(lire(un_exercice)["Lignes"])
        assert len(lignes) == LigneBudget.objects.filter(budget__fiche__exercice=un_exercice).count() == 16
        assert all(r["Territoire"].value in {"67", "68", "Alsace"} for r in lignes)
        assert {"Valorisation", "Nouvelles dépenses", "Valorisation, Nouvelles dépenses"} <= {
            r["Type de dépense"].value for r in lignes
        }
        pack = ligne(lignes, "Nature de la dépense", "75 PACK Employeur RSA")
        assert (pack["Nombre d'unités"].value, euros(pack["Coût unitaire"])) == (75, Decimal("4500.00"))
        assert sum(euros(r["Montant"]) for r in lignes) == Decimal("3727340.00")  # seed 003, « Total volet 2 »

    def test_a_pivot_of_the_parts_by_kind_of_spending_gives_seed_003s_total(self):
        parts = table(lire(exercice("6ae-volet2-2024", "2024"))["Parts"])
        nouvelles = [r for r in parts if r["Type de dépense"].value == "Nouvelles dépenses"]
        assert sum(euros(r["Montant"]) or 0 for r in nouvelles) == Decimal("432876.00")  # seed 003, « Total volet 2 »


class TestInjectionDeFormules:
    def test_user_text_is_written_as_text(self):
        un_exercice = exercice("68-2019-2021", "2019")
        fiche = Fiche.objects.get(exercice=un_exercice, cle="socle-1")
        Fiche.objects.filter(pk=fiche.pk).update(titre='=HYPERLINK("http://x","clic")')
        lignes = list(LigneBudget.objects.filter(budget__fiche__exercice=un_exercice).order_by("pk")[:4])
        libelles = ["+1+1", "-2", "@SUM(A1)", " \t=1+1"]
        for ligne_budget, libelle in zip(lignes, libelles, strict=True):
            LigneBudget.objects.filter(pk=ligne_budget.pk).update(libelle=libelle)
        Part.objects.filter(budget__fiche__exercice=un_exercice, libelle="CD68").update(libelle="=1+2")
        indicateur = Indicateur.objects.filter(tableau__exercice=un_exercice).order_by("pk").first()
        Indicateur.objects.filter(pk=indicateur.pk).update(libelle="=cmd|' /C calc'!A0", code="\x0ca)")

        classeur = lire(un_exercice)
        textes = defaultdict(list)
        for feuille in classeur:
            for rangee in feuille.iter_rows():
                for cellule in rangee:
                    assert cellule.data_type != "f", f"{feuille.title}!{cellule.coordinate}"
                    if isinstance(cellule.value, str):
                        textes[cellule.value].append(cellule)
        attendus = ['=HYPERLINK("http://x","clic")', *libelles, "=cmd|' /C calc'!A0"]
        for texte in attendus:
            assert textes[texte], texte
            for cellule in textes[texte]:
                assert cellule.data_type == "s"
                assert cellule.quotePrefix, texte  # Excel keeps it as text when the cell is edited
        assert "a)" in textes  # the form feed (illegal in XML) is dropped, not a crash
        assert table(classeur["Fiches"])[0]["Titre de la fiche"].value == '=HYPERLINK("http://x","clic")'

    def test_ordinary_text_has_no_quote_prefix(self):
        classeur = classeur_rapport(exercice("68-2019-2021", "2019"))
        assert classeur["Fiches"]["F2"].value == "ACTION 1"
        assert not classeur["Fiches"]["F2"].quotePrefix


class TestRequetes:
    def test_fixed_number_of_queries_whatever_the_number_of_fiches(self):
        def requetes():
            un_exercice = exercice("68-2019-2021", "2019")
            with CaptureQueriesContext(connection) as contexte:
                octets = classeur_octets(un_exercice)
            return len(contexte.captured_queries), octets

        avant, _ = requetes()
        ajouter_fiches(exercice("68-2019-2021", "2019"), 100, lignes=3, indicateurs=5, jalons=3)
        apres, octets = requetes()
        assert apres == avant <= 15
        assert len(table(load_workbook(BytesIO(octets))["Fiches"])) == 111


class TestExerciceVide:
    def test_an_exercice_without_fiches_gives_no_total_of_zero(self, classeurs):
        classeur, _ = classeurs["vide"]
        assert table(classeur["Fiches"]) == [] and table(classeur["Synthèse"]) == []
        assert etat_des_depenses(classeur["État des dépenses"]) == [("TOTAL DES DÉPENSES EXÉCUTÉES", None, "total")]


def test_the_fiches_sheet_carries_the_unspent_state_credit_of_each_fiche():
    """The figure a réfaction rests on (budgets.calculs.credit_non_consomme), fiche by fiche, as the report page
    shows it: their sum is the exercice's."""
    un_exercice = exercice("68-2019-2021", "2019")
    lu = charger_exercice(un_exercice, textes=False)
    lignes = table(lire(un_exercice)["Fiches"])
    assert sum(euros(r["Crédit État non consommé"]) for r in lignes) == lu.credit_non_consomme
    par_fiche = {(f.groupe_racine.code, f.fiche.numero): f.credit_non_consomme for f in lu.fiches}
    for rangee in lignes:
        attendu = par_fiche[(rangee["Groupe"].value, rangee["N° fiche"].value)]
        assert euros(rangee["Crédit État non consommé"]) == attendu.montant
        assert rangee["Exécution de la part État"].value == attendu.libelle
    assert {r["Exécution de la part État"].value for r in lignes} >= {"exécuté déclaré conforme au prévisionnel"}
