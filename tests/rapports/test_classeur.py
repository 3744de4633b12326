"""The rapport d'exécution workbook: generated on the seed exercices, saved, read back with openpyxl (no mocks)."""

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
from budgets.enums import NatureBudget
from budgets.models import LigneBudget, Part
from conventions.enums import TypeActe
from conventions.models import Exercice
from core.classeur import FORMAT_EUROS, FORMAT_TAUX
from core.money import quantize_cents
from indicateurs.grilles import charger_tableaux
from indicateurs.models import Indicateur
from rapports.classeur import classeur_octets, classeur_rapport
from rapports.selectors import charger_exercice
from tests.volume import ajouter_fiches

pytestmark = pytest.mark.django_db

FEUILLES = ["Synthèse", "Budget", "Indicateurs", "État des dépenses"]


def exercice(cle, libelle):
    return Exercice.objects.get(convention__cle=cle, libelle=libelle)


def lire(un_exercice):
    return load_workbook(BytesIO(classeur_octets(un_exercice)))


def tableau(feuille):
    """(header row number, [{header: cell}…]) of the sheet's table, found through its auto-filter."""
    _, ligne_entete, _, derniere = range_boundaries(feuille.auto_filter.ref)
    entetes = [cellule.value for cellule in feuille[ligne_entete]]
    lignes = [
        dict(zip(entetes, rangee, strict=True))
        for rangee in feuille.iter_rows(min_row=ligne_entete + 1, max_row=feuille.max_row)
    ]
    return ligne_entete, lignes


def euros(cellule):
    """A money cell read back (openpyxl gives a float or an int) as Decimal to the cent; None when empty."""
    if cellule.value is None:
        return None
    assert cellule.data_type == "n", cellule.coordinate
    return quantize_cents(Decimal(str(cellule.value)))


def ligne(lignes, colonne, valeur):
    (trouvee,) = [rangee for rangee in lignes if rangee[colonne].value == valeur]
    return trouvee


def parts_par_groupe(un_exercice):
    """Each root group's (State, collectivité) sums from the Part rows: budget-level parts of the planned budgets."""
    sommes = defaultdict(lambda: {"etat": Decimal("0.00"), "collectivite": Decimal("0.00")})
    for code, parent, financeur, montant in Part.objects.filter(
        budget__fiche__exercice=un_exercice, budget__nature=NatureBudget.PREVISIONNEL, ligne__isnull=True
    ).values_list("budget__fiche__groupe__code", "budget__fiche__groupe__parent__code", "financeur", "montant"):
        if montant is not None and financeur in ("etat", "collectivite"):
            sommes[parent or code][financeur] += quantize_cents(montant)
    return sommes


