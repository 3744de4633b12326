from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import LignesBornees

from .models import EntreeSommaire, Rapport, SectionRapport


class SectionRapportInline(LignesBornees, admin.StackedInline):
    model = SectionRapport
    extra = 0
    raw_id_fields = ["fiche"]


class EntreeSommaireInline(LignesBornees, admin.TabularInline):
    model = EntreeSommaire
    extra = 0


@admin.register(Rapport)
class RapportAdmin(SimpleHistoryAdmin):
    list_display = ["titre", "exercice", "nom_collectivite", "statut"]
    list_filter = ["statut", "collectivite"]
    search_fields = ["titre", "nom_collectivite"]
    list_select_related = ["exercice__convention__collectivite"]
    readonly_fields = ["public_id", "version"]
    inlines = [SectionRapportInline, EntreeSommaireInline]
