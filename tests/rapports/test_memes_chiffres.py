"""One figure, one definition: the exercice page, the report's PDF and its workbook state the same amounts, to the
cent, per fiche and per group, for every seed exercice. Each document is generated for real and read back: the page's
HTML, the PDF's text (pypdf) and the HTML it is laid out from, the workbook (openpyxl)."""

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conventions.models import Exercice
from rapports.classeur import classeur_octets
from rapports.pdf import html_rapport, pdf_depuis_html
from rapports.selectors import charger_exercice

pytestmark = pytest.mark.django_db

MONTANT = re.compile(r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})*,\d{2})[ \u00a0\u202f]?€")
SEEDS = [("68-2019-2021", "2021-2022"), ("68-2019-2021", "2019"), ("67-2019-2021", "2019"), ("6ae-volet2-2024", "2024")]


def montant(texte):
    """The first amount written the French way in `texte`, as Decimal; None without one."""
    trouve = MONTANT.search(texte)
    if trouve is None:
        return None
    return Decimal(re.sub(r"[ \u00a0\u202f]", "", trouve.group(1)).replace(",", "."))


def francais(valeur):
    return f"{valeur:,.2f}".replace(",", " ").replace(".", ",")


class Rangees(HTMLParser):
    """The body rows of the first table inside an element with `classe`: [[cell text…]…] (th and td)."""

    def __init__(self, classe):
        super().__init__()
        self.classe, self.dedans, self.fini, self.rangees, self.cellule = classe, 0, False, [], None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.fini:
            return
        if not self.dedans and self.classe in classes:
            self.dedans = 1
        elif self.dedans:
            if tag == "tbody":
                self.dedans = 2
            elif tag == "tr" and self.dedans == 2:
                self.rangees.append([])
            elif tag in ("td", "th") and self.dedans == 2:
                self.cellule = []

    def handle_endtag(self, tag):
        if self.dedans and tag in ("td", "th") and self.cellule is not None:
            self.rangees[-1].append(" ".join("".join(self.cellule).split()))
            self.cellule = None
        elif self.dedans and tag == "table":
            self.dedans, self.fini = 0, True

    def handle_data(self, data):
        if self.cellule is not None:
            self.cellule.append(data)


def rangees(html, classe):
    lecteur = Rangees(classe)
    lecteur.feed(html)
    return [r for r in lecteur.rangees if r]


def attendu(lu):
    """(label, prévu, part État, part collectivité) of each fiche, each group's total and the overall total, in the
    order every document lists them: what the read model says."""
    lignes = []
    for groupe in lu.groupes:
        lignes += [(f.fiche.numero, f.prevu, f.montants.etat, f.montants.collectivite) for f in groupe.fiches]
        lignes.append((f"Total {groupe.code}", groupe.prevu, groupe.montants.etat, groupe.montants.collectivite))
    if len(lu.groupes) > 1:
        total = "Total " + "+".join(g.code for g in lu.groupes)
        lignes.append((total, lu.prevu, lu.montants.etat, lu.montants.collectivite))
    return lignes


@pytest.fixture(params=SEEDS, ids=["-".join(s) for s in SEEDS])
def lu(request):
    convention, libelle = request.param
    return charger_exercice(Exercice.objects.get(convention__cle=convention, libelle=libelle))


