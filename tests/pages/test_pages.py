"""The staff pages on the seed data: what each shows, and that nobody sees another collectivité's data."""

import re

import pytest
from django.urls import reverse

from actions.models import Fiche
from budgets.graphique import HAUTEUR_BARRE
from conventions.models import Exercice

from .conftest import pages_exercice, pages_fiche

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def texte(reponse):
    """The page's visible text, spaces normalised (amounts use no-break spaces)."""
    html = reponse.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(NBSP, " ").replace("&#x27;", "'").split())


@pytest.mark.parametrize(
    ("email", "convention", "libelle"),
    [
        ("agent.haut-rhin@demo.calpae.fr", "68-2019-2021", "2019"),
        ("agent.bas-rhin@demo.calpae.fr", "67-2019-2021", "2019"),
        ("agent.alsace@demo.calpae.fr", "6ae-volet2-2024", "2024"),
        ("agent.alsace@demo.calpae.fr", "68-2019-2021", "2021-2022"),
        ("referent.prefecture@demo.calpae.fr", "67-2019-2021", "2019"),
        ("admin@demo.calpae.fr", "6ae-volet2-2024", "2024"),
    ],
)
def test_every_page_opens_for_each_demo_account(client, email, convention, libelle):
    from comptes.models import User

    client.force_login(User.objects.get(email=email))
    assert client.get("/").status_code == 200
    exercice = Exercice.objects.get(convention__cle=convention, libelle=libelle)
    for nom, url in pages_exercice(exercice).items():
        assert client.get(url).status_code == 200, nom
    lecture_seule = {"fiche", "historique"}
    for fiche in Fiche.objects.filter(exercice=exercice).order_by("ordre")[:3]:
        for nom, url in pages_fiche(fiche).items():
            attendu = 200 if nom in lecture_seule or email.startswith("agent") else 403
            assert client.get(url).status_code == attendu, (nom, url)


def test_home_shows_deadline_incomplete_items_and_warnings_with_links(client, agent_68, fiche_68):
    reponse = client.get("/")
    page = texte(reponse)
    # The exercice to work on is the most recent one (the avenant 2021-2022 signed by the CeA for the Haut-Rhin).
    assert "Exercice en cours : Collectivité européenne d'Alsace Haut-Rhin, 2021-2022" in page
    assert "au plus tard le 31/03/2023" in page
    assert re.search(r"En retard de \d+ jours", page)
    assert "16 fiches, 16 à compléter" in page
    assert "budget exécuté non renseigné" in page
    assert "le total indiqué (51 156,00 €) n'est pas la somme des lignes (48 182,00 €)" in page
    html = reponse.content.decode()
    action6 = Fiche.objects.get(exercice__libelle="2021-2022", exercice__convention__cle="68-2019-2021", cle="socle-6")
    assert f'href="/fiches/{action6.public_id}/#budgets"' in html
    # Both exercices of the Haut-Rhin are listed, with their report deadline.
    assert "31/03/2020" in page and "31/03/2023" in page


def test_home_counts_days_left_before_the_deadline(client, agent_68, exercice_68):
    import datetime

    Exercice.objects.filter(convention__cle="68-2019-2021").update(
        date_limite_rapport=datetime.date.today() + datetime.timedelta(days=12)
    )
    page = texte(client.get("/"))
    assert "12 jours restants" in page


def test_synthesis_table_gives_totals_parity_and_chart(client, agent_67, exercice_67):
    reponse = client.get(reverse("pages:exercice", args=[exercice_67.public_id]))
    page = texte(reponse)
    # Seed 002: the State's part per year, Total A and B, Total A+B = 1 125 000 € for 2019.
    assert "Part État par année" in page
    # 2019, 2020, 2021, then the State's and the collectivité's parts counted for the exercice 2019.
    assert "Total A 725 000,00 € 1 103 000,00 € 1 672 000,00 € 725 000,00 € 725 000,00 €" in page
    assert "Total B 400 000,00 € 400 000,00 € 400 000,00 € 400 000,00 €" in page
    assert "Total A+B 1 125 000,00 €" in page
    html = reponse.content.decode()
    assert (
        html.count(f'height="{HAUTEUR_BARRE}" fill=') == 2 * Fiche.objects.filter(exercice=exercice_67).count()
    )  # two bars each
    assert '<title id="graphique-parite-titre">Part de l&#x27;État et part de la collectivité par fiche</title>' in html
    assert "fr-badge--success" in html


def test_synthesis_shows_a_parity_breach(client, agent_cea):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022")
    page = texte(client.get(reverse("pages:exercice", args=[exercice.public_id])))
    # 000 action 7 is State-only: the collectivité's part is not stated.
    assert "Non respectée" in page
    assert "Parité non respectée : la part de la collectivité n'est pas chiffrée" in page


def test_fiches_list_filters_and_sorts(client, agent_68, exercice_68):
    url = reverse("pages:fiches", args=[exercice_68.public_id])
    page = texte(client.get(url))
    assert "Fiches de l'exercice 2019 (11 sur 11)" in page
    assert "229 775,00 €" in page  # 001 action 7: the parts add up to 229 775 €
    page = texte(client.get(url, {"alertes": "oui"}))
    assert "(1 sur 11)" in page and "Vers un renforcement de l'accompagnement des BrSa" in page
    groupe_b = exercice_68.groupes.get(code="B")
    page = texte(client.get(url, {"groupe": groupe_b.pk}))
    assert "(4 sur 11)" in page and "Ambassadeurs du bénévolat" in page
    page = texte(client.get(url, {"incomplete": "oui"}))
    assert "(1 sur 11)" in page and "4 indicateurs sans valeur pour le dernier jalon" in page
    page = texte(client.get(url, {"recherche": "parrainage"}))
    assert "(1 sur 11)" in page
    html = client.get(url, {"sort": "-total"}).content.decode()
    assert html.index(f"229{NBSP}775,00") < html.index(f"30{NBSP}000,00")
    assert 'aria-sort="descending"' in html


