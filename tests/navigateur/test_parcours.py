"""An agent's work in the browser: open a fiche, mistype an amount, read the message, correct it, save, see the new
total and the history entry; the live totals and indicator readings; axe-core on every main page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions.models import Fiche
from conventions.models import Exercice

from .conftest import capture, connecter, pages_principales, verifier_accessibilite

pytestmark = pytest.mark.django_db(transaction=True)

AGENT_68 = "agent.haut-rhin@demo.calpae.fr"


def fiche_action_1():
    return Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")


def test_amount_typo_message_correction_save_total_and_history(page, live_server):
    fiche = fiche_action_1()
    connecter(page, live_server, AGENT_68)
    page.goto(f"{live_server.url}/fiches/{fiche.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pour une structuration des dispositifs")
    page.get_by_role("link", name="Modifier le budget prévisionnel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget prévisionnel – Fiche ACTION 1")

    montant = page.get_by_label("Ligne 1 – Montant")
    page.wait_for_function("() => window.htmx !== undefined")  # the live totals are htmx's
    montant.fill("35 OOO")
    montant.press("Tab")  # the change event too, not only input
    # The server reads what is typed (htmx) and says what is wrong before any save.
    expect(page.locator("#apercu")).to_contain_text("Ligne 1, montant : « 35 OOO » n'est pas un montant en euros")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_lignes-0-montant-desc-error")).to_contain_text("n'est pas un montant en euros")
    expect(page.get_by_role("alert")).to_contain_text("Le budget n'est pas enregistré")
    expect(page.locator("main .fr-alert--error")).to_be_focused()  # the error summary, where the eyes go
    expect(page.get_by_label("Ligne 1 – Montant")).to_have_value("35 OOO")  # the input is kept as typed

    page.get_by_label("Ligne 1 – Montant").fill("35 000")
    page.get_by_label("Total indiqué").fill("35 000")
    page.get_by_label("Total indiqué").press("Tab")
    expect(page.locator("[data-total=lignes]")).to_have_text(re.compile(r"35\s000,00\s€"))
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(rf"/fiches/{fiche.public_id}/#budgets$"))
    expect(page.locator("body")).to_contain_text("Budget prévisionnel enregistré.")
    expect(page.locator("#budgets ~ p").first).to_contain_text(re.compile(r"Total : 35\s000,00\s€"))

    page.get_by_role("link", name="Voir l'historique").click()
    ligne = page.get_by_role("row").filter(has_text="Montant").first
    expect(ligne).to_contain_text(re.compile(r"30\s000,00\s€"))
    expect(ligne).to_contain_text(re.compile(r"35\s000,00\s€"))
    expect(page.locator("table tbody tr").first).to_contain_text("Dominique Agent Haut-Rhin")  # who, newest first


def test_budget_lines_are_added_and_moved_in_the_page(page, live_server):
    fiche = fiche_action_1()
    connecter(page, live_server, AGENT_68)
    page.goto(f"{live_server.url}/fiches/{fiche.public_id}/budgets/previsionnel/modifier/")
    page.get_by_role("button", name="Ajouter une ligne").click()
    nature = page.get_by_label("Ligne 2 – Nature de la dépense")
    expect(nature).to_be_visible()
    nature.fill("Formation des référents")
    page.get_by_label("Ligne 2 – Nombre d'unités").fill("4")
    page.get_by_label("Ligne 2 – Coût unitaire").fill("1 250,50")
    page.get_by_role("button", name="Monter la ligne 2").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("Budget prévisionnel enregistré.")
    libelles = list(fiche.budgets.get(nature="previsionnel").lignes.order_by("ordre").values_list("libelle", "montant"))
    assert libelles[0][0] == "Formation des référents" and str(libelles[0][1]) == "5002.00"


def test_indicator_reading_follows_the_typing(page, live_server):
    fiche = fiche_action_1()
    connecter(page, live_server, AGENT_68)
    page.goto(f"{live_server.url}/fiches/{fiche.public_id}/indicateurs/")
    cellule = page.get_by_label(re.compile(r"^Taux de jeunes sans logement.*Réalisé 2019$"))
    cellule.fill("95 %")
    lecture = page.locator(f"#{cellule.get_attribute('aria-describedby')}")
    expect(lecture).to_have_text(re.compile(r"taux : 95\s%"))
    cellule.fill("ND")
    expect(lecture).to_have_text("non disponible")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("1 valeur enregistrée.")


def test_main_pages_pass_axe_and_are_captured(page, live_server):
    fiche = fiche_action_1()
    exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
    connecter(page, live_server, AGENT_68)
    pages = {
        **pages_principales(fiche),
        "suivi": "/suivi/",
        # The public pages (footer), as every page shows them.
        "accessibilite": "/accessibilite/",
        "mentions_legales": "/mentions-legales/",
        "donnees_personnelles": "/donnees-personnelles/",
    }
    for nom, chemin in pages.items():
        page.goto(live_server.url + chemin)
        verifier_accessibilite(page)
        capture(page, nom)
    # A page with an error shown next to the fields is accessible too.
    page.goto(live_server.url + pages["budget_modifier"])
    page.get_by_label("Ligne 1 – Montant").fill("-5")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_lignes-0-montant-desc-error")).to_be_visible()
    verifier_accessibilite(page)
    capture(page, "budget_erreur")
    # A CeA budget whose lines are split between the State and the CeA (seed 003): the parts of the lines too.
    page.context.clear_cookies()
    connecter(page, live_server, "agent.alsace@demo.calpae.fr")
    cea = Fiche.objects.get(exercice__convention__cle="6ae-volet2-2024", cle="1")
    page.goto(f"{live_server.url}/fiches/{cea.public_id}/budgets/previsionnel/modifier/")
    expect(page.get_by_role("heading", name="Parts des lignes")).to_be_visible()
    verifier_accessibilite(page)
    capture(page, "budget_parts_des_lignes")
    # The Bas-Rhin synthesis (multi-year State parts), as its agent.
    page.context.clear_cookies()
    connecter(page, live_server, "agent.bas-rhin@demo.calpae.fr")
    page.goto(f"{live_server.url}/exercices/{exercice.public_id}/")
    verifier_accessibilite(page)
    capture(page, "exercice_synthese_bas_rhin")


def test_report_written_in_the_page_then_downloaded(page, live_server):
    fiche = fiche_action_1()
    exercice = fiche.exercice
    connecter(page, live_server, AGENT_68)
    page.goto(f"{live_server.url}/exercices/{exercice.public_id}/rapport/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport d'exécution 2019")
    verifier_accessibilite(page)
    capture(page, "rapport")
    page.locator(f"#fiche-{fiche.pk}").get_by_role("link", name=re.compile("^Rédiger")).click()
    verifier_accessibilite(page)
    bilan = page.get_by_label("Bilan d'exécution")
    bilan.fill("Montée en charge **importante** :\n- 30 jeunes suivis\n- 49 PPE")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("La section de la fiche ACTION 1 est enregistrée.")
    section = page.locator(f"#fiche-{fiche.pk}")
    expect(section.locator("strong", has_text="importante")).to_be_visible()
    expect(section.locator("li", has_text="49 PPE")).to_be_visible()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert telechargement.value.suggested_filename == "Rapport_execution_2019_Haut-Rhin.pdf"
    with open(telechargement.value.path(), "rb") as fichier:
        assert fichier.read(5) == b"%PDF-"


def test_the_review_cycle_in_the_browser(page, live_server):
    exercice = fiche_action_1().exercice
    rapport = f"{live_server.url}/exercices/{exercice.public_id}/rapport/"

    def en_tant_que(email):
        page.context.clear_cookies()
        connecter(page, live_server, email)
        page.goto(rapport)

    en_tant_que(AGENT_68)
    page.get_by_role("link", name="Transmettre à la préfecture").click()  # a confirmation first (test_journee.py)
    page.get_by_label(re.compile("^Points restants expliqués")).fill("Indicateurs de l'action 5 non produits en 2019.")
    page.get_by_role("button", name="Confirmer la transmission").click()
    expect(page.locator("body")).to_contain_text("Le rapport est transmis à la préfecture.")
    expect(page.locator("#revue")).to_contain_text("Version transmise n°1")

    en_tant_que("referent.prefecture@demo.calpae.fr")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Renvoyer pour compléments").click()
    # The error is where the eyes are: next to the field, in the review section, which has the focus.
    expect(page.locator("#motif-erreur")).to_contain_text("le renvoi exige un commentaire")
    expect(page.locator("#revue .fr-alert--error")).to_be_focused()
    expect(page.locator("#motif-erreur")).to_be_in_viewport()
    verifier_accessibilite(page)
    page.get_by_label("Ce qui est à compléter (obligatoire pour un renvoi)").fill(
        "Merci de préciser le bilan de l'action 2."
    )
    page.get_by_role("button", name="Renvoyer pour compléments").click()
    expect(page.locator("body")).to_contain_text("Le rapport est renvoyé pour compléments.")

    en_tant_que(AGENT_68)
    expect(page.locator("#revue")).to_contain_text("Merci de préciser le bilan de l'action 2.")
    page.locator("#revue details summary").click()
    page.locator("#revue").get_by_label("Commentaire", exact=True).fill("C'est fait : 42 jeunes accueillis.")
    page.locator("#revue").get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.locator("body")).to_contain_text("Commentaire envoyé.")
    page.get_by_role("link", name="Transmettre à la préfecture").click()
    page.get_by_label(re.compile("^Points restants expliqués")).fill("Indicateurs de l'action 5 non produits en 2019.")
    page.get_by_role("button", name="Confirmer la transmission").click()
    expect(page.locator("#revue")).to_contain_text("Version transmise n°2")

    en_tant_que("referent.prefecture@demo.calpae.fr")
    expect(page.locator("#revue")).to_contain_text("C'est fait : 42 jeunes accueillis.")
    page.get_by_role("link", name="Accepter le rapport").click()
    page.get_by_role("button", name="Confirmer l'acceptation").click()
    expect(page.locator("body")).to_contain_text("Le rapport est accepté.")
    expect(page.locator("#revue")).to_contain_text("Acceptation par")
    capture(page, "rapport_revue")


def test_referent_compares_collectivites_then_the_years_of_one(page, live_server):
    connecter(page, live_server, "referent.prefecture@demo.calpae.fr")
    page.get_by_role("link", name="Comparer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparer des exercices")
    # By default the latest exercice of each collectivité followed, with the chart.
    entetes = page.locator("#budgets + .fr-table thead th")
    expect(entetes).to_have_text(["Bas-Rhin 2019", "CeA 2024", "Haut-Rhin 2021-2022"])
    expect(page.locator("#graphique-comparaison-titre")).to_have_count(1)
    verifier_accessibilite(page)
    capture(page, "comparaison_collectivites")
    # The two years of the Haut-Rhin.
    # The choice is folded while a comparison is shown; DSFR draws the box on the label: a user clicks the label.
    page.locator("summary", has_text="Exercices comparés").click()
    for choix in ("Bas-Rhin – 2019", "CeA – 2024", "Haut-Rhin – 2019"):
        page.locator("label", has_text=choix).click()
    expect(page.get_by_label("Haut-Rhin – 2019 (convention initiale)")).to_be_checked()
    expect(page.get_by_label("CeA – 2024 (plan d'action)")).not_to_be_checked()
    page.get_by_role("button", name="Comparer").click()
    expect(entetes).to_have_text(["Haut-Rhin 2019", "Haut-Rhin 2021-2022"])
    ligne = page.get_by_role("row", name=re.compile("Nombre de contacts entreprises"))
    expect(ligne).to_contain_text("97 Réalisé 2019")
    expect(ligne).to_contain_text("140 Situation au 31-12-2020")
    verifier_accessibilite(page)
    capture(page, "comparaison_annees")
    # One exercice is not a comparison: the message stands next to the choice.
    page.locator("summary", has_text="Exercices comparés").click()
    page.locator("label", has_text="Haut-Rhin – 2019").click()
    page.get_by_role("button", name="Comparer").click()
    expect(page.locator("#id_exercices-desc-error")).to_contain_text("Choisissez au moins deux exercices.")


def test_a_long_report_pdf_arrives_after_the_waiting_page(page, live_server, settings):
    settings.CALPAE_PDF_SYNCHRONE_MAX_OCTETS = 0  # every report counts as long: laid out by the background job
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    connecter(page, live_server, AGENT_68)
    page.goto(f"{live_server.url}/exercices/{exercice.public_id}/rapport/")
    page.get_by_role("link", name="Télécharger le PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport d'exécution 2019 : PDF en préparation")
    # The page asks again by itself (htmx), without reloading, and offers the link once the PDF is ready.
    expect(page.get_by_text("Le PDF est prêt.")).to_be_visible()
    verifier_accessibilite(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert telechargement.value.suggested_filename == "Rapport_execution_2019_Haut-Rhin.pdf"
    assert Path(telechargement.value.path()).read_bytes()[:5] == b"%PDF-"
