"""What every admin page of amounts shares: amounts typed the French way, read by the same field as the pages."""

from django.db import models

from .formulaires import MontantField


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
