from django import forms
from dsfr.forms import DsfrBaseForm

from core.versions import VersionedForm

from .models import Rapport, SectionRapport

AIDE_TEXTE = "Paragraphes séparés par une ligne vide ; « - » en début de ligne pour une liste ; **gras**."


class AvantProposForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = Rapport
        fields = [
            "avant_propos",
            "bilan_global",
            "date_edition",
            "deliberation_instance",
            "deliberation_date",
            "signataire_nom",
            "signataire_qualite",
        ]
        widgets = {
            "date_edition": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deliberation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "avant_propos": forms.Textarea(attrs={"rows": 16}),
            "bilan_global": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {"avant_propos": AIDE_TEXTE, "bilan_global": AIDE_TEXTE}


class SectionForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = SectionRapport
        fields = ["fapi", "indicateurs", "bilan", "perspectives", "explication"]
        widgets = {
            "bilan": forms.Textarea(attrs={"rows": 14}),
            "perspectives": forms.Textarea(attrs={"rows": 8}),
            "explication": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"bilan": AIDE_TEXTE, "perspectives": AIDE_TEXTE}
