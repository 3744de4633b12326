"""A new collectivité's whole cycle in the browser, without an administrator after its account: a convention and its
exercice, three fiches with their parts, an indicator table, the report written and transmitted; then next year's
avenant prepared, an amount changed, a fiche ended, and the page of what changes."""

import re

import pytest
from playwright.sync_api import expect

from comptes.enums import Role
from comptes.models import User
from conventions.models import Collectivite

from .conftest import capture, connecter, verifier_accessibilite

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL, MOT_DE_PASSE = "agent@territoiredebelfort.fr", "Un-mot-de-passe-2026"
FICHES = [
    (
        "A – Fiches actions - Engagements du socle",
        "ACTION 1",
        "Prévenir les sorties sèches de l'ASE",
        "100 000",
        "120 000",
    ),
    (
        "A – Fiches actions - Engagements du socle",
        "ACTION 2",
        "Premier accueil social inconditionnel",
        "50 000",
        "60 000",
    ),
    (
        "B – Fiches actions - Engagements à l'initiative du département",
        "ACTION 3",
        "Mobilité vers l'emploi",
        "30 000",
        "30 000",
    ),
]


def test_a_new_collectivite_runs_its_cycle_in_the_pages(page, live_server):
    collectivite = Collectivite.objects.create(
        code_insee="90",
        nom="Département du Territoire de Belfort",
        nom_court="Territoire de Belfort",
        type="departement",
    )
    agent = User.objects.create_user(email=EMAIL, password=MOT_DE_PASSE, role=Role.AGENT, first_name="Camille")
    agent.collectivites.set([collectivite])
    connecter(page, live_server, EMAIL, MOT_DE_PASSE)

    # The convention and its first exercice.
    page.get_by_role("link", name="Créer une convention").click()
    verifier_accessibilite(page)
    page.locator("#id_date_debut").fill("01/01/2024")
    page.locator("#id_date_fin").fill("31/12/2026")
    page.locator("#id_montant_etat").fill("180 000")
    page.locator("#id_libelle").fill("2024")
    page.locator("#id_exercice_debut").fill("01/01/2024")
    page.locator("#id_exercice_fin").fill("31/12/2024")
    page.get_by_role("button", name="Créer la convention").click()
    expect(page.locator("body")).to_contain_text("La convention et son exercice 2024 sont créés")
    exercice_url = page.url

    # Three fiches with their parts, one screen each.
    page.get_by_role("link", name="Les fiches (0)").click()
    page.get_by_role("link", name="Ajouter une fiche").click()
    verifier_accessibilite(page)
    for rang, (groupe, numero, titre, etat, collectivite_part) in enumerate(FICHES):
        page.locator("#id_groupe").select_option(label=groupe)
        page.locator("#id_numero").fill(numero)
        page.locator("#id_titre").fill(titre)
        page.locator("#id_part_etat").fill(etat)
        page.locator("#id_part_collectivite").fill(collectivite_part)
        dernier = rang == len(FICHES) - 1
        page.get_by_role("button", name="Créer la fiche" if dernier else "Créer et ajouter une autre fiche").click()
        expect(page.locator("body")).to_contain_text(f"La fiche {numero} est créée avec son budget prévisionnel.")

    # An indicator table for the last fiche, and its first values.
    page.get_by_role("link", name="Nouveau tableau d'indicateurs").click()
    page.locator("#id_titre").fill("Indicateurs de la mobilité")
    page.locator("#id_colonnes").fill("Objectif 2024\nRéalisé au 31/12/2024")
    page.locator("#id_indicateurs").fill("Personnes accompagnées\nPermis obtenus")
    page.get_by_role("button", name="Créer le tableau").click()
    expect(page.locator("body")).to_contain_text("Le tableau d'indicateurs est créé")
    page.locator("main input[type=text]").first.fill("40")
    page.locator("main").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("1 valeur enregistrée.")

    # The synthesis: the convention's 180 000 € against the fiches' State parts.
    page.goto(exercice_url)
    expect(page.locator("#convention")).to_be_visible()
    expect(page.locator("body")).to_contain_text(re.compile(r"Total A\+B\s+180\s000,00\s€\s+210\s000,00\s€"))
    capture(page, "nouvelle_collectivite_exercice")

    # The report: the avant-propos, then the transmission with what is still missing explained.
    page.get_by_role("link", name="Le rapport d'exécution").click()
    page.get_by_role("link", name="Modifier l'avant-propos").click()
    page.get_by_label("Avant-propos").fill("Première année de la convention du Territoire de Belfort.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Transmettre à la préfecture").click()
    page.get_by_label(re.compile("^Points restants expliqués")).fill("Les bilans suivront au second semestre.")
    page.get_by_role("button", name="Confirmer la transmission").click()
    expect(page.locator("body")).to_contain_text("Le rapport est transmis à la préfecture.")

    # Next year: the avenant prepared from 2024, ACTION 2 not carried forward.
    page.goto(exercice_url)
    page.get_by_role("link", name="Préparer l'avenant suivant").click()
    verifier_accessibilite(page)
    expect(page.locator("#id_libelle")).to_have_value("2025")
    page.get_by_text("ACTION 2 : Premier accueil social inconditionnel").click()  # the DSFR box is drawn by its label
    expect(page.get_by_label("ACTION 2 : Premier accueil social inconditionnel")).not_to_be_checked()
    page.locator("#id_motif_arret").fill("Le premier accueil passe au schéma départemental.")
    page.get_by_role("button", name="Créer l'exercice suivant").click()
    expect(page.locator("body")).to_contain_text("L'exercice 2025 est prêt avec 2 fiche(s) reconduite(s)")
    expect(page.locator("body")).to_contain_text("Arrêtées : 1")
    changements_url = page.url

    # An amount changed in the avenant, then what changes.
    page.get_by_role("link", name="ACTION 1").click()
    page.get_by_role("link", name="Modifier le budget prévisionnel").click()
    page.get_by_label("Part 1 – Montant").fill("110 000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("Budget prévisionnel enregistré.")
    page.goto(changements_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que change l'exercice 2025")
    verifier_accessibilite(page)
    ligne = page.get_by_role("row").filter(has_text="Prévenir les sorties sèches")
    expect(ligne).to_contain_text("modifiée")
    expect(ligne).to_contain_text(re.compile(r"\+10\s000,00\s€"))
    arretee = page.get_by_role("row").filter(has_text="Premier accueil social")
    expect(arretee).to_contain_text("arrêtée")
    expect(arretee).to_contain_text("Le premier accueil passe au schéma départemental.")
    capture(page, "avenant_changements")
