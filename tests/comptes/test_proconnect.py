"""ProConnect against a fake provider (tests/comptes/proconnect_factice.py): signed tokens checked with its JWKS,
accounts matched on `sub` once linked, first link by e-mail to an existing account only, every failure on a French
page with nothing saved; the logout ends the ProConnect session; an account may be set to ProConnect only."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from django.test import Client
from django.urls import reverse

from comptes.models import User
from comptes.sessions import CLE_ACTIVITE, CLE_DEBUT
from tests.pages.test_pages import texte

from .proconnect_factice import AUTRE_CLE, CLIENT_ID, DOMAINE, FournisseurFactice, reglages

pytestmark = pytest.mark.django_db

AGENT_68 = "agent.haut-rhin@demo.calpae.fr"


@pytest.fixture
def fournisseur(settings):
    for nom, valeur in reglages().items():
        setattr(settings, nom, valeur)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FournisseurFactice(rsps)


def se_connecter(client, fournisseur, next_url=None):
    """The button, the provider (faked), the way back: the callback's response."""
    depart = client.get(reverse("comptes:proconnect"), {"next": next_url} if next_url else {})
    assert depart.status_code == 302 and depart["Location"].startswith(f"{DOMAINE}/api/v2/authorize?")
    retour, _ = fournisseur.autoriser(depart["Location"])
    return client.get(retour)


def connecte(client):
    return "_auth_user_id" in client.session


