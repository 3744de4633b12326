"""Writes of the collectivité's own management pages: a convention with its first exercice, a fiche with its
planned parts, an indicator table. Keyword-only arguments, cleaned values, one transaction each."""

import uuid

from django.db import transaction
from django.utils.text import slugify

from actions.models import Action, Fiche
from budgets.enums import NatureBudget
from budgets.models import Budget, Part
from conventions.enums import NatureMontant, Partie, TypeGroupe
from conventions.models import Convention, Deliberation, Exercice, Groupe, MontantEtatAnnuel, Signataire
from core.formulaires import appliquer_saisies
from core.versions import save_if_version
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur

GROUPES_INITIAUX = [
    ("A", TypeGroupe.SOCLE, "Fiches actions - Engagements du socle", 0),
    ("B", TypeGroupe.INITIATIVE, "Fiches actions - Engagements à l'initiative du département", 100),
]


@transaction.atomic
def convention_creer(
    *,
    collectivite,
    intitule,
    date_debut,
    date_fin,
    libelle,
    acte,
    exercice_debut,
    exercice_fin,
    date_limite_rapport=None,
    montant_etat=None,
) -> Exercice:
    """A convention, its State amount per year (when given), its first exercice and the exercice's annexes A and B.
    Returns the exercice."""
    base = slugify(f"{collectivite.code_insee}-{date_debut.year}-{date_fin.year}")
    cle = base if not Convention.objects.filter(cle=base).exists() else f"{base}-{uuid.uuid4().hex[:6]}"
    convention = Convention(
        collectivite=collectivite, cle=cle, intitule=intitule, date_debut=date_debut, date_fin=date_fin
    )
    convention.full_clean()
    convention.save()
    if montant_etat is not None:
        MontantEtatAnnuel.objects.bulk_create(
            MontantEtatAnnuel(
                convention=convention, annee=annee, nature=NatureMontant.PREVISIONNEL, montant=montant_etat
            )
            for annee in range(date_debut.year, date_fin.year + 1)
        )
    exercice = Exercice(
        convention=convention,
        libelle=libelle,
        acte=acte,
        date_debut=exercice_debut,
        date_fin=exercice_fin,
        date_limite_rapport=date_limite_rapport,
    )
    exercice.full_clean(exclude=["convention", "date_limite_rapport"])
    exercice.save()
    Groupe.objects.bulk_create(
        Groupe(exercice=exercice, code=code, type=type_, libelle=libelle_groupe, ordre=ordre)
        for code, type_, libelle_groupe, ordre in GROUPES_INITIAUX
    )
    return exercice


@transaction.atomic
def fiche_creer(*, exercice, groupe, numero, titre, theme="", description="", parts=None) -> Fiche:
    """A new fiche, its own lineage (the user never sees the word), its planned budget with the parts given
    (`parts`: {Partie: amount}; an absent or None amount is a party not stated)."""
    action = Action.objects.create(
        collectivite=exercice.convention.collectivite, cle=f"fiche-{uuid.uuid4().hex}", intitule=titre[:300]
    )
    ordre = 1 + max(Fiche.objects.filter(exercice=exercice).values_list("ordre", flat=True), default=0)
    fiche = Fiche(
        exercice=exercice,
        groupe=groupe,
        action=action,
        cle=f"fiche-{uuid.uuid4().hex[:12]}",
        numero=numero,
        ordre=ordre,
        titre=titre,
        theme=theme,
        description=description,
    )
    fiche.full_clean(exclude=["exercice", "groupe", "action"])
    fiche.save()
    budget = Budget.objects.create(
        fiche=fiche, nature=NatureBudget.PREVISIONNEL, intitule=f"Budget prévisionnel {exercice.libelle}"
    )
    for rang, partie in enumerate((Partie.ETAT, Partie.COLLECTIVITE, Partie.AUTRE)):
        montant = (parts or {}).get(partie)
        if montant is not None:
            Part.objects.create(budget=budget, financeur=partie, montant=montant, ordre=rang)
    return fiche


@transaction.atomic
def tableau_creer(*, exercice, titre, theme, colonnes, indicateurs, fiches, dimension="", valeurs_dimension=()):
    """An indicator table: its columns (`colonnes`: {libelle, type, date, code}), its indicators (`indicateurs`:
    {libelle, sous_item}), the fiches it serves; with a dimension, one empty row per value in the first column."""
    ordre = 1 + max(TableauIndicateurs.objects.filter(exercice=exercice).values_list("ordre", flat=True), default=0)
    tableau = TableauIndicateurs.objects.create(
        exercice=exercice, titre=titre, theme=theme, dimension=dimension, ordre=ordre
    )
    tableau.fiches.set(fiches)
    jalons = Jalon.objects.bulk_create(
        Jalon(tableau=tableau, ordre=rang, **colonne) for rang, colonne in enumerate(colonnes, 1)
    )
    parent = None
    crees = []
    for rang, indicateur in enumerate(indicateurs, 1):
        objet = Indicateur.objects.create(
            tableau=tableau,
            parent=parent if indicateur["sous_item"] else None,
            ordre=rang,
            libelle=indicateur["libelle"],
        )
        if not indicateur["sous_item"]:
            parent = objet
        crees.append(objet)
    if valeurs_dimension:
        feuilles = [i for i in crees if not any(j.parent_id == i.pk for j in crees)]
        for indicateur in feuilles:
            for rang, valeur in enumerate(valeurs_dimension):
                ValeurIndicateur.objects.create(
                    indicateur=indicateur, jalon=jalons[0], dimension=valeur, ordre_dimension=rang, texte=""
                )
    return tableau


@transaction.atomic
def convention_enregistrer(*, convention, champs, signataires, deliberations, montants, version_read):
    """A convention's fields, signatories, deliberations and State amounts per year (rows as core.formulaires.saisies),
    if nobody saved the convention since `version_read` (core.versions.StaleVersion otherwise, nothing written)."""

    def ecrire():
        for nom, valeur in champs.items():
            setattr(convention, nom, valeur)
        convention.full_clean(exclude=["collectivite", "cle"])
        convention.save()
        appliquer_saisies(signataires, Signataire, convention=convention)
        appliquer_saisies(deliberations, Deliberation, convention=convention)
        appliquer_saisies(montants, MontantEtatAnnuel, convention=convention)

    return save_if_version(convention, version_read, ecrire)


@transaction.atomic
def sous_groupe_creer(*, exercice, parent, code, libelle) -> Groupe:
    """A sub-group of an annex: its fiches count in the annex's totals (socle or initiatives)."""
    ordre = 1 + max(Groupe.objects.filter(exercice=exercice).values_list("ordre", flat=True), default=0)
    groupe = Groupe(exercice=exercice, parent=parent, code=code, type=parent.type, libelle=libelle, ordre=ordre)
    groupe.full_clean(exclude=["exercice", "parent"])
    groupe.save()
    return groupe
