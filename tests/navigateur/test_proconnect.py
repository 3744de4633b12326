"""Signing in with ProConnect in the browser: the button, the provider (its pages stubbed by a redirect back with a
code, its endpoints by the fake provider of tests/comptes), the linked account's home page; the logout through
ProConnect's session end; a refusal page that passes axe."""

import re
from urllib.parse import unquote

import pytest
import responses
from django.urls import reverse
from playwright.sync_api import expect

from comptes.models import User
from tests.comptes.proconnect_factice import DOMAINE, FournisseurFactice, reglages

from .conftest import capture, verifier_accessibilite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fournisseur(settings, page):
    for nom, valeur in reglages().items():
        setattr(settings, nom, valeur)
    # As calpae/settings/base.py sets it when ProConnect is enabled: the forms' redirects may go to ProConnect.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    directives = {**directives, "form-action": [*directives["form-action"], DOMAINE]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        faux = FournisseurFactice(rsps)
        faux.pages_vues = []

        def pages_du_fournisseur(route):
            """ProConnect's pages in the browser: the person signs in there, and is sent back (stubbed redirect)."""
            url = route.request.url
            if url.startswith(f"{DOMAINE}/api/v2/authorize"):
                retour, _ = faux.autoriser(url)
            else:  # the end of the session: back to the address CALPAE gave
                assert url.startswith(f"{DOMAINE}/api/v2/session/end?")
                retour = unquote(re.search(r"post_logout_redirect_uri=([^&]+)", url).group(1))
            faux.pages_vues.append(url.split("?")[0])
            route.fulfill(status=302, headers={"Location": retour})

        page.route(f"{DOMAINE}/**", pages_du_fournisseur)
        yield faux


def test_sign_in_with_proconnect_lands_on_the_linked_account_home(page, live_server, fournisseur):
    fournisseur.se_presente(sub="sub-dominique", email="agent.haut-rhin@demo.calpae.fr")
    page.goto(live_server.url + reverse("accueil"))
    expect(page.get_by_role("heading", level=1, name="Connexion à CALPAE")).to_be_visible()
    verifier_accessibilite(page)
    capture(page, "connexion_proconnect")

    page.get_by_role("button", name="S'identifier avec ProConnect").click()

    expect(page).to_have_url(live_server.url + reverse("accueil"))
    expect(page.get_by_role("link", name="Dominique Agent Haut-Rhin")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Département du Haut-Rhin")
    assert User.objects.get(email="agent.haut-rhin@demo.calpae.fr").proconnect_sub == "sub-dominique"

    # The logout goes through ProConnect (its session ends too) and comes back to the sign-in page.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("comptes:connexion"))))
    expect(page.get_by_role("button", name="S'identifier avec ProConnect")).to_be_visible()
    assert fournisseur.pages_vues == [f"{DOMAINE}/api/v2/authorize", f"{DOMAINE}/api/v2/session/end"]


def test_an_unknown_person_reads_whom_to_ask(page, live_server, fournisseur):
    fournisseur.se_presente(sub="sub-inconnu", email="personne@prefecture.gouv.fr")
    page.goto(live_server.url + reverse("comptes:connexion"))
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion avec ProConnect impossible")
    expect(page.locator("main")).to_contain_text("Aucun compte CALPAE n'est ouvert à l'adresse personne@prefecture")
    verifier_accessibilite(page)
    capture(page, "proconnect_inconnu")
