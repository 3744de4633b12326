from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from core.formulaires import DateFrField, MontantField
from core.versions import VersionedForm

from .models import DecisionRefaction, Rapport, SectionRapport

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


class DecisionRefactionForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    montant = MontantField(
        label="Montant de la réfaction",
        help_text="En euros, par exemple 12 500 ou 12 500,50 ; 0 pour aucune réfaction.",
        error_messages={"required": "Saisissez le montant de la réfaction (0 pour aucune réfaction)."},
    )
    date_decision = DateFrField(
        label="Date de la décision",
        help_text="Au format jj/mm/aaaa, par exemple 15/06/2020.",
        error_messages={"required": "Saisissez la date de la décision, par exemple 15/06/2020."},
    )

    class Meta:
        model = DecisionRefaction
        fields = ["montant", "motif", "date_decision"]
        widgets = {"motif": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"motif": "Ce qui fonde la décision : crédit non justifié, fiches concernées, échanges."}
        error_messages = {"motif": {"required": "Dites ce qui fonde la décision : le motif est obligatoire."}}

    def clean_motif(self):
        motif = self.cleaned_data["motif"].strip()
        if not motif:
            raise forms.ValidationError("Dites ce qui fonde la décision : le motif est obligatoire.")
        return motif

    def clean_date_decision(self):
        date = self.cleaned_data["date_decision"]
        if date and date > timezone.localdate():
            raise forms.ValidationError("La date de la décision ne peut pas être dans le futur.")
        return date
