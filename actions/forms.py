from django import forms
from dsfr.forms import DsfrBaseForm

from core.versions import VersionedForm

from .models import Fiche, SectionTexte


class FicheForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    """A fiche's texts, with the version of the fiche the user started from (core.versions)."""

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


class SectionForm(forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = SectionTexte
        fields = ["titre", "texte"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 4})}


SectionFormSet = forms.inlineformset_factory(
    Fiche, SectionTexte, form=SectionForm, extra=1, can_delete=True, can_delete_extra=False
)
