"""Import of a convention's workbook: export → import round trips on every seed exercice, every bad file refused
with its French message and nothing written, the command line."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from actions.models import Fiche
from budgets.models import Budget, Part
from conventions.models import Collectivite, Convention, Exercice
from importation import contrat
from importation.contrat import classeur_modele
from importation.lecture import lire_classeur
from importation.services import convention_importer
from rapports.selectors import charger_exercice

pytestmark = pytest.mark.django_db

SEEDS = [("68-2019-2021", "2021-2022"), ("68-2019-2021", "2019"), ("67-2019-2021", "2019"), ("6ae-volet2-2024", "2024")]


def compte():
    return (
        Collectivite.objects.count(),
        Convention.objects.count(),
        Exercice.objects.count(),
        Fiche.objects.count(),
        Budget.objects.count(),
        Part.objects.count(),
    )


def exporte(convention, libelle, **convention_valeurs):
    """The template filled from a seed exercice, with some rows of its « Convention » sheet changed."""
    lu = charger_exercice(Exercice.objects.get(convention__cle=convention, libelle=libelle))
    classeur = load_workbook(io.BytesIO(classeur_modele(lu)))
    feuille = classeur[contrat.FEUILLE_CONVENTION]
    for rangee in feuille.iter_rows(min_row=1, max_col=2):
        if rangee[0].value in convention_valeurs:
            rangee[1].value = convention_valeurs[rangee[0].value]
    return lu, classeur


def octets(classeur):
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def chiffres(lu):
    return [
        (f.fiche.numero, f.fiche.titre, f.groupe_racine.type, f.prevu, f.montants.etat, f.montants.collectivite)
        + (f.montants.autres, f.execute_montant)
        for f in lu.fiches
    ]


@pytest.mark.parametrize(("convention", "libelle"), SEEDS, ids=["-".join(s) for s in SEEDS])
def test_export_then_import_into_a_fresh_collectivite_gives_the_same_fiches_parts_and_totals(convention, libelle):
    lu, classeur = exporte(
        convention, libelle, **{contrat.CODE_INSEE: "T01", contrat.COLLECTIVITE: "Département de Test"}
    )
    donnees, erreurs = lire_classeur(octets(classeur))
    assert erreurs == []
    bilan = convention_importer(donnees=donnees)
    importe = charger_exercice(Exercice.objects.get(pk=bilan.exercice.pk))
    assert importe.exercice.convention.collectivite.code_insee == "T01"
    assert importe.exercice.convention.collectivite.nom_court == "Test"
    assert chiffres(importe) == chiffres(lu)
    assert [(g.code, g.prevu, g.montants.etat, g.montants.collectivite) for g in importe.groupes] == [
        (g.code, g.prevu, g.montants.etat, g.montants.collectivite) for g in lu.groupes
    ]
    assert (importe.prevu, importe.montants.etat, importe.montants.collectivite) == (
        lu.prevu,
        lu.montants.etat,
        lu.montants.collectivite,
    )
    assert (importe.exercice.date_debut, importe.exercice.date_limite_rapport) == (
        lu.exercice.date_debut,
        lu.exercice.date_limite_rapport,
    )


def test_importing_the_same_workbook_again_updates_and_creates_nothing_new():
    _, classeur = exporte(
        "67-2019-2021", "2019", **{contrat.CODE_INSEE: "T02", contrat.COLLECTIVITE: "Département du Test"}
    )
    donnees, _ = lire_classeur(octets(classeur))
    convention_importer(donnees=donnees)
    avant = compte()
    fiches = classeur[contrat.FEUILLE_FICHES]
    colonne = [c.value for c in fiches[1]].index(contrat.PART_ETAT) + 1
    fiches.cell(row=2, column=colonne).value = "200 000 €"  # the first fiche's State part, typed the French way
    donnees, erreurs = lire_classeur(octets(classeur))
    assert erreurs == []
    bilan = convention_importer(donnees=donnees)
    assert compte() == avant
    assert bilan.crees == [] and len(bilan.mis_a_jour) == 1 + 19
    premiere = bilan.exercice.fiches.order_by("ordre").first()
    assert premiere.budgets.get(nature="previsionnel").parts.get(financeur="etat").montant == Decimal("200000.00")


def test_a_simulation_says_what_it_would_do_and_writes_nothing():
    _, classeur = exporte("6ae-volet2-2024", "2024", **{contrat.CODE_INSEE: "T03"})
    donnees, _ = lire_classeur(octets(classeur))
    avant = compte()
    bilan = convention_importer(donnees=donnees, simulation=True)
    assert compte() == avant
    assert bilan.exercice is None and "Exercice 2024" in bilan.crees and bilan.nb_fiches == 10


def modele_minimal(**remplacements):
    """A small valid workbook written by hand (as a Département would fill the template)."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Convention"
    lignes = {
        "Code INSEE": "90",
        "Collectivité": "Département du Territoire de Belfort",
        "Intitulé de la convention": "Convention d'appui à la lutte contre la pauvreté",
        "Début de la convention": datetime.date(2023, 1, 1),
        "Fin de la convention": "31/12/2025",
        "Exercice": "2023",
        "Début de l'exercice": "01/01/2023",
        "Fin de l'exercice": datetime.date(2023, 12, 31),
        "Date limite du rapport": "31/03/2024",
    }
    lignes.update(remplacements.pop("convention", {}))
    for libelle, valeur in lignes.items():
        if valeur is not ...:
            feuille.append([libelle, valeur])
    fiches = classeur.create_sheet("Fiches")
    entete = remplacements.pop(
        "entete", ["Annexe", "Numéro", "Intitulé", "Thème", "Part État", "Part collectivité", "Autres financeurs"]
    )
    fiches.append(entete)
    for rangee in remplacements.pop(
        "fiches",
        [
            ["A", "1", "Prévenir les sorties sèches", "Enfants", 100000, "120 000 €", None],
            ["B", "2", "Mobilité", "Emploi", "68 129,18", "68 129,18", "1 000"],
        ],
    ):
        fiches.append(rangee)
    return octets(classeur)


