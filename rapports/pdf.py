"""The rapport d'exécution as a PDF: a print template (templates/rapports/pdf/) rendered by WeasyPrint.

WeasyPrint itself is imported only where a PDF is laid out (rapports.mise_en_page): pages, commands and tests that
only render the HTML start without it.
"""

from django.template.loader import render_to_string

from .completude import points_manquants
from .selectors import charger_exercice


def html_rapport(contenu, projet=None) -> str:
    """The print HTML. A draft (`projet`, by default a report not handed in) is marked « Projet » on every page and
    lists what is still to write (rapports.completude) instead of printing blanks; a transmitted version is not."""
    projet = contenu.projet if projet is None else projet
    return render_to_string(
        "rapports/pdf/rapport.html",
        {
            "contenu": contenu,
            "rapport": contenu.rapport,
            "projet": projet,
            "a_completer": [p.message for p in points_manquants(contenu)] if projet else [],
        },
    )


def pdf_depuis_html(html: str) -> bytes:
    from .mise_en_page import mettre_en_page_pdf

    return mettre_en_page_pdf(html)


def pdf_rapport(exercice) -> bytes:
    return pdf_depuis_html(html_rapport(charger_exercice(exercice)))
