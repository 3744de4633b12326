"""The délibération and signature block: the Département writes who signs and when its assembly deliberates, on the
report's avant-propos page; a wrong date is refused next to its field, with nothing typed lost."""

import datetime

import pytest
from django.urls import reverse

from conventions.models import Exercice
from rapports.models import Rapport
from rapports.pdf import html_rapport
from rapports.selectors import charger_exercice
from tests.pages.test_pages import texte

pytestmark = pytest.mark.django_db


def haut_rhin_2019():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


def formulaire(rapport, **champs):
    return {
        "version": rapport.version,
        "avant_propos": rapport.avant_propos,
        "bilan_global": "",
        "date_edition": "2020-03-01",
        "deliberation_instance": "Assemblée départementale",
        "deliberation_date": "2020-03-27",
        "signataire_nom": "Brigitte Klinkert",
        "signataire_qualite": "Présidente du Conseil départemental",
        **champs,
    }


def test_the_agent_writes_who_signs_and_the_deliberation_date(client, agent_68):
    exercice = haut_rhin_2019()
    rapport = Rapport.objects.get(exercice=exercice)
    url = reverse("rapports:avant_propos", args=[exercice.public_id])
    page = texte(client.get(url))
    assert "Avant-propos, délibération et signature" in page
    assert "Date de la délibération" in page and "Nom du signataire" in page and "Qualité du signataire" in page
    assert client.post(url, formulaire(rapport)).status_code == 302
    rapport.refresh_from_db()
    assert rapport.deliberation_date == datetime.date(2020, 3, 27)
    assert (rapport.signataire_nom, rapport.signataire_qualite) == (
        "Brigitte Klinkert",
        "Présidente du Conseil départemental",
    )
    html = html_rapport(charger_exercice(exercice))
    assert "Délibération du 27/03/2020" in html and "Brigitte Klinkert" in html


def test_a_wrong_date_is_refused_next_to_its_field_and_nothing_typed_is_lost(client, agent_68):
    exercice = haut_rhin_2019()
    rapport = Rapport.objects.get(exercice=exercice)
    url = reverse("rapports:avant_propos", args=[exercice.public_id])
    reponse = client.post(url, formulaire(rapport, deliberation_date="31/02/2020", signataire_nom="Nom saisi"))
    assert reponse.status_code == 200
    page = texte(reponse)
    assert "Saisissez une date valide." in page and "Rien n'est enregistré" in page
    assert 'value="Nom saisi"' in reponse.content.decode()
    rapport.refresh_from_db()
    assert rapport.signataire_nom == "" and rapport.deliberation_date is None


def test_a_reader_cannot_change_the_signature_block(client, referent):
    exercice = haut_rhin_2019()
    rapport = Rapport.objects.get(exercice=exercice)
    url = reverse("rapports:avant_propos", args=[exercice.public_id])
    assert client.post(url, formulaire(rapport)).status_code == 403
    rapport.refresh_from_db()
    assert rapport.signataire_nom == ""
