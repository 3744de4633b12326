import datetime
import re

from django import forms
from dsfr.forms import DsfrBaseForm

from actions.models import Fiche
from conventions.enums import TypeActe
from conventions.models import Convention, Deliberation, MontantEtatAnnuel, Signataire
from core.formulaires import ChoixMultiplesField, DateFrField, MontantField, formset_borne
from core.versions import VersionedForm

TEXTE_LONG = forms.Textarea(attrs={"rows": 4})


class ConventionForm(DsfrBaseForm):
    """A convention and its first exercice, in one form (the groups A and B are created with the exercice)."""

    collectivite = forms.ModelChoiceField(label="Collectivité signataire", queryset=None, empty_label=None)
    intitule = forms.CharField(
        label="Intitulé de la convention",
        max_length=300,
        initial="Convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi",
    )
    date_debut = DateFrField(label="Début de la convention")
    date_fin = DateFrField(label="Fin de la convention")
    montant_etat = MontantField(
        label="Montant annuel de l'État",
        required=False,
        help_text="Reporté sur chaque année de la convention (prévisionnel), "
        "et confronté aux parts de l'État des fiches.",
    )
    libelle = forms.CharField(label="Libellé du premier exercice", max_length=20, help_text="2024, 2024-2025")
    acte = forms.ChoiceField(label="Acte du premier exercice", choices=TypeActe.choices, initial=TypeActe.CONVENTION)
    exercice_debut = DateFrField(label="Début de l'exercice")
    exercice_fin = DateFrField(label="Fin de l'exercice")
    date_limite_rapport = DateFrField(
        label="Date limite du rapport", required=False, help_text="Par défaut le 31 mars qui suit la fin de l'exercice."
    )

    def __init__(self, *args, collectivites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collectivite"].queryset = collectivites

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        ex_debut, ex_fin = donnees.get("exercice_debut"), donnees.get("exercice_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de la convention précède son début.")
        if ex_debut and ex_fin and ex_fin < ex_debut:
            self.add_error("exercice_fin", "La fin de l'exercice précède son début.")
        elif debut and fin and ex_debut and ex_fin and (ex_debut < debut or ex_fin > fin):
            self.add_error(
                "exercice_debut",
                f"L'exercice sort de la période de la convention ({debut:%d/%m/%Y} – {fin:%d/%m/%Y}).",
            )
        limite = donnees.get("date_limite_rapport")
        if limite and ex_fin and limite < ex_fin:
            self.add_error("date_limite_rapport", "La date limite du rapport précède la fin de l'exercice.")
        return donnees


class FicheNouvelleForm(DsfrBaseForm):
    """A new fiche of an exercice with its planned parts: one submission per fiche."""

    groupe = forms.ModelChoiceField(label="Annexe ou groupe", queryset=None, empty_label=None)
    numero = forms.CharField(label="Numéro", max_length=40, help_text="Tel que l'écrit la convention : ACTION 1, 4-2…")
    titre = forms.CharField(label="Intitulé", max_length=500)
    theme = forms.CharField(label="Thème de la contractualisation", max_length=300, required=False)
    description = forms.CharField(label="Description de l'action", required=False, widget=TEXTE_LONG)
    part_etat = MontantField(label="Part État prévue", required=False)
    part_collectivite = MontantField(label="Part collectivité prévue", required=False)
    autres = MontantField(label="Autres financeurs", required=False)

    def __init__(self, *args, exercice, **kwargs):
        self.exercice = exercice
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = exercice.groupes.order_by("ordre", "code")
        self.fields["groupe"].label_from_instance = lambda g: f"{g.code} – {g.libelle}"

    def clean(self):
        donnees = super().clean()
        numero, groupe = donnees.get("numero", "").strip(), donnees.get("groupe")
        if numero and groupe is not None:
            racine = groupe
            while racine.parent_id:
                racine = racine.parent
            if Fiche.objects.filter(exercice=self.exercice, numero=numero, groupe__in=_branche(racine)).exists():
                self.add_error("numero", f"L'annexe {racine.code} a déjà une fiche « {numero} » : un numéro par fiche.")
        return donnees


def _branche(racine):
    """The group and all its sub-groups."""
    groupes, frontiere = [racine], [racine]
    while frontiere:
        frontiere = list(type(racine).objects.filter(parent__in=frontiere))
        groupes += frontiere
    return groupes


TYPES_JALON = [
    ("objectif", "objectif"),
    ("réalisé", "realise"),
    ("realise", "realise"),
    ("résultat", "resultat"),
    ("situation", "situation"),
    ("au ", "situation"),
]
DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


class TableauForm(DsfrBaseForm):
    """An indicator table described in plain lines: its columns, its indicators (a line starting with « - » is a
    sub-item of the indicator above), an optional split by dimension (territories, modes)."""

    titre = forms.CharField(label="Titre du tableau", max_length=500)
    theme = forms.CharField(label="Thème (regroupement en annexe)", max_length=300, required=False)
    colonnes = forms.CharField(
        label="Colonnes, une par ligne",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple « Situation au 31/12/2023 », « Objectif 2024 », « Réalisé au 31/12/2024 », « T0 ». Le "
        "type (objectif, réalisé, situation, résultat) et la date sont lus dans le libellé.",
    )
    indicateurs = forms.CharField(
        label="Indicateurs, un par ligne",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Une ligne qui commence par « - » est un sous-item de l'indicateur au-dessus.",
    )
    dimension = forms.CharField(label="Ventilation", max_length=100, required=False, help_text="Territoire, mode…")
    valeurs_dimension = forms.CharField(
        label="Valeurs de la ventilation", required=False, help_text="Séparées par des virgules : Bas-Rhin, Haut-Rhin"
    )
    fiches = ChoixMultiplesField(label="Fiches que le tableau sert", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, exercice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiches"].queryset = Fiche.objects.filter(exercice=exercice).order_by("ordre")
        self.fields["fiches"].label_from_instance = lambda f: f"{f.numero} : {f.titre}"

    def clean_colonnes(self):
        lignes = [" ".join(ligne.split()) for ligne in self.cleaned_data["colonnes"].splitlines() if ligne.strip()]
        if not lignes:
            raise forms.ValidationError("Indiquez au moins une colonne.")
        if len(lignes) > 20:
            raise forms.ValidationError("Vingt colonnes au plus.")
        colonnes = []
        for libelle in lignes:
            if len(libelle) > 300:
                raise forms.ValidationError(f"« {libelle[:40]}… » : 300 caractères au plus.")
            minuscule = libelle.lower()
            type_ = next((t for mot, t in TYPES_JALON if mot in minuscule), "autre")
            date = None
            if trouvee := DATE.search(libelle):
                jour, mois, annee = (int(x) for x in trouvee.groups())
                try:
                    date = datetime.date(annee, mois, jour)
                except ValueError:
                    raise forms.ValidationError(f"« {trouvee.group(0)} » n'est pas une date.") from None
            code = libelle if re.fullmatch(r"T-?\d", libelle) else ""
            colonnes.append({"libelle": libelle, "type": type_, "date": date, "code": code})
        return colonnes

    def clean_indicateurs(self):
        indicateurs = []
        for ligne in self.cleaned_data["indicateurs"].splitlines():
            texte = " ".join(ligne.split())
            if not texte:
                continue
            sous_item = texte.startswith("-")
            texte = texte.lstrip("- ").strip()
            if sous_item and not indicateurs:
                raise forms.ValidationError("Un sous-item (« - … ») suit l'indicateur dont il dépend.")
            if len(texte) > 2000:
                raise forms.ValidationError(f"« {texte[:40]}… » : 2 000 caractères au plus.")
            indicateurs.append({"libelle": texte, "sous_item": sous_item})
        if not indicateurs:
            raise forms.ValidationError("Indiquez au moins un indicateur.")
        if len(indicateurs) > 200:
            raise forms.ValidationError("Deux cents indicateurs au plus.")
        return indicateurs

    def clean_valeurs_dimension(self):
        valeurs = [v.strip() for v in self.cleaned_data["valeurs_dimension"].split(",") if v.strip()]
        if any(len(v) > 100 for v in valeurs):
            raise forms.ValidationError("Une valeur de la ventilation a 100 caractères au plus.")
        return list(dict.fromkeys(valeurs))

    def clean(self):
        donnees = super().clean()
        if donnees.get("dimension") and not donnees.get("valeurs_dimension"):
            self.add_error("valeurs_dimension", "Indiquez les valeurs de la ventilation (Bas-Rhin, Haut-Rhin…).")
        return donnees


class ConventionModificationForm(VersionedForm, forms.ModelForm, DsfrBaseForm):
    date_debut = DateFrField(label="Début de la période")
    date_fin = DateFrField(label="Fin de la période")
    date_signature = DateFrField(label="Date de signature", required=False)

    class Meta:
        model = Convention
        fields = ["intitule", "date_debut", "date_fin", "date_signature", "lieu_signature", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and self.instance.pk:
            dehors = [e.libelle for e in self.instance.exercices.all() if e.date_debut < debut or e.date_fin > fin]
            if dehors:
                self.add_error(
                    "date_fin" if fin else "date_debut",
                    f"L'exercice {', '.join(dehors)} sortirait de la période : ajustez d'abord ses dates.",
                )
        return donnees


class SignataireForm(forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = Signataire
        fields = ["partie", "nom", "qualite"]


class DeliberationForm(forms.ModelForm, DsfrBaseForm):
    date = DateFrField(label="Date", required=False)

    class Meta:
        model = Deliberation
        fields = ["reference", "date", "instance", "objet"]
        widgets = {"objet": forms.Textarea(attrs={"rows": 2})}


class MontantEtatForm(forms.ModelForm, DsfrBaseForm):
    montant = MontantField(label="Montant")
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)

    class Meta:
        model = MontantEtatAnnuel
        fields = ["annee", "nature", "montant"]


SignataireFormSet = formset_borne(Convention, Signataire, form=SignataireForm, extra=1, can_delete=True)
DeliberationFormSet = formset_borne(Convention, Deliberation, form=DeliberationForm, extra=1, can_delete=True)
MontantEtatFormSet = formset_borne(Convention, MontantEtatAnnuel, form=MontantEtatForm, extra=1, can_delete=True)


class SousGroupeForm(DsfrBaseForm):
    """A sub-group of an annex (« Actions cofinancées » under annex B)."""

    parent = forms.ModelChoiceField(label="Dans l'annexe", queryset=None, empty_label=None)
    code = forms.CharField(label="Code", max_length=10, help_text="B1, B2… : unique dans l'exercice")
    libelle = forms.CharField(label="Libellé", max_length=300)

    def __init__(self, *args, exercice, **kwargs):
        self.exercice = exercice
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = exercice.groupes.filter(parent__isnull=True).order_by("ordre", "code")
        self.fields["parent"].label_from_instance = lambda g: f"{g.code} – {g.libelle}"

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if self.exercice.groupes.filter(code=code).exists():
            raise forms.ValidationError(f"L'exercice a déjà un groupe « {code} » : choisissez un autre code.")
        return code
