import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class TestConnexion:
    def test_login_required_everywhere(self, client):
        response = client.get(reverse("accueil"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("comptes:connexion"))

    def test_login_by_email(self, client, mot_de_passe_demo):
        response = client.post(
            reverse("comptes:connexion"),
            {"username": "agent.haut-rhin@demo.calpae.fr", "password": mot_de_passe_demo},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("accueil")

    def test_wrong_password_message_in_french(self, client):
        response = client.post(
            reverse("comptes:connexion"), {"username": "agent.haut-rhin@demo.calpae.fr", "password": "erreur"}
        )
        assert response.status_code == 200
        assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()

    def test_login_page_is_french_and_dsfr(self, client):
        content = client.get(reverse("comptes:connexion")).content.decode()
        assert '<html lang="fr"' in content
        assert "Adresse électronique" in content
        assert "fr-btn" in content


class TestAccueil:
    def test_agent_sees_only_their_collectivite(self, client, agent_67):
        content = client.get(reverse("accueil")).content.decode()
        assert "Département du Bas-Rhin" in content
        assert "Haut-Rhin" not in content
        assert "31/03/2020" in content

    def test_cea_agent_sees_the_conventions_it_carries_on(self, client, agent_cea):
        content = client.get(reverse("accueil")).content.decode()
        assert "Département du Bas-Rhin" in content
        assert "Collectivité européenne d&#x27;Alsace (Haut-Rhin)" in content

    def test_fixed_number_of_queries(self, client, referent, django_assert_max_num_queries):
        with django_assert_max_num_queries(9):  # the référent's day (tests/rapports/test_journee.py: fixed)
            response = client.get(reverse("accueil"))
        assert response.status_code == 200


class TestAdmin:
    @pytest.mark.parametrize(
        "modele",
        [
            "conventions/collectivite",
            "conventions/convention",
            "conventions/exercice",
            "actions/fiche",
            "budgets/budget",
            "budgets/totaldeclare",
            "indicateurs/tableauindicateurs",
            "indicateurs/valeurindicateur",
            "rapports/rapport",
            "comptes/user",
        ],
    )
    def test_lists_and_search(self, client, administrateur, modele):
        url = f"/admin/{modele}/"
        assert client.get(url).status_code == 200
        assert client.get(url, {"q": "Haut-Rhin"}).status_code == 200

    def test_fiche_change_page_with_budgets_inline(self, client, administrateur):
        fiche = __import__("actions.models", fromlist=["Fiche"]).Fiche.objects.get(
            exercice__libelle="2021-2022", cle="socle-5.2"
        )
        content = client.get(f"/admin/actions/fiche/{fiche.pk}/change/").content.decode()
        assert "La mobilité au service de l&#x27;emploi" in content
        # The budget's total in the inline, shown the French way (the admin reads amounts as the pages do).
        assert "136\u00a0258,36" in content or "136 258,36" in content

    def test_agents_have_no_admin(self, client, agent_68):
        assert client.get("/admin/").status_code == 302


class TestProtection:
    URL = "/comptes/connexion/"

    def test_repeated_failures_lock_the_account_for_this_address(self, client, mot_de_passe_demo):
        for _ in range(4):
            reponse = client.post(self.URL, {"username": "agent.haut-rhin@demo.calpae.fr", "password": "mauvais"})
            assert reponse.status_code == 200
        reponse = client.post(self.URL, {"username": "agent.haut-rhin@demo.calpae.fr", "password": "mauvais"})
        assert reponse.status_code == 429  # the fifth failure locks
        reponse = client.post(self.URL, {"username": "agent.haut-rhin@demo.calpae.fr", "password": mot_de_passe_demo})
        assert reponse.status_code == 429
        assert "Connexion temporairement bloquée" in reponse.content.decode()
        assert "_auth_user_id" not in client.session
        # Another account from the same address is not blocked.
        reponse = client.post(self.URL, {"username": "agent.bas-rhin@demo.calpae.fr", "password": mot_de_passe_demo})
        assert reponse.status_code == 302

    def test_password_reset_by_email(self, client, mot_de_passe_demo):
        import re

        from django.core import mail

        reponse = client.post("/comptes/mot-de-passe/oublie/", {"email": "agent.bas-rhin@demo.calpae.fr"})
        assert reponse.status_code == 302
        assert mail.outbox[-1].subject == "Réinitialisation de votre mot de passe CALPAE"
        lien = re.search(r"https?://[^/]+(/comptes/mot-de-passe/nouveau/\S+/)", mail.outbox[-1].body).group(1)
        formulaire = client.get(lien, follow=True)
        assert "Nouveau mot de passe" in formulaire.content.decode()
        adresse = formulaire.redirect_chain[-1][0] if formulaire.redirect_chain else lien
        refus = client.post(adresse, {"new_password1": "12345678", "new_password2": "12345678"})
        page = refus.content.decode().replace("&#x27;", "'")
        assert "Ce mot de passe est trop court" in page or "trop courant" in page
        nouveau = "Pauvrete-Emploi-2027!"
        assert client.post(adresse, {"new_password1": nouveau, "new_password2": nouveau}).status_code == 302
        client.logout()
        reponse = client.post(self.URL, {"username": "agent.bas-rhin@demo.calpae.fr", "password": nouveau})
        assert reponse.status_code == 302
        # The link works once.
        client.logout()
        assert "n'est plus valable" in client.get(lien, follow=True).content.decode()

    def test_an_unknown_address_gets_the_same_answer(self, client):
        from django.core import mail

        reponse = client.post("/comptes/mot-de-passe/oublie/", {"email": "inconnu@exemple.fr"})
        assert reponse.status_code == 302 and mail.outbox == []


class TestMonCompte:
    def test_the_account_page_and_a_password_change(self, client, agent_68):
        from django.urls import reverse

        from tests.pages.test_pages import texte

        page = texte(client.get(reverse("comptes:compte")))
        assert "agent.haut-rhin@demo.calpae.fr" in page and "Agent départemental" in page
        assert "Département du Haut-Rhin" in page
        url = reverse("comptes:mot_de_passe_modifier")
        mauvais = {
            "old_password": "pas-le-bon",
            "new_password1": "Nouveau-mot-2026!",
            "new_password2": "Nouveau-mot-2026!",
        }
        assert "Le mot de passe actuel est incorrect" in texte(client.post(url, mauvais))
        trop_court = {"old_password": "calpae-demo-2026", "new_password1": "court", "new_password2": "court"}
        assert "Ce mot de passe est trop court" in texte(client.post(url, trop_court))
        bon = {
            "old_password": "calpae-demo-2026",
            "new_password1": "Nouveau-mot-2026!",
            "new_password2": "Nouveau-mot-2026!",
        }
        reponse = client.post(url, bon, follow=True)
        assert "Votre mot de passe est changé." in texte(reponse)
        client.logout()
        connexion = {"username": "agent.haut-rhin@demo.calpae.fr", "password": "Nouveau-mot-2026!"}
        assert client.post(reverse("comptes:connexion"), connexion)["Location"] == "/"


class TestCasseEtCache:
    def test_the_email_signs_in_whatever_its_case_and_pages_are_not_cached(self, client):
        from django.urls import reverse

        connexion = {"username": "AGENT.Haut-Rhin@demo.calpae.fr", "password": "calpae-demo-2026"}
        reponse = client.post(reverse("comptes:connexion"), connexion)
        assert reponse.status_code == 302 and reponse["Location"] == "/"
        assert client.get("/")["Cache-Control"] == "private, no-store"

    def test_an_address_is_stored_in_lower_case(self, db):
        from comptes.models import User

        compte = User.objects.create_user(email="Camille.MARTIN@Exemple.FR", password="Un-mot-de-passe-2026")
        assert compte.email == "camille.martin@exemple.fr"
