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
