"""The Haut-Rhin 2019 report as a Département signs it (issue 13): laid out once by WeasyPrint, its page boxes read
for orphan captions and headings, its PDF read back with pypdf for broken amounts, the cover, the signature block
and the PDF/UA-1 tags."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from conventions.models import Exercice
from core.typographie import NBSP, NNBSP, typographier_html
from rapports.mise_en_page import mise_en_page, options_pdf
from rapports.models import Rapport
from rapports.pdf import html_rapport, pdf_depuis_html
from rapports.selectors import charger_exercice

pytestmark = pytest.mark.django_db  # the module's layout reads the seed data: the test database must exist


def haut_rhin_2019():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


@pytest.fixture(scope="module")
def rapport_haut_rhin(django_db_setup, django_db_blocker):
    """The report laid out once: its HTML, its pages (boxes) and the tagged PDF written from them."""
    with django_db_blocker.unblock():
        html = html_rapport(charger_exercice(haut_rhin_2019()))
    document = mise_en_page(html)
    donnees = document.write_pdf(**options_pdf())
    lecteur = PdfReader(io.BytesIO(donnees))
    return {"html": html, "document": document, "lecteur": lecteur, "pages": [p.extract_text() for p in lecteur.pages]}


# Layout: what ends a page
def lignes_de_la_page(page):
    """The text lines of a page's body, in order, each with the tags and classes of the elements around it."""
    from weasyprint.formatting_structure import boxes

    lignes = []

    def parcourir(boite, ancetres):
        if isinstance(boite, boxes.MarginBox):  # running header and page numbers
            return
        if boite.element is not None and getattr(boite, "element_tag", None):
            classes = (boite.element.get("class") or "").split()
            ancetres = [*ancetres, (boite.element_tag, classes)]
        if isinstance(boite, boxes.LineBox):
            texte = "".join(t.text for t in boite.descendants() if isinstance(t, boxes.TextBox)).strip()
            if texte:
                lignes.append((texte, ancetres))
            return
        for enfant in getattr(boite, "children", []):
            parcourir(enfant, ancetres)

    parcourir(page._page_box, [])
    return lignes


def fin_orpheline(lignes):
    """The text of the last line when it is a caption, a heading or a label that should stay with what follows. (A
    figure's caption sits under it, the figure is never split: it may end a page.)"""
    if not lignes:
        return None
    texte, ancetres = lignes[-1]
    for tag, classes in ancetres:
        if tag in ("caption", "h1", "h2", "h3") or (tag == "p" and "libelle" in classes):
            return f"{tag}: {texte}"
    return None


def test_no_page_ends_with_a_caption_or_a_heading(rapport_haut_rhin):
    pages = rapport_haut_rhin["document"].pages
    orphelines = [
        (numero, fin) for numero, page in enumerate(pages, 1) if (fin := fin_orpheline(lignes_de_la_page(page)))
    ]
    assert orphelines == []
    # The check sees real lines: every page of the body has some, the last one ends with the signature block.
    assert all(lignes_de_la_page(page) for page in pages[1:])


def test_a_caption_near_the_foot_of_a_page_goes_with_its_table():
    """The stylesheet's rule, whatever the room left: a table pushed down by 150 to 262 mm never leaves its caption."""
    from django.template.loader import render_to_string

    css = render_to_string("rapports/pdf/rapport.css")
    lignes = "".join(f"<tr><th scope='row'>Indicateur {i}</th><td>{i} %</td></tr>" for i in range(8))
    for hauteur in range(150, 263, 8):
        html = f"""<!DOCTYPE html><html lang="fr"><head><title>t</title><style>{css}</style></head><body>
            <div style="height: {hauteur}mm"></div>
            <table><caption>ACTION 3 : Action de parrainage</caption><thead><tr><th scope="col">Indicateurs</th>
            <th scope="col">Réalisé</th></tr></thead><tbody>{lignes}</tbody></table></body></html>"""
        pages = mise_en_page(html).pages
        assert [fin_orpheline(lignes_de_la_page(p)) for p in pages[:-1]] == [None] * (len(pages) - 1), hauteur
        # Nor does a table start with a single row at the foot of a page.
        premiere = [texte for texte, _ in lignes_de_la_page(pages[0])]
        assert "Indicateur 1" in premiere or "Indicateur 0" not in premiere, hauteur


# Text: amounts, units and dates never broken across lines
COUPURES = [
    (re.compile(r"\d$"), re.compile(r"^(\d{3}\b|€|%|euros?\b)")),
    (
        re.compile(r"\b\d{1,2}(er)?$"),
        re.compile(
            r"^(janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
            r"octobre|novembre|décembre)\b"
        ),
    ),
    (re.compile(r"«$"), re.compile(r".")),
    (re.compile(r"."), re.compile(r"^(»|:|;|\?|!)")),
    (re.compile(r"\bn°$"), re.compile(r".")),
]