class TestSuccess:
    def test_first_sign_in_links_the_existing_account_by_email(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email="Agent.Haut-Rhin@demo.calpae.fr")
        reponse = se_connecter(client, fournisseur)
        assert reponse.status_code == 302 and reponse["Location"] == reverse("accueil")
        compte = User.objects.get(email=AGENT_68)
        assert client.session["_auth_user_id"] == str(compte.pk)
        assert compte.proconnect_sub == "sub-camille"
        # The session limits apply (user_logged_in was sent) and the id token is kept for the logout.
        assert CLE_DEBUT in client.session and CLE_ACTIVITE in client.session
        assert client.session["oidc_id_token"].count(".") == 2
        assert "Département du Haut-Rhin" in texte(client.get(reverse("accueil")))

    def test_once_linked_the_account_is_found_by_sub_not_by_email(self, client, fournisseur):
        User.objects.filter(email=AGENT_68).update(proconnect_sub="sub-camille")
        fournisseur.se_presente(sub="sub-camille", email="camille.nouvelle-adresse@haut-rhin.fr")
        assert se_connecter(client, fournisseur).status_code == 302
        assert client.session["_auth_user_id"] == str(User.objects.get(email=AGENT_68).pk)

    def test_the_page_asked_for_is_reached_after_the_sign_in(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        reponse = se_connecter(client, fournisseur, next_url=reverse("pages:suivi"))
        assert reponse["Location"] == reverse("pages:suivi")

    def test_the_request_sent_to_proconnect(self, client, fournisseur):
        depart = client.get(reverse("comptes:proconnect"))
        parametres = {cle: valeur[0] for cle, valeur in parse_qs(urlparse(depart["Location"]).query).items()}
        # Exactly the parameters ProConnect accepts (another one is refused there), state and nonce of 32 characters.
        assert set(parametres) == {"response_type", "scope", "client_id", "redirect_uri", "state", "nonce"}
        assert parametres["client_id"] == CLIENT_ID
        assert parametres["redirect_uri"] == "http://testserver" + reverse("comptes:proconnect_retour")
        assert len(parametres["state"]) == len(parametres["nonce"]) == 32
        assert parametres["scope"].split() == ["openid", "email", "given_name", "usual_name", "uid", "siret", "idp_id"]


class TestRefusals:
    """Each ends on a French page, opens no session and links nothing."""

    def refus(self, client, reponse, status, message):
        assert reponse.status_code == status
        assert message in texte(reponse)
        assert not connecte(client)
        assert not User.objects.exclude(proconnect_sub="").exists()

    def test_wrong_signature(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        fournisseur.cle = AUTRE_CLE
        self.refus(client, se_connecter(client, fournisseur), 400, "La connexion avec ProConnect n'a pas abouti")

    def test_expired_token(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        fournisseur.id_token = {"iat": int(time.time()) - 3600, "exp": int(time.time()) - 3000}
        self.refus(client, se_connecter(client, fournisseur), 400, "La connexion avec ProConnect n'a pas abouti")

    def test_wrong_nonce(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        fournisseur.id_token = {"nonce": "x" * 32}
        self.refus(client, se_connecter(client, fournisseur), 400, "La connexion avec ProConnect n'a pas abouti")

    def test_token_meant_for_another_service(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        fournisseur.id_token = {"aud": "un-autre-service"}
        self.refus(client, se_connecter(client, fournisseur), 400, "La connexion avec ProConnect n'a pas abouti")

    def test_wrong_state(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        depart = client.get(reverse("comptes:proconnect"))
        retour, parametres = fournisseur.autoriser(depart["Location"])
        reponse = client.get(retour.replace(parametres["state"], "y" * 32))
        self.refus(client, reponse, 400, "La connexion avec ProConnect n'a pas abouti")
        # The right state from another browser (which started no sign-in) is refused the same way.
        autre = Client()
        self.refus(autre, autre.get(retour), 400, "n'a pas abouti")
        assert not [appel for appel in fournisseur.rsps.calls if "/token" in appel.request.url]  # no code exchanged

    def test_the_person_cancelled_at_proconnect(self, client, fournisseur):
        client.get(reverse("comptes:proconnect"))
        reponse = client.get(reverse("comptes:proconnect_retour"), {"error": "access_denied", "state": "z" * 32})
        self.refus(client, reponse, 400, "Recommencez depuis la page de connexion")

    def test_unknown_email_says_whom_to_ask_and_creates_nothing(self, client, fournisseur, settings):
        settings.CALPAE_CONTACT = "calpae@exemple.gouv.fr"
        comptes = User.objects.count()
        fournisseur.se_presente(sub="sub-inconnu", email="personne@prefecture.gouv.fr")
        reponse = se_connecter(client, fournisseur)
        self.refus(client, reponse, 403, "Aucun compte CALPAE n'est ouvert à l'adresse personne@prefecture.gouv.fr")
        assert "Demandez l'ouverture d'un compte à cette adresse à l'administrateur de CALPAE" in texte(reponse)
        assert "calpae@exemple.gouv.fr" in texte(reponse)
        assert User.objects.count() == comptes

    def test_an_account_already_linked_to_another_sub(self, client, fournisseur):
        User.objects.filter(email=AGENT_68).update(proconnect_sub="sub-d-avant")
        fournisseur.se_presente(sub="sub-nouveau", email=AGENT_68)
        reponse = se_connecter(client, fournisseur)
        assert reponse.status_code == 403 and not connecte(client)
        assert "est déjà lié à une autre identité ProConnect" in texte(reponse)
        assert User.objects.get(email=AGENT_68).proconnect_sub == "sub-d-avant"

    def test_an_email_said_unverified(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68, email_verified=False)
        self.refus(client, se_connecter(client, fournisseur), 400, "n'a pas abouti")

    def test_a_deactivated_account(self, client, fournisseur):
        User.objects.filter(email=AGENT_68).update(is_active=False, proconnect_sub="sub-camille")
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        reponse = se_connecter(client, fournisseur)
        assert reponse.status_code == 403 and "Ce compte CALPAE est désactivé" in texte(reponse)
        assert not connecte(client)

    def test_proconnect_down(self, client, fournisseur):
        fournisseur.rsps.replace(responses.POST, reglages()["OIDC_OP_TOKEN_ENDPOINT"], status=502)
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        self.refus(client, se_connecter(client, fournisseur), 400, "n'a pas abouti")


class TestLogout:
    def test_after_proconnect_the_logout_ends_the_proconnect_session(self, client, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        se_connecter(client, fournisseur)
        id_token = client.session["oidc_id_token"]
        reponse = client.post(reverse("comptes:deconnexion"))
        assert not connecte(client)
        adresse = urlparse(reponse["Location"])
        assert f"{adresse.scheme}://{adresse.netloc}{adresse.path}" == f"{DOMAINE}/api/v2/session/end"
        parametres = {cle: valeur[0] for cle, valeur in parse_qs(adresse.query).items()}
        assert parametres["id_token_hint"] == id_token
        assert parametres["post_logout_redirect_uri"] == "http://testserver" + reverse("comptes:connexion")
        assert len(parametres["state"]) == 32

    def test_after_a_password_the_logout_stays_here(self, client, fournisseur, mot_de_passe_demo):
        client.post(reverse("comptes:connexion"), {"username": AGENT_68, "password": mot_de_passe_demo})
        reponse = client.post(reverse("comptes:deconnexion"))
        assert reponse["Location"] == reverse("comptes:connexion") and not connecte(client)


class TestEnabledByTheEnvironment:
    def test_disabled_no_button_and_no_route(self, client):
        assert "S'identifier avec" not in texte(client.get(reverse("comptes:connexion")))
        assert client.get(reverse("comptes:proconnect")).status_code == 404
        assert client.get(reverse("comptes:proconnect_retour"), {"code": "c", "state": "s"}).status_code == 400

    def test_enabled_the_button_beside_the_password(self, client, fournisseur):
        page = texte(client.get(reverse("comptes:connexion") + "?next=/suivi/"))
        assert "S'identifier avec ProConnect" in page and "Mot de passe" in page
        assert 'action="/comptes/proconnect/"' in client.get(reverse("comptes:connexion")).content.decode()

    def test_the_content_security_policy_lets_the_forms_go_to_proconnect(self, monkeypatch):
        import importlib

        import calpae.settings.base as base

        monkeypatch.setenv("PROCONNECT_DOMAINE", "https://fca.integ01.dev-agentconnect.fr/")
        monkeypatch.setenv("PROCONNECT_CLIENT_ID", "id")
        monkeypatch.setenv("PROCONNECT_CLIENT_SECRET", "secret")
        try:
            active = importlib.reload(base)
            assert active.PROCONNECT_ACTIF
            assert active.OIDC_OP_TOKEN_ENDPOINT == "https://fca.integ01.dev-agentconnect.fr/api/v2/token"
            directives = active.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            assert "https://fca.integ01.dev-agentconnect.fr" in directives["form-action"]
        finally:
            monkeypatch.delenv("PROCONNECT_DOMAINE")
            importlib.reload(base)


class TestProConnectOnly:
    @pytest.fixture
    def compte(self):
        compte = User.objects.get(email=AGENT_68)
        compte.proconnect_seulement = True
        compte.save()
        return compte

    def test_the_password_is_refused_with_a_french_message(self, client, compte, mot_de_passe_demo):
        reponse = client.post(reverse("comptes:connexion"), {"username": AGENT_68, "password": mot_de_passe_demo})
        assert reponse.status_code == 200 and not connecte(client)
        assert "Ce compte se connecte avec ProConnect seulement" in texte(reponse)
        # A wrong password gets the usual message: nothing says the account exists.
        reponse = client.post(reverse("comptes:connexion"), {"username": AGENT_68, "password": "pas-le-bon"})
        assert "Adresse électronique ou mot de passe incorrect" in texte(reponse)
        assert "ProConnect seulement" not in texte(reponse)

    def test_nor_through_the_admin_sign_in(self, client, mot_de_passe_demo):
        User.objects.filter(email="admin@demo.calpae.fr").update(proconnect_seulement=True)
        client.post("/admin/login/", {"username": "admin@demo.calpae.fr", "password": mot_de_passe_demo})
        assert not connecte(client)

    def test_proconnect_still_signs_it_in(self, client, compte, fournisseur):
        fournisseur.se_presente(sub="sub-camille", email=AGENT_68)
        assert se_connecter(client, fournisseur).status_code == 302 and connecte(client)

    def test_other_accounts_keep_their_password(self, client, compte, mot_de_passe_demo):
        reponse = client.post(
            reverse("comptes:connexion"), {"username": "agent.bas-rhin@demo.calpae.fr", "password": mot_de_passe_demo}
        )
        assert reponse.status_code == 302 and connecte(client)
