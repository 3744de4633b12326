from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.saisie import MontantInvalide, parse_montant


class TestParseMontant:
    @pytest.mark.parametrize(
        ("texte", "attendu"),
        [
            ("1 125 000", "1125000.00"),
            ("1 125 000,50", "1125000.50"),
            ("1125000.50", "1125000.50"),
            ("68 129,18 €", "68129.18"),
            ("68\u00a0129,18\u00a0€", "68129.18"),  # no-break spaces (Django's French locale)
            ("68\u202f129,18 €", "68129.18"),  # narrow no-break space (browsers' French formatting)
            ("  25812  ", "25812.00"),
            ("0", "0.00"),
            ("12,5", "12.50"),
            ("300 euros", "300.00"),
            ("999 999 999 999,99", "999999999999.99"),  # the largest amount stored
            ("000000000000001", "1.00"),
        ],
    )
    def test_accepted(self, texte, attendu):
        assert parse_montant(texte) == Decimal(attendu)

    @pytest.mark.parametrize(
        ("texte", "message"),
        [
            ("", "Saisissez un montant."),
            ("-1 500", "Un montant ne peut pas être négatif."),
            ("12,345", "« 12,345 » a plus de deux décimales : un montant s'arrête aux centimes."),
            ("douze", "« douze » n'est pas un montant en euros (par exemple 1 125 000 ou 68 129,18 €)."),
            ("1e3", "« 1e3 » n'est pas un montant en euros (par exemple 1 125 000 ou 68 129,18 €)."),
            ("١٢٣", "« ١٢٣ » n'est pas un montant en euros (par exemple 1 125 000 ou 68 129,18 €)."),
            ("1 12 000", "« 1 12 000 » n'est pas un montant en euros (par exemple 1 125 000 ou 68 129,18 €)."),
            ("NaN", "« NaN » n'est pas un montant en euros (par exemple 1 125 000 ou 68 129,18 €)."),
            ("1.125.000", "« 1.125.000 » n'est pas un montant en euros (par exemple 1 125 000 ou 68 129,18 €)."),
            # Beyond what is stored (14 digits, 2 of cents): refused, not a 500 when rounding or saving.
            ("1111111111111", "« 1111111111111 » est trop grand : 999 999 999 999,99 au plus."),
            ("1 000 000 000 000 €", "« 1 000 000 000 000 € » est trop grand : 999 999 999 999,99 au plus."),
            (str(10**30), f"« {str(10**30)[:30]} » est trop grand : 999 999 999 999,99 au plus."),
        ],
    )
    def test_refused_with_a_french_message(self, texte, message):
        with pytest.raises(MontantInvalide) as error:
            parse_montant(texte)
        assert str(error.value) == message


class TestChampsDeSaisie:
    """The form fields refuse, with a French message, what the database would not hold (issue 14's sweep found
    `10**30` in an amount answering 500: the rounding to the cent overflowed)."""

    def test_an_amount_too_large_is_a_form_error(self):
        from core.formulaires import MontantField

        with pytest.raises(ValidationError) as erreur:
            MontantField().clean(str(10**30))
        assert "trop grand" in erreur.value.messages[0]

    def test_a_quantity_holds_ten_digits(self):
        from core.formulaires import QuantiteField

        assert QuantiteField().clean("9999999999,5") == Decimal("9999999999.50")
        with pytest.raises(ValidationError) as erreur:
            QuantiteField().clean("12345678901")
        assert erreur.value.messages == ["« 12345678901 » est trop grand : 9 999 999 999,99 au plus."]

    def test_a_line_whose_units_times_cost_overflow_is_refused(self, db):
        from budgets.forms import LigneForm

        form = LigneForm(
            {"libelle": "Postes", "quantite": "9999999999", "cout_unitaire": "999999999", "type_depense": ""}
        )
        assert not form.is_valid()
        assert form.errors["quantite"] == [
            "Le nombre d'unités × le coût unitaire dépasse le plus grand montant possible."
        ]

    def test_an_id_beyond_the_database_is_an_invalid_choice(self, db):
        from actions.models import Fiche
        from core.formulaires import ChoixMultiplesField

        champ = ChoixMultiplesField(queryset=Fiche.objects.all())
        with pytest.raises(ValidationError) as erreur:  # SQLite's driver raised OverflowError on it
            champ.clean([str(10**30)])
        assert erreur.value.code == "invalid_choice"