def test_fiche_page_shows_texts_budgets_indicators_lineage(client, agent_68, fiche_68):
    page = texte(client.get(reverse("pages:fiche", args=[fiche_68.public_id])))
    assert "Pour une structuration des dispositifs de préparation à l'autonomie" in page
    assert "Budget prévisionnel" in page and "30 000,00 €" in page and "15 000,00 €" in page
    assert "Budget exécuté" in page
    assert "Nombre de jeunes majeurs sortant de l'ASE ayant pu choisir leur personne lien" in page
    assert "Réalisé 2019 jalon de l'exercice" in page
    # Lineage: the same action in the avenant 2021-2022.
    assert "Exercice 2021-2022 – ACTION 1.1" in page


def test_fiche_page_lists_its_warnings(client, agent_68, exercice_68):
    fiche = Fiche.objects.get(exercice=exercice_68, cle="socle-7")
    page = texte(client.get(reverse("pages:fiche", args=[fiche.public_id])))
    assert "1 alerte de cohérence" in page
    assert "le total indiqué (229 675,00 €) n'est pas la somme des parts (229 775,00 €)" in page


@pytest.mark.parametrize("nom", ["fiche", "modifier", "historique", "budget_previsionnel", "indicateurs"])
def test_another_collectivites_fiche_is_not_found(client, agent_67, fiche_68, nom):
    assert client.get(pages_fiche(fiche_68)[nom]).status_code == 404


@pytest.mark.parametrize("nom", ["exercice", "liste"])
def test_another_collectivites_exercice_is_not_found(client, agent_67, exercice_68, nom):
    assert client.get(pages_exercice(exercice_68)[nom]).status_code == 404


def test_another_collectivites_data_never_appears(client, agent_67):
    page = texte(client.get("/"))
    assert "Haut-Rhin" not in page and "Alsace" not in page


def test_posts_to_another_collectivites_fiche_are_refused(client, agent_67, fiche_68):
    titre = fiche_68.titre
    reponse = client.post(reverse("actions:modifier", args=[fiche_68.public_id]), {"titre": "x", "version": 1})
    assert reponse.status_code == 404
    fiche_68.refresh_from_db()
    assert fiche_68.titre == titre


def test_login_is_required(client, fiche_68):
    reponse = client.get(reverse("pages:fiche", args=[fiche_68.public_id]))
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]


def test_the_convention_state_amount_is_checked_on_the_exercice_page_and_the_dashboard(client, referent, exercice_67):
    """Seed 002: the convention's 1 125 000 € for 2019 equal the fiches' State parts; one part changed, both pages say
    so, with the figures."""
    from budgets.models import Part

    url = reverse("pages:exercice", args=[exercice_67.public_id])
    page = texte(client.get(url))
    assert "Montant de l'État prévu par la convention" in page
    assert "2019 1 125 000,00 € prévisionnel 1 125 000,00 € Concordants" in page
    suivi = texte(client.get(reverse("pages:suivi")))
    assert "montant convention" not in suivi

    part = Part.objects.get(budget__fiche__exercice=exercice_67, budget__fiche__cle="4-3", annee=2019)
    part.montant += 5000
    part.save()
    page = texte(client.get(url))
    assert "2019 1 125 000,00 € prévisionnel 1 130 000,00 € Écart" in page
    assert "Les parts de l'État des fiches pour 2019 totalisent 1 130 000,00 €" in page
    assert "montant convention" in texte(client.get(reverse("pages:suivi")))


def test_the_fiches_search_ignores_accents_and_case(client, agent_68, exercice_68):
    url = reverse("pages:fiches", args=[exercice_68.public_id])
    for recherche in ("benevolat", "BÉNÉVOLAT", "Ambassadeurs benevolat"):
        page = texte(client.get(url, {"recherche": recherche}))
        assert "Ambassadeurs du bénévolat" in page and "(1 sur 11)" in page, recherche
    page = texte(client.get(url, {"recherche": "mobilite"}))
    assert "La mobilité au service de l'emploi" in page


def test_the_fiches_list_is_exported_as_shown(client, agent_68, exercice_68):
    import io

    from openpyxl import load_workbook

    url = reverse("pages:fiches", args=[exercice_68.public_id])
    reponse = client.get(url, {"recherche": "benevolat", "export": "xlsx"})
    assert reponse.status_code == 200 and "Fiches_Haut-Rhin_2019.xlsx" in reponse["Content-Disposition"]
    feuille = load_workbook(io.BytesIO(reponse.content))["Fiches"]
    rangees = list(feuille.iter_rows(values_only=True))
    assert rangees[0][:3] == ("N°", "Titre", "Annexe")
    assert [r[1] for r in rangees[1:]] == ["Ambassadeurs du bénévolat"]
    tout = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))["Fiches"]
    action_7 = next(r for r in tout.iter_rows(values_only=True) if r[0] == "ACTION 7")
    assert action_7[5:7] == (229775, 229675)  # planned as the sum of the parts, the declared total beside it


def test_a_fiches_texts_are_rendered_as_in_the_pdf_not_as_raw_markdown(client, agent_68):
    from actions.models import Fiche

    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-7")
    html = client.get(reverse("pages:fiche", args=[fiche.public_id])).content.decode()
    assert "**" not in html.split("<main")[1]  # « Total année pleine : **229 675€** » is bold, not starred
    assert "<strong>" in html
