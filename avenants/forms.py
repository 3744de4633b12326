import datetime
import re

from django import forms
from dsfr.forms import DsfrBaseForm

from conventions.models import Exercice, date_limite_par_defaut
from core.formulaires import ChoixMultiplesField, DateFrField

from .services import decaler


def libelle_suivant(libelle: str) -> str:
    """« 2019 » → « 2020 », « 2021-2022 » → « 2022-2023 »: each year one later."""
    return re.sub(r"\b(\d{4})\b", lambda m: str(int(m.group(1)) + 1), libelle)


class AvenantForm(DsfrBaseForm):
    libelle = forms.CharField(label="Libellé de l'exercice", max_length=20, help_text="2020, 2022-2023")
    date_debut = DateFrField(label="Début de l'exercice")
    date_fin = DateFrField(label="Fin de l'exercice")
    date_limite_rapport = DateFrField(
        label="Date limite du rapport", required=False, help_text="Par défaut le 31 mars qui suit la fin de l'exercice."
    )
    fiches = ChoixMultiplesField(
        label="Fiches reconduites",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Décochez une fiche qui s'arrête : elle garde son historique dans l'exercice précédent.",
    )

    def __init__(self, *args, exercice, fiches, **kwargs):
        self.exercice = exercice
        super().__init__(*args, **kwargs)
        self.fields["fiches"].queryset = fiches
        self.fields["fiches"].label_from_instance = lambda f: f"{f.numero} : {f.titre}"
        if not self.is_bound:
            debut = exercice.date_fin + datetime.timedelta(days=1)
            fin = decaler(debut, 1) - datetime.timedelta(days=1)
            self.initial |= {
                "libelle": libelle_suivant(exercice.libelle),
                "date_debut": debut,
                "date_fin": fin,
                "date_limite_rapport": date_limite_par_defaut(fin),
                "fiches": list(fiches),
            }

    motif_arret = forms.CharField(
        label="Pourquoi les fiches décochées s'arrêtent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Gardé avec chacune : sa page le dit, et ce que change l'avenant aussi.",
    )

    def clean_libelle(self):
        libelle = self.cleaned_data["libelle"].strip()
        if Exercice.objects.filter(convention=self.exercice.convention, libelle=libelle).exists():
            raise forms.ValidationError(
                f"La convention a déjà un exercice « {libelle} » : choisissez un autre libellé."
            )
        return libelle

    def clean(self):
        donnees = super().clean()
        debut, fin, limite = donnees.get("date_debut"), donnees.get("date_fin"), donnees.get("date_limite_rapport")
        convention = self.exercice.convention
        if debut and debut <= self.exercice.date_fin:
            self.add_error(
                "date_debut",
                f"L'avenant commence après l'exercice {self.exercice.libelle}, qui finit le "
                f"{self.exercice.date_fin:%d/%m/%Y}.",
            )
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin précède le début.")
        elif fin and fin > convention.date_fin:
            self.add_error(
                "date_fin",
                f"La convention finit le {convention.date_fin:%d/%m/%Y} : un exercice ne la dépasse pas (prolongez "
                "d'abord la convention).",
            )
        if limite and fin and limite < fin:
            self.add_error("date_limite_rapport", "La date limite du rapport précède la fin de l'exercice.")
        reconduites = donnees.get("fiches")
        if reconduites is not None and len(reconduites) < self.fields["fiches"].queryset.count():
            if not (donnees.get("motif_arret") or "").strip():
                self.add_error("motif_arret", "Dites pourquoi les fiches décochées s'arrêtent.")
        return donnees
