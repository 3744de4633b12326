from django import forms
from dsfr.forms import DsfrBaseForm

from core.formulaires import formset_borne
from core.versions import VersionedForm

from .models import Fiche, SectionTexte


class FicheForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    """A fiche's number, group and texts, with the version of the fiche the user started from (core.versions):
    renumbering or moving a fiche to another annex or group is an edit like any other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = self.instance.exercice.groupes.order_by("ordre", "code")
        self.fields["groupe"].label_from_instance = lambda g: f"{g.code} – {g.libelle}"
        self.fields["groupe"].empty_label = None
        self.fields["ordre"].label = "Rang dans l'exercice"
        self.fields["ordre"].help_text = "L'ordre des fiches dans les listes et le rapport : 1, 2, 3…"

    def clean(self):
        donnees = super().clean()
        numero, groupe = (donnees.get("numero") or "").strip(), donnees.get("groupe")
        if numero and groupe is not None:
            racine = groupe
            while racine.parent_id:
                racine = racine.parent
            memes = Fiche.objects.filter(exercice=self.instance.exercice, numero=numero).exclude(pk=self.instance.pk)
            if any(_racine(f.groupe) == racine for f in memes.select_related("groupe__parent")):
                self.add_error("numero", f"L'annexe {racine.code} a déjà une fiche « {numero} » : un numéro par fiche.")
        return donnees

    class Meta:
        model = Fiche
        fields = [
            "numero",
            "groupe",
            "ordre",
            "evolution",
            "titre",
            "titre_long",
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
            "titre_long": forms.Textarea(attrs={"rows": 2}),
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


SectionFormSet = formset_borne(Fiche, SectionTexte, form=SectionForm, extra=1, can_delete=True, can_delete_extra=False)


def _racine(groupe):
    while groupe.parent_id:
        groupe = groupe.parent
    return groupe
