"""What the admin pages share: amounts typed the French way (read by the same field as the pages), choices of
related objects that survive any posted value, inlines bounded as the pages' formsets are."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from dsfr.admin import DsfrConfigAdmin, DsfrSocialMediaInline
from dsfr.models import DsfrConfig

from .formulaires import FORMULAIRES_MAX, FormsetBorne, MontantField


class MontantsEnFrancais:
    """Mixin of ModelAdmin and inlines: a money column (two decimals) is edited with MontantField, so that
    `313 000,00` is 313 000 € with the pages' messages, never a silent 31 300 000 €; a choice of an object of an
    exercice (group, fiche, table) names its collectivité and exercice (« A – Socle · Haut-Rhin – exercice 2019 »)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and db_field.decimal_places == 2:
            return MontantField(
                label=db_field.verbose_name.capitalize(), required=not db_field.blank, help_text=db_field.help_text
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        champ = super().formfield_for_foreignkey(db_field, request, **kwargs)
        modele = db_field.related_model
        if champ is not None and any(f.name == "exercice" for f in modele._meta.fields):
            champ.queryset = champ.queryset.select_related("exercice__convention__collectivite")
            champ.label_from_instance = lambda objet: f"{objet} · {objet.exercice}"
        return champ


class _ValeursLisibles:
    """Django's autocomplete widget, drawing a refused form again, looks up the submitted values as they came
    (`pk__in=["abc"]`: a ValueError, a 500). These keep only the values the related field can read."""

    def optgroups(self, name, value, attr=None):
        options = self.field.remote_field.model._meta
        cible = options.get_field(getattr(self.field.remote_field, "field_name", options.pk.attname))
        return super().optgroups(name, [v for v in value if _lisible(cible, v)], attr)


def _lisible(champ, valeur) -> bool:
    try:
        champ.to_python(valeur)
    except ValidationError:
        return False
    return True


class _AutocompleteSelect(_ValeursLisibles, AutocompleteSelect):
    pass


class _AutocompleteSelectMultiple(_ValeursLisibles, AutocompleteSelectMultiple):
    pass


class AutocompletionsSures:
    """Mixin of every ModelAdmin and inline that has `autocomplete_fields`: their widgets survive any value posted
    (tests/test_admin_saisies.py checks that none is without it)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LignesBornees:
    """Mixin of every inline (tests/test_admin_saisies.py checks it): at most FORMULAIRES_MAX rows, and a forged
    count beyond them refused before a row is built, as on the pages."""

    formset = FormsetBorne
    max_num = FORMULAIRES_MAX

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", FORMULAIRES_MAX)
        return super().get_formset(request, obj, **kwargs)


class _ReseauxSociauxBornes(LignesBornees, DsfrSocialMediaInline):
    pass


# django-dsfr's site configuration, its social networks' inline bounded as ours are (a forged count built 2 000 rows).
admin.site.unregister(DsfrConfig)


@admin.register(DsfrConfig)
class ConfigurationDsfrAdmin(DsfrConfigAdmin):
    inlines = [_ReseauxSociauxBornes]
