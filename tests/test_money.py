from decimal import Decimal

import pytest

from core.money import NBSP, format_euros, quantize_cents


class TestFormatEuros:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (Decimal("1125000"), "1 125 000,00 €"),
            (Decimal("68129.18"), "68 129,18 €"),
            (Decimal("224992.94"), "224 992,94 €"),
            (Decimal("0"), "0,00 €"),
            (Decimal("999.995"), "1 000,00 €"),
            (Decimal("-1500.5"), "-1 500,50 €"),
        ],
    )
    def test_french_format_with_no_break_spaces(self, value, expected):
        assert format_euros(value) == expected.replace(" ", NBSP)

    def test_none_is_empty(self):
        assert format_euros(None) == ""


class TestQuantizeCents:
    def test_sqlite_float_noise_is_rounded_to_cents(self):
        assert quantize_cents(4711059.43965335) == Decimal("4711059.44")

    def test_half_up(self):
        assert quantize_cents(Decimal("0.005")) == Decimal("0.01")
