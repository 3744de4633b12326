"""Le PDF du Haut-Rhin 2019 contre le document qu'il reproduit (seed 001) : chaque montant, chaque nombre et chaque
phrase du document se retrouvent-ils dans le PDF produit ?

    .venv/bin/python benchmarks/fidelite.py [--seed ../shared/seeds/001_….txt] [--garder-base]

Une base SQLite jetable (/tmp), les migrations et les données d'exemple ; le PDF du rapport tel qu'il serait transmis
(sans la marque « Projet »), son texte lu par pypdf. Du document : les montants en euros, les nombres de deux
chiffres et plus, et les phrases (découpées aux points) de huit mots et plus, hors sommaire et tableaux. Les deux
textes sont ramenés à une forme commune (espaces insécables, apostrophes, exposants, coupures de ligne) avant la
comparaison. Affiche la part retrouvée de chaque sorte et ce qui manque.
"""

import argparse
import io
import re
import sys
from pathlib import Path

import base_jetable  # the scripts run from their own folder

FICHIER_SQLITE = Path("/tmp/calpae_bench_fidelite.sqlite3")
SEED = base_jetable.RACINE.parent / "shared" / "seeds"
MONTANT = re.compile(r"\d{1,3}(?:[  .]\d{3})+(?:,\d{1,2})?|\d+,\d{2}")
NOMBRE = re.compile(r"\b\d{2,}\b")


def forme(texte: str) -> str:
    """Espaces, apostrophes, exposants et marques de mise en forme ramenés à une forme commune."""
    texte = texte.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'").replace("\u2011", "-")
    texte = re.sub(r"\^\{([^}]*)\}", r"\1", texte)  # 1^{er}
    texte = re.sub(r"\*\*|__|`", "", texte)
    texte = re.sub(r"-\s*\n\s*", "-", texte)
    texte = re.sub(r"\s+([€%])", r"\1", texte)  # « 64 % » and « 64% », as French typography and the document write
    texte = re.sub(r"n°\s*", "n°", texte)
    return " ".join(texte.split()).lower()


def chiffres(texte: str) -> str:
    return re.sub(r"[  .\u202f]", "", texte)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=next(iter(sorted(SEED.glob("001_*.txt"))), None))
    parser.add_argument("--garder-base", action="store_true")
    args = parser.parse_args()
    base_jetable.base_des_exemples(FICHIER_SQLITE, garder=args.garder_base)

    from pypdf import PdfReader

    from conventions.models import Exercice
    from rapports.pdf import html_rapport, pdf_depuis_html
    from rapports.selectors import charger_exercice

    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    pdf = pdf_depuis_html(html_rapport(charger_exercice(exercice), projet=False))
    texte_pdf = forme("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    pdf_chiffres = chiffres(texte_pdf)

    document = args.seed.read_text(encoding="utf-8")
    corps = document[document.index("Avant-propos") :]  # after the sommaire (its page numbers are the document's)
    lignes_texte = [ligne for ligne in corps.splitlines() if ligne.count("|") < 2 and "\t" not in ligne]

    montants = sorted({chiffres(m) for m in MONTANT.findall(corps)})
    nombres = sorted({n for n in NOMBRE.findall(corps)})
    phrases = []
    for ligne in lignes_texte:
        ligne = re.sub(r"^\s*[-*•]\s+", "", ligne)  # a list item: the PDF prints a bullet
        for phrase in re.split(r"(?<=[.!?;:])\s+", forme(ligne)):
            if len(phrase.split()) >= 8:
                phrases.append(phrase.rstrip(".;:"))

    manques = {
        "montants": [m for m in montants if m not in pdf_chiffres],
        "nombres": [n for n in nombres if n not in pdf_chiffres],
        "phrases": [p for p in phrases if p not in texte_pdf],
    }
    totaux = {"montants": len(montants), "nombres": len(nombres), "phrases": len(phrases)}
    for sorte, manquants in manques.items():
        trouves = totaux[sorte] - len(manquants)
        print(f"{sorte} : {trouves} / {totaux[sorte]} retrouvés")
        for manquant in manquants[:40]:
            print(f"   manque : {manquant[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
