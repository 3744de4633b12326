from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm

from .comparaison import MAXIMUM_EXERCICES


class ComparaisonForm(DsfrBaseForm):
    """Which exercices to put side by side: among those the user may read, two to eight (the page draws the boxes:
    `choix_par_collectivite`)."""

    exercices = forms.ModelMultipleChoiceField(
        label="Exercices à comparer",
        help_text=(
            f"De deux à {MAXIMUM_EXERCICES} exercices : plusieurs collectivités, ou les années d'une même collectivité."
        ),
        queryset=None,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins deux exercices.",
            "invalid_choice": "Cet exercice n'est pas parmi ceux que vous pouvez consulter.",
            "invalid_pk_value": "Cet exercice n'est pas parmi ceux que vous pouvez consulter.",
        },
    )

    def __init__(self, *args, exercices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercices"].queryset = exercices

    def clean_exercices(self):
        choisis = self.cleaned_data["exercices"]
        if len(choisis) < 2:
            raise forms.ValidationError("Choisissez au moins deux exercices.")
        if len(choisis) > MAXIMUM_EXERCICES:
            raise forms.ValidationError(f"Choisissez au plus {MAXIMUM_EXERCICES} exercices.")
        return choisis


def choix_par_collectivite(exercices, coches) -> list[dict]:
    """The choices of ComparaisonForm grouped by collectivité, one line each with its exercices, each box's HTML
    written here once (a référent or the national pilotage may see hundreds of exercices; a template per box would
    cost more than the comparison itself). `coches`: the public ids (str) ticked."""
    groupes = {}
    for exercice in sorted(exercices, key=lambda e: (e.convention.collectivite.nom_court, e.date_debut)):
        collectivite = exercice.convention.collectivite
        groupe = groupes.setdefault(collectivite.pk, {"nom": collectivite.nom_court, "options": []})
        valeur = str(exercice.public_id)
        groupe["options"].append(
            format_html(
                '<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-checkbox-group '
                'fr-checkbox-group--sm"><input type="checkbox" name="exercices" value="{}" id="{}"{}><label '
                'class="fr-label" for="{}"><span class="fr-sr-only">{}</span>{}</label></div></div>',
                valeur,
                f"id_exercices_{exercice.public_id.hex[:12]}",
                mark_safe(" checked") if valeur in coches else "",
                f"id_exercices_{exercice.public_id.hex[:12]}",
                f"{exercice.nom_court} – ",
                f"{exercice.libelle} ({exercice.get_acte_display().lower()})",
            )
        )
    for groupe in groupes.values():
        groupe["options"] = mark_safe("".join(groupe["options"]))  # noqa: S308 - each one escaped by format_html
    return list(groupes.values())