def test_a_workbook_filled_by_hand_is_imported():
    donnees, erreurs = lire_classeur(modele_minimal())
    assert erreurs == []
    bilan = convention_importer(donnees=donnees)
    lu = charger_exercice(bilan.exercice)
    assert [(f.fiche.numero, f.montants.etat, f.montants.collectivite, f.montants.autres) for f in lu.fiches] == [
        ("1", Decimal("100000.00"), Decimal("120000.00"), Decimal("0.00")),
        ("2", Decimal("68129.18"), Decimal("68129.18"), Decimal("1000.00")),
    ]
    assert Collectivite.objects.get(code_insee="90").nom_court == "Territoire de Belfort"


def refuse(contenu):
    """The file is refused: the errors, and nothing written."""
    avant = compte()
    donnees, erreurs = lire_classeur(contenu)
    assert donnees is None and erreurs
    assert compte() == avant
    return [str(e) for e in erreurs]


def zip_avec(entrees):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, contenu in entrees.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()


class TestBadFiles:
    def test_a_renamed_pdf(self):
        assert refuse(b"%PDF-1.7\n1 0 obj <<>> endobj\n") == [
            "Fichier : Ce fichier n'est pas un classeur Excel (.xlsx) : enregistrez-le au format .xlsx."
        ]

    def test_a_zip_bomb(self):
        bombe = zip_avec({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "0" * (60 * 1024 * 1024)})
        assert len(bombe) < 1024 * 1024
        (message,) = refuse(bombe)
        assert "trop volumineux une fois décompressé" in message or "taux de compression anormal" in message

    def test_ten_thousand_sheets(self):
        entrees = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}
        entrees |= {f"xl/worksheets/sheet{n}.xml": "<worksheet/>" for n in range(400)}
        assert refuse(zip_avec(entrees)) == ["Fichier : Le classeur a 400 feuilles : au plus 50."]
        entrees |= {f"xl/worksheets/sheet{n}.xml": "<worksheet/>" for n in range(10_000)}
        assert "trop d'éléments" in refuse(zip_avec(entrees))[0]

    def test_a_zip_that_is_not_a_workbook(self):
        assert "n'est pas un classeur Excel" in refuse(zip_avec({"document.txt": "bonjour"}))[0]

    def test_xml_with_an_entity_expansion(self):
        bombe = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
        )
        contenu = zip_avec({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": bombe})
        assert refuse(contenu) == ["Fichier : Ce fichier n'est pas un classeur Excel (.xlsx) lisible."]

    def test_a_formula_in_a_cell(self):
        messages = refuse(modele_minimal(fiches=[["A", "1", "Fiche", "", "=1000*2", 10, None]]))
        assert messages == [
            "Fiches, ligne 2, colonne « E » : une formule n'est pas acceptée : copiez la valeur "
            "(collage spécial, valeurs)."
        ]

    def test_a_cell_openpyxl_cannot_convert_is_an_error_of_its_row(self):
        """A file written by another program, with a text cell that points at no shared string (openpyxl raises
        IndexError): the row is named, and that sheet is not read further."""
        with zipfile.ZipFile(io.BytesIO(modele_minimal(fiches=[["A", "1", "Fiche", "", 10, 10, None]]))) as archive:
            parties = {e.filename: archive.read(e) for e in archive.infolist()}
        parties["xl/worksheets/sheet2.xml"] = re.sub(
            rb'<c r="C2"[^>]*>.*?</c>', b'<c r="C2" t="s"><v>999999</v></c>', parties["xl/worksheets/sheet2.xml"]
        )
        assert refuse(zip_avec(parties)) == [
            "Fiches, ligne 2 : une cellule de cette ligne est illisible (valeur, date ou texte que le fichier décrit "
            "mal) : ouvrez le classeur dans un tableur, corrigez-la et enregistrez-le à nouveau."
        ]

    def test_a_missing_or_renamed_required_column(self):
        entete = ["Annexe", "Numéro", "Intitulé", "Thème", "Part Etat (€)", "Part collectivité", "Autres financeurs"]
        assert refuse(modele_minimal(entete=entete)) == [
            "Fiches, ligne 1 : colonnes obligatoires absentes de l'en-tête : « Part État »."
        ]

    def test_a_missing_sheet_and_a_missing_row(self):
        assert refuse(modele_minimal(convention={"Date limite du rapport": ...})) == [
            "Convention, colonne « Date limite du rapport » : la ligne « Date limite du rapport » manque."
        ]
        classeur = load_workbook(io.BytesIO(modele_minimal()))
        del classeur["Fiches"]
        assert refuse(octets(classeur)) == ["Fiches : la feuille « Fiches » manque (voir le modèle à télécharger)."]

    def test_every_error_is_listed_with_its_place(self):
        messages = refuse(
            modele_minimal(
                convention={"Fin de l'exercice": "31/12/2022", "Début de l'exercice": "2023-13-01"},
                fiches=[
                    ["A", "1", "Fiche", "", "12,5,0", 10, None],
                    ["C", "1", "", "", "-5", "dix", None],
                    ["A", "1", "Même numéro", "", 1, 1, None],
                    ["B", "1", "Même numéro, autre annexe", "", 1, 1, None],
                ],
            )
        )
        texte = "\n".join(messages)
        assert (
            "Convention, ligne 7, colonne « Début de l'exercice » : « 2023-13-01 » n'est pas une date au format "
            "jj/mm/aaaa, par exemple 31/03/2020." in texte
        )
        assert "Fiches, ligne 2, colonne « Part État » : « 12,5,0 » n'est pas un montant en euros" in texte
        assert "Fiches, ligne 3, colonne « Annexe » : « C » : indiquez A (socle) ou B (initiatives)." in texte
        assert "Fiches, ligne 3, colonne « Numéro »" not in texte  # annex C is refused: no number to compare
        assert "Fiches, ligne 3, colonne « Intitulé » : vide." in texte
        assert (
            "Fiches, ligne 4, colonne « Numéro » : « 1 » figure déjà ligne 2 dans l'annexe A : un numéro par fiche."
            in texte
        )
        assert "ligne 5" not in texte
        assert "Fiches, ligne 3, colonne « Part État » : Un montant ne peut pas être négatif." in texte
        assert "Fiches, ligne 3, colonne « Part collectivité » : « dix » n'est pas un montant en euros" in texte

    def test_an_exercice_outside_its_convention_and_dates_out_of_order(self):
        messages = refuse(
            modele_minimal(convention={"Fin de l'exercice": "31/12/2026", "Date limite du rapport": "31/03/2027"})
        )
        assert messages == [
            "Convention, colonne « Début de l'exercice » : l'exercice (01/01/2023 – 31/12/2026) sort de la période "
            "de la convention (01/01/2023 – 31/12/2025)."
        ]
        messages = refuse(modele_minimal(convention={"Fin de la convention": "31/12/2022"}))
        assert "Convention, colonne « Fin de la convention » : précède le début." in messages


class TestCommand:
    def test_the_template_is_written_and_an_empty_template_is_refused(self, tmp_path):
        chemin = tmp_path / "modele.xlsx"
        call_command("importer_convention", "--modele", str(chemin))
        classeur = load_workbook(chemin)
        assert classeur.sheetnames[:2] == ["Convention", "Fiches"]
        entete = [c.value for c in classeur["Fiches"][1]]
        assert all(nom in entete for nom in contrat.COLONNES_OBLIGATOIRES)
        sortie = io.StringIO()
        with pytest.raises(CommandError, match="rien n'est importé"):
            call_command("importer_convention", str(chemin), stderr=sortie)
        assert "Convention, ligne 1, colonne « Code INSEE » : la ligne « Code INSEE » est vide." in sortie.getvalue()

    def test_simulation_then_import(self, tmp_path):
        chemin = tmp_path / "belfort.xlsx"
        chemin.write_bytes(modele_minimal())
        sortie = io.StringIO()
        call_command("importer_convention", str(chemin), "--simulation", stdout=sortie)
        assert "Simulation : le classeur est valide, rien n'est écrit." in sortie.getvalue()
        assert not Collectivite.objects.filter(code_insee="90").exists()
        sortie = io.StringIO()
        call_command("importer_convention", str(chemin), stdout=sortie)
        assert "créé : Fiche 1" in sortie.getvalue() and "Importé : exercice 2023" in sortie.getvalue()
        assert Fiche.objects.filter(exercice__convention__collectivite__code_insee="90").count() == 2
