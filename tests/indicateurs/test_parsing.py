from decimal import Decimal

import pytest

from indicateurs.parsing import CODE, DUREE, MONTANT, NOMBRE, TAUX, TEXTE, VIDE, parse_valeur


class TestParseValeur:
    @pytest.mark.parametrize(
        ("texte", "code", "description"),
        [
            ("ND", "ND", "non disponible"),
            ("ND*", "ND", "non disponible"),
            ("ND (nouvel indicateur)", "ND", "non disponible – (nouvel indicateur)"),
            ("NC", "NC", "non concerné"),
            ("Non concerné", "NC", "non concerné"),
            ("/", "/", "sans objet (/)"),
            ("NC Estimation impossible à ce stade", "NC", "non concerné – Estimation impossible à ce stade"),
        ],
    )
    def test_codes(self, texte, code, description):
        lue = parse_valeur(texte)
        assert (lue.type, lue.code, lue.description) == (CODE, code, description)

    @pytest.mark.parametrize(
        ("texte", "type_", "nombre", "unite", "description"),
        [
            ("4 827", NOMBRE, Decimal("4827"), "", "nombre : 4 827"),
            ("203\u00a0470", NOMBRE, Decimal("203470"), "", "nombre : 203 470"),
            ("1\u202f506", NOMBRE, Decimal("1506"), "", "nombre : 1 506"),
            ("95%", TAUX, Decimal("95"), "%", "taux : 95 %"),
            ("95 %", TAUX, Decimal("95"), "%", "taux : 95 %"),
            ("16% (expérimentation sur 3 territoires)", TAUX, Decimal("16"), "%", "taux : 16 %"),
            ("29 jours", DUREE, Decimal("29"), "jours", "durée : 29 jours"),
            ("31j", DUREE, Decimal("31"), "jours", "durée : 31 jours"),
            ("25 812 €", MONTANT, Decimal("25812"), "€", "montant : 25 812,00 €"),
            ("80 k€", MONTANT, Decimal("80000"), "€", "montant : 80 000,00 €"),
            ("40 ménages", NOMBRE, Decimal("40"), "ménages", "nombre : 40 ménages"),
            ("100 (soit 50 par CRE)", NOMBRE, Decimal("100"), "", "nombre : 100"),
            ("12,5", NOMBRE, Decimal("12.5"), "", "nombre : 12,5"),
        ],
    )
    def test_figures(self, texte, type_, nombre, unite, description):
        lue = parse_valeur(texte)
        shown = lue.description.replace("\u00a0", " ")
        assert (lue.type, lue.nombre, lue.unite, shown) == (type_, nombre, unite, description)

    def test_qualifier_and_number(self):
        lue = parse_valeur("> à 15")
        assert (lue.type, lue.nombre, lue.qualificatif) == (NOMBRE, Decimal("15"), ">")

    def test_tendre_vers_a_duration(self):
        lue = parse_valeur("Tendre vers 3 semaines")
        assert (lue.type, lue.nombre, lue.unite, lue.qualificatif) == (DUREE, Decimal("3"), "semaines", "tendre vers")

    def test_number_with_a_comment(self):
        lue = parse_valeur("76 CJM supplémentaires 248 CJM")
        assert (lue.type, lue.nombre, lue.unite) == (NOMBRE, Decimal("76"), "CJM")
        assert lue.commentaire == "supplémentaires 248 CJM"

    @pytest.mark.parametrize(
        "texte",
        [
            "Construction du dispositif",
            "Impossible à estimer",
            "Pas d'objectif",
            "31/12/2019",  # a date is not the number 31
            "19-10-2018",
            "1/ Actions de sensibilisation et de mobilisation des acteurs internes",
            "Situation initiale : 88 CJM",
            "١٢٣",  # non-Latin digits are not read as a number
            "1e3",
        ],
    )
    def test_free_text_is_not_guessed(self, texte):
        assert parse_valeur(texte).type == TEXTE

    @pytest.mark.parametrize("texte", ["", "   ", None])
    def test_empty(self, texte):
        assert parse_valeur(texte).type == VIDE


@pytest.mark.parametrize("texte", ["1111111111111", "9" * 29, "9" * 501, "1 000 000 000 000 k€"])
def test_a_number_too_large_to_store_stays_text(texte):
    lue = parse_valeur(texte)
    assert (lue.type, lue.nombre) == ("texte", None)


@pytest.mark.django_db
def test_a_huge_value_saved_breaks_no_page_export_or_backup(client, agent_68):
    import io

    from django.core.management import call_command
    from django.urls import reverse

    from actions.models import Fiche
    from indicateurs.models import ValeurIndicateur

    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")
    valeur = ValeurIndicateur.objects.filter(indicateur__tableau__fiches=fiche).first()
    valeur.texte = "1111111111111"
    valeur.save()
    exercice = fiche.exercice
    for url in (
        reverse("pages:fiche", args=[fiche.public_id]),
        reverse("indicateurs:saisie", args=[fiche.public_id]),
        reverse("rapports:rapport", args=[exercice.public_id]),
        reverse("rapports:xlsx", args=[exercice.public_id]),
        reverse("pages:comparaison"),
        reverse("indicateurs:lecture") + "?v=" + "9" * 29,
    ):
        assert client.get(url).status_code == 200, url
    sortie = io.StringIO()
    call_command("dumpdata", "indicateurs.valeurindicateur", stdout=sortie)
    assert "1111111111111" in sortie.getvalue()
