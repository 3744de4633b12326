"""The first hour on a 390 px phone: sign in, open the menu, reach the fiches list, search without accents, open a
budget and save an amount, open the account page, sign out. Every main page at 390 px: axe, no sideways scrolling
of the page (wide tables scroll inside their own frame), a screenshot."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Fiche

from .conftest import capture, connecter, pages_principales, verifier_accessibilite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def telephone(browser):
    contexte = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    yield contexte.new_page()
    contexte.close()


def test_an_agent_works_from_a_phone(telephone, live_server):
    page = telephone
    connecter(page, live_server, "agent.haut-rhin@demo.calpae.fr")
    # The header's tools are behind the menu button.
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#menu-mobile")
    expect(menu.get_by_role("link", name="Comparer")).to_be_visible()
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    # axe measures colours: wait until the modal has finished fading in (a busy machine is slow to).
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#menu-mobile')).opacity === '1'"
        " && document.getAnimations().every(a => a.playState !== 'running')"
    )
    verifier_accessibilite(page)
    capture(page, "menu_390")
    menu.get_by_role("button", name="Fermer").click()

    page.get_by_role("link", name="Les fiches de l'exercice").first.click()
    page.locator("#id_recherche").fill("benevolat")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("table")).to_contain_text("Ambassadeurs du bénévolat")
    capture(page, "fiches_390")
    page.get_by_role("link", name="Ambassadeurs du bénévolat").click()
    page.get_by_role("link", name="Modifier le budget prévisionnel").click()
    page.wait_for_function("() => window.htmx !== undefined")
    part = page.get_by_label("Part 1 – Montant")
    part.fill("16 000")
    part.press("Tab")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("Budget prévisionnel enregistré.")

    page.get_by_role("button", name="Menu").click()
    page.locator("#menu-mobile").get_by_role("link", name=re.compile("Agent Haut-Rhin")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.locator("main")).to_contain_text("Département du Haut-Rhin")
    verifier_accessibilite(page)
    page.locator("main").get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile("/comptes/connexion/"))


def verifier_largeur(page, largeur=390):
    """The page itself never scrolls sideways: what is wider (tables) scrolls within its own frame."""
    __tracebackhide__ = True
    debordants = page.evaluate(
        """(largeur) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > largeur + 1 && !e.closest('.fr-table, .fr-table__wrapper,'
                + ' .fr-table__container, [data-defilement], .fr-modal:not(.fr-modal--opened)')
                && getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'))
            .slice(0, 5)""",
        largeur,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= largeur, f"{page.url} déborde : {debordants}"


def test_main_pages_at_390_px(telephone, live_server):
    page = telephone
    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")
    connecter(page, live_server, "agent.haut-rhin@demo.calpae.fr")
    for nom, chemin in pages_principales(fiche).items():
        page.goto(live_server.url + chemin)
        verifier_largeur(page)
        verifier_accessibilite(page)
        capture(page, f"{nom}_390")
    page.context.clear_cookies()
    connecter(page, live_server, "referent.prefecture@demo.calpae.fr")
    for nom, chemin in {"suivi": "/suivi/", "comparaison_collectivites": "/comparaison/"}.items():
        page.goto(live_server.url + chemin)
        verifier_largeur(page)
        verifier_accessibilite(page)
        capture(page, f"{nom}_390")


@pytest.mark.parametrize("largeur", [1024, 1280])
def test_the_marianne_block_is_never_clipped(browser, live_server, largeur):
    """An administrator's header holds the most tools: « RÉPUBLIQUE FRANÇAISE » stays whole beside them."""
    contexte = browser.new_context(viewport={"width": largeur, "height": 900})
    page = contexte.new_page()
    connecter(page, live_server, "admin@demo.calpae.fr")
    bloc = page.locator(".fr-header__brand-top")
    assert bloc.evaluate("e => e.scrollWidth <= e.clientWidth"), "le bloc-marque est rogné"
    expect(page.locator(".fr-header__tools")).to_contain_text("Administration")
    verifier_largeur(page, largeur)
    contexte.close()
