"""The admin reads amounts as the pages do, and names the exercice of what it offers to choose."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import Budget

pytestmark = pytest.mark.django_db


def test_an_amount_typed_the_french_way_in_the_admin_is_that_amount(client, administrateur):
    budget = Budget.objects.filter(fiche__exercice__libelle="2019", nature="previsionnel").first()
    url = reverse("admin:budgets_budget_change", args=[budget.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'class="vForeignKeyRawIdAdminField"' not in page.content.decode()  # no raw internal id to type
    fiche = client.get(reverse("admin:actions_fiche_change", args=[budget.fiche_id])).content.decode()
    assert " · Haut-Rhin – exercice 2019" in fiche and " · Bas-Rhin – exercice 2019" in fiche  # groups: whose
    formulaire = page.context["adminform"].form
    donnees = {k: v for k, v in formulaire.initial.items() if v is not None and not hasattr(v, "pk")}
    donnees |= {"fiche": budget.fiche_id, "nature": budget.nature, "intitule": budget.intitule, "texte": ""}
    donnees |= {"total_texte": "", "total": "313 000,00"}
    for prefixe in ("lignes", "parts"):
        donnees |= {f"{prefixe}-TOTAL_FORMS": 0, f"{prefixe}-INITIAL_FORMS": 0}
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302, reponse.context["adminform"].form.errors if reponse.context else reponse
    budget.refresh_from_db()
    assert budget.total == Decimal("313000.00")
    reponse = client.post(url, {**donnees, "total": "313 OOO"})
    assert reponse.status_code == 200
    (erreur,) = reponse.context["adminform"].form.errors["total"]
    assert erreur.startswith("« 313 OOO » n'est pas un montant en euros")
    budget.refresh_from_db()
    assert budget.total == Decimal("313000.00")  # nothing saved


def test_an_account_is_created_with_its_names_and_collectivites_in_one_form(client, administrateur):
    from comptes.models import User
    from conventions.models import Collectivite

    haut_rhin = Collectivite.objects.get(code_insee="68")
    donnees = {
        "email": "nouvel.agent@haut-rhin.fr",
        "first_name": "Alex",
        "last_name": "Martin",
        "role": "agent",
        "password1": "Un-mot-de-passe-2026!",
        "password2": "Un-mot-de-passe-2026!",
        "usable_password": "true",
        "affectations-TOTAL_FORMS": 1,
        "affectations-INITIAL_FORMS": 0,
        "affectations-0-collectivite": haut_rhin.pk,
    }
    reponse = client.post(reverse("admin:comptes_user_add"), donnees)
    assert reponse.status_code == 302, reponse.context["adminform"].form.errors if reponse.context else ""
    compte = User.objects.get(email="nouvel.agent@haut-rhin.fr")
    assert (compte.first_name, compte.last_name, list(compte.collectivites.all())) == ("Alex", "Martin", [haut_rhin])
