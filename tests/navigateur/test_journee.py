"""The référent's day in the browser: their home lists a transmitted report first; transmit and accept ask for
confirmation in a DSFR modal, opened in place with JavaScript, on its own page without."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from comptes.models import User
from conventions.models import Exercice
from rapports.models import Rapport
from rapports.services import rapport_transmettre

from .conftest import capture, connecter, verifier_accessibilite

pytestmark = pytest.mark.django_db(transaction=True)

AGENT_68 = "agent.haut-rhin@demo.calpae.fr"
REFERENT = "referent.prefecture@demo.calpae.fr"
JUSTIFICATION = "Les indicateurs de l'action 5 ne sont pas encore produits."


def haut_rhin_2019():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


def test_the_referents_home_lists_a_transmitted_report_first(page, live_server):
    exercice = haut_rhin_2019()
    agent = User.objects.get(email=AGENT_68)
    rapport_transmettre(
        exercice=exercice, user=agent, justification=JUSTIFICATION, aujourd_hui=datetime.date(2020, 3, 12)
    )

    connecter(page, live_server, REFERENT)
    page.goto(live_server.url + "/")
    premiere_section = page.locator("main section").first
    expect(premiere_section.get_by_role("heading", level=2)).to_have_text("À examiner (1)")
    expect(premiere_section.get_by_role("listitem").first).to_contain_text("Département du Haut-Rhin, exercice 2019")
    expect(premiere_section.get_by_role("listitem").first).to_contain_text("Transmis le")
    verifier_accessibilite(page)
    capture(page, "accueil_referent")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(premiere_section.get_by_role("link", name=re.compile("Haut-Rhin, exercice 2019"))).to_be_in_viewport()
    capture(page, "accueil_referent_telephone")

    premiere_section.get_by_role("link", name=re.compile("Haut-Rhin, exercice 2019")).click()
    expect(page.locator("#statut-rapport")).to_contain_text("Transmis le")
    expect(page.locator("#statut-rapport")).not_to_contain_text("À transmettre au plus tard")


def _transmettre_puis_accepter(page, live_server, *, javascript):
    exercice = haut_rhin_2019()
    rapport = f"{live_server.url}/exercices/{exercice.public_id}/rapport/"
    connecter(page, live_server, AGENT_68)
    page.goto(rapport)
    modale = page.locator("#modale-transmettre")
    expect(modale).to_be_hidden()

    page.get_by_role("link", name="Transmettre à la préfecture").click()
    expect(modale).to_be_visible()
    expect(modale).to_contain_text("Transmettre le rapport à la préfecture ?")
    if javascript:
        expect(page).to_have_url(rapport)  # opened in place, no new page
    else:
        expect(page).to_have_url(re.compile(r"\?confirmer=transmettre"))
    if javascript:  # axe and the capture run scripts in the page: not in a browser without JavaScript
        expect(modale).to_have_css("opacity", "1")  # the modal fades in: axe reads its colours once it is there
        verifier_accessibilite(page)
        capture(page, "confirmation_transmettre")
    modale.get_by_role("link", name="Annuler").click()  # nothing done
    expect(modale).to_be_hidden()
    assert not Rapport.objects.filter(exercice=exercice, statut="transmis").exists()

    page.get_by_role("link", name="Transmettre à la préfecture").click()
    modale.get_by_role("button", name="Confirmer la transmission").click()  # the explanation missing: refused
    expect(page.locator("#justification-erreur")).to_contain_text("expliquez-les avant de transmettre")
    expect(modale).to_be_visible()
    modale.get_by_label(re.compile("^Points restants expliqués")).fill(JUSTIFICATION)
    modale.get_by_role("button", name="Confirmer la transmission").click()
    expect(page.locator("body")).to_contain_text("Le rapport est transmis à la préfecture.")
    expect(page.locator("#statut-rapport")).to_contain_text("Transmis le")

    page.context.clear_cookies()
    connecter(page, live_server, REFERENT)
    page.goto(rapport)
    if javascript:  # the référent's page: the decision's buttons and the réfaction form
        verifier_accessibilite(page)
    page.get_by_role("link", name="Accepter le rapport").click()
    modale = page.locator("#modale-accepter")
    expect(modale).to_be_visible()
    assert Rapport.objects.get(exercice=exercice).statut == "transmis"  # not yet: the confirmation first
    modale.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("body")).to_contain_text("Le rapport est accepté.")
    expect(page.locator("#statut-rapport")).to_contain_text("Accepté le")


def test_transmit_and_accept_ask_for_confirmation_with_javascript(page, live_server):
    _transmettre_puis_accepter(page, live_server, javascript=True)


def test_transmit_and_accept_ask_for_confirmation_without_javascript(browser, browser_context_args, live_server):
    contexte = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        _transmettre_puis_accepter(contexte.new_page(), live_server, javascript=False)
    finally:
        contexte.close()
