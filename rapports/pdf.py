"""The rapport d'exécution as a PDF: a print template (templates/rapports/pdf/) rendered by WeasyPrint.

WeasyPrint itself is imported only where a PDF is laid out (rapports.mise_en_page): pages, commands and tests that
only render the HTML start without it.
"""

from django.template.loader import render_to_string

from .selectors import charger_exercice


def html_rapport(contenu) -> str:
    return render_to_string("rapports/pdf/rapport.html", {"contenu": contenu, "rapport": contenu.rapport})


def pdf_depuis_html(html: str) -> bytes:
    from .mise_en_page import mettre_en_page_pdf

    return mettre_en_page_pdf(html)


def pdf_rapport(exercice) -> bytes:
    return pdf_depuis_html(html_rapport(charger_exercice(exercice)))
