"""The error pages are French, say why, and offer a way back (rendered with DEBUG off, as in production)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from actions.models import Fiche
from tests.pages.test_pages import texte

pytestmark = pytest.mark.django_db


def test_403_says_what_the_user_may_not_do_and_where_to_go(client, referent):
    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")
    reponse = client.get(reverse("actions:modifier", args=[fiche.public_id]))
    assert reponse.status_code == 403
    assert '<html lang="fr"' in reponse.content.decode()
    page = texte(reponse)
    assert "Accès refusé" in page and "Vous pouvez consulter cette fiche, pas la modifier." in page
    assert "Revenir à l'accueil" in page


def test_404_in_french_with_a_way_back(client, agent_67):
    reponse = client.get("/exercices/00000000-0000-0000-0000-000000000000/")
    assert reponse.status_code == 404
    page = texte(reponse)
    assert "Page introuvable" in page and "Revenir à l'accueil" in page


@override_settings(DEBUG=False)
def test_500_in_french(client, agent_67):
    from django.views.defaults import server_error

    reponse = server_error(client.get("/").wsgi_request)
    assert reponse.status_code == 500
    contenu = reponse.content.decode()
    assert '<html lang="fr">' in contenu and "Erreur du service" in contenu and "Revenir à l'accueil" in contenu
