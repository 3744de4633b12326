"""The collectivité's own management pages: a convention with its first exercice, fiches with their parts, an
indicator table; bad input refused next to the field with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Fiche
from comptes.enums import Role
from comptes.models import User
from conventions.models import Collectivite, Convention, Exercice, MontantEtatAnnuel
from indicateurs.grilles import charger_tableaux
from rapports.selectors import charger_exercice
from tests.pages.test_pages import texte

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_belfort(client):
    collectivite = Collectivite.objects.create(
        code_insee="90",
        nom="Département du Territoire de Belfort",
        nom_court="Territoire de Belfort",
        type="departement",
    )
    agent = User.objects.create_user(email="agent@territoiredebelfort.fr", password="x-Un-mot-2026", role=Role.AGENT)
    agent.collectivites.set([collectivite])
    client.force_login(agent)
    return collectivite


CONVENTION = {
    "intitule": "Convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi",
    "date_debut": "01/01/2024",
    "date_fin": "31/12/2026",
    "montant_etat": "313 000,00",
    "libelle": "2024",
    "acte": "convention",
    "exercice_debut": "01/01/2024",
    "exercice_fin": "31/12/2024",
    "date_limite_rapport": "",
}


def test_a_new_collectivites_agent_creates_a_convention_with_its_first_exercice(client, agent_belfort):
    url = reverse("gestion:convention_nouvelle")
    assert client.get(url).status_code == 200
    reponse = client.post(url, {**CONVENTION, "collectivite": agent_belfort.pk})
    exercice = Exercice.objects.get(convention__collectivite=agent_belfort)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("pages:exercice", args=[exercice.public_id])
    assert exercice.date_limite_rapport == datetime.date(2025, 3, 31)
    assert [g.code for g in exercice.groupes.order_by("ordre")] == ["A", "B"]
    # 313 000,00 typed the French way is 313 000 €, never 31 300 000 €, for each year of the convention.
    assert list(MontantEtatAnnuel.objects.filter(convention=exercice.convention).values_list("annee", "montant")) == [
        (2024, Decimal("313000.00")),
        (2025, Decimal("313000.00")),
        (2026, Decimal("313000.00")),
    ]
    page = texte(client.get(reponse["Location"]))
    assert "La convention et son exercice 2024 sont créés" in page
    assert "2024 313 000,00 € prévisionnel 0,00 € Écart" in page  # no fiche yet: the check says so


def test_bad_convention_input_is_refused_next_to_the_field(client, agent_belfort):
    mauvais = {
        **CONVENTION,
        "collectivite": agent_belfort.pk,
        "date_fin": "31/12/2023",
        "exercice_fin": "2024-12-31",
        "montant_etat": "313 OOO",
    }
    reponse = client.post(reverse("gestion:convention_nouvelle"), mauvais)
    assert reponse.status_code == 422
    page = texte(reponse)
    assert "La fin de la convention précède son début." in page
    assert "Saisissez une date au format jj/mm/aaaa" in page
    assert "« 313 OOO » n'est pas un montant en euros" in page
    assert 'value="313 OOO"' in reponse.content.decode()  # what was typed is kept
    assert not Convention.objects.filter(collectivite=agent_belfort).exists()
    dehors = {**CONVENTION, "collectivite": agent_belfort.pk, "exercice_fin": "31/12/2027"}
    assert "L'exercice sort de la période de la convention" in texte(
        client.post(reverse("gestion:convention_nouvelle"), dehors)
    )


def test_an_agent_chooses_only_among_their_collectivites(client, agent_belfort):
    autre = Collectivite.objects.get(code_insee="67")
    reponse = client.post(reverse("gestion:convention_nouvelle"), {**CONVENTION, "collectivite": autre.pk})
    assert reponse.status_code == 422
    assert "Sélectionnez un choix valide" in texte(reponse)
    assert not Convention.objects.filter(collectivite=autre, date_debut=datetime.date(2024, 1, 1)).exists()


def creer_exercice(client, collectivite):
    client.post(reverse("gestion:convention_nouvelle"), {**CONVENTION, "collectivite": collectivite.pk})
    return Exercice.objects.get(convention__collectivite=collectivite)


def test_fiches_are_created_with_their_parts_and_a_number_is_one_fiche(client, agent_belfort):
    exercice = creer_exercice(client, agent_belfort)
    url = reverse("gestion:fiche_nouvelle", args=[exercice.public_id])
    socle, initiatives = exercice.groupes.order_by("ordre")
    fiche = {
        "groupe": socle.pk,
        "numero": "ACTION 1",
        "titre": "Prévenir les sorties sèches de l'ASE",
        "theme": "Enfants et jeunes",
        "part_etat": "100 000",
        "part_collectivite": "120 000,50 €",
        "autres": "",
    }
    reponse = client.post(url, {**fiche, "encore": "1"})
    assert reponse.status_code == 302 and reponse["Location"] == url
    reponse = client.post(url, fiche)
    assert reponse.status_code == 422
    assert "L'annexe A a déjà une fiche « ACTION 1 » : un numéro par fiche." in texte(reponse)
    assert client.post(url, {**fiche, "groupe": initiatives.pk, "part_etat": "-5"}).status_code == 422
    assert client.post(url, {**fiche, "groupe": initiatives.pk}).status_code == 302  # the same number in annex B
    lu = charger_exercice(exercice)
    assert [(f.fiche.numero, f.groupe_racine.code, f.montants.etat, f.montants.collectivite) for f in lu.fiches] == [
        ("ACTION 1", "A", Decimal("100000.00"), Decimal("120000.50")),
        ("ACTION 1", "B", Decimal("100000.00"), Decimal("120000.50")),
    ]
    assert lu.fiches[0].fiche.action_id != lu.fiches[1].fiche.action_id  # each starts its own lineage


def test_an_indicator_table_is_defined_in_plain_lines(client, agent_belfort):
    exercice = creer_exercice(client, agent_belfort)
    client.post(
        reverse("gestion:fiche_nouvelle", args=[exercice.public_id]),
        {"groupe": exercice.groupes.get(code="A").pk, "numero": "1", "titre": "Fiche", "theme": ""},
    )
    fiche = Fiche.objects.get(exercice=exercice)
    url = reverse("gestion:tableau_nouveau", args=[fiche.public_id])
    donnees = {
        "titre": "Indicateurs de l'action 1",
        "theme": "Enfants",
        "colonnes": "Situation au 31/12/2023\nObjectif 2024\nRéalisé au 31/12/2024",
        "indicateurs": "Nombre de jeunes accompagnés\n- dont filles\n- dont garçons\nTaux de sortie positive",
        "dimension": "Territoire",
        "valeurs_dimension": "Nord, Sud",
        "fiches": [fiche.pk],
    }
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("indicateurs:saisie", args=[fiche.public_id])
    (grille,) = charger_tableaux([exercice])[exercice.pk]
    assert [(j.libelle, j.type, j.date) for j in grille.jalons] == [
        ("Situation au 31/12/2023", "situation", datetime.date(2023, 12, 31)),
        ("Objectif 2024", "objectif", None),
        ("Réalisé au 31/12/2024", "realise", datetime.date(2024, 12, 31)),
    ]
    assert grille.jalon_courant.libelle == "Réalisé au 31/12/2024"
    assert [(r.indicateur.libelle, r.profondeur, r.dimension) for r in grille.lignes] == [
        ("Nombre de jeunes accompagnés", 0, ""),
        ("dont filles", 1, "Nord"),
        ("dont filles", 1, "Sud"),
        ("dont garçons", 1, "Nord"),
        ("dont garçons", 1, "Sud"),
        ("Taux de sortie positive", 0, "Nord"),
        ("Taux de sortie positive", 0, "Sud"),
    ]
    mauvais = {**donnees, "colonnes": "", "indicateurs": "- orphelin", "valeurs_dimension": ""}
    reponse = client.post(url, mauvais)
    assert reponse.status_code == 422
    page = texte(reponse)
    assert "Ce champ est obligatoire." in page  # the columns
    assert "Un sous-item (« - … ») suit l'indicateur dont il dépend." in page
    assert "Indiquez les valeurs de la ventilation" in page


def test_a_referent_and_an_agent_of_another_collectivite_create_nothing(client, referent):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    assert client.get(reverse("gestion:convention_nouvelle")).status_code == 403
    assert client.get(reverse("gestion:fiche_nouvelle", args=[exercice.public_id])).status_code == 403


def formsets_vides(**valeurs):
    donnees = {}
    for prefixe in ("signataires", "deliberations", "montants"):
        donnees |= {f"{prefixe}-TOTAL_FORMS": 0, f"{prefixe}-INITIAL_FORMS": 0}
    return donnees | valeurs


def test_a_convention_is_edited_with_its_signatories_deliberations_and_amounts(client, agent_belfort):
    exercice = creer_exercice(client, agent_belfort)
    convention = exercice.convention
    url = reverse("gestion:convention_modifier", args=[convention.public_id])
    assert client.get(url).status_code == 200
    montants = list(convention.montants_etat.order_by("annee"))
    donnees = {
        "version": convention.version,
        "intitule": convention.intitule,
        "date_debut": "01/01/2024",
        "date_fin": "31/12/2026",
        "date_signature": "15/03/2024",
        "lieu_signature": "Belfort",
        "notes": "",
        "signataires-TOTAL_FORMS": 1,
        "signataires-INITIAL_FORMS": 0,
        "signataires-0-partie": "etat",
        "signataires-0-nom": "Le préfet du Territoire de Belfort",
        "signataires-0-qualite": "Préfet",
        "deliberations-TOTAL_FORMS": 0,
        "deliberations-INITIAL_FORMS": 0,
        "montants-TOTAL_FORMS": len(montants),
        "montants-INITIAL_FORMS": len(montants),
    }
    for rang, montant in enumerate(montants):
        donnees |= {
            f"montants-{rang}-id": montant.pk,
            f"montants-{rang}-annee": montant.annee,
            f"montants-{rang}-nature": montant.nature,
            f"montants-{rang}-montant": "313 000,00" if rang == 0 else "200 000",
        }
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302
    convention.refresh_from_db()
    assert (convention.lieu_signature, convention.date_signature) == ("Belfort", datetime.date(2024, 3, 15))
    assert convention.signataires.get().nom == "Le préfet du Territoire de Belfort"
    assert [m.montant for m in convention.montants_etat.order_by("annee")] == [
        Decimal("313000.00"),
        Decimal("200000.00"),
        Decimal("200000.00"),
    ]
    # The same form again, read before that save: the conflict page, nothing lost.
    reponse = client.post(url, {**donnees, "lieu_signature": "Ailleurs"})
    assert reponse.status_code == 409 and "Enregistrement refusé" in texte(reponse)
    convention.refresh_from_db()
    assert convention.lieu_signature == "Belfort"
    # A period that would leave an exercice outside it, a wrong amount: refused next to the field.
    mauvais = {**donnees, "version": convention.version, "date_fin": "30/06/2024", "montants-0-montant": "3,1,3"}
    reponse = client.post(url, mauvais)
    assert reponse.status_code == 422
    page = texte(reponse)
    assert "L'exercice 2024 sortirait de la période" in page and "« 3,1,3 » n'est pas un montant" in page


def test_a_sub_group_is_added_to_an_annex_and_its_code_is_unique(client, agent_belfort):
    exercice = creer_exercice(client, agent_belfort)
    url = reverse("gestion:groupes", args=[exercice.public_id])
    annexe_b = exercice.groupes.get(code="B")
    reponse = client.post(url, {"parent": annexe_b.pk, "code": "B1", "libelle": "Actions cofinancées"})
    assert reponse.status_code == 302
    groupe = exercice.groupes.get(code="B1")
    assert (groupe.parent, groupe.type) == (annexe_b, "initiative")
    reponse = client.post(url, {"parent": annexe_b.pk, "code": "B1", "libelle": "Doublon"})
    assert reponse.status_code == 422 and "L'exercice a déjà un groupe « B1 »" in texte(reponse)
    assert "B1 Actions cofinancées B 0" in texte(client.get(url))
