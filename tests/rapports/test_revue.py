"""The review cycle: the agent transmits, the référent sends back with a comment, the agent completes and transmits
again, the référent accepts. Every step on record, what was sent frozen, editing locked while under review."""

import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Fiche
from comptes.models import User
from conventions.models import Exercice
from core.telechargement import lire
from rapports.models import Commentaire, Evenement, Rapport, SectionRapport, VersionTransmise

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Les indicateurs de l'action 5 ne sont pas encore produits par le système d'information."


@pytest.fixture
def exercice():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


@pytest.fixture
def agent():
    client = Client()
    client.force_login(User.objects.get(email="agent.haut-rhin@demo.calpae.fr"))
    return client


@pytest.fixture
def referent():
    client = Client()
    client.force_login(User.objects.get(email="referent.prefecture@demo.calpae.fr"))
    return client


def url(nom, exercice):
    return reverse(f"rapports:{nom}", args=[exercice.public_id])


def test_the_whole_cycle(exercice, agent, referent):
    # The completeness panel is not clear (ACTION 5's indicators): transmitting needs an explanation.
    reponse = agent.post(url("transmettre", exercice), {"justification": ""})
    assert reponse.status_code == 422  # the page again, the message next to the field (not at the top)
    assert "Il reste 1 point(s) à compléter : expliquez-les avant de transmettre." in texte(reponse)
    assert 'aria-describedby="justification-erreur"' in reponse.content.decode()
    assert Rapport.objects.get(exercice=exercice).statut == "brouillon"

    assert agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION}).status_code == 302
    rapport = Rapport.objects.get(exercice=exercice)
    assert rapport.statut == "transmis"
    v1 = VersionTransmise.objects.get(rapport=rapport, numero=1)
    assert v1.justification == JUSTIFICATION and v1.avant_date_limite is False  # 31/03/2020 is long past
    assert len(PdfReader(io.BytesIO(lire(v1.pdf))).pages) > 20
    assert [m.to for m in mail.outbox] == [["referent.prefecture@demo.calpae.fr"]]
    assert "transmis" in mail.outbox[0].subject and "version n°1" in mail.outbox[0].body
    # The link is absolute, at the application's public address.
    assert f"Le rapport : http://127.0.0.1:8000/exercices/{exercice.public_id}/rapport/" in mail.outbox[0].body

    # Frozen while under review: no editing of the report or of the fiches.
    fiche = Fiche.objects.get(exercice=exercice, cle="socle-1")
    assert agent.get(reverse("actions:modifier", args=[fiche.public_id])).status_code == 403
    assert agent.get(url("avant_propos", exercice)).status_code == 403
    assert agent.post(url("transmettre", exercice)).status_code == 403

    # The référent cannot send back without saying why, then does.
    reponse = referent.post(url("renvoyer", exercice), {"motif": " "})
    assert reponse.status_code == 422 and "le renvoi exige un commentaire" in texte(reponse)
    champ = reponse.content.decode().split('id="motif"', 1)[1]
    assert champ.startswith(' name="motif" rows="4" aria-invalid="true" aria-describedby="motif-erreur">')
    assert Rapport.objects.get(exercice=exercice).statut == "transmis"
    motif = "Merci de compléter le bilan de l'action 2 avec le nombre de jeunes accueillis."
    assert referent.post(url("renvoyer", exercice), {"motif": motif}).status_code == 302
    assert Rapport.objects.get(exercice=exercice).statut == "renvoye"
    # The Haut-Rhin's agent, and the CeA's, which succeeded it.
    assert set(mail.outbox[-1].to) == {"agent.alsace@demo.calpae.fr", "agent.haut-rhin@demo.calpae.fr"}
    assert motif in mail.outbox[-1].body

    # The agent completes and transmits again: version 2; version 1 is unchanged.
    action2 = Fiche.objects.get(exercice=exercice, cle="socle-2")
    SectionRapport.objects.filter(rapport=rapport, fiche=action2).update(bilan="42 jeunes accueillis en 2019.")
    pdf_v1 = lire(VersionTransmise.objects.get(rapport=rapport, numero=1).pdf)
    assert agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION}).status_code == 302
    v2 = VersionTransmise.objects.get(rapport=rapport, numero=2)
    texte_v2 = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(lire(v2.pdf))).pages)
    assert "42 jeunes accueillis en 2019." in texte_v2
    assert lire(VersionTransmise.objects.get(rapport=rapport, numero=1).pdf) == pdf_v1

    assert referent.post(url("accepter", exercice), {"motif": ""}).status_code == 302
    assert Rapport.objects.get(exercice=exercice).statut == "accepte"
    # Accepted: the exercice is locked for good.
    assert agent.get(reverse("budgets:modifier", args=[fiche.public_id, "execute"])).status_code == 403
    assert agent.post(url("transmettre", exercice)).status_code == 403

    # Every step on record, visible to both sides.
    assert list(Evenement.objects.filter(rapport=rapport).values_list("type", "statut_avant", "statut_apres")) == [
        ("transmission", "brouillon", "transmis"),
        ("renvoi", "transmis", "renvoye"),
        ("transmission", "renvoye", "transmis"),
        ("acceptation", "transmis", "accepte"),
    ]
    for client in (agent, referent):
        page = texte(client.get(url("rapport", exercice)))
        assert "Renvoi pour compléments par" in page and motif in page
        assert "Version transmise n°1" in page and "Version transmise n°2" in page


