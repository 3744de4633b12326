from django import forms
from dsfr.forms import DsfrBaseForm

from .lecture import TAILLE_MAX


class ImportForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Classeur de la convention (.xlsx)",
        help_text="Au format du modèle à télécharger ci-dessus ; 5 Mo au plus.",
        widget=forms.FileInput(attrs={"accept": ".xlsx", "class": "fr-upload"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX:
            raise forms.ValidationError(f"Le fichier dépasse {TAILLE_MAX // (1024 * 1024)} Mo.")
        return fichier
