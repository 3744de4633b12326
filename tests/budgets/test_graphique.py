from decimal import Decimal
from xml.etree import ElementTree

from budgets.graphique import HAUTEUR_BARRE, graphique_parite

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_valid_svg_with_one_pair_of_bars_per_fiche_to_scale():
    svg = graphique_parite(
        [
            ("A · 1", "Prévenir les sorties sèches", Decimal("155000"), Decimal("155000")),
            ("B · 4-1", "Renforcer l'accompagnement <b>", Decimal("240000"), Decimal("120000")),
        ]
    )
    racine = ElementTree.fromstring(svg)  # well-formed, user text escaped
    assert racine.get("role") == "img"
    assert racine.find(f"{SVG}title").text == "Part de l'État et part de la collectivité par fiche"
    barres = [r for r in racine.iter(f"{SVG}rect") if r.get("height") == str(HAUTEUR_BARRE)]
    assert len(barres) == 4
    largeurs = [float(r.get("width")) for r in barres]
    assert largeurs[2] == 2 * largeurs[3]  # 240 000 € against 120 000 €
    assert largeurs[0] == largeurs[1]
    textes = " ".join(t.text or "" for t in racine.iter(f"{SVG}text"))
    assert "240\u00a0000,00\u00a0€" in textes
    description = racine.find(f"{SVG}desc").text
    assert "B · 4-1 : État 240\u00a0000,00\u00a0€, collectivité 120\u00a0000,00\u00a0€" in description


def test_chart_of_an_empty_exercice():
    racine = ElementTree.fromstring(graphique_parite([]))
    assert not [r for r in racine.iter(f"{SVG}rect") if r.get("height") == str(HAUTEUR_BARRE)]