class TestHautRhin2019:
    @pytest.fixture
    def classeur(self):
        return lire(exercice("68-2019-2021", "2019"))

    def test_four_sheets_in_order(self, classeur):
        assert classeur.sheetnames == FEUILLES

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

    def test_every_fiche_title_is_in_the_synthesis(self, classeur):
        _, lignes = tableau(classeur["Synthèse"])
        titres = {rangee["Titre"].value for rangee in lignes}
        fiches = Fiche.objects.filter(exercice=exercice("68-2019-2021", "2019"))
        assert fiches.count() == 11
        assert set(fiches.values_list("titre", flat=True)) <= titres

    def test_group_and_overall_totals_are_the_database_sums(self, classeur):
        _, lignes = tableau(classeur["Synthèse"])
        sommes = parts_par_groupe(exercice("68-2019-2021", "2019"))
        etat_exercice = "Part État (exercice 2019)"
        for code in ("A", "B"):
            total = ligne(lignes, "N° fiche", f"Total {code}")
            assert euros(total[etat_exercice]) == sommes[code]["etat"]
            assert euros(total["Part collectivité"]) == sommes[code]["collectivite"]
            assert euros(total["Total"]) == sommes[code]["etat"] + sommes[code]["collectivite"]
        general = ligne(lignes, "N° fiche", "Total A+B")
        assert euros(general[etat_exercice]) == Decimal("612343.26") == sommes["A"]["etat"] + sommes["B"]["etat"]
        assert euros(general["Part collectivité"]) == Decimal("617125.32")
        synthese = charger_exercice(exercice("68-2019-2021", "2019"))
        assert euros(general["Total"]) == Decimal("1229468.58") == synthese.prevu
        # The fiche rows of a group add up to its total row.
        fiches_a = [r for r in lignes if (r["Groupe"].value or "").startswith("A –") and r["Parité"].value]
        fiches_a = [r for r in fiches_a if r["N° fiche"].value != "Total A"]
        assert len(fiches_a) == 7
        assert sum(euros(r["Total"]) for r in fiches_a) == euros(ligne(lignes, "N° fiche", "Total A")["Total"])

    def test_seed_001_amounts_are_numbers_in_euros(self, classeur):
        _, lignes = tableau(classeur["Synthèse"])
        fiches = Fiche.objects.filter(exercice=exercice("68-2019-2021", "2019"))
        action_6 = ligne(lignes, "Titre", fiches.get(cle="socle-6").titre)
        assert euros(action_6["Total"]) == Decimal("224992.94")
        assert action_6["Total"].number_format == FORMAT_EUROS == '#,##0.00 "€"'
        # ACTION 7: the parts add up to 229 775 €, the document's stated total says 229 675 €.
        action_7 = ligne(lignes, "Titre", fiches.get(cle="socle-7").titre)
        assert euros(action_7["Total"]) == Decimal("229775.00")
        assert euros(action_7["Part collectivité"]) == Decimal("117278.53")
        assert "229\u00a0675,00\u00a0€" in action_7["Observations"].value
        montants = ["Part État (exercice 2019)", "Part collectivité", "Autres financeurs", "Total", "Montant exécuté"]
        for rangee in lignes:
            for colonne in montants:
                if rangee[colonne].value is not None:
                    assert rangee[colonne].data_type == "n"
                    assert rangee[colonne].number_format == FORMAT_EUROS

    def test_parity_and_execution(self, classeur):
        _, lignes = tableau(classeur["Synthèse"])
        assert {rangee["Parité"].value for rangee in lignes} == {"Respectée"}
        action_2 = ligne(lignes, "Titre", "Les PAEJ comme lieu d'ancrage pour les jeunes de l'ASE")
        assert euros(action_2["Montant exécuté"]) == Decimal("25000.00")
        assert Decimal(str(action_2["Taux d'exécution"].value)) == Decimal("106.4")  # 25 000 / 23 500
        assert action_2["Taux d'exécution"].number_format == FORMAT_TAUX
        # Initiative ACTION 1: an executed budget with lines only (46 680 + 25 000).
        mobilite = ligne(lignes, "Titre", "La mobilité au service de l'emploi")
        assert euros(mobilite["Montant exécuté"]) == Decimal("71680.00")
        assert Decimal(str(mobilite["Taux d'exécution"].value)) == Decimal("95.6")
        # « Conforme aux engagements », declared conforme: executed = planned, the text is kept.
        action_4 = ligne(lignes, "Titre", "Vers un renforcement du maillage territorial")
        assert euros(action_4["Montant exécuté"]) == Decimal("220000.00")
        assert action_4["Budget exécuté (texte)"].value == "Conforme aux engagements."

    def test_header_frozen_panes_and_filters(self, classeur):
        for feuille in classeur:
            ligne_entete, _ = tableau(feuille)
            assert feuille.freeze_panes == f"A{ligne_entete + 1}"
            entete = feuille.cell(row=ligne_entete, column=1)
            assert entete.font.b and entete.fill.fgColor.rgb.endswith("000091")
            largeurs = [dimension.width for dimension in feuille.column_dimensions.values()]
            assert largeurs and all(8 <= largeur <= 62 for largeur in largeurs)

    def test_document_properties(self, classeur):
        proprietes = classeur.properties
        assert proprietes.title == "Rapport d'exécution 2019 – Département du Haut-Rhin"
        assert proprietes.creator == "CALPAE"
        assert proprietes.subject
        assert "Département du Haut-Rhin" in proprietes.keywords and "exercice 2019" in proprietes.keywords
        personnalisees = {p.name: p.value for p in classeur.custom_doc_props.props}
        assert personnalisees == {"Collectivité": "Département du Haut-Rhin", "Exercice": "2019"}

    def test_budget_sheet_has_every_line(self, classeur):
        un_exercice = exercice("68-2019-2021", "2019")
        _, lignes = tableau(classeur["Budget"])
        elements = [rangee["Élément"].value for rangee in lignes]
        assert elements.count("Ligne") == LigneBudget.objects.filter(budget__fiche__exercice=un_exercice).count()
        assert {rangee["Budget"].value for rangee in lignes} == {"Budget prévisionnel", "Budget exécuté"}
        # ACTION 7 has no lines: its three budget-level parts, with the amount as written.
        parts = [r for r in lignes if r["Élément"].value == "Part" and r["Montant tel qu'écrit"].value]
        assert "4 782,06€ de financement supplémentaires CD68" in {r["Montant tel qu'écrit"].value for r in parts}

    def test_indicators_long_format(self, classeur):
        un_exercice = exercice("68-2019-2021", "2019")
        grilles = charger_tableaux([un_exercice])[un_exercice.pk]
        _, lignes = tableau(classeur["Indicateurs"])
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
        situation = next(r for r in lignes if r["Jalon"].value == "Situation au 31/12/2018")
        assert situation["Date du jalon"].value == datetime.datetime(2018, 12, 31)
        assert situation["Date du jalon"].number_format == "DD/MM/YYYY"
        sous_item = next(r for r in lignes if r["Indicateur"].value == "  – Actions nouvelles")
        assert sous_item["Indicateur parent"].value.startswith("3.2.1 Garantie d'activité")
        assert {r["Lue comme"].value for r in lignes} >= {"Code", "Taux", "Nombre", "Texte libre", "Vide"}

    def test_statement_of_expenditure(self, classeur):
        _, lignes = tableau(classeur["État des dépenses"])
        donnees = [r for r in lignes if r["Source"].value]
        executees = [r for r in donnees if r["Source"].value == "Budget exécuté"]
        assert [euros(r["Montant"]) for r in executees] == [Decimal("46680.00"), Decimal("25000.00")]
        assert len(donnees) == 10  # 2 executed lines + the planned lines of the 8 other fiches that have lines
        total = ligne(lignes, "N° fiche", "Total")
        assert euros(total["Montant"]) == sum(euros(r["Montant"]) for r in donnees) == Decimal("972873.58")
        assert euros(ligne(lignes, "N° fiche", "Sous-total exécuté")["Montant"]) == Decimal("71680.00")


