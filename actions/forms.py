from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Fiche, SectionTexte


class VersionForm(forms.Form):
    """The version of the fiche the user started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FicheForm(forms.ModelForm, DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Fiche
        fields = [
            "titre",
            "theme",
            "description",
            "declinaison",
            "date_mise_en_place",
            "duree",
            "partenaires",
            "indicateurs_note",
        ]
        widgets = {
            "titre": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "declinaison": forms.Textarea(attrs={"rows": 6}),
            "partenaires": forms.Textarea(attrs={"rows": 3}),
            "indicateurs_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class SectionForm(forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = SectionTexte
        fields = ["titre", "texte"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 4})}


SectionFormSet = forms.inlineformset_factory(
    Fiche, SectionTexte, form=SectionForm, extra=1, can_delete=True, can_delete_extra=False
)
