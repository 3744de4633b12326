"""The report page, its editing, the downloads and the command."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Fiche
from conventions.models import Exercice
from rapports.models import Rapport, SectionRapport
from tests.pages.test_pages import texte

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercice_68():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


def test_report_page_shows_the_texts_and_what_comes_from_the_fiches(client, agent_68, exercice_68):
    page = texte(client.get(reverse("rapports:rapport", args=[exercice_68.public_id])))
    assert "Rapport d'exécution 2019" in page
    assert "La stratégie nationale de prévention et de lutte contre la pauvreté" in page  # avant-propos
    assert "budget prévisionnel 30 000,00 € (État 15 000,00 €, collectivité 15 000,00 €)" in page
    assert "Le Département a subventionné SEPIA à hauteur de 25 000 euros" in page
    assert "Télécharger le PDF" in page and "Télécharger le classeur Excel" in page
    # The subtitle names the collectivité once: its title already does.
    assert "Département du Haut-Rhin – Rapport d'exécution" not in page
    assert "Rapport d'exécution du Département du Haut-Rhin pour l'année 2019" in page


def test_the_subtitle_names_the_collectivite_when_the_title_does_not(client, agent_68, exercice_68):
    Rapport.objects.filter(exercice=exercice_68).update(titre="Bilan de l'année 2019")
    page = texte(client.get(reverse("rapports:rapport", args=[exercice_68.public_id])))
    assert "Département du Haut-Rhin – Bilan de l'année 2019" in page


def test_completeness_panel_lists_what_is_missing_with_links(client, agent_68, exercice_68):
    action5 = Fiche.objects.get(exercice=exercice_68, cle="socle-5")
    SectionRapport.objects.filter(rapport__exercice=exercice_68, fiche=action5).update(bilan="")
    reponse = client.get(reverse("rapports:rapport", args=[exercice_68.public_id]))
    page = texte(reponse)
    assert "Avant de transmettre" in page
    assert "Fiche ACTION 5 : le bilan d'exécution est vide." in page
    assert "Fiche ACTION 5 : 4 indicateurs sans valeur pour le jalon de l'exercice." in page
    html = reponse.content.decode()
    assert reverse("rapports:section", args=[exercice_68.public_id, action5.public_id]) in html
    assert reverse("indicateurs:saisie", args=[action5.public_id]) in html


def test_an_empty_report_lists_everything(client, agent_cea):
    exercice = Exercice.objects.get(convention__cle="6ae-volet2-2024", libelle="2024")
    page = texte(client.get(reverse("rapports:rapport", args=[exercice.public_id])))
    assert "L'avant-propos est vide." in page
    assert "Fiche Fiche 1 : le bilan d'exécution est vide." not in page  # the numero already says "Fiche"
    assert "Fiche 1 : le bilan d'exécution est vide." in page


def test_writing_a_section_renders_safe_markdown(client, agent_68, exercice_68):
    fiche = Fiche.objects.get(exercice=exercice_68, cle="socle-1")
    section = SectionRapport.objects.get(rapport__exercice=exercice_68, fiche=fiche)
    url = reverse("rapports:section", args=[exercice_68.public_id, fiche.public_id])
    bilan = "Bilan **solide** :\n- 30 jeunes suivis\n- 49 PPE\n\n<script>alert(1)</script>"
    donnees = {"version": section.version, "fapi": "non", "indicateurs": "voir infra", "bilan": bilan}
    donnees |= {"perspectives": "Poursuite.", "explication": ""}
    assert client.post(url, donnees).status_code == 302
    section.refresh_from_db()
    assert section.bilan == bilan and section.version == 2
    html = client.get(reverse("rapports:rapport", args=[exercice_68.public_id])).content.decode()
    assert "Bilan <strong>solide</strong> :" in html and "<li>30 jeunes suivis</li>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_concurrent_section_save_is_refused(client, agent_68, exercice_68):
    fiche = Fiche.objects.get(exercice=exercice_68, cle="socle-2")
    section = SectionRapport.objects.get(rapport__exercice=exercice_68, fiche=fiche)
    SectionRapport.objects.filter(pk=section.pk).update(version=2, bilan="Version d'une collègue")
    url = reverse("rapports:section", args=[exercice_68.public_id, fiche.public_id])
    reponse = client.post(url, {"version": 1, "bilan": "Ma version", "fapi": "", "perspectives": ""})
    assert reponse.status_code == 409
    page = texte(reponse)
    assert "Enregistrement refusé" in page and "Ma version" in page and "Version d'une collègue" in page
    section.refresh_from_db()
    assert section.bilan == "Version d'une collègue"


def test_avant_propos_of_a_report_nobody_started_creates_it(client, agent_cea):
    exercice = Exercice.objects.get(convention__cle="6ae-volet2-2024", libelle="2024")
    assert not Rapport.objects.filter(exercice=exercice).exists()
    url = reverse("rapports:avant_propos", args=[exercice.public_id])
    assert 'name="version" value="0"' in client.get(url).content.decode()  # read as new
    assert client.post(url, {"version": 0, "avant_propos": "Premier volet.", "bilan_global": ""}).status_code == 302
    rapport = Rapport.objects.get(exercice=exercice)
    assert rapport.avant_propos == "Premier volet." and rapport.nom_collectivite.startswith("Collectivité européenne")


def test_two_first_saves_of_a_section_the_second_gets_the_conflict(client, agent_cea):
    """Two people open the report section of a fiche that has none yet (no report either); both save: the first is
    saved, the second gets the conflict page with both texts, and nothing of the first is lost."""
    exercice = Exercice.objects.get(convention__cle="6ae-volet2-2024", libelle="2024")
    fiche = Fiche.objects.filter(exercice=exercice).order_by("ordre").first()
    url = reverse("rapports:section", args=[exercice.public_id, fiche.public_id])
    assert 'name="version" value="0"' in client.get(url).content.decode()
    vide = {"version": 0, "fapi": "", "indicateurs": "", "perspectives": "", "explication": ""}
    assert client.post(url, {**vide, "bilan": "Bilan de la première"}).status_code == 302
    reponse = client.post(url, {**vide, "bilan": "Bilan du second"})
    assert reponse.status_code == 409
    page = texte(reponse)
    assert "Enregistrement refusé" in page and "Bilan de la première" in page and "Bilan du second" in page
    assert SectionRapport.objects.get(rapport__exercice=exercice, fiche=fiche).bilan == "Bilan de la première"
    # The conflict form carries the version now saved: saving again (reconciled) goes through.
    assert 'name="version" value="1"' in reponse.content.decode()
    assert client.post(url, {**vide, "version": 1, "bilan": "Bilan réconcilié"}).status_code == 302


def test_two_first_saves_of_the_avant_propos_the_second_gets_the_conflict(client, agent_cea):
    exercice = Exercice.objects.get(convention__cle="6ae-volet2-2024", libelle="2024")
    url = reverse("rapports:avant_propos", args=[exercice.public_id])
    assert client.post(url, {"version": 0, "avant_propos": "Le premier", "bilan_global": ""}).status_code == 302
    reponse = client.post(url, {"version": 0, "avant_propos": "Le second", "bilan_global": ""})
    assert reponse.status_code == 409
    assert Rapport.objects.get(exercice=exercice).avant_propos == "Le premier"


def test_a_reader_cannot_write_and_an_outsider_sees_nothing(client, referent, exercice_68):
    fiche = Fiche.objects.get(exercice=exercice_68, cle="socle-1")
    assert client.get(reverse("rapports:rapport", args=[exercice_68.public_id])).status_code == 200
    assert client.get(reverse("rapports:avant_propos", args=[exercice_68.public_id])).status_code == 403
    url = reverse("rapports:section", args=[exercice_68.public_id, fiche.public_id])
    assert client.post(url, {"version": 1, "bilan": "x"}).status_code == 403


@pytest.mark.parametrize("nom", ["rapport", "avant_propos", "pdf", "xlsx"])
def test_another_collectivites_report_is_not_found(client, agent_67, exercice_68, nom):
    assert client.get(reverse(f"rapports:{nom}", args=[exercice_68.public_id])).status_code == 404


def test_a_fiche_of_another_exercice_is_not_found_through_this_report(client, agent_68, exercice_68):
    autre = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2021-2022", cle="socle-7")
    url = reverse("rapports:section", args=[exercice_68.public_id, autre.public_id])
    assert client.get(url).status_code == 404


def test_downloads_have_french_names_and_real_content(client, agent_68, exercice_68):
    reponse = client.get(reverse("rapports:pdf", args=[exercice_68.public_id]))
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == 'attachment; filename="Rapport_execution_2019_Haut-Rhin.pdf"'
    assert len(PdfReader(io.BytesIO(reponse.content)).pages) > 20
    reponse = client.get(reverse("rapports:xlsx", args=[exercice_68.public_id]))
    assert reponse["Content-Disposition"] == 'attachment; filename="Rapport_execution_2019_Haut-Rhin.xlsx"'
    assert "Synthèse" in openpyxl.load_workbook(io.BytesIO(reponse.content)).sheetnames


def test_command_writes_the_pdf_and_the_workbook(tmp_path):
    sortie = tmp_path / "rapport.pdf"
    call_command("rapport_execution", collectivite="68", exercice="2019", format="pdf", sortie=str(sortie))
    lecteur = PdfReader(sortie)
    assert "Rapport d'exécution du Département du Haut-Rhin" in lecteur.metadata.title
    classeur = tmp_path / "rapport.xlsx"
    call_command("rapport_execution", collectivite="68", exercice="2019", format="xlsx", sortie=str(classeur))
    assert openpyxl.load_workbook(classeur).sheetnames[0] == "Synthèse"


def test_command_finds_the_cea_avenant_and_explains_mistakes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("rapport_execution", collectivite="6AE", exercice="2024", format="xlsx")
    assert openpyxl.load_workbook(tmp_path / "Rapport_execution_2024_CeA.xlsx").sheetnames[0] == "Synthèse"
    with pytest.raises(CommandError, match="Collectivité « 99 » inconnue"):
        call_command("rapport_execution", collectivite="99", exercice="2019")
    with pytest.raises(CommandError, match="Exercice « 2030 » inconnu"):
        call_command("rapport_execution", collectivite="68", exercice="2030")