def coupures(pages):
    trouvees = []
    for numero, texte in enumerate(pages, 1):
        lignes = [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]
        for avant, apres in zip(lignes, lignes[1:], strict=False):
            if re.search(r"\b[A-Z] · \S+ \d+$", avant):  # a bar's code in the chart, then its amount: no sentence
                continue
            if any(fin.search(avant) and debut.search(apres) for fin, debut in COUPURES):
                trouvees.append((numero, avant[-20:], apres[:20]))
    return trouvees


def test_no_amount_unit_date_or_quotation_is_broken_across_lines(rapport_haut_rhin):
    assert coupures(rapport_haut_rhin["pages"]) == []
    # The check does see a broken amount.
    assert coupures(["Le Département a versé 11\n000 € en 2019"]) == [(1, "partement a versé 11", "000 € en 2019")]


def test_french_typography_in_the_text(rapport_haut_rhin):
    texte = " ".join(rapport_haut_rhin["pages"])
    assert texte.count("\u2019") > 500 and texte.count("'") <= 1
    assert "1er semestre 2019" in texte.replace(NBSP, " ")
    html = rapport_haut_rhin["html"]
    assert f"à hauteur de 25{NBSP}000{NBSP}euros" in html
    assert "1<sup>er</sup>" in html and "1<sup>ers</sup>" in html and "2<sup>ème</sup>" in html
    assert f"«{NNBSP}gagnant-gagnant{NNBSP}»" in html


URL = "https://exemple.fr/l'a:b?x=1"
REGLES = [
    (
        "l'État verse 11 000 € soit 70 % le 31 décembre 2019",
        f"l’État verse 11{NBSP}000{NBSP}€ soit 70{NBSP}% le 31{NBSP}décembre{NBSP}2019",
    ),
    ("Bilan : « gagnant » ; n° 5 ?", f"Bilan{NNBSP}: «{NNBSP}gagnant{NNBSP}»{NNBSP}; n°{NBSP}5{NNBSP}?"),
    ("au 1er RDV, 2ème, 1eres", "au 1<sup>er</sup> RDV, 2<sup>ème</sup>, 1<sup>eres</sup>"),
    (f"voir {URL} ou a.b'c@exemple.fr", f"voir {URL} ou a.b'c@exemple.fr"),
    ("<a href=\"https://e.fr/d'1 000 €\">l'adresse</a>", '<a href="https://e.fr/d\'1 000 €">l’adresse</a>'),
    ("à 10:30, en 2019 2020", "à 10:30, en 2019 2020"),
]


@pytest.mark.parametrize(("texte", "attendu"), REGLES)
def test_typography_rules(texte, attendu):
    assert typographier_html(texte) == attendu
    assert typographier_html(attendu) == attendu  # applying it twice changes nothing


# Identity: the cover and the signature block
def test_the_cover_is_the_collectivites_dated_with_the_reports_own_date(rapport_haut_rhin):
    couverture = " ".join(rapport_haut_rhin["pages"][0].replace(NBSP, " ").split())
    assert couverture.startswith("Département du Haut-Rhin")
    assert "Rapport d’exécution du Département du Haut-Rhin pour l’année 2019" in couverture
    assert "Exercice 2019" in couverture and "Mars 2020" in couverture
    assert "République" not in couverture and "Décembre" not in couverture
    assert "République française" not in rapport_haut_rhin["html"]


def test_a_draft_without_a_date_is_not_dated_today_and_the_signature_block_prints_what_is_written():
    Rapport.objects.filter(exercice=haut_rhin_2019()).update(date_edition=None)
    html = html_rapport(charger_exercice(haut_rhin_2019(), aujourd_hui=datetime.date(2026, 12, 1)))
    couverture = html[html.index('class="couverture"') : html.index('id="sommaire"')]
    assert "2026" not in couverture and "Décembre" not in couverture
    assert "nom du signataire" in html  # the blank the Département fills in

    Rapport.objects.filter(exercice=haut_rhin_2019()).update(
        deliberation_date=datetime.date(2020, 3, 27),
        deliberation_instance="Assemblée départementale",
        signataire_nom="Brigitte Klinkert",
        signataire_qualite="Présidente du Conseil départemental du Haut-Rhin",
    )
    lecteur = PdfReader(io.BytesIO(pdf_depuis_html(html_rapport(charger_exercice(haut_rhin_2019())))))
    couverture = " ".join(lecteur.pages[0].extract_text().split())
    assert "Mars 2020" in couverture and "Délibération du 27/03/2020" in couverture
    fin = " ".join(lecteur.pages[-1].extract_text().replace(NBSP, " ").replace(NNBSP, " ").split())
    assert "Délibération et signature" in fin
    assert "soumis à la délibération de l’instance suivante : Assemblée départementale, le 27/03/2020" in fin
    signataire = fin[fin.index("Présidente du Conseil") :]
    attendu = "Présidente du Conseil départemental du Haut-Rhin, Brigitte Klinkert"
    assert signataire.replace("- ", "-").startswith(attendu)


