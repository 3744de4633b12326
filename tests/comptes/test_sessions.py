"""Sessions end: after an idle time, and after a maximum time whatever the activity (docs/production.md)."""

import time

import pytest
from django.urls import reverse

from comptes.sessions import CLE_ACTIVITE, CLE_DEBUT

pytestmark = pytest.mark.django_db


def vieillir(client, **decalages):
    session = client.session
    for cle, secondes in decalages.items():
        session[cle] = int(time.time()) - secondes
    session.save()


def test_a_fresh_session_goes_on(client, agent_67):
    assert client.get(reverse("accueil")).status_code == 200
    assert CLE_DEBUT in client.session and CLE_ACTIVITE in client.session


def test_an_idle_session_ends_with_a_message(client, agent_67, settings):
    settings.CALPAE_SESSION_INACTIVITE = 3600
    vieillir(client, **{CLE_ACTIVITE: 3601})
    reponse = client.get(reverse("pages:suivi"), follow=True)
    assert reponse.redirect_chain[0][0].startswith(reverse("comptes:connexion"))
    assert "Votre session a expiré" in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_ends_after_its_maximum_even_when_active(client, agent_67, settings):
    settings.CALPAE_SESSION_DUREE_MAX = 8 * 3600
    vieillir(client, **{CLE_DEBUT: 8 * 3600 + 1, CLE_ACTIVITE: 10})
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("comptes:connexion"))


def test_activity_is_recorded_at_most_once_a_minute(client, agent_67):
    vieillir(client, **{CLE_ACTIVITE: 120})
    client.get(reverse("accueil"))
    assert time.time() - client.session[CLE_ACTIVITE] < 5


def _avant_propos_interrompu(client, settings):
    from conventions.models import Exercice

    exercice = Exercice.objects.get(convention__cle="6ae-volet2-2024", libelle="2024")
    url = reverse("rapports:avant_propos", args=[exercice.public_id])
    settings.CALPAE_SESSION_INACTIVITE = 3600
    vieillir(client, **{CLE_ACTIVITE: 3601})
    envoi = {"version": 0, "avant_propos": "Trois heures de rédaction.\nDeuxième paragraphe.", "bilan_global": ""}
    reponse = client.post(url, envoi, follow=True)
    return exercice, url, reponse


def test_a_form_sent_after_the_session_ended_is_offered_again_to_its_author(client, agent_cea, settings):
    from rapports.models import Rapport

    exercice, url, reponse = _avant_propos_interrompu(client, settings)
    assert reponse.redirect_chain[0][0].startswith(reverse("comptes:connexion"))
    assert "votre saisie vous sera proposée à nouveau" in reponse.content.decode()
    assert not Rapport.objects.filter(exercice=exercice).exists()  # nothing saved while signed out

    client.force_login(agent_cea)
    page = client.get(url).content.decode()
    assert "Votre saisie n’a pas encore été enregistrée" in page
    assert "Trois heures de rédaction." in page and 'name="avant_propos"' in page and 'name="version" value="0"' in page
    # Sent again, as the page's form does: saved, through the view's own checks.
    assert client.post(url, {"version": 0, "avant_propos": "Trois heures de rédaction.", "bilan_global": ""})
    assert Rapport.objects.get(exercice=exercice).avant_propos == "Trois heures de rédaction."
    # Offered once: the page is the plain form again.
    assert "Votre saisie n’a pas encore été enregistrée" not in client.get(url).content.decode()


def test_an_interrupted_form_is_not_shown_to_someone_else_signing_in(client, agent_cea, settings):
    from comptes.models import User

    _exercice, url, _reponse = _avant_propos_interrompu(client, settings)
    client.force_login(User.objects.get(email="admin@demo.calpae.fr"))
    assert "Trois heures" not in client.get(reverse("accueil")).content.decode()
    client.force_login(agent_cea)
    assert "Trois heures" not in client.get(url).content.decode()  # dropped, not kept for later
