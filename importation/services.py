"""Writing an imported workbook (importation.lecture.DonneesImport): everything in one transaction, or nothing.

The collectivité is found by its code INSEE (created when unknown), the convention by its collectivité and period,
the exercice by its label within the convention, a fiche by its number within the exercice. What exists is updated
(titles, themes, the planned budget's parts and declared total, the executed amount), what does not is created; a
fiche of the exercice absent from the file is kept as it is.
"""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from actions.models import Action, Fiche
from budgets.enums import NatureBudget
from budgets.models import Budget, Part
from conventions.enums import Partie, TypeActe, TypeCollectivite, TypeGroupe
from conventions.models import Collectivite, Convention, Exercice, Groupe
from rapports import resumes

GROUPES = {
    "A": (TypeGroupe.SOCLE, "Fiches actions - Engagements du socle"),
    "B": (TypeGroupe.INITIATIVE, "Fiches actions - Engagements à l'initiative du département"),
}
PREFIXES_NOM = ("Département du ", "Département de la ", "Département de l'", "Département des ", "Département de ")


@dataclass
class Bilan:
    """What an import did (or would do, in a simulation)."""

    exercice: object = None
    crees: list = field(default_factory=list)  # "Collectivité …", "Fiche ACTION 1"…
    mis_a_jour: list = field(default_factory=list)
    conserves: list = field(default_factory=list)  # fiches of the exercice absent from the file

    @property
    def nb_fiches(self):
        return sum(1 for t in self.crees + self.mis_a_jour if t.startswith("Fiche "))


class Simulation(Exception):
    """Raised inside the transaction to roll everything back after a dry run."""


def nom_court(nom: str) -> str:
    for prefixe in PREFIXES_NOM:
        if nom.startswith(prefixe):
            return nom.removeprefix(prefixe)[:100]
    return nom[:100]


def convention_importer(*, donnees, simulation=False) -> Bilan:
    """Write the workbook's convention, exercice and fiches; with `simulation`, say what would be done and write
    nothing."""
    bilan = Bilan()
    try:
        with transaction.atomic(), resumes.differes():  # the exercice's summary rewritten once, at the end
            _importer(donnees, bilan)
            if simulation:
                raise Simulation
    except Simulation:
        bilan.exercice = None
    return bilan


def _importer(donnees, bilan):
    collectivite = Collectivite.objects.filter(code_insee=donnees.code_insee).first()
    if collectivite is None:
        collectivite = Collectivite.objects.create(
            code_insee=donnees.code_insee,
            nom=donnees.collectivite,
            nom_court=nom_court(donnees.collectivite),
            type=TypeCollectivite.DEPARTEMENT
            if donnees.collectivite.startswith("Département")
            else TypeCollectivite.COLLECTIVITE_SPECIFIQUE,
        )
        bilan.crees.append(f"Collectivité {collectivite.nom} ({collectivite.code_insee})")
    convention = Convention.objects.filter(
        collectivite=collectivite, date_debut=donnees.debut_convention, date_fin=donnees.fin_convention
    ).first()
    if convention is None:
        base = slugify(f"{collectivite.code_insee}-{donnees.debut_convention.year}-{donnees.fin_convention.year}")
        cle = base if not Convention.objects.filter(cle=base).exists() else f"{base}-{uuid.uuid4().hex[:6]}"
        convention = Convention.objects.create(
            collectivite=collectivite,
            cle=cle,
            intitule=donnees.intitule_convention,
            date_debut=donnees.debut_convention,
            date_fin=donnees.fin_convention,
        )
        bilan.crees.append(f"Convention {convention.intitule}")
    exercice = Exercice.objects.filter(convention=convention, libelle=donnees.exercice).first()
    if exercice is None:
        exercice = Exercice(convention=convention, libelle=donnees.exercice)
        bilan.crees.append(f"Exercice {donnees.exercice}")
    else:
        bilan.mis_a_jour.append(f"Exercice {donnees.exercice}")
    exercice.acte = donnees.acte or exercice.acte or TypeActe.CONVENTION
    exercice.intitule_acte = donnees.intitule_acte or exercice.intitule_acte
    exercice.territoire = donnees.territoire or exercice.territoire
    exercice.date_debut, exercice.date_fin = donnees.debut_exercice, donnees.fin_exercice
    exercice.date_limite_rapport = donnees.date_limite
    exercice.ordre = exercice.ordre or Exercice.objects.filter(convention=convention).count()
    exercice.full_clean(exclude=["convention", "collectivite_signataire"], validate_unique=False)
    exercice.save()
    bilan.exercice = exercice

    groupes = {g.code: g for g in Groupe.objects.filter(exercice=exercice)}
    fiches = {
        (_annexe(f.groupe, groupes), f.numero): f
        for f in Fiche.objects.filter(exercice=exercice).select_related("action", "groupe")
    }
    prochain_ordre = max((f.ordre for f in fiches.values()), default=0)
    vus = set()
    for lue in donnees.fiches:
        groupe = _groupe(exercice, groupes, lue)
        fiche = fiches.get((lue.annexe, lue.numero))
        if fiche is None:
            prochain_ordre += 1
            action = Action.objects.create(
                collectivite=collectivite, cle=f"import-{uuid.uuid4().hex}", intitule=lue.titre[:300]
            )
            fiche = Fiche(exercice=exercice, action=action, cle=f"import-{uuid.uuid4().hex[:12]}", ordre=prochain_ordre)
            bilan.crees.append(f"Fiche {lue.numero}")
        else:
            bilan.mis_a_jour.append(f"Fiche {lue.numero}")
        vus.add((lue.annexe, lue.numero))
        fiche.groupe, fiche.numero, fiche.titre, fiche.theme = groupe, lue.numero, lue.titre, lue.theme
        if lue.description:
            fiche.description = lue.description
        fiche.save()
        _budgets(fiche, lue, exercice)
    bilan.conserves = [f"Fiche {numero}" for cle, (_, numero) in zip(fiches, fiches, strict=True) if cle not in vus]


