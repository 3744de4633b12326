"""Form fields for what people type: amounts and quantities the French way, dates as 31/03/2020.

The parsing itself lives in core/saisie.py (no Django import); these fields turn its messages into form errors
shown next to the field, and show stored values back the French way.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.forms.formsets import TOTAL_FORM_COUNT

from core.money import format_number_fr

from .saisie import CHIFFRES_MAX, MontantInvalide, parse_montant

ANNEE_MIN, ANNEE_MAX = 2000, 2100


class MontantField(forms.CharField):
    """Euros: `1 125 000`, `1 125 000,50`, `1125000.50`, `68 129,18 €`; a `Decimal` with cents, never a float."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "fr-input calpae-montant"})

    longueur_max = 40
    chiffres = CHIFFRES_MAX  # digits before the comma: what core.db.MoneyField stores

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return format_number_fr(value)

    def to_python(self, value):
        texte = super().to_python(value)
        if texte in self.empty_values:
            return None
        if len(texte) > self.longueur_max:
            raise forms.ValidationError("Ce montant est trop long pour être un montant en euros.", code="longueur")
        try:
            return parse_montant(texte, chiffres=self.chiffres)
        except MontantInvalide as erreur:
            raise forms.ValidationError(str(erreur), code="montant") from erreur


class QuantiteField(MontantField):
    """A number of units (`12`, `2,5`): the same reading as an amount, without the euro sign."""

    chiffres = 10  # LigneBudget.quantite: 12 digits, 2 of them decimals

    def to_python(self, value):
        texte = forms.CharField.to_python(self, value)
        if texte in self.empty_values:
            return None
        if len(texte) > self.longueur_max:
            raise forms.ValidationError("Cette quantité est trop longue.", code="longueur")
        if "€" in texte:
            raise forms.ValidationError("Une quantité s'écrit sans « € » : par exemple 12 ou 2,5.", code="quantite")
        try:
            return parse_montant(texte, chiffres=self.chiffres)
        except MontantInvalide as erreur:
            message = str(erreur).replace("un montant en euros", "un nombre").replace("un montant", "une quantité")
            raise forms.ValidationError(message, code="quantite") from erreur


class DateFrField(forms.DateField):
    """`31/03/2020`; refuses years outside 2000–2100 (Django's ISO fallback accepts `0001-01-01`)."""

    input_formats = ["%d/%m/%Y"]
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "jj/mm/aaaa", "inputmode": "numeric"})
    default_error_messages = {"invalid": "Saisissez une date au format jj/mm/aaaa, par exemple 31/03/2020."}

    def to_python(self, value):
        resultat = super().to_python(value)
        if isinstance(resultat, datetime.date) and not ANNEE_MIN <= resultat.year <= ANNEE_MAX:
            raise forms.ValidationError(f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.", code="annee")
        return resultat


class ChoixMultiplesField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, but an id beyond what the database holds (`10**30`) is an invalid choice
    like any other: SQLite's driver raises OverflowError on it in the `IN (…)` that checks the choices."""

    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError:
            raise forms.ValidationError(
                "Ce choix ne fait pas partie de ceux qui vous sont proposés : rechargez la page.", code="invalid_choice"
            ) from None


# Forms to data: the services get cleaned values, never forms ----------------------------------------------------


@dataclass
class Saisie:
    """One row of a valid formset as data: the saved object it edits (None for a new one), the cleaned values of the
    model's fields, whether it is to be deleted, whether anything changed, and its rank when the formset orders."""

    objet: object
    champs: dict
    supprimer: bool = False
    modifiee: bool = True
    rang: int = 0


def saisies(formset) -> list[Saisie]:
    """The rows of a valid formset, in their order (the user's order when it orders); new rows left empty are
    skipped, as Django's formsets do."""
    formulaires = formset.ordered_forms if formset.can_order else formset.forms
    ordonnes = [*formulaires, *(f for f in formset.forms if f not in formulaires)]
    resultat = []
    for rang, form in enumerate(ordonnes, start=1):
        existant = form.instance if form.instance.pk else None
        supprimer = formset.can_delete and formset._should_delete_form(form)
        if existant is None and (supprimer or not form.has_changed()):
            continue
        champs = {nom: valeur for nom, valeur in form.cleaned_data.items() if nom not in ("id", "DELETE", "ORDER")}
        champs.pop(formset.fk.name, None)
        resultat.append(Saisie(existant, champs, supprimer, form.has_changed(), rang))
    return resultat


def appliquer_saisies(saisies: list[Saisie], modele, *, valider=(), **parent):
    """Create, change or delete the rows a formset described (`saisies`), under `parent` (`budget=…`); unchanged
    rows are left alone. `valider`: run the model's `full_clean`, excluding these fields (its own rules, such as a
    part's line belonging to its budget)."""
    for saisie in saisies:
        if saisie.supprimer:
            if saisie.objet is not None:
                saisie.objet.delete()
            continue
        if saisie.objet is not None and not saisie.modifiee:
            continue
        objet = saisie.objet or modele(**parent)
        for nom, valeur in saisie.champs.items():
            setattr(objet, nom, valeur)
        for nom, valeur in parent.items():
            setattr(objet, nom, valeur)
        if valider:
            objet.full_clean(exclude=list(valider))
        objet.save()


FORMULAIRES_MAX = 500  # rows of one formset: a budget of 500 lines is far beyond any document


class FormsetBorne(forms.BaseInlineFormSet):
    """A formset sent with more rows than its `absolute_max` is refused (Django's « Veuillez soumettre au plus … »)
    without building one of them: Django builds `absolute_max` rows first, and draws them all again on the refused
    page (34 s for the admin's indicators, whose every row offers every indicator as a parent)."""

    def total_form_count(self):
        if self.is_bound and self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max:
            return 0
        return super().total_form_count()


def formset_borne(*args, **kwargs):
    """An inline formset that refuses more than FORMULAIRES_MAX rows, before building them (a forged TOTAL_FORMS of
    100 000 cost seconds of server time)."""
    kwargs.setdefault("formset", FormsetBorne)
    kwargs.setdefault("max_num", FORMULAIRES_MAX)
    kwargs.setdefault("absolute_max", FORMULAIRES_MAX)
    kwargs.setdefault("validate_max", True)
    return forms.inlineformset_factory(*args, **kwargs)