class TestBasRhin2019:
    def test_state_part_per_year_and_total_a(self):
        classeur = lire(exercice("67-2019-2021", "2019"))
        _, lignes = tableau(classeur["Synthèse"])
        entetes = list(lignes[0])
        assert {"Part État 2019", "Part État 2020", "Part État 2021", "Sous-groupe"} <= set(entetes)
        assert entetes.index("Part État 2019") < entetes.index("Part État 2021") < entetes.index("Part collectivité")
        total_a = ligne(lignes, "N° fiche", "Total A")
        assert euros(total_a["Part État 2019"]) == Decimal("725000.00")
        assert euros(total_a["Part État (exercice 2019)"]) == Decimal("725000.00")
        assert euros(total_a["Part État 2021"]) == Decimal("1672000.00")  # 155 + 110 + 80 + 190 + 1 137 k
        assert euros(ligne(lignes, "N° fiche", "Total A+B")["Part État 2019"]) == Decimal("1125000.00")
        # No executed budget in a convention: no execution columns; a part without figure is kept as written.
        assert "Montant exécuté" not in entetes
        action_6_1 = ligne(lignes, "N° fiche", "Action 6-1")
        assert action_6_1["Observations"].value == "Collectivité : Partenariat complémentaire avec l'Etat"
        assert action_6_1["Sous-groupe"].value.startswith("B3 – ")


