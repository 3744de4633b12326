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
        with django_assert_max_num_queries(8):
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
        assert "136258.36" in content or "136258,36" in content

    def test_agents_have_no_admin(self, client, agent_68):
        assert client.get("/admin/").status_code == 302
