"""The real PDF of the Haut-Rhin 2019 report (seed 001), read back with pypdf; and what WeasyPrint may fetch."""

import http.server
import io
import re
import threading
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from budgets.calculs import execution
from conventions.models import Exercice
from rapports.classeur import classeur_rapport
from rapports.models import PdfPrepare, Rapport
from rapports.pdf import html_rapport, pdf_depuis_html
from rapports.selectors import charger_exercice

NBSP = "\u00a0"


def normaliser(texte):
    return " ".join(texte.replace(NBSP, " ").replace("\u202f", " ").replace("\u2019", "'").split())


@pytest.fixture(scope="module")
def pdf_haut_rhin(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
        contenu = charger_exercice(exercice)
        titres = [(s.fiche.numero, s.fiche.titre) for s in contenu.fiches]
        donnees = pdf_depuis_html(html_rapport(contenu))
    lecteur = PdfReader(io.BytesIO(donnees))
    pages = [normaliser(page.extract_text()) for page in lecteur.pages]
    return {"octets": donnees, "lecteur": lecteur, "pages": pages, "texte": " ".join(pages), "titres": titres}


def test_cover_title_metadata_and_language(pdf_haut_rhin):
    lecteur = pdf_haut_rhin["lecteur"]
    couverture = pdf_haut_rhin["pages"][0]
    assert "Rapport d'exécution" in couverture
    assert "Département du Haut-Rhin" in couverture
    assert "Exercice 2019" in couverture and "Mars 2020" in couverture
    assert lecteur.metadata.title == "Rapport d'exécution du Département du Haut-Rhin pour l'année 2019"
    assert lecteur.trailer["/Root"]["/Lang"] == "fr"


def test_every_fiche_and_the_key_amounts_of_seed_001_are_there(pdf_haut_rhin):
    texte = pdf_haut_rhin["texte"]
    for numero, titre in pdf_haut_rhin["titres"]:
        assert normaliser(f"{numero} : {titre}") in texte
    for montant in ["224 992,94 €", "30 000,00 €", "229 675,00 €", "112 496,47 €", "31 280,64 €", "15 640,32 €"]:
        assert montant in texte, montant
    assert "Le Département a subventionné SEPIA à hauteur de 25 000 euros" in texte
    assert "Action déjà financée au titre du FAPI : non" in texte
    assert "Perspectives futures de mise en œuvre" in texte
    assert "Fiches actions - Engagements du socle" in texte
    assert "Synthèse financière" in texte


def test_running_header_and_page_numbers(pdf_haut_rhin):
    pages = pdf_haut_rhin["pages"]
    total = len(pages)
    assert total > 20
    for numero, texte in enumerate(pages[1:], start=2):
        assert f"page {numero} / {total}" in texte
        assert "Département du Haut-Rhin" in texte and "Rapport d'exécution 2019" in texte


def test_table_of_contents_gives_the_pages_where_sections_start(pdf_haut_rhin):
    lecteur = pdf_haut_rhin["lecteur"]
    signets = {}

    def parcourir(elements):
        for element in elements:
            if isinstance(element, list):
                parcourir(element)
            else:
                signets.setdefault(normaliser(element.title), lecteur.get_destination_page_number(element) + 1)

    parcourir(lecteur.outline)
    sommaire = pdf_haut_rhin["pages"][1]
    assert "Sommaire" in sommaire
    verifies = 0
    for numero, titre in pdf_haut_rhin["titres"]:
        entree = normaliser(f"{numero} : {titre}")
        page = signets[entree]  # a bookmark per fiche section
        assert entree in pdf_haut_rhin["pages"][page - 1]  # the section does start there
        assert re.search(re.escape(entree[:40]) + r".*?\.* ?" + str(page) + r"\b", sommaire), entree
        verifies += 1
    assert verifies == len(pdf_haut_rhin["titres"]) == 11
    for titre in ["Avant-propos", "Annexe : indicateurs de suivi", "Synthèse financière"]:
        assert titre in signets


def test_indicator_annex_and_financial_synthesis(pdf_haut_rhin):
    texte = pdf_haut_rhin["texte"]
    assert "Annexe : indicateurs de suivi" in texte
    assert "Indicateurs de suivi relatifs à la prévention des sorties sèches de l'ASE" in texte
    assert "Nombre de jeunes majeurs sortant de l'ASE ayant pu choisir leur personne lien" in texte
    assert "Situation au 31/12/2018 Objectif 2019 Réalisé 2019" in texte
    pages = pdf_haut_rhin["pages"]
    debut = next(i for i, page in enumerate(pages) if page.startswith("Synthèse financière"))
    derniere = " ".join(pages[debut : debut + 2])
    assert "Total A" in derniere and "Total B" in derniere and "Total A+B" in derniere
    assert "Part de l'État et part de la collectivité" in derniere


def test_marianne_is_embedded(pdf_haut_rhin):
    polices = set()
    for page in pdf_haut_rhin["lecteur"].pages:
        for police in (page["/Resources"].get("/Font") or {}).values():
            polices.add(str(police.get_object()["/BaseFont"]))
    assert any("Marianne" in police for police in polices), polices


class _Ecoute(http.server.BaseHTTPRequestHandler):
    requetes = []

    def do_GET(self):  # noqa: N802 - the http.server API
        self.requetes.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def ecoute():
    _Ecoute.requetes = []
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ecoute)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield serveur.server_address[1], _Ecoute.requetes
    serveur.shutdown()
    serveur.server_close()


