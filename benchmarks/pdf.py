"""Le PDF des quatre rapports d'exemple : pages, durée, WeasyPrint seul, coût du balisage PDF/UA-1.

    .venv/bin/python benchmarks/pdf.py [--repetitions 3] [--images docs/rapport] [--garder-base]

Une base SQLite jetable (/tmp), les migrations et les données d'exemple, puis pour chaque exercice d'exemple :
le nombre de pages ; (a) le PDF complet, `pdf_rapport(exercice)` (lecture, gabarit, WeasyPrint, balisage) ;
(b) WeasyPrint seul sur le même HTML, balisé PDF/UA-1 comme l'application le produit ; (c) WeasyPrint seul sans
balisage. Le coût du balisage est (b) − (c) en temps CPU, en secondes et en pour cent. Médianes de `--repetitions`
mesures alternées : durée écoulée et temps CPU du processus. Avec `--images DOSSIER`, les pages de chaque rapport en
PNG (pdftoppm, 70 dpi) : `<dossier>/<rapport>-page-NN.png`.
"""

import argparse
import io
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import base_jetable  # the scripts run from their own folder

FICHIER_SQLITE = Path("/tmp/calpae_bench_pdf.sqlite3")
EXEMPLES = [
    ("haut-rhin-2019", "68-2019-2021", "2019"),
    ("haut-rhin-2021-2022", "68-2019-2021", "2021-2022"),
    ("bas-rhin-2019", "67-2019-2021", "2019"),
    ("alsace-2024", "6ae-volet2-2024", "2024"),
]


def chrono(fonction, *args, **kwargs):
    """(elapsed, CPU time of this process) of one call: the CPU time hardly moves when other processes share the
    machine, the elapsed time does."""
    debut, debut_cpu = time.perf_counter(), time.process_time()
    fonction(*args, **kwargs)
    return time.perf_counter() - debut, time.process_time() - debut_cpu


# The pages shown under docs/rapport/ besides the cover and the sommaire, found by their text: the first fiche, the
# shared indicator table after the fiche it serves, the synthesis and the signature block.
REPERES = (
    "Sommaire",
    "ACTION 1",
    "Indicateurs de suivi relatifs aux actions",
    "Synthèse financière",
    "Délibération et",
)


def images(pdf, dossier, nom):
    """The cover and the pages of REPERES as `<nom>-page-NN.png` (70 dpi), and `<nom>-apercu.png`, every page side by
    side in rows of ten (the report as the analyst leafs through it)."""
    from PIL import Image
    from pypdf import PdfReader

    dossier.mkdir(parents=True, exist_ok=True)
    for ancienne in [*dossier.glob(f"{nom}-page-*.png"), *dossier.glob(f"{nom}-apercu.png")]:
        ancienne.unlink()
    textes = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    sommaire = next((i for i, t in enumerate(textes, 1) if i > 1 and "Sommaire" in t), 2)
    apres = [(i, t) for i, t in enumerate(textes, 1) if i > sommaire]
    gardees = {1, sommaire} | {next((i for i, t in apres if r in t), 1) for r in REPERES}
    with tempfile.TemporaryDirectory() as temporaire:
        fichier = Path(temporaire) / "rapport.pdf"
        fichier.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(fichier), f"{temporaire}/p"], check=True)
        pages = sorted(Path(temporaire).glob("p-*.png"))
        largeur = len(str(len(pages)))
        for numero in sorted(gardees):
            (dossier / f"{nom}-page-{numero:0{max(2, largeur)}d}.png").write_bytes(pages[numero - 1].read_bytes())
        vignettes = [Image.open(page).reduce(3) for page in pages]
        w, h = vignettes[0].size
        colonnes, marge = 10, 6
        rangs = -(-len(vignettes) // colonnes)
        apercu = Image.new("RGB", (colonnes * (w + marge) + marge, rangs * (h + marge) + marge), "#8a8a8a")
        for i, vignette in enumerate(vignettes):
            apercu.paste(vignette, (marge + (i % colonnes) * (w + marge), marge + (i // colonnes) * (h + marge)))
        apercu.save(dossier / f"{nom}-apercu.png", optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--images", type=Path, help="dossier des pages en PNG")
    parser.add_argument("--garder-base", action="store_true", help="réutiliser la base d'une course précédente")
    args = parser.parse_args()

    base_jetable.base_des_exemples(FICHIER_SQLITE, garder=args.garder_base)

    from pypdf import PdfReader

    from conventions.models import Exercice
    from rapports.mise_en_page import mettre_en_page_pdf
    from rapports.pdf import html_rapport, pdf_depuis_html, pdf_rapport
    from rapports.selectors import charger_exercice

    print("Médianes ; entre parenthèses, le temps CPU du processus (peu sensible aux autres processus de la machine).")
    titres = ("(a) complet", "(b) WP balisé", "(c) WP seul")
    print(f"{'rapport':<22}{'pages':>6}" + "".join(f"{t:>20}" for t in titres) + f"{'balisage (CPU)':>22}")
    for nom, cle, libelle in EXEMPLES:
        exercice = Exercice.objects.get(convention__cle=cle, libelle=libelle)
        pdf = pdf_rapport(exercice)  # à blanc : gabarits, polices
        html = html_rapport(charger_exercice(exercice))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if args.images:  # as transmitted: without the draft's « Projet » mark
            images(pdf_depuis_html(html_rapport(charger_exercice(exercice), projet=False)), args.images, nom)
        mesures = {"a": [], "b": [], "c": []}
        for _ in range(args.repetitions):
            mesures["a"].append(chrono(pdf_rapport, exercice))
            mesures["b"].append(chrono(mettre_en_page_pdf, html))
            mesures["c"].append(chrono(mettre_en_page_pdf, html, balise=False))
        (a, a_cpu), (b, b_cpu), (c, c_cpu) = (
            (statistics.median(m[0] for m in mesures[cle]), statistics.median(m[1] for m in mesures[cle]))
            for cle in "abc"
        )
        colonnes = "".join(f"{d:>10.2f}s ({p:5.2f}s)" for d, p in ((a, a_cpu), (b, b_cpu), (c, c_cpu)))
        cout = b_cpu - c_cpu
        print(f"{nom:<22}{pages:>6}{colonnes}{cout:>+10.2f}s {100 * cout / c_cpu:>+5.0f} %")


if __name__ == "__main__":
    main()
