from decimal import Decimal

import pytest

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
        ],
    )
    def test_refused_with_a_french_message(self, texte, message):
        with pytest.raises(MontantInvalide) as error:
            parse_montant(texte)
        assert str(error.value) == message