def _annexe(groupe, groupes):
    """The annex (A or B) of a fiche's group: the code of its root."""
    par_id = {g.pk: g for g in groupes.values()}
    while groupe.parent_id:
        groupe = par_id[groupe.parent_id]
    return "A" if groupe.type == TypeGroupe.SOCLE else "B"


def _groupe(exercice, groupes, lue):
    racine = groupes.get(lue.code_annexe)
    if racine is None:
        type_, libelle = GROUPES[lue.annexe]
        racine = groupes[lue.code_annexe] = Groupe.objects.create(
            exercice=exercice,
            code=lue.code_annexe,
            type=type_,
            libelle=lue.libelle_annexe or libelle,
            ordre=0 if lue.annexe == "A" else 100,
        )
    if not lue.sous_groupe:
        return racine
    for groupe in groupes.values():
        if groupe.parent_id == racine.pk and groupe.libelle == lue.sous_groupe:
            return groupe
    rang = 1 + sum(1 for g in groupes.values() if g.parent_id == racine.pk)
    code = f"{racine.code}{rang}"
    while code in groupes:
        rang += 1
        code = f"{racine.code}{rang}"
    groupes[code] = Groupe.objects.create(
        exercice=exercice,
        parent=racine,
        code=code,
        type=racine.type,
        libelle=lue.sous_groupe,
        ordre=racine.ordre + rang,
    )
    return groupes[code]


def _budgets(fiche, lue, exercice):
    """The planned budget: its declared total and one budget-level part per party the file states (the previous
    budget-level parts are replaced); the executed amount when the file gives one."""
    prevu, _ = Budget.objects.get_or_create(
        fiche=fiche, nature=NatureBudget.PREVISIONNEL, defaults={"intitule": f"Budget prévisionnel {exercice.libelle}"}
    )
    prevu.total = lue.total_indique
    prevu.save()
    prevu.parts.filter(ligne__isnull=True).delete()
    for ordre, (partie, montant) in enumerate(
        ((Partie.ETAT, lue.part_etat), (Partie.COLLECTIVITE, lue.part_collectivite), (Partie.AUTRE, lue.autres))
    ):
        if montant is not None:
            Part.objects.create(budget=prevu, financeur=partie, montant=montant, ordre=ordre)
    if lue.execute is not None:
        execute, _ = Budget.objects.get_or_create(
            fiche=fiche, nature=NatureBudget.EXECUTE, defaults={"intitule": f"Budget exécuté {exercice.libelle}"}
        )
        execute.total = lue.execute
        execute.save()
