"""The pages a State service owes its users: public, in French, linked from every page's footer through the URL names
django-dsfr's footer resolves; their figures are the settings'."""

import pytest
from django.urls import reverse

from tests.pages.test_pages import texte

pytestmark = pytest.mark.django_db

PUBLIQUES = {
    "footer-accessibility-status": "Déclaration d'accessibilité",
    "footer-legal-notice": "Mentions légales",
    "footer-personal-data": "Données personnelles",
}


@pytest.mark.parametrize(("route", "titre"), PUBLIQUES.items())
def test_public_french_and_dsfr(client, route, titre, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # DsfrConfig (the footer's conformity status), nothing else
        reponse = client.get(reverse(route))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert '<html lang="fr"' in contenu and f"<h1>{titre}</h1>" in contenu and "fr-footer" in contenu
    assert "Cache-Control" not in reponse  # public: nothing personal in it


@pytest.mark.parametrize("connecte", [False, True])
def test_every_page_footer_links_the_three(client, connecte, agent_68, mot_de_passe_demo):
    if not connecte:
        client.logout()
    pages = [reverse("comptes:connexion"), reverse("footer-legal-notice")]
    if connecte:
        pages = [reverse("accueil"), reverse("pages:suivi"), reverse("comptes:compte")]
    for adresse in pages:
        contenu = client.get(adresse).content.decode()
        pied = contenu[contenu.index('<footer class="fr-footer"') :]
        for route in PUBLIQUES:
            assert f'href="{reverse(route)}"' in pied, (adresse, route)
        assert "Accessibilité : non conforme" in texte_de(pied)
        assert "Plan du site" not in pied and "Gestion des cookies" not in pied  # no such page: no dead link


def texte_de(html):
    return " ".join(html.replace("\u00a0", " ").split())


def test_accessibility_statement_says_what_the_footer_says(client):
    page = texte(client.get(reverse("footer-accessibility-status")))
    assert "CALPAE est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA)" in page
    assert "Aucun audit de conformité au RGAA n'a encore été réalisé" in page
    assert "axe-core" in page and "WCAG 2.1" in page
    assert "Défenseur des droits" in page and "09 69 39 00 00" in page
    assert "ne sont pas balisés" in page  # what is not accessible yet


def test_accessibility_status_follows_the_site_configuration(client):
    from dsfr.models import DsfrConfig

    DsfrConfig.objects.filter(language="fr").update(accessibility_status="PART")
    assert "CALPAE est partiellement conforme" in texte(client.get(reverse("footer-accessibility-status")))
    assert "Accessibilité : partiellement conforme" in texte(client.get(reverse("footer-legal-notice")))


def test_legal_notice_reads_publisher_and_host_from_the_settings(client, settings):
    settings.CALPAE_HEBERGEUR = "Hébergeur Exemple SAS"
    settings.CALPAE_HEBERGEUR_ADRESSE = "1 rue de l'Exemple, 75000 Paris"
    settings.CALPAE_EDITEUR = "Préfecture de l'Exemple"
    page = texte(client.get(reverse("footer-legal-notice")))
    assert "Hébergeur Exemple SAS" in page and "1 rue de l'Exemple, 75000 Paris" in page
    assert "Préfecture de l'Exemple" in page
    assert "ne mesure pas l'audience" in page


def test_personal_data_durations_are_the_settings(client, settings):
    settings.CALPAE_SESSION_INACTIVITE = 2 * 3600
    settings.CALPAE_SESSION_DUREE_MAX = 10 * 3600
    settings.AXES_COOLOFF_TIME = 0.5
    settings.AXES_FAILURE_LIMIT = 7
    settings.CALPAE_CONTACT = "dpo@exemple.gouv.fr"
    page = texte(client.get(reverse("footer-personal-data")))
    assert "après 2 heures sans activité, et au plus tard 10 heures après la connexion" in page
    assert "après 7 échecs" in page and "bloquée 30 minutes" in page
    assert "valable 1 jour" in page  # PASSWORD_RESET_TIMEOUT
    for donnee in ("Nom, prénom, adresse électronique", "Rôle", "collectivités", "Historique des modifications"):
        assert donnee in page
    assert "Tentatives de connexion échouées" in page and "dpo@exemple.gouv.fr" in page
    assert "ne dépose que deux cookies" in page


def test_only_the_session_and_csrf_cookies(client, mot_de_passe_demo):
    client.logout()
    reponse = client.post(
        reverse("comptes:connexion"), {"username": "agent.haut-rhin@demo.calpae.fr", "password": mot_de_passe_demo}
    )
    client.get(reverse("accueil"))
    assert set(client.cookies) <= {"sessionid", "csrftoken"}
    assert reponse.status_code == 302


@pytest.mark.parametrize(
    ("secondes", "mots"),
    [(14400, "4 heures"), (900, "15 minutes"), (5400, "1 heure 30 minutes"), (86400, "1 jour"), (0, "0 seconde")],
)
def test_durations_in_words(secondes, mots):
    from core.templatetags.formats import duree

    assert duree(secondes).replace("\u00a0", " ") == mots
