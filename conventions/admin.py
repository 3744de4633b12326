from django.contrib import admin

from core.admin import LignesBornees, MontantsEnFrancais

from .models import (
    Collectivite,
    Convention,
    Deliberation,
    Exercice,
    Groupe,
    MontantEtatAnnuel,
    Region,
    Signataire,
    Territoire,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    """The referential (conventions/referentiel.py), shipped by a data migration: read here, changed there."""

    list_display = ["code", "nom", "type", "region", "ligne", "colonne"]
    list_filter = ["type", "region"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Collectivite)
class CollectiviteAdmin(admin.ModelAdmin):
    list_display = ["code_insee", "nom", "type", "region", "successeur", "date_succession", "donnees_fictives"]
    list_filter = ["type", "region", "donnees_fictives"]
    search_fields = ["code_insee", "nom", "nom_court"]
    readonly_fields = ["public_id"]


class SignataireInline(LignesBornees, admin.TabularInline):
    model = Signataire
    extra = 0


class DeliberationInline(LignesBornees, admin.TabularInline):
    model = Deliberation
    extra = 0
    fields = ["reference", "date", "date_texte", "instance", "objet", "exercice"]


class MontantEtatInline(MontantsEnFrancais, LignesBornees, admin.TabularInline):
    model = MontantEtatAnnuel
    extra = 0


class ExerciceInline(LignesBornees, admin.TabularInline):
    model = Exercice
    extra = 0
    fields = ["libelle", "acte", "collectivite_signataire", "date_debut", "date_fin", "date_limite_rapport"]
    show_change_link = True


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["intitule", "collectivite", "date_debut", "date_fin"]
    list_filter = ["collectivite"]
    search_fields = ["intitule", "cle", "collectivite__nom"]
    list_select_related = ["collectivite"]
    readonly_fields = ["public_id"]
    inlines = [SignataireInline, DeliberationInline, MontantEtatInline, ExerciceInline]


class GroupeInline(LignesBornees, admin.TabularInline):
    model = Groupe
    extra = 0
    fields = ["ordre", "code", "type", "libelle", "parent"]


@admin.register(Exercice)
class ExerciceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "libelle", "acte", "date_debut", "date_fin", "date_limite_rapport"]
    list_filter = ["convention__collectivite", "acte"]
    search_fields = ["libelle", "intitule_acte", "convention__intitule"]
    list_select_related = ["convention__collectivite"]
    readonly_fields = ["public_id"]
    inlines = [GroupeInline]


@admin.register(Groupe)
class GroupeAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "type", "exercice", "parent"]
    list_filter = ["type", "exercice__convention__collectivite"]
    search_fields = ["libelle", "code"]
    list_select_related = ["exercice__convention__collectivite", "parent"]
