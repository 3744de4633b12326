"""The référent's working day and the status lines: what waits for the référent first (home, dashboard), a sent-back
report's reason and the open comments first for the agent, status lines that say what is true now, the « transmis en
retard » mark, the confirmation of transmit and accept without JavaScript; fixed query counts."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from conventions.models import Exercice
from rapports.etat import etat_rapport
from rapports.models import Commentaire, Evenement
from rapports.services import (
    commentaire_ajouter,
    rapport_accepter,
    rapport_renvoyer,
    rapport_transmettre,
    refaction_decider,
)
from tests.factories import ExerciceFactory

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Les indicateurs de l'action 5 ne sont pas encore produits."


def client_de(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture
def referent_user():
    return User.objects.get(email="referent.prefecture@demo.calpae.fr")


@pytest.fixture
def agent_user():
    return User.objects.get(email="agent.haut-rhin@demo.calpae.fr")


@pytest.fixture
def haut_rhin():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


@pytest.fixture
def bas_rhin():
    return Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")


def a_la_date(exercice, type_evenement, jour):
    """The last event of that type dated `jour` at 10:00 (events are dated by the clock when written)."""
    moment = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10)))
    evenement = Evenement.objects.filter(rapport__exercice=exercice, type=type_evenement).latest("date", "pk")
    Evenement.objects.filter(pk=evenement.pk).update(date=moment)


def etat(exercice):
    """The report's state as loaded now (the fixture's exercice keeps the report it was read with)."""
    return etat_rapport(Exercice.objects.select_related("rapport").get(pk=exercice.pk))


def transmettre(exercice, user, jour):
    rapport_transmettre(exercice=exercice, user=user, justification=JUSTIFICATION, aujourd_hui=jour)
    a_la_date(exercice, Evenement.Type.TRANSMISSION, jour)


def test_status_lines_say_what_is_true_now(haut_rhin, agent_user, referent_user):
    assert haut_rhin.date_limite_rapport == datetime.date(2020, 3, 31)
    assert etat(haut_rhin).ligne == "À transmettre au plus tard le 31/03/2020"

    transmettre(haut_rhin, agent_user, datetime.date(2020, 3, 12))
    statut = etat(haut_rhin)
    assert statut.ligne == "Transmis le 12/03/2020" and not statut.transmis_en_retard

    rapport_renvoyer(exercice=haut_rhin, user=referent_user, motif="Le bilan de l'action 2 manque.")
    a_la_date(haut_rhin, Evenement.Type.RENVOI, datetime.date(2020, 3, 20))
    assert etat(haut_rhin).ligne == "Renvoyé le 20/03/2020 : Le bilan de l'action 2 manque."

    transmettre(haut_rhin, agent_user, datetime.date(2020, 4, 2))  # after the deadline
    statut = etat(haut_rhin)
    assert statut.transmis_en_retard
    assert statut.ligne == "Transmis le 02/04/2020 (après la date limite du 31/03/2020)"

    rapport_accepter(exercice=haut_rhin, user=referent_user, motif="")
    a_la_date(haut_rhin, Evenement.Type.ACCEPTATION, datetime.date(2020, 4, 10))
    statut = etat(haut_rhin)
    assert statut.ligne == "Accepté le 10/04/2020" and statut.transmis_en_retard

    agent = client_de(agent_user.email)
    for adresse in (
        reverse("rapports:rapport", args=[haut_rhin.public_id]),
        reverse("pages:exercice", args=[haut_rhin.public_id]),
        reverse("accueil"),
    ):
        page = texte(agent.get(adresse))
        assert "Accepté le 10/04/2020" in page, adresse
        assert "transmis en retard" in page, adresse
        assert "À transmettre au plus tard le 31/03/2020" not in page, adresse


def test_the_referents_home_lists_what_waits_for_them_first(haut_rhin, bas_rhin, agent_user, referent_user):
    agent_bas_rhin = User.objects.get(email="agent.bas-rhin@demo.calpae.fr")
    transmettre(haut_rhin, agent_user, datetime.date(2020, 3, 12))
    transmettre(bas_rhin, agent_bas_rhin, datetime.date(2020, 4, 5))  # later, and after its deadline
    commentaire_ajouter(exercice=haut_rhin, user=referent_user, texte="Précisez le public de l'action 1.")
    fil = Commentaire.objects.get(rapport__exercice=haut_rhin)
    commentaire_ajouter(exercice=haut_rhin, user=agent_user, texte="Les jeunes de 18 à 21 ans.", parent=fil)
    commentaire_ajouter(exercice=bas_rhin, user=referent_user, texte="Sans réponse encore.")  # the agents' turn

    page = texte(client_de(referent_user.email).get(reverse("accueil")))
    a_examiner = page.index("À examiner (2)")
    haut, bas = page.index("Département du Haut-Rhin, exercice 2019"), page.index("Département du Bas-Rhin")
    commentaires = page.index("Commentaires en attente de réponse (1)")
    retards = page.index("Rapports en retard")
    assert a_examiner < haut < bas < commentaires < retards  # oldest transmission first
    assert "Transmis le 12/03/2020" in page
    assert "Transmis le 05/04/2020 (après la date limite du 31/03/2020) transmis en retard" in page
    assert "Précisez le public de l'action 1." in page[commentaires:retards]
    assert "Sans réponse encore." not in page[commentaires:retards]

    # The dashboard in the same order: transmitted first (oldest first), then late.
    suivi = texte(client_de(referent_user.email).get(reverse("pages:suivi")))
    lignes = suivi[suivi.index("Collectivité Exercice Rapport") :]
    assert lignes.index("Département du Haut-Rhin 2019") < lignes.index("Département du Bas-Rhin 2019")
    assert lignes.index("Département du Bas-Rhin 2019") < lignes.index("2021-2022")
    assert "à examiner" in lignes and "transmis en retard" in lignes


def test_the_agents_home_features_the_sent_back_report(haut_rhin, agent_user, referent_user):
    transmettre(haut_rhin, agent_user, datetime.date(2020, 3, 12))
    rapport_renvoyer(exercice=haut_rhin, user=referent_user, motif="Le bilan de l'action 2 manque.")
    commentaire_ajouter(exercice=haut_rhin, user=referent_user, texte="Et le public de l'action 1 ?")
    agent = client_de(agent_user.email)

    page = texte(agent.get(reverse("accueil")))
    assert "Rapport renvoyé pour compléments : Département du Haut-Rhin, 2019" in page
    assert page.index("Le bilan de l'action 2 manque.") < page.index("Et le public de l'action 1 ?")
    assert "votre réponse est attendue" in page

    rapport = texte(agent.get(reverse("rapports:rapport", args=[haut_rhin.public_id])))
    assert "Renvoyé pour compléments le" in rapport
    assert rapport.index("Ce que demande la préfecture Le bilan de l'action 2 manque.") < rapport.index(
        "Avant de transmettre"
    )
    assert rapport.index("1 commentaire ouvert") < rapport.index("Avant de transmettre")


def test_transmit_and_accept_ask_for_confirmation_without_javascript(haut_rhin, agent_user, referent_user):
    agent = client_de(agent_user.email)
    adresse = reverse("rapports:rapport", args=[haut_rhin.public_id])
    html = agent.get(adresse).content.decode()
    # The button is a link to the page with the confirmation open; the real form is in a closed modal.
    assert 'href="?confirmer=transmettre#modale-transmettre"' in html
    assert '<dialog id="modale-transmettre" class="fr-modal"' in html
    ouverte = agent.get(adresse, {"confirmer": "transmettre"}).content.decode()
    assert '<dialog id="modale-transmettre" class="fr-modal fr-modal--opened"' in ouverte
    formulaire = ouverte[ouverte.index('id="modale-transmettre"') :]
    assert f'action="{reverse("rapports:transmettre", args=[haut_rhin.public_id])}"' in formulaire
    assert "Confirmer la transmission" in formulaire

    # Refused (the remaining points unexplained): the modal again, open, the message next to the field.
    refus = agent.post(reverse("rapports:transmettre", args=[haut_rhin.public_id]), {"justification": ""})
    assert refus.status_code == 422
    html = refus.content.decode()
    assert '<dialog id="modale-transmettre" class="fr-modal fr-modal--opened"' in html
    assert 'aria-describedby="justification-erreur"' in html

    transmettre(haut_rhin, agent_user, datetime.date(2020, 3, 12))
    referent = client_de(referent_user.email)
    html = referent.get(adresse).content.decode()
    assert 'href="?confirmer=accepter#modale-accepter"' in html
    ouverte = referent.get(adresse, {"confirmer": "accepter"}).content.decode()
    assert '<dialog id="modale-accepter" class="fr-modal fr-modal--opened"' in ouverte
    assert "Confirmer l'acceptation" in texte(referent.get(adresse, {"confirmer": "accepter"}))
    # An unknown `confirmer` opens nothing.
    assert "fr-modal--opened" not in referent.get(adresse, {"confirmer": "supprimer"}).content.decode()


def compter(client, adresse):
    client.get(adresse)
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(adresse)
    assert reponse.status_code == 200, adresse
    return len(requetes)


def test_query_counts_of_home_report_and_dashboard_do_not_grow(haut_rhin, bas_rhin, agent_user, referent_user):
    agent, referent = client_de(agent_user.email), client_de(referent_user.email)
    pages = {
        "accueil agent": (agent, reverse("accueil")),
        "accueil référent": (referent, reverse("accueil")),
        "rapport": (referent, reverse("rapports:rapport", args=[haut_rhin.public_id])),
        "suivi": (referent, reverse("pages:suivi")),
    }
    # A report sent back with one comment: the agent's home features it.
    transmettre(haut_rhin, agent_user, datetime.date(2020, 3, 12))
    rapport_renvoyer(exercice=haut_rhin, user=referent_user, motif="À compléter.")
    commentaire_ajouter(exercice=haut_rhin, user=referent_user, texte="Question")
    avant = {nom: compter(client, adresse) for nom, (client, adresse) in pages.items()}

    # Many more comments and answers, another report transmitted, a réfaction, more exercices followed.
    for rang in range(5):
        commentaire_ajouter(exercice=haut_rhin, user=referent_user, texte=f"Question {rang}")
    for fil in Commentaire.objects.filter(rapport__exercice=haut_rhin):
        commentaire_ajouter(exercice=haut_rhin, user=agent_user, texte="Réponse", parent=fil)
    transmettre(bas_rhin, User.objects.get(email="agent.bas-rhin@demo.calpae.fr"), datetime.date(2020, 3, 1))
    commentaire_ajouter(exercice=bas_rhin, user=referent_user, texte="Question")
    refaction_decider(
        exercice=haut_rhin,
        user=referent_user,
        montant=1,
        motif="Motif",
        date_decision=datetime.date(2020, 6, 1),
        version_read=0,
    )
    for annee in (2020, 2021):
        ExerciceFactory(convention=bas_rhin.convention, annee=annee, libelle=str(annee))
    apres = {nom: compter(client, adresse) for nom, (client, adresse) in pages.items()}

    assert apres == avant
    assert max(avant.values()) <= 40, avant