def test_the_page_the_pdf_and_the_workbook_state_the_same_figures(client, administrateur, lu):
    lignes = attendu(lu)
    chiffres = [ligne[1:] for ligne in lignes]
    assert len(lignes) > 2

    # The exercice page: its synthesis table (Part État, Part collectivité, [autres], Total, Parité).
    page = client.get(reverse("pages:exercice", args=[lu.exercice.public_id])).content.decode()
    sur_la_page = [r for r in rangees(page, "calpae-synthese") if len(r) > 2]
    decalage = len(lu.annees)
    total = -2  # the Total column, before Parité
    # A collectivité share the document writes without a figure (« Idem Part Etat ») shows as written: counted 0.
    collectivite = [montant(r[2 + decalage]) or Decimal("0.00") for r in sur_la_page]
    assert [
        (montant(r[total]), montant(r[1 + decalage]), c) for r, c in zip(sur_la_page, collectivite, strict=True)
    ] == chiffres

    # The PDF's synthesis table (Fiche, Prévu, Exécuté, Taux, Part État, Part collectivité, Parité) in the HTML it is
    # laid out from, then in the PDF itself: each group's total row, and every fiche's planned amount.
    html = html_rapport(lu)
    dans_le_pdf = [r for r in rangees(html, "synthese") if len(r) == 7]
    assert [(montant(r[1]), montant(r[4]), montant(r[5])) for r in dans_le_pdf] == chiffres
    texte = " ".join(
        " ".join(page.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
        for page in PdfReader(io.BytesIO(pdf_depuis_html(html))).pages
    )
    synthese = texte[texte.rindex("Synthèse financière") :]
    for libelle, prevu, etat, collectivite in lignes:
        if libelle.startswith("Total"):
            assert f"{libelle} {francais(prevu)} €" in synthese, libelle
            assert f"{francais(etat)} € {francais(collectivite)} €" in synthese, libelle
        else:
            assert f"{francais(prevu)} €" in synthese, libelle

    # The workbook: each fiche's row of « Fiches », then each group's and the overall total of « Synthèse » (the
    # overall one below its table), read back from the saved file.
    classeur = load_workbook(io.BytesIO(classeur_octets(lu.exercice)))
    fiches = classeur["Fiches"]
    entetes = [c.value for c in fiches[1]]
    colonnes = [entetes.index(t) for t in ("Total prévu", "Part État prévue", "Part collectivité prévue")]
    par_groupe = {}
    for rangee in fiches.iter_rows(min_row=2, values_only=True):
        chiffres_fiche = tuple(Decimal(str(rangee[j] or 0)).quantize(Decimal("0.01")) for j in colonnes)
        par_groupe.setdefault(rangee[entetes.index("Groupe")], []).append(
            (rangee[entetes.index("N° fiche")], *chiffres_fiche)
        )
    synthese = classeur["Synthèse"]
    entetes = [c.value for c in synthese[6]]
    colonnes = [entetes.index(t) for t in ("Total prévu", "Part État", "Part collectivité")]
    totaux = [
        (rangee[0], *(Decimal(str(rangee[j] or 0)).quantize(Decimal("0.01")) for j in colonnes))
        for rangee in synthese.iter_rows(min_row=7, values_only=True)
        if rangee[0] and str(rangee[0]).startswith("Total")
    ]
    dans_le_classeur = []
    for groupe in lu.groupes:
        dans_le_classeur += par_groupe[groupe.code] + [totaux.pop(0)]
    dans_le_classeur += totaux
    assert dans_le_classeur == lignes
    # The executed total and its rate, as the PDF's synthesis states them.
    general = next(r for r in synthese.iter_rows(min_row=7, values_only=True) if r[0] == lignes[-1][0])
    execute = general[entetes.index("Montant exécuté")]
    assert (Decimal(str(execute)).quantize(Decimal("0.01")) if execute is not None else None) == lu.execute
    if lu.execute is not None:
        assert f"{francais(lu.execute)} €" in synthese_pdf(texte)
        taux = Decimal(str(general[entetes.index("Taux d'exécution")])) * 100
        assert taux.quantize(Decimal("0.1")) == lu.taux_execution
        assert f"{str(lu.taux_execution).replace('.', ',')} %" in synthese_pdf(texte)


def synthese_pdf(texte):
    return texte[texte.rindex("Synthèse financière") :]


def test_haut_rhin_2019_action_7_and_totals_as_seed_001_adds_them():
    """Seed 001's ACTION 7 declares 229 675 € while its parts add up to 229 775 €: every document says 229 775 €
    (the sum of the parts), with the declared total beside it as a warning."""
    lu = charger_exercice(Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019"))
    action_7 = next(f for f in lu.fiches if f.fiche.numero == "ACTION 7")
    assert action_7.prevu == Decimal("229775.00")
    assert action_7.chiffres.total_declare == Decimal("229675.00") and action_7.chiffres.ecart_declare == Decimal(
        "-100"
    )
    socle = next(g for g in lu.groupes if g.code == "A")
    assert socle.prevu == Decimal("1020367.94") and lu.prevu == Decimal("1229468.58")
    html = html_rapport(lu)
    assert "total indiqué 229\u00a0675,00\u00a0€" in html