def test_transmitted_versions_are_downloadable_as_sent(exercice, agent, referent):
    agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION})
    lien = reverse("rapports:version", args=[exercice.public_id, 1, "pdf"])
    for client in (agent, referent):
        reponse = client.get(lien)
        assert reponse.status_code == 200
        assert re.search(r'filename="Rapport_execution_2019_Haut-Rhin_version-1\.pdf"', reponse["Content-Disposition"])
    assert agent.get(reverse("rapports:version", args=[exercice.public_id, 2, "pdf"])).status_code == 404
    assert agent.get(reverse("rapports:version", args=[exercice.public_id, 1, "exe"])).status_code == 404


def test_only_the_agent_transmits_and_only_the_referent_decides(exercice, agent, referent):
    assert referent.post(url("transmettre", exercice), {"justification": JUSTIFICATION}).status_code == 403
    assert agent.post(url("accepter", exercice)).status_code == 403  # nothing transmitted yet, and not a référent
    agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION})
    assert agent.post(url("accepter", exercice)).status_code == 403
    assert agent.post(url("renvoyer", exercice), {"motif": "x"}).status_code == 403
    autre = Client()
    autre.force_login(User.objects.get(email="agent.bas-rhin@demo.calpae.fr"))
    assert autre.post(url("accepter", exercice)).status_code == 404
    assert autre.get(reverse("rapports:version", args=[exercice.public_id, 1, "pdf"])).status_code == 404
    assert Rapport.objects.get(exercice=exercice).statut == "transmis"


def test_transitions_are_post_only(exercice, agent):
    assert agent.get(url("transmettre", exercice)).status_code == 405


def test_comment_threads_on_the_report_and_on_a_fiche(exercice, agent, referent):
    fiche = Fiche.objects.get(exercice=exercice, cle="socle-5")
    assert referent.post(url("commenter", exercice), {"texte": "Le bilan global manque."}).status_code == 302
    question = "Les **indicateurs** de l'action 5 seront-ils disponibles en juin ?"
    referent.post(url("commenter", exercice), {"texte": question, "fiche": str(fiche.public_id)})
    assert "Nouveau commentaire" in mail.outbox[-1].subject
    assert set(mail.outbox[-1].to) == {"agent.haut-rhin@demo.calpae.fr", "agent.alsace@demo.calpae.fr"}
    fil = Commentaire.objects.get(fiche=fiche)
    reponse = agent.post(url("commenter", exercice), {"texte": "Oui, en juin 2020.", "parent": str(fil.public_id)})
    assert reponse.status_code == 302 and reponse["Location"].endswith(f"#fiche-{fiche.pk}")
    assert mail.outbox[-1].to == ["referent.prefecture@demo.calpae.fr"]
    page = agent.get(url("rapport", exercice)).content.decode()
    assert "Les <strong>indicateurs</strong> de l'action 5" in page and "Oui, en juin 2020." in page
    # Only the référent resolves; a resolved thread takes no more answers.
    resoudre = reverse("rapports:resoudre", args=[exercice.public_id, fil.public_id])
    assert agent.post(resoudre).status_code == 403
    assert referent.post(resoudre).status_code == 302
    fil.refresh_from_db()
    assert fil.resolu and fil.resolu_par.email == "referent.prefecture@demo.calpae.fr"
    refus = agent.post(url("commenter", exercice), {"texte": "Encore", "parent": str(fil.public_id)}, follow=True)
    assert "Ce fil est résolu" in texte(refus)
    vide = referent.post(url("commenter", exercice), {"texte": "  "}, follow=True)
    assert "Écrivez le commentaire avant de l'envoyer." in texte(vide)
    journal = list(Evenement.objects.filter(rapport__exercice=exercice).values_list("type", flat=True))
    assert journal == ["commentaire", "commentaire", "commentaire", "resolution"]


def test_comments_stay_within_their_exercice(exercice, agent):
    autre = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2021-2022", cle="socle-7")
    assert agent.post(url("commenter", exercice), {"texte": "x", "fiche": str(autre.public_id)}).status_code == 404
    assert agent.post(url("commenter", exercice), {"texte": "x", "fiche": "pas-un-uuid"}).status_code == 404
    bas_rhin = Client()
    bas_rhin.force_login(User.objects.get(email="agent.bas-rhin@demo.calpae.fr"))
    assert bas_rhin.post(url("commenter", exercice), {"texte": "x"}).status_code == 404


def test_comparing_two_transmitted_versions_and_the_previous_exercice(exercice, agent, referent):
    agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION})
    referent.post(url("renvoyer", exercice), {"motif": "Complétez l'action 2."})
    action2 = Fiche.objects.get(exercice=exercice, cle="socle-2")
    SectionRapport.objects.filter(rapport__exercice=exercice, fiche=action2).update(bilan="42 jeunes accueillis.")
    agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION})
    page = texte(referent.get(url("ecarts", exercice)))  # by default: the last two versions
    assert "1 différence entre « Version transmise n°1" in page
    assert "ACTION 2 : Les PAEJ comme lieu d'ancrage pour les jeunes de l'ASE Rapport Bilan d'exécution" in page
    assert "42 jeunes accueillis." in page
    assert "Aucune différence." in texte(referent.get(url("ecarts", exercice), {"de": "2", "a": "actuel"}))
    assert referent.get(url("ecarts", exercice), {"de": "9"}).status_code == 404
    # The avenant 2021-2022 against the exercice 2019, fiche by fiche through the lineage.
    avenant = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022")
    page = texte(referent.get(url("ecarts", avenant), {"de": "precedent", "a": "actuel"}))
    assert "ACTION 1.1 : Pour une structuration des dispositifs de préparation à l'autonomie Budget Prévu" in page
    assert "30 000,00 €" in page