def test_the_pdf_fetches_nothing_and_attaches_nothing(ecoute):
    port, requetes = ecoute
    hote = f"http://127.0.0.1:{port}"
    html = f"""<!DOCTYPE html><html lang="fr"><head><title>t</title>
      <link rel="stylesheet" href="{hote}/style.css">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="{hote}/piece.txt">
      <style>@import url("{hote}/importe.css"); body {{ background: url("file:///etc/passwd"); }}
        p {{ background-image: url("{hote}/fond.png"); }}</style></head>
      <body><p>Texte</p><img src="{hote}/image.png"><img src="file:///etc/hostname">
      <a rel="attachment" href="{hote}/lien.txt">pièce jointe</a>
      <object data="{hote}/objet.svg"></object><embed src="{hote}/embed.svg"><iframe src="{hote}/cadre.html"></iframe>
      <svg><image href="{hote}/svg.png" width="10" height="10"/></svg></body></html>"""
    donnees = pdf_depuis_html(html)
    assert requetes == []
    lecteur = PdfReader(io.BytesIO(donnees))
    assert lecteur.attachments == {}
    assert b"/EmbeddedFile" not in donnees and b"root:" not in donnees


@pytest.mark.django_db
def test_hostile_text_typed_in_the_report_stays_text(ecoute):
    from rapports.models import Rapport

    port, requetes = ecoute
    hostile = f"<img src=http://127.0.0.1:{port}/x.png> <link rel=attachment href=file:///etc/passwd> **gras**"
    Rapport.objects.filter(exercice__convention__cle="68-2019-2021", exercice__libelle="2019").update(
        avant_propos=hostile
    )
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    html = html_rapport(charger_exercice(exercice))
    assert "&lt;img src=http://127.0.0.1" in html and "<strong>gras</strong>" in html
    donnees = pdf_depuis_html(html)
    assert requetes == []
    lecteur = PdfReader(io.BytesIO(donnees))
    assert lecteur.attachments == {}
    assert f"<img src=http://127.0.0.1:{port}/x.png>" in normaliser(lecteur.pages[2].extract_text())


def texte_pdf(contenu):
    return normaliser(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages))


@pytest.mark.django_db
def test_the_pdf_is_laid_out_once_per_state_of_the_report(client, agent_68):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    lien = reverse("rapports:pdf", args=[exercice.public_id])
    premier = client.get(lien)
    prepare = PdfPrepare.objects.get(exercice=exercice)
    assert client.get(lien).content == premier.content  # the same state: served as laid out
    assert PdfPrepare.objects.get(exercice=exercice).pdf_genere_le == prepare.pdf_genere_le
    # The report changes: a new PDF, with the change; only the last three states are kept.
    for rang in range(4):
        rapport = Rapport.objects.get(exercice=exercice)
        rapport.avant_propos = f"Avant-propos numéro {rang}."
        rapport.save()  # bumps the exercice's content revision (rapports.revisions)
        reponse = client.get(lien)
        assert f"Avant-propos numéro {rang}." in texte_pdf(reponse.content)
    assert PdfPrepare.objects.filter(exercice=exercice).count() == 3


def test_execution_rates_count_only_the_fiches_that_state_a_figure(pdf_haut_rhin, django_db_blocker):
    """Seed 001 states an executed amount for 2 fiches of 11, "Conforme aux engagements" for 7 (declared conforme:
    executed = planned) and a sentence only for 2: the totals' rate is 1 065 548,58 € against what those 9 planned
    (1 067 368,58 €), said so next to it, in the PDF as in the workbook and the comparison."""
    total = execution([(None, 10), (5, 10), (15, 10)])
    assert (total.execute, total.prevu_des_chiffrees, total.nb_chiffrees, total.partielle) == (20, 20, 2, True)
    assert total.taux == 100 and execution([(None, 10)]).taux is None
    texte = pdf_haut_rhin["texte"]
    assert "Le montant exécuté n'est chiffré que pour 9 fiches sur 11" in texte
    total = texte[texte.index("Total A+B 1 229 468,58 € 1 065 548,58 €") :][:200]
    assert "99,8 %" in total and "sur 9 fiches chiffrées sur 11 ; 2 exécutés en texte seul, hors taux" in total
    assert "25 000,00 € 106,4 %" in texte  # ACTION 2's own rate
    assert texte.count("exécuté en texte seul") == 2 and texte.count("hors taux") == 5  # fiches, totals, note
    assert texte.count("conforme aux engagements") >= 7
    with django_db_blocker.unblock():
        exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
        synthese = classeur_rapport(exercice)["Synthèse"]
    lignes = [[c for c in ligne if c is not None] for ligne in synthese.iter_rows(values_only=True)]
    total_general = next(ligne for ligne in lignes if ligne and str(ligne[0]).startswith("Total A+B"))
    assert Decimal("1065548.58") in total_general and Decimal("0.998") in total_general  # a rate as a fraction
