import re

from django.urls import reverse
from playwright.sync_api import expect

from .conftest import capture, connecter, verifier_accessibilite

AGENT_68 = "agent.haut-rhin@demo.calpae.fr"


def test_connexion_puis_accueil(page, live_server):
    page.goto(live_server.url + reverse("accueil"))
    expect(page).to_have_url(re.compile(re.escape(reverse("comptes:connexion")) + r"\?next=/$"))
    expect(page.get_by_role("heading", level=1, name="Connexion à CALPAE")).to_be_visible()
    expect(page).to_have_title(re.compile("CALPAE"))
    verifier_accessibilite(page)
    capture(page, "connexion")

    page.get_by_label("Adresse électronique").fill(AGENT_68)
    page.get_by_label("Mot de passe", exact=True).fill("calpae-demo-2026")
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(live_server.url + reverse("accueil"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    verifier_accessibilite(page)
    capture(page, "accueil_agent")


def test_connecter_aide(page, live_server):
    connecter(page, live_server, AGENT_68)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_mauvais_mot_de_passe(page, live_server):
    page.goto(live_server.url + reverse("comptes:connexion"))
    page.get_by_label("Adresse électronique").fill(AGENT_68)
    page.get_by_label("Mot de passe", exact=True).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("alert")).to_contain_text("Adresse électronique ou mot de passe incorrect")
    expect(page).to_have_url(re.compile(re.escape(reverse("comptes:connexion"))))
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    verifier_accessibilite(page)
