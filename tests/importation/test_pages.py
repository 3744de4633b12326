"""The import pages: send a workbook, see every error or a preview, confirm; download the template and an export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Fiche
from conventions.models import Collectivite, Exercice
from importation.models import ImportEnAttente
from tests.pages.test_pages import texte

from .test_import import compte, modele_minimal

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def envoyer(client, contenu, nom="convention.xlsx"):
    return client.post(reverse("importation:importer"), {"fichier": SimpleUploadedFile(nom, contenu, XLSX)})


def test_an_administrator_previews_then_imports_a_new_collectivite(client, administrateur):
    page = texte(client.get(reverse("importation:importer")))
    assert "Télécharger le modèle (.xlsx)" in page
    avant = compte()
    reponse = envoyer(client, modele_minimal())
    assert reponse.status_code == 200
    page = texte(reponse)
    assert "« convention.xlsx » est valide. Rien n'est encore enregistré" in page
    assert "Collectivité Département du Territoire de Belfort (90)" in page and "Fiche 2" in page
    assert "68 129,18 €" in page
    assert compte() == avant  # the preview wrote nothing
    attente = ImportEnAttente.objects.get()
    reponse = client.post(reverse("importation:confirmer", args=[attente.public_id]))
    exercice = Exercice.objects.get(convention__collectivite__code_insee="90")
    assert reponse.status_code == 302 and reponse["Location"] == reverse("pages:exercice", args=[exercice.public_id])
    assert Fiche.objects.filter(exercice=exercice).count() == 2
    assert not ImportEnAttente.objects.exists()
    suite = texte(client.get(reponse["Location"]))
    assert "Import terminé : 5 élément(s) créé(s), 0 mis à jour (2 fiches)." in suite


def test_every_error_is_shown_and_nothing_is_written(client, administrateur):
    avant = compte()
    reponse = envoyer(client, modele_minimal(fiches=[["A", "1", "Fiche", "", "12,5,0", 10, None]]), "mon fichier.xlsx")
    assert reponse.status_code == 422
    page = texte(reponse)
    assert "Rien n'est importé : 1 erreur dans « mon fichier.xlsx »" in page
    assert "Fiches 2 Part État « 12,5,0 » n'est pas un montant en euros" in page
    reponse = envoyer(client, b"%PDF-1.7 ...", "rapport.xlsx")
    assert reponse.status_code == 422
    assert "Ce fichier n'est pas un classeur Excel (.xlsx)" in texte(reponse)
    assert compte() == avant and not ImportEnAttente.objects.exists()


def test_an_agent_imports_only_for_their_collectivite(client, agent_68):
    reponse = envoyer(client, modele_minimal())
    assert reponse.status_code == 422
    assert "qui n'est pas l'une des vôtres : seul un administrateur" in texte(reponse)
    assert not Collectivite.objects.filter(code_insee="90").exists()
    propre = modele_minimal(convention={"Code INSEE": "68", "Collectivité": "Département du Haut-Rhin"})
    assert envoyer(client, propre).status_code == 200


def test_a_pending_import_is_its_authors_only(client, agent_67, administrateur):
    autre = ImportEnAttente.objects.create(
        user=Collectivite.objects.get(code_insee="68").membres.first(), nom_fichier="x.xlsx", contenu=modele_minimal()
    )
    assert client.post(reverse("importation:confirmer", args=[autre.public_id])).status_code == 404
    assert not Collectivite.objects.filter(code_insee="90").exists()


def test_a_referent_cannot_import(client, referent):
    assert client.get(reverse("importation:importer")).status_code == 403


def test_the_export_of_an_exercice_is_the_template_filled(client, agent_68):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    reponse = client.get(reverse("importation:export", args=[exercice.public_id]))
    assert reponse.status_code == 200
    assert "Convention_Haut-Rhin_2019.xlsx" in reponse["Content-Disposition"]
    classeur = load_workbook(io.BytesIO(reponse.content))
    convention = {r[0].value: r[1].value for r in classeur["Convention"].iter_rows(max_col=2)}
    assert convention["Code INSEE"] == "68" and convention["Exercice"] == "2019"
    numeros = [r[0] for r in classeur["Fiches"].iter_rows(min_row=2, min_col=5, max_col=5, values_only=True)]
    assert numeros[:2] == ["ACTION 1", "ACTION 2"] and len(numeros) == 11