# Structure as seed 001 writes it
def test_structure_as_seed_001_writes_it(rapport_haut_rhin):
    pages = [" ".join(p.replace(NBSP, " ").replace(NNBSP, " ").split()) for p in rapport_haut_rhin["pages"]]
    texte = " ".join(pages)
    partage = "Indicateurs de suivi relatifs aux actions 1, 2 et 3"
    # After ACTION 3 (its perspectives) and before ACTION 4, then again in the annex.
    apres = texte.index(partage)
    avant = texte.rindex("ACTION ", 0, apres)
    assert texte.startswith("ACTION 3 : Poursuite des actions", avant)
    assert "Perspectives futures de mise en œuvre" in texte[avant:apres]
    assert texte.startswith("ACTION 4 : Vers un renforcement du maillage territorial", texte.index("ACTION ", apres))
    assert texte.count(partage) == 2
    assert texte.index("Annexe : indicateurs de suivi", 5000) < texte.rindex(partage)
    # The annex's list of fiches gives the long titles as written (the headings and the sommaire the short ones).
    for titre in [
        "ACTION 3 : Poursuite des actions et innovation en matière de logement des jeunes proches de la majorité et "
        "jeunes majeurs sortant de l’ASE",
        "ACTION 6 : Pour la stabilisation de la bonne performance en matière de suivi de parcours et d’insertion des "
        "bénéficiaires du rSa",
        "ACTION 7 : Vers un renforcement de l’accompagnement des bénéficiaires du rSa par la création de nouvelles "
        "actions",
    ]:
        assert titre in texte, titre
    assert "Part CD 68 au titre de la convention : 112 496,47 €" in texte
    assert "Part CD 68 de financement supplémentaires CD68 : 4 782,06 €" in texte
    assert "Mode plateforme (PF)" in texte and "Mode télé procédure (TP)" in texte
    assert "FAPI : non renseigné" not in texte
    assert texte.count("Action déjà financée au titre du FAPI") == 10  # ACTION 2 has no FAPI line in seed 001


# Accessibility: PDF/UA-1
def elements_de_structure(lecteur):
    elements = []

    def parcourir(objet):
        objet = objet.get_object()
        if not hasattr(objet, "get"):
            return
        if objet.get("/S"):
            elements.append(objet)
        enfants = objet.get("/K")
        for enfant in enfants if isinstance(enfants, list) else [enfants]:
            if enfant is not None and hasattr(enfant, "get_object"):
                parcourir(enfant)

    parcourir(lecteur.trailer["/Root"]["/StructTreeRoot"])
    return elements


def test_the_pdf_is_tagged_pdf_ua_1(rapport_haut_rhin):
    lecteur = rapport_haut_rhin["lecteur"]
    racine = lecteur.trailer["/Root"]
    assert bool(racine["/MarkInfo"]["/Marked"])
    assert racine["/Lang"] == "fr"
    assert bool(racine["/ViewerPreferences"]["/DisplayDocTitle"])
    assert lecteur.metadata.title == "Rapport d'exécution du Département du Haut-Rhin pour l'année 2019"
    assert b"pdfuaid" in racine["/Metadata"].get_object().get_data()  # PDF/UA identification (XMP)
    elements = elements_de_structure(lecteur)
    types = [str(e["/S"]) for e in elements]
    for attendu in ("/Document", "/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/L", "/LI", "/Figure"):
        assert attendu in types, attendu
    # Headings in order: never a level skipped.
    niveaux = [int(t[2]) for t in types if re.fullmatch(r"/H\d", t)]
    assert niveaux[0] == 1 and all(b <= a + 1 for a, b in zip(niveaux, niveaux[1:], strict=False))
    # The chart's text alternative.
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [str(f["/Alt"]) for f in figures] == ["Part de l’État et part de la collectivité par fiche"]


def test_every_table_header_has_a_scope(rapport_haut_rhin):
    entetes = re.findall(r"<th\b[^>]*>", rapport_haut_rhin["html"])
    assert len(entetes) > 100
    assert [e for e in entetes if "scope=" not in e] == []


def test_the_chart_is_readable_and_its_codes_explained(rapport_haut_rhin):
    html = rapport_haut_rhin["html"]
    graphique = html[html.index("<svg") : html.index("</svg>")]
    largeur = int(re.search(r'viewBox="0 0 (\d+)', graphique).group(1))
    # Printed 174 mm wide (A4 less the margins): 493 pt for the drawing's width.
    tailles = [int(t) for t in re.findall(r'font-size="(\d+)"', graphique)]
    assert min(tailles) * 493 / largeur >= 7
    legende = html[html.index("<figcaption>") : html.index("</figcaption>")]
    assert "« A · » précède le numéro des fiches de la partie « Fiches actions - Engagements du socle »" in (
        legende.replace(NNBSP, " ").replace(NBSP, " ")
    )
    assert "« B · »" in legende.replace(NNBSP, " ")
