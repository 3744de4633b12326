"""Laying out the report's HTML as a PDF with WeasyPrint (imported here only: see rapports.pdf).

WeasyPrint fetches nothing over the network or the file system: the fetcher below serves `data:` URLs and the app's
own static files (the Marianne font), and refuses everything else, attachments included.
"""

import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs of the print template resolve against this base; only its /static/ paths are served.
BASE_URL = "https://calpae.invalid/"
PREFIXE_STATIQUE = "/static/"


class RefusRessource(ValueError):
    """WeasyPrint skips the resource (it logs a warning) and goes on rendering."""


class FetcherStatique(URLFetcher):
    """Only `data:` URLs and the app's static files; no network, no file://, no redirects, no attachments."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):
        parties = urlsplit(url)
        if parties.scheme == "data":
            return super().fetch(url, headers)
        if f"{parties.scheme}://{parties.netloc}/" == BASE_URL and parties.path.startswith(PREFIXE_STATIQUE):
            chemin = finders.find(unquote(parties.path.removeprefix(PREFIXE_STATIQUE)))
            if chemin:
                with open(chemin, "rb") as fichier:
                    contenu = fichier.read()
                type_mime = mimetypes.guess_type(chemin)[0] or "application/octet-stream"
                return URLFetcherResponse(url, contenu, {"Content-Type": type_mime})
        logger.warning("PDF : ressource refusée %s", url[:200])
        raise RefusRessource(f"Ressource refusée : {url[:200]}")


# Tagged PDF/UA-1: structure tree, headings, table headers, alternative texts, language and title (a State service's
# documents must be accessible). benchmarks/pdf.py measures what the tagging costs.
VARIANTE_PDF = "pdf/ua-1"


def options_pdf(*, balise: bool = True) -> dict:
    options = {"attachments": [], "uncompressed_pdf": False}
    return {**options, "pdf_variant": VARIANTE_PDF} if balise else options


def mise_en_page(html: str, *, balise: bool = True):
    """The laid out document (pages and their boxes): `.write_pdf(**options_pdf())` gives the PDF."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=FetcherStatique()).render(**options_pdf(balise=balise))


def mettre_en_page_pdf(html: str, *, balise: bool = True) -> bytes:
    """The PDF of `html`, tagged PDF/UA-1 unless `balise` is False (measurements only)."""
    return mise_en_page(html, balise=balise).write_pdf(**options_pdf(balise=balise))
