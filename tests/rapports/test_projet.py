"""What a reviewer reads, and drafts that say they are drafts: real PDFs laid out by WeasyPrint, read back with pypdf.

- the « explication des écarts » is printed next to the gap it explains (parity not met);
- a draft is marked « Projet » on every page and lists what is still to write, with no blank avant-propos and no
  « (non renseigné) »; a transmitted version's stored HTML has no such mark;
- a report prints only its own exercice's amounts (Bas-Rhin 2019: not the State's 2020 and 2021 amounts);
- a budget total that differs from its lines prints with a warning (CeA 2024 fiche 1).
"""

import io
import re
from decimal import Decimal

import pytest
from django.db import transaction
from pypdf import PdfReader

from actions.models import Fiche
from budgets.models import Budget
from comptes.models import User
from conventions.models import Exercice
from rapports.models import SectionRapport
from rapports.pdf import html_rapport, pdf_depuis_html
from rapports.selectors import charger_exercice, rapport_de
from rapports.services import rapport_transmettre

from .test_pdf import normaliser

pytestmark = pytest.mark.django_db  # the module's PDFs are laid out from the seed data, each test then reads them

NBSP = "\u00a0"
MARQUE = "PROJET – document non transmis"
EXPLICATION = "La part du Département sera chiffrée au bilan 2022 : les crédits d'insertion la portent."
EXPLICATION_11 = "Le poste de rédacteur n'a été pourvu qu'en mai 2022."


def exercice(cle, libelle):
    return Exercice.objects.select_related("convention").get(convention__cle=cle, libelle=libelle)


def lire_pdf(html):
    lecteur = PdfReader(io.BytesIO(pdf_depuis_html(html)))
    pages = [normaliser(page.extract_text()) for page in lecteur.pages]
    return {"lecteur": lecteur, "pages": pages, "texte": " ".join(pages)}


def signets(lecteur):
    titres = []

    def parcourir(elements):
        for element in elements:
            if isinstance(element, list):
                parcourir(element)
            else:
                titres.append(normaliser(element.title))

    parcourir(lecteur.outline)
    return titres


@pytest.fixture(scope="module")
def projet_2021(django_db_setup, django_db_blocker):
    """The Haut-Rhin 2021-2022 report, nobody started it: a draft; ACTION 7's parity is not met, explained."""
    with django_db_blocker.unblock(), transaction.atomic():
        ex = exercice("68-2019-2021", "2021-2022")
        rapport = rapport_de(ex)
        rapport.save()
        fiche = Fiche.objects.get(exercice=ex, cle="socle-7")
        SectionRapport.objects.create(rapport=rapport, fiche=fiche, explication=EXPLICATION)
        # ACTION 1.1 (72 800 € planned) executed 6 000 €: far from plan, explained.
        action_11 = Fiche.objects.get(exercice=ex, cle="socle-1.1")
        Budget.objects.create(fiche=action_11, nature="execute", total=Decimal("6000"))
        SectionRapport.objects.create(rapport=rapport, fiche=action_11, explication=EXPLICATION_11)
        html = html_rapport(charger_exercice(ex))
        transaction.set_rollback(True)  # the seed data stays as it was for the other tests
    return lire_pdf(html)


def test_a_draft_says_so_on_every_page(projet_2021):
    pages = projet_2021["pages"]
    assert all(MARQUE in page for page in pages)
    # The sommaire sends to the list of what is still to write, after the synthesis.
    assert "Projet : ce qui reste à rédiger" in pages[1]
    a_completer = next(i for i, page in enumerate(pages) if page.startswith("Projet : ce qui reste à rédiger"))
    assert a_completer > next(i for i, page in enumerate(pages) if page.startswith("Synthèse financière"))
    assert "L'avant-propos est vide." in pages[a_completer]
    assert "Fiche ACTION 1.1 : le bilan d'exécution est vide." in pages[a_completer]
    assert re.search(rf"Projet : ce qui reste à rédiger[ .]*{a_completer + 1}\b", pages[1])  # with its page number


def test_a_draft_prints_no_blanks(projet_2021):
    texte = projet_2021["texte"]
    assert "non renseigné" not in texte
    assert "Perspectives futures de mise en œuvre" not in texte and "Bilan d'exécution 2021-2022" not in texte
    assert "Avant-propos" not in signets(projet_2021["lecteur"])  # no blank avant-propos page
    assert "Action déjà financée au titre du FAPI" not in texte


def test_the_explanation_is_printed_next_to_the_gap_it_explains(projet_2021):
    page = next(p for p in projet_2021["pages"] if "Parité non respectée (budget prévisionnel)" in p)
    assert (
        "Parité non respectée (budget prévisionnel) : part de la collectivité non chiffrée, part de l'État "
        f"25 812,00 €. Explication des écarts : {EXPLICATION}"
    ) in page


def test_the_explanation_of_an_execution_far_from_plan_is_next_to_it(projet_2021):
    texte = projet_2021["texte"]
    assert (
        "Exécution éloignée du prévu : 6 000,00 € exécutés pour 72 800,00 € prévus (8,2 %). "
        f"Explication des écarts : {EXPLICATION_11}"
    ) in texte
    assert texte.count("Explication des écarts : à rédiger") == 0  # both gaps are explained


def test_a_transmitted_version_has_no_draft_mark():
    ex = exercice("68-2019-2021", "2019")
    assert MARQUE in html_rapport(charger_exercice(ex))  # a draft in the seed data
    agent = User.objects.get(email="agent.haut-rhin@demo.calpae.fr")
    version = rapport_transmettre(exercice=ex, user=agent, justification="Indicateurs de l'action 5 à venir.")
    assert MARQUE not in version.html and "ce qui reste à rédiger" not in version.html
    assert "Conforme aux engagements" in version.html
    ex = exercice("68-2019-2021", "2019")  # read again, with its report as it is now
    assert MARQUE not in html_rapport(charger_exercice(ex))  # transmitted: the current state is no draft either


@pytest.fixture(scope="module")
def bas_rhin_2019(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return lire_pdf(html_rapport(charger_exercice(exercice("67-2019-2021", "2019"))))


def test_a_report_prints_only_its_own_exercices_amounts(bas_rhin_2019):
    texte = bas_rhin_2019["texte"]
    assert "Montant prévisionnel Etat (2019) : 155 000,00 €" in texte
    assert "(2020) :" not in texte and "(2021) :" not in texte


@pytest.fixture(scope="module")
def cea_2024(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return lire_pdf(html_rapport(charger_exercice(exercice("6ae-volet2-2024", "2024"))))


def test_a_total_that_differs_from_its_lines_prints_with_a_warning(cea_2024):
    texte = cea_2024["texte"]
    assert "Total : 609 750,00 € – attention : les lignes ci-dessous totalisent 1 231 860,00 €, et non ce total" in (
        texte
    )
    assert texte.count("attention : les lignes ci-dessous totalisent") == 1
