from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import LignesBornees

from .models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur


class JalonInline(LignesBornees, admin.TabularInline):
    model = Jalon
    extra = 0


class IndicateurInline(LignesBornees, admin.TabularInline):
    model = Indicateur
    extra = 0
    fields = ["ordre", "code", "libelle", "parent", "fusion"]
    show_change_link = True


@admin.register(TableauIndicateurs)
class TableauIndicateursAdmin(admin.ModelAdmin):
    list_display = ["titre", "exercice", "theme"]
    list_filter = ["exercice__convention__collectivite", "exercice"]
    search_fields = ["titre", "theme"]
    list_select_related = ["exercice__convention__collectivite"]
    filter_horizontal = ["fiches"]
    readonly_fields = ["public_id"]
    inlines = [JalonInline, IndicateurInline]


class ValeurInline(LignesBornees, admin.TabularInline):
    model = ValeurIndicateur
    extra = 0
    fields = ["jalon", "dimension", "texte", "type", "nombre", "unite", "code", "qualificatif"]
    readonly_fields = ["type", "nombre", "unite", "code", "qualificatif"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "jalon":
            indicateur_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Jalon.objects.filter(tableau__indicateurs__pk=indicateur_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Indicateur)
class IndicateurAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tableau", "cle_comparaison"]
    search_fields = ["libelle", "cle_comparaison"]
    list_select_related = ["tableau"]
    raw_id_fields = ["tableau", "parent"]
    inlines = [ValeurInline]


@admin.register(ValeurIndicateur)
class ValeurIndicateurAdmin(SimpleHistoryAdmin):
    list_display = ["indicateur", "jalon", "dimension", "texte", "type", "nombre"]
    list_filter = ["type", "code"]
    search_fields = ["texte", "indicateur__libelle"]
    list_select_related = ["indicateur", "jalon"]
    raw_id_fields = ["indicateur", "jalon"]
    readonly_fields = ["type", "nombre", "unite", "code", "qualificatif"]
