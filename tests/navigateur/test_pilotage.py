"""The State's views in a browser: the national account sees every collectivité and the map of France; the regional
account (Grand Est) sees only its région's, another région's exercice answers 404. axe on the page, at 1280 px and
390 px, no sideways scrolling of the page, screenshots (CALPAE_CAPTURES=1)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conventions.models import Exercice
from exemples.demo_nationale import charger_demo_nationale

from .conftest import capture, connecter, verifier_accessibilite
from .test_telephone import verifier_largeur

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_national_account_sees_every_collectivite_and_the_map(page, live_server, browser):
    charger_demo_nationale(fiches=2, log=lambda message: None)
    connecter(page, live_server, "national@demo.calpae.fr")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Pilotage", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage des conventions")
    carte = page.locator("svg.calpae-carte")
    expect(carte.locator("rect")).to_have_count(101)
    expect(carte.locator("a")).to_have_count(101)  # every département has a collectivité's exercice
    expect(page.locator("table.calpae-pilotage tbody tr")).to_have_count(102)  # 99 fictive + 67, 68, 6AE
    expect(page.locator("main")).to_contain_text("France entière")
    expect(page.locator("main")).to_contain_text("données fictives")
    verifier_accessibilite(page)
    capture(page, "pilotage_national_1280")

    page.get_by_role("link", name="Couleur : taux d'exécution").click()
    expect(page.locator(".calpae-legende")).to_contain_text("100 % ou plus")
    verifier_accessibilite(page)

    page.locator("#id_region").select_option(label="Grand Est")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("table.calpae-pilotage tbody tr")).to_have_count(11)  # 8 fictive + 67, 68, 6AE

    # A tile is a link to its exercice.
    page.locator('svg.calpae-carte a[aria-label^="Haut-Rhin (68)"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("exercice 2021-2022")

    contexte = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    telephone = contexte.new_page()
    connecter(telephone, live_server, "national@demo.calpae.fr")
    telephone.goto(live_server.url + reverse("pages:pilotage"))
    expect(telephone.locator("svg.calpae-carte rect")).to_have_count(101)
    verifier_largeur(telephone)
    verifier_accessibilite(telephone)
    capture(telephone, "pilotage_national_390")
    contexte.close()


def test_the_regional_account_sees_only_its_region(page, live_server):
    charger_demo_nationale(fiches=2, log=lambda message: None)
    connecter(page, live_server, "region.grand-est@demo.calpae.fr")
    page.goto(live_server.url + reverse("pages:pilotage"))
    expect(page.locator("table.calpae-pilotage tbody tr")).to_have_count(11)  # 8 fictive + 67, 68, 6AE
    expect(page.locator("table.calpae-pilotage")).to_contain_text("Haut-Rhin")
    expect(page.locator("table.calpae-pilotage")).not_to_contain_text("Gironde")
    expect(page.locator("svg.calpae-carte a")).to_have_count(10)  # its ten départements; the other tiles are not links
    verifier_accessibilite(page)
    capture(page, "pilotage_regional_1280")

    ailleurs = Exercice.objects.filter(convention__collectivite__code_insee="33").first()
    reponse = page.goto(live_server.url + reverse("pages:exercice", args=[ailleurs.public_id]))
    assert reponse.status == 404
    chez_soi = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    assert page.goto(live_server.url + reverse("rapports:rapport", args=[chez_soi.public_id])).status == 200
    expect(page.get_by_role("button", name="Transmettre")).to_have_count(0)
