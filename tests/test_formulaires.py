"""The form fields of what people type: amounts, quantities, dates the French way."""

import datetime
from decimal import Decimal

import pytest
from django import forms

from core.formulaires import DateFrField, MontantField, QuantiteField


class Formulaire(forms.Form):
    montant = MontantField(required=False)
    quantite = QuantiteField(required=False)
    date = DateFrField(required=False)


def lire(**donnees):
    formulaire = Formulaire(donnees)
    formulaire.is_valid()
    return formulaire


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [("1 125 000", "1125000.00"), ("68\u202f129,18 €", "68129.18"), ("1125000.50", "1125000.50"), ("", None)],
)
def test_amount_field_gives_a_decimal(saisie, attendu):
    formulaire = lire(montant=saisie)
    assert formulaire.errors == {}
    assert formulaire.cleaned_data["montant"] == (Decimal(attendu) if attendu else None)


def test_amount_field_shows_the_stored_value_the_french_way():
    formulaire = Formulaire(initial={"montant": Decimal("1125000.5")})
    assert 'value="1\u00a0125\u00a0000,50"' in str(formulaire["montant"])


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("12 OOO", "n'est pas un montant en euros"),
        ("-5", "ne peut pas être négatif"),
        ("1,234", "plus de deux décimales"),
        ("9" * 41, "trop long"),
    ],
)
def test_amount_field_errors_are_in_french(saisie, message):
    assert message in lire(montant=saisie).errors["montant"][0]


def test_quantity_field():
    assert lire(quantite="2,5").cleaned_data["quantite"] == Decimal("2.50")
    assert "sans « € »" in lire(quantite="3 €").errors["quantite"][0]
    assert "n'est pas un nombre" in lire(quantite="trois").errors["quantite"][0]


def test_date_field_reads_french_dates_and_bounds_years():
    assert lire(date="31/03/2020").cleaned_data["date"] == datetime.date(2020, 3, 31)
    assert "jj/mm/aaaa" in lire(date="2020-03-31").errors["date"][0]
    assert "jj/mm/aaaa" in lire(date="31/02/2020").errors["date"][0]
    assert "entre 2000 et 2100" in lire(date="01/01/0001").errors["date"][0]
    assert 'value="31/03/2020"' in str(Formulaire(initial={"date": datetime.date(2020, 3, 31)})["date"])
