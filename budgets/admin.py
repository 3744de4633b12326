from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.admin import FicheAdmin
from core.admin import AutocompletionsSures, LignesBornees, MontantsEnFrancais

from .models import Budget, LigneBudget, Part, TotalDeclare


class LigneBudgetInline(MontantsEnFrancais, LignesBornees, admin.TabularInline):
    model = LigneBudget
    extra = 0
    fields = ["ordre", "libelle", "quantite", "unite", "cout_unitaire", "montant", "territoire", "type_depense"]


class PartInline(MontantsEnFrancais, LignesBornees, admin.TabularInline):
    model = Part
    extra = 0
    fields = ["ordre", "financeur", "libelle", "montant", "texte", "annee", "territoire", "type_depense", "ligne"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "ligne":
            budget_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = LigneBudget.objects.filter(budget_id=budget_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Budget)
class BudgetAdmin(MontantsEnFrancais, AutocompletionsSures, SimpleHistoryAdmin):
    list_display = ["fiche", "nature", "total", "conforme"]
    list_filter = ["nature", "conforme", "fiche__exercice__convention__collectivite", "fiche__exercice"]
    search_fields = ["fiche__numero", "fiche__titre", "texte"]
    list_select_related = ["fiche"]
    autocomplete_fields = ["fiche"]  # searched by number or title, never a raw internal id
    inlines = [LigneBudgetInline, PartInline]


@admin.register(TotalDeclare)
class TotalDeclareAdmin(MontantsEnFrancais, AutocompletionsSures, admin.ModelAdmin):
    list_display = ["libelle", "exercice", "groupe", "fiche", "financeur", "annee", "base", "montant"]
    list_filter = ["exercice", "financeur", "base"]
    search_fields = ["libelle"]
    list_select_related = ["exercice__convention__collectivite", "groupe", "fiche"]
    autocomplete_fields = ["fiche", "groupe"]


class BudgetInline(MontantsEnFrancais, LignesBornees, admin.TabularInline):
    model = Budget
    extra = 0
    fields = ["nature", "intitule", "total", "total_texte", "texte", "conforme"]
    show_change_link = True  # lines and parts are edited on the budget's page


# A fiche's admin page lists its budgets: added from here, since actions sits below budgets.
FicheAdmin.inlines = [*FicheAdmin.inlines, BudgetInline]
