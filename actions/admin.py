from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AutocompletionsSures, LignesBornees, MontantsEnFrancais

from .models import Action, Fiche, SectionTexte


class SectionTexteInline(LignesBornees, admin.StackedInline):
    model = SectionTexte
    extra = 0


@admin.register(Fiche)
class FicheAdmin(MontantsEnFrancais, AutocompletionsSures, SimpleHistoryAdmin):
    list_display = ["numero", "titre", "exercice", "groupe", "theme"]
    list_filter = ["exercice__convention__collectivite", "exercice", "groupe__type"]
    search_fields = ["numero", "titre", "theme", "description"]
    list_select_related = ["exercice__convention__collectivite", "groupe"]
    readonly_fields = ["public_id", "version"]
    autocomplete_fields = ["action"]
    inlines = [SectionTexteInline]  # budgets.admin adds the fiche's budgets (budgets sits above actions)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["intitule", "cle", "collectivite"]
    list_filter = ["collectivite"]
    search_fields = ["intitule", "cle"]
    readonly_fields = ["public_id"]
