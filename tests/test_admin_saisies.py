"""The admin survives any value posted in its choices of related objects and in its inlines' counters, and so
does every `pk__in` query."""

import pytest
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse

from actions.models import Fiche
from budgets.models import Budget
from comptes.models import User
from core.admin import AutocompletionsSures, LignesBornees
from indicateurs.models import TableauIndicateurs

pytestmark = pytest.mark.django_db

ILLISIBLES = ["abc", str(10**30), str(-(10**30)), "1e400", "\x00"]


def test_a_number_no_column_holds_matches_nothing_in_an_in_lookup():
    fiche = Fiche.objects.order_by("pk").first()
    assert list(Fiche.objects.filter(pk__in=[10**30, fiche.pk, -(10**30)])) == [fiche]
    assert not Fiche.objects.filter(pk__in=[10**30]).exists()
    assert Fiche.objects.exclude(pk__in=[10**30]).count() == Fiche.objects.count()


def test_every_admin_with_autocomplete_fields_draws_them_with_the_widget_that_reads_the_values_first():
    sans = []
    for modele_admin in admin.site._registry.values():
        for classe in [type(modele_admin), *modele_admin.inlines]:
            if classe.autocomplete_fields and not issubclass(classe, AutocompletionsSures):
                sans.append(classe.__name__)
    assert not sans


@pytest.mark.parametrize("valeur", ILLISIBLES, ids=ascii)
def test_an_unreadable_choice_in_the_admin_is_refused_next_to_its_field(admin_client, valeur):
    avant = (Budget.objects.count(), TableauIndicateurs.objects.count(), User.objects.count())
    envois = {
        "admin:budgets_budget_add": ({"fiche": valeur, "nature": "realise"}, "fiche"),
        "admin:budgets_totaldeclare_add": ({"fiche": valeur, "groupe": valeur}, "groupe"),
        "admin:indicateurs_tableauindicateurs_add": ({"titre": "T", "fiches": [valeur]}, "fiches"),
    }
    for route, (donnees, champ) in envois.items():
        reponse = admin_client.post(reverse(route), donnees)
        assert reponse.status_code == 200, route
        assert champ in reponse.context["adminform"].form.errors, route
    compte = {"email": "nouvel.agent@example.fr", "role": "agent", "password1": "", "password2": ""}
    compte |= {"affectations-TOTAL_FORMS": "1", "affectations-INITIAL_FORMS": "0"}
    compte |= {"affectations-0-collectivite": valeur}
    reponse = admin_client.post(reverse("admin:comptes_user_add"), compte)
    assert reponse.status_code == 200
    assert "collectivite" in reponse.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert (Budget.objects.count(), TableauIndicateurs.objects.count(), User.objects.count()) == avant


def test_every_inline_of_the_admin_is_bounded():  # django-dsfr's one too (core/admin.py)
    inlines = [inline for modele_admin in admin.site._registry.values() for inline in modele_admin.inlines]
    assert inlines
    assert not [inline.__name__ for inline in inlines if not issubclass(inline, LignesBornees)]


def test_a_forged_count_of_rows_in_an_inline_is_refused_without_building_them(admin_client):
    tableau = TableauIndicateurs.objects.annotate(n=Count("indicateurs")).filter(n__gt=0).first()
    url = reverse("admin:indicateurs_tableauindicateurs_change", args=[tableau.pk])
    formulaire = admin_client.get(url).context["adminform"].form
    donnees = {"titre": tableau.titre, "exercice": tableau.exercice_id, "theme": tableau.theme}
    donnees |= {"fiches": [f.pk for f in formulaire.initial["fiches"]]}
    for prefixe in ("jalons", "indicateurs"):
        donnees |= {f"{prefixe}-TOTAL_FORMS": "0", f"{prefixe}-INITIAL_FORMS": "0"}
    donnees["indicateurs-TOTAL_FORMS"] = "100000"
    reponse = admin_client.post(url, donnees)
    assert reponse.status_code == 200
    (formset,) = [f.formset for f in reponse.context["inline_admin_formsets"] if f.formset.prefix == "indicateurs"]
    assert formset.forms == []
    assert "Veuillez soumettre au plus 500 formulaires." in formset.non_form_errors()
    assert "Veuillez soumettre au plus 500 formulaires." in reponse.content.decode()
    assert tableau.indicateurs.count() > 0  # nothing deleted