class TestAlsace2024:
    def test_statement_of_expenditure_follows_the_trame(self):
        un_exercice = exercice("6ae-volet2-2024", "2024")
        classeur = lire(un_exercice)
        ligne_entete, lignes = tableau(classeur["État des dépenses"])
        entetes = list(lignes[0])
        assert entetes[:11] == [
            "N° fiche",
            "Nature de la dépense",
            "Date ou période",
            "Objet de la dépense",
            "Territoire",
            "Type de dépense",
            "Unité",
            "Nombre d'unités",
            "Coût unitaire",
            "Montant",
            "Montant en année pleine",
        ]
        donnees = [r for r in lignes if r["Source"].value]
        assert len(donnees) == LigneBudget.objects.filter(budget__fiche__exercice=un_exercice).count() == 16
        assert all(r["Territoire"].value in {"67", "68", "Alsace"} for r in donnees)
        types = {r["Type de dépense"].value for r in donnees}
        assert {"Valorisation", "Nouvelles dépenses", "Valorisation, Nouvelles dépenses"} <= types
        pack = ligne(donnees, "Nature de la dépense", "75 PACK Employeur RSA")
        assert (pack["Nombre d'unités"].value, euros(pack["Coût unitaire"])) == (75, Decimal("4500.00"))
        total = ligne(lignes, "N° fiche", "Total")
        assert euros(total["Montant"]) == sum(euros(r["Montant"]) for r in donnees) == Decimal("3727340.00")
        assert euros(total["Montant en année pleine"]) == sum(euros(r["Montant en année pleine"]) for r in donnees)
        assert euros(total["dont nouvelles dépenses"]) == Decimal("432876.00")  # seed 003, « Total volet 2 »
        # The total stays out of the auto-filter: filtering the lines does not hide it.
        assert range_boundaries(classeur["État des dépenses"].auto_filter.ref)[3] == ligne_entete + len(donnees)


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
        attendus = ['=HYPERLINK("http://x","clic")', *libelles, "=1+2", "=cmd|' /C calc'!A0"]
        for texte in attendus:
            assert textes[texte], texte
            for cellule in textes[texte]:
                assert cellule.data_type == "s"
                assert cellule.quotePrefix, texte  # Excel keeps it as text when the cell is edited
        assert "a)" in textes  # the form feed (illegal in XML) is dropped, not a crash
        _, synthese = tableau(classeur["Synthèse"])
        assert synthese[0]["Titre"].value == '=HYPERLINK("http://x","clic")'

    def test_ordinary_text_has_no_quote_prefix(self):
        classeur = classeur_rapport(exercice("68-2019-2021", "2019"))
        assert classeur["Synthèse"]["A7"].value == "ACTION 1"
        assert not classeur["Synthèse"]["A7"].quotePrefix


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
        classeur = load_workbook(BytesIO(octets))
        _, lignes = tableau(classeur["Synthèse"])
        assert len([r for r in lignes if not str(r["N° fiche"].value).startswith("Total")]) == 111


class TestExerciceVide:
    def test_an_exercice_without_fiches_gives_a_workbook(self):
        modele = exercice("68-2019-2021", "2019")
        vide = Exercice.objects.create(
            convention=modele.convention,
            libelle="2020",
            acte=TypeActe.AVENANT,
            date_debut=datetime.date(2020, 1, 1),
            date_fin=datetime.date(2020, 12, 31),
        )
        classeur = lire(vide)
        assert classeur.sheetnames == FEUILLES
        _, lignes = tableau(classeur["État des dépenses"])
        assert [r["N° fiche"].value for r in lignes] == ["Total"]
        assert euros(lignes[0]["Montant"]) == Decimal("0.00")
