"""Reading an import workbook: first the file itself (a real xlsx, within limits), then every cell of the template
(importation.contrat), collecting every error with its sheet, row and column, in French. Nothing is written here:
`lire_classeur` returns the data or the errors, never both.

openpyxl reads the XML with defusedxml (installed: openpyxl switches to it), so entity expansion is refused; before
openpyxl opens it, the zip is checked (size, entries, declared uncompressed sizes, ZIP64, the parts an xlsx has).
"""

import datetime
import io
import itertools
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import load_workbook

from core.saisie import MontantInvalide, parse_montant

from . import contrat

TAILLE_MAX = 5 * 1024 * 1024  # the file as sent
TAILLE_DECOMPRESSEE_MAX = 50 * 1024 * 1024  # all its parts once uncompressed
ENTREES_MAX = 500
FEUILLES_MAX = 50
LIGNES_MAX = 2000
COLONNES_MAX = 60
LONGUEUR_MAX = 10_000  # characters of one cell
ANNEE_MIN, ANNEE_MAX = 2000, 2100
CELLULE_ILLISIBLE = (
    "une cellule de cette ligne est illisible (valeur, date ou texte que le fichier décrit mal) : "
    "ouvrez le classeur dans un tableur, corrigez-la et enregistrez-le à nouveau."
)


@dataclass(frozen=True)
class Erreur:
    feuille: str
    ligne: int | None
    colonne: str
    message: str

    def __str__(self):
        lieu = f"{self.feuille}, ligne {self.ligne}" if self.ligne else self.feuille
        if self.colonne:
            lieu += f", colonne « {self.colonne} »"
        return f"{lieu} : {self.message}"


@dataclass
class FicheImportee:
    ligne: int
    annexe: str  # "A" or "B"
    code_annexe: str  # the annex's code as the document writes it (V2), else A or B
    libelle_annexe: str
    sous_groupe: str
    numero: str
    titre: str
    theme: str
    part_etat: Decimal | None
    part_collectivite: Decimal | None
    autres: Decimal | None
    total_indique: Decimal | None
    execute: Decimal | None
    description: str


@dataclass
class DonneesImport:
    code_insee: str
    collectivite: str
    intitule_convention: str
    debut_convention: datetime.date
    fin_convention: datetime.date
    exercice: str
    debut_exercice: datetime.date
    fin_exercice: datetime.date
    date_limite: datetime.date
    acte: str = ""
    intitule_acte: str = ""
    territoire: str = ""
    fiches: list = field(default_factory=list)


class FichierRefuse(Exception):
    """The file is not an xlsx this application reads: one message, nothing read."""


def _cle(texte) -> str:
    """A label compared without case, accents or extra spaces."""
    texte = unicodedata.normalize("NFKD", str(texte or ""))
    return " ".join("".join(c for c in texte if not unicodedata.combining(c)).lower().replace("’", "'").split())


