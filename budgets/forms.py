from django import forms
from dsfr.forms import DsfrBaseForm

from conventions.enums import Partie
from core.formulaires import FormsetBorne, MontantField, QuantiteField, formset_borne
from core.money import quantize_cents
from core.saisie import MONTANT_MAX
from core.versions import VersionedForm

from .enums import NatureBudget
from .models import Budget, LigneBudget, Part


class BudgetForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    total = MontantField(
        label="Total indiqué", required=False, help_text="Le total que la fiche annonce, par exemple 224 992,94 €."
    )

    class Meta:
        model = Budget
        fields = ["intitule", "total", "texte", "conforme"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 2})}
        labels = {"conforme": "Conforme au prévisionnel"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.nature != NatureBudget.EXECUTE:
            del self.fields["conforme"]  # only an executed budget is declared conforme to the planned one
        aides = aides_du_budget(self.instance)
        for nom, aide in aides.items():
            if nom in self.fields:
                self.fields[nom].help_text = aide
                self._bound_fields_cache.pop(nom, None)  # a bound field read during set-up keeps the old text

    def clean_conforme(self):
        conforme = self.cleaned_data.get("conforme")
        fiche = self.instance.fiche
        if conforme and not Budget.objects.filter(fiche=fiche, nature=NatureBudget.PREVISIONNEL).exists():
            raise forms.ValidationError(
                "Cette fiche n'a pas de budget prévisionnel : saisissez-le d'abord, ou les montants exécutés."
            )
        return conforme


def aides_du_budget(budget) -> dict:
    """The hints of a budget's fields for its nature and its exercice's period (« dépensé du 01/07/2021 au
    30/06/2022 »), so that no one reads a planned figure where an executed one is asked."""
    exercice = budget.fiche.exercice
    periode = f"du {exercice.date_debut:%d/%m/%Y} au {exercice.date_fin:%d/%m/%Y}"
    if budget.nature == NatureBudget.EXECUTE:
        return {
            "intitule": f"Budget exécuté au {exercice.date_fin:%d/%m/%Y}",
            "total": f"Ce qui a été dépensé {periode} (25 000,00 €) ; vide si le document ne le chiffre pas.",
            "texte": "La phrase du document, par exemple « Conforme aux engagements ».",
            "conforme": "L'exécution a suivi le budget prévisionnel, part par part : elle compte pour le montant "
            "prévu (taux d'exécution 100 %) et s'affiche « Conforme aux engagements ». Aucun montant n'est alors "
            "à saisir.",
        }
    if budget.nature == NatureBudget.REEL_INDICATIF:
        return {"intitule": f"Budget réel à titre indicatif {exercice.libelle}", "total": f"Le réel connu {periode}."}
    return {
        "intitule": f"Budget prévisionnel {exercice.libelle}",
        "total": f"Le total que la fiche annonce pour {periode}, par exemple 224 992,94 €.",
    }


class LigneForm(forms.ModelForm, DsfrBaseForm):
    montant = MontantField(label="Montant", required=False)
    quantite = QuantiteField(label="Nombre d'unités", required=False)
    cout_unitaire = MontantField(label="Coût unitaire", required=False)

    class Meta:
        model = LigneBudget
        fields = ["libelle", "montant", "quantite", "unite", "cout_unitaire", "territoire", "type_depense"]
        widgets = {"libelle": forms.Textarea(attrs={"rows": 1})}
        labels = {"libelle": "Nature de la dépense"}

    def clean(self):
        donnees = super().clean()
        quantite, cout, montant = donnees.get("quantite"), donnees.get("cout_unitaire"), donnees.get("montant")
        if montant is None and quantite is not None and cout is not None and not self.has_error("montant"):
            montant = quantize_cents(quantite * cout)  # the amount follows from the two others
            if montant > MONTANT_MAX:
                self.add_error(
                    "quantite", "Le nombre d'unités × le coût unitaire dépasse le plus grand montant possible."
                )
            else:
                donnees["montant"] = montant
        return donnees


class PartForm(forms.ModelForm, DsfrBaseForm):
    montant = MontantField(label="Montant", required=False)
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)

    class Meta:
        model = Part
        fields = ["financeur", "libelle", "montant", "texte", "annee", "territoire"]
        labels = {"texte": "Ou texte"}
        help_texts = {"texte": "« / », « Idem part État »"}


class PartLigneForm(forms.ModelForm, DsfrBaseForm):
    """A part attached to one of the budget's saved lines (the CeA's "2 CORSA PF 67": État, CeA for the Bas-Rhin, CeA
    for the Haut-Rhin). The line is chosen among `lignes`, given once for the whole formset (no query per form)."""

    ligne = forms.TypedChoiceField(label="Ligne", coerce=int, empty_value=None)
    montant = MontantField(label="Montant", required=False)

    class Meta:
        model = Part
        fields = ["financeur", "libelle", "montant", "texte", "territoire"]
        labels = {"texte": "Ou texte"}

    def __init__(self, *args, lignes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ligne"].choices = [("", "Choisir une ligne")] + [
            (ligne.pk, f"{rang}. {ligne.libelle[:70]}") for rang, ligne in enumerate(lignes, 1)
        ]
        if self.instance.ligne_id:
            self.initial["ligne"] = self.instance.ligne_id
        self.order_fields(["ligne"])

    def clean(self):
        donnees = super().clean()
        if donnees.get("ligne") is not None:
            self.instance.ligne_id = donnees["ligne"]
        return donnees


class BaseLigneFormSet(FormsetBorne):
    def get_ordering_widget(self):
        return forms.HiddenInput(attrs={"class": "calpae-ordre"})


LigneFormSet = formset_borne(
    Budget,
    LigneBudget,
    form=LigneForm,
    formset=BaseLigneFormSet,
    extra=0,
    can_delete=True,
    can_delete_extra=True,
    can_order=True,
)
PartFormSet = formset_borne(Budget, Part, form=PartForm, extra=1, can_delete=True)
# A budget without parts yet: one blank part per party, on one screen (no save-and-reopen for each share).
PartsVidesFormSet = formset_borne(Budget, Part, form=PartForm, extra=3, can_delete=True)
PARTS_VIDES = [{"financeur": financeur} for financeur in Partie.values]
PartLigneFormSet = formset_borne(Budget, Part, form=PartLigneForm, extra=1, can_delete=True)