def verifier_fichier(octets: bytes):
    """Refuse what is not a reasonable xlsx before any XML is parsed."""
    if len(octets) > TAILLE_MAX:
        raise FichierRefuse(f"Le fichier dépasse {TAILLE_MAX // (1024 * 1024)} Mo.")
    if not zipfile.is_zipfile(io.BytesIO(octets)):
        raise FichierRefuse("Ce fichier n'est pas un classeur Excel (.xlsx) : enregistrez-le au format .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(octets)) as archive:
            entrees = archive.infolist()
            noms = {e.filename for e in entrees}
            if len(entrees) > ENTREES_MAX:
                raise FichierRefuse(f"Le classeur contient trop d'éléments ({len(entrees)}).")
            if sum(e.file_size for e in entrees) > TAILLE_DECOMPRESSEE_MAX or any(
                e.file_size > 0xFFFFFFFF or e.compress_size > 0xFFFFFFFF for e in entrees
            ):
                raise FichierRefuse("Le classeur est trop volumineux une fois décompressé.")
            if any(e.compress_size and e.file_size / e.compress_size > 200 for e in entrees):
                raise FichierRefuse("Le classeur a un taux de compression anormal : il est refusé.")
            if "[Content_Types].xml" not in noms or not any(n.startswith("xl/") for n in noms):
                raise FichierRefuse("Ce fichier n'est pas un classeur Excel (.xlsx) : enregistrez-le au format .xlsx.")
            feuilles = [n for n in noms if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if len(feuilles) > FEUILLES_MAX:
                raise FichierRefuse(f"Le classeur a {len(feuilles)} feuilles : au plus {FEUILLES_MAX}.")
    except zipfile.BadZipFile:
        raise FichierRefuse("Le fichier est endommagé : ce n'est pas un classeur Excel lisible.") from None


def _texte(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return " ".join(str(valeur).split()) if not isinstance(valeur, str) else valeur.strip()


def _montant(valeur) -> Decimal | None:
    """None for an empty cell; a number or French text otherwise (MontantInvalide with the French message)."""
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return None
    if isinstance(valeur, bool):
        raise MontantInvalide(f"« {valeur} » n'est pas un montant.")
    if isinstance(valeur, (int, float, Decimal)):
        montant = Decimal(str(valeur))
        if not montant.is_finite() or montant < 0:
            raise MontantInvalide(f"« {valeur} » n'est pas un montant positif.")
        if montant >= Decimal("1e12"):
            raise MontantInvalide(f"« {valeur} » dépasse le plus grand montant accepté (999 999 999 999,99 €).")
        return montant.quantize(Decimal("0.01"))
    montant = parse_montant(str(valeur))
    if montant >= Decimal("1e12"):
        raise MontantInvalide(f"« {valeur} » dépasse le plus grand montant accepté (999 999 999 999,99 €).")
    return montant


def _date(valeur) -> datetime.date:
    if isinstance(valeur, datetime.datetime):
        valeur = valeur.date()
    if isinstance(valeur, datetime.date):
        jour = valeur
    else:
        texte = _texte(valeur)
        if not texte:
            raise ValueError("Indiquez une date (jj/mm/aaaa).")
        try:
            jour = datetime.datetime.strptime(texte, "%d/%m/%Y").date()
        except ValueError:
            raise ValueError(f"« {texte} » n'est pas une date au format jj/mm/aaaa, par exemple 31/03/2020.") from None
    if not ANNEE_MIN <= jour.year <= ANNEE_MAX:
        raise ValueError(f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.")
    return jour


def _cellules(feuille, erreurs, max_lignes):
    """The sheet's values as rows (lists), refusing formulas and overlong texts cell by cell."""
    rangees = []
    lecteur = feuille.iter_rows(max_col=COLONNES_MAX)
    for rang in itertools.count(1):
        try:
            rangee = next(lecteur, None)
        except Exception:  # noqa: BLE001 - openpyxl's reader on a cell it cannot convert: the file's fault
            erreurs.append(Erreur(feuille.title, rang, "", CELLULE_ILLISIBLE))
            break
        if rangee is None:
            break
        if rang > max_lignes:
            erreurs.append(Erreur(feuille.title, None, "", f"plus de {max_lignes} lignes : le fichier est refusé."))
            break
        valeurs = []
        for cellule in rangee:
            valeur = cellule.value
            if cellule.data_type == "f" or (isinstance(valeur, str) and valeur.startswith("=")):
                erreurs.append(
                    Erreur(
                        feuille.title,
                        rang,
                        cellule.column_letter,
                        "une formule n'est pas acceptée : copiez la valeur (collage spécial, valeurs).",
                    )
                )
                valeur = None
            elif isinstance(valeur, str) and len(valeur) > LONGUEUR_MAX:
                erreurs.append(Erreur(feuille.title, rang, cellule.column_letter, "texte trop long."))
                valeur = None
            valeurs.append(valeur)
        rangees.append(valeurs)
    return rangees


def _feuille(classeur, nom):
    for feuille in classeur.worksheets:
        if _cle(feuille.title) == _cle(nom):
            return feuille
    return None


def _lire_convention(feuille, erreurs) -> dict:
    lignes = {}
    for rang, rangee in enumerate(_cellules(feuille, erreurs, 100), 1):
        if rangee and _texte(rangee[0]):
            lignes[_cle(rangee[0])] = (rang, rangee[1] if len(rangee) > 1 else None)
    valeurs = {}
    for libelle, format_, obligatoire in contrat.LIGNES_CONVENTION:
        rang, brute = lignes.get(_cle(libelle), (None, None))
        if rang is None or brute is None or _texte(brute) == "":
            if obligatoire:
                manque = "manque" if rang is None else "est vide"
                erreurs.append(Erreur(contrat.FEUILLE_CONVENTION, rang, libelle, f"la ligne « {libelle} » {manque}."))
            continue
        try:
            valeurs[libelle] = _date(brute) if format_ == "date" else _texte(brute)
        except ValueError as erreur:
            erreurs.append(Erreur(contrat.FEUILLE_CONVENTION, rang, libelle, str(erreur)))
    return valeurs


def _lire_fiches(feuille, erreurs) -> list[FicheImportee]:
    rangees = _cellules(feuille, erreurs, LIGNES_MAX)
    entete_rang, colonnes = None, {}
    for rang, rangee in enumerate(rangees[:10], 1):
        cles = [_cle(v) for v in rangee]
        if _cle(contrat.NUMERO) in cles:
            entete_rang = rang
            colonnes = {cle: j for j, cle in reversed(list(enumerate(cles))) if cle}
            break
    manquantes = [c for c in contrat.COLONNES_OBLIGATOIRES if _cle(c) not in colonnes]
    if entete_rang is None or manquantes:
        noms = ", ".join(f"« {c} »" for c in (manquantes or contrat.COLONNES_OBLIGATOIRES))
        erreurs.append(
            Erreur(
                contrat.FEUILLE_FICHES, entete_rang or 1, "", f"colonnes obligatoires absentes de l'en-tête : {noms}."
            )
        )
        return []

    def cellule(rangee, nom):
        j = colonnes.get(_cle(nom))
        return rangee[j] if j is not None and j < len(rangee) else None

    fiches, numeros = [], {}
    for rang, rangee in enumerate(rangees[entete_rang:], entete_rang + 1):
        if not any(_texte(v) for v in rangee):
            continue
        ligne_erreurs = []

        def erreur(colonne, message, rang=rang, ligne_erreurs=ligne_erreurs):
            ligne_erreurs.append(Erreur(contrat.FEUILLE_FICHES, rang, colonne, message))

        annexe = _texte(cellule(rangee, contrat.ANNEXE)).upper()
        if annexe not in ("A", "B"):
            erreur(contrat.ANNEXE, f"« {annexe} » : indiquez A (socle) ou B (initiatives)." if annexe else "vide.")
        numero = _texte(cellule(rangee, contrat.NUMERO))
        if not numero:
            erreur(contrat.NUMERO, "vide : chaque fiche a un numéro.")
        elif len(numero) > 40:
            erreur(contrat.NUMERO, "plus de 40 caractères.")
        elif (annexe, numero) in numeros:
            ligne = numeros[annexe, numero]
            erreur(
                contrat.NUMERO,
                f"« {numero} » figure déjà ligne {ligne} dans l'annexe {annexe} : un numéro par fiche.",
            )
        else:
            numeros[annexe, numero] = rang
        titre = _texte(cellule(rangee, contrat.INTITULE))
        if not titre:
            erreur(contrat.INTITULE, "vide.")
        montants = {}
        for nom in contrat.MONTANTS:
            try:
                montants[nom] = _montant(cellule(rangee, nom))
            except MontantInvalide as refus:
                erreur(nom, str(refus))
                montants[nom] = None
        erreurs.extend(ligne_erreurs)
        if ligne_erreurs:
            continue
        fiches.append(
            FicheImportee(
                ligne=rang,
                annexe=annexe,
                code_annexe=_texte(cellule(rangee, contrat.CODE_ANNEXE))[:10] or annexe,
                libelle_annexe=_texte(cellule(rangee, contrat.LIBELLE_ANNEXE))[:300],
                sous_groupe=_texte(cellule(rangee, contrat.SOUS_GROUPE))[:300],
                numero=numero,
                titre=titre[:500],
                theme=_texte(cellule(rangee, contrat.THEME))[:300],
                part_etat=montants[contrat.PART_ETAT],
                part_collectivite=montants[contrat.PART_COLLECTIVITE],
                autres=montants[contrat.AUTRES],
                total_indique=montants[contrat.TOTAL_INDIQUE],
                execute=montants[contrat.EXECUTE],
                description=_texte(cellule(rangee, contrat.DESCRIPTION))
                if cellule(rangee, contrat.DESCRIPTION)
                else "",
            )
        )
    if not fiches and not any(e.feuille == contrat.FEUILLE_FICHES for e in erreurs):
        erreurs.append(Erreur(contrat.FEUILLE_FICHES, None, "", "aucune fiche : une ligne par fiche sous l'en-tête."))
    return fiches


def _coherence(valeurs, erreurs):
    """Dates in order, the exercice within its convention."""

    def erreur(colonne, message):
        erreurs.append(Erreur(contrat.FEUILLE_CONVENTION, None, colonne, message))

    debut, fin = valeurs.get(contrat.DEBUT_CONVENTION), valeurs.get(contrat.FIN_CONVENTION)
    if debut and fin and fin < debut:
        erreur(contrat.FIN_CONVENTION, "précède le début.")
    debut_ex, fin_ex = valeurs.get(contrat.DEBUT_EXERCICE), valeurs.get(contrat.FIN_EXERCICE)
    if debut_ex and fin_ex and fin_ex < debut_ex:
        erreurs.append(
            Erreur(contrat.FEUILLE_CONVENTION, None, contrat.FIN_EXERCICE, "précède le début de l'exercice.")
        )
    elif debut and fin and debut_ex and fin_ex and (debut_ex < debut or fin_ex > fin):
        erreur(
            contrat.DEBUT_EXERCICE,
            f"l'exercice ({debut_ex:%d/%m/%Y} – {fin_ex:%d/%m/%Y}) sort de la période de la convention "
            f"({debut:%d/%m/%Y} – {fin:%d/%m/%Y}).",
        )
    limite = valeurs.get(contrat.DATE_LIMITE)
    if limite and fin_ex and limite < fin_ex:
        erreur(contrat.DATE_LIMITE, "précède la fin de l'exercice.")
    code = valeurs.get(contrat.CODE_INSEE, "")
    if code and (len(code) > 3 or not code.isalnum()):
        erreurs.append(
            Erreur(
                contrat.FEUILLE_CONVENTION, None, contrat.CODE_INSEE, f"« {code} » : 2 ou 3 caractères (67, 2A, 6AE)."
            )
        )
    if len(valeurs.get(contrat.EXERCICE, "")) > 20:
        erreur(contrat.EXERCICE, "20 caractères au plus (2021-2022).")
    acte = valeurs.get(contrat.ACTE, "")
    if acte and _cle(acte) not in ACTES:
        erreurs.append(
            Erreur(
                contrat.FEUILLE_CONVENTION,
                None,
                contrat.ACTE,
                f"« {acte} » : Convention initiale, Avenant ou Plan d'action.",
            )
        )


ACTES = {
    "convention initiale": "convention",
    "convention": "convention",
    "avenant": "avenant",
    "plan d'action": "plan_action",
}


def lire_classeur(octets: bytes) -> tuple[DonneesImport | None, list[Erreur]]:
    """The workbook's data, or every error found (and no data)."""
    try:
        verifier_fichier(octets)
        classeur = load_workbook(io.BytesIO(octets), read_only=True, data_only=False)
    except FichierRefuse as refus:
        return None, [Erreur("Fichier", None, "", str(refus))]
    except Exception:  # openpyxl's own refusals: not an xlsx it can read, or XML that defusedxml refuses
        return None, [Erreur("Fichier", None, "", "Ce fichier n'est pas un classeur Excel (.xlsx) lisible.")]
    try:
        erreurs = []
        convention = _feuille(classeur, contrat.FEUILLE_CONVENTION)
        fiches = _feuille(classeur, contrat.FEUILLE_FICHES)
        for nom, feuille in ((contrat.FEUILLE_CONVENTION, convention), (contrat.FEUILLE_FICHES, fiches)):
            if feuille is None:
                erreurs.append(Erreur(nom, None, "", f"la feuille « {nom} » manque (voir le modèle à télécharger)."))
        if erreurs:
            return None, erreurs
        valeurs = _lire_convention(convention, erreurs)
        _coherence(valeurs, erreurs)
        lues = _lire_fiches(fiches, erreurs)
    finally:
        classeur.close()
    if erreurs:
        return None, erreurs
    return (
        DonneesImport(
            code_insee=valeurs[contrat.CODE_INSEE].upper(),
            collectivite=valeurs[contrat.COLLECTIVITE][:200],
            intitule_convention=valeurs[contrat.INTITULE_CONVENTION][:300],
            debut_convention=valeurs[contrat.DEBUT_CONVENTION],
            fin_convention=valeurs[contrat.FIN_CONVENTION],
            exercice=valeurs[contrat.EXERCICE],
            debut_exercice=valeurs[contrat.DEBUT_EXERCICE],
            fin_exercice=valeurs[contrat.FIN_EXERCICE],
            date_limite=valeurs[contrat.DATE_LIMITE],
            acte=ACTES.get(_cle(valeurs.get(contrat.ACTE, "")), ""),
            intitule_acte=valeurs.get(contrat.INTITULE_ACTE, "")[:300],
            territoire=valeurs.get(contrat.TERRITOIRE, "")[:100],
            fiches=lues,
        ),
        [],
    )
