"""The per-exercice summary (`ResumeExercice`): computed from the read model (`charger_exercices`, the figures of
`budgets.calculs`), never from figures of its own, and rewritten in the same transaction as every write that changes
it. The apps below this one cannot call it (they do not import rapports): `rapports/apps.py` connects `post_save` /
`post_delete` of the models an exercice's figures come from to `a_mettre_a_jour` here. Writes that bypass signals
(bulk_create, QuerySet.update: the avenant, the import, the seed loading) call `mettre_a_jour` themselves, or run
inside `differes()`, which gathers the exercices and rewrites each once at the end. `reconstruire` (the command
`reconstruire_resumes`) rewrites every row.
"""

import threading
from contextlib import contextmanager
from decimal import Decimal

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from actions.themes import axe
from budgets.calculs import CHIFFRE, CONFORME, credit_non_consomme, somme
from budgets.coherence import MONTANT_CONVENTION
from conventions.enums import TypeGroupe
from conventions.models import Exercice

from .enums import STATUTS_REMIS
from .models import ResumeExercice, VersionTransmise
from .selectors import DATE_LIMITE, charger_exercices

CHAMPS = [
    "statut",
    "date_limite",
    "transmis_le",
    "transmis_en_retard",
    "nb_fiches",
    "part_etat",
    "part_collectivite",
    "part_autres",
    "sans_montant",
    "prevu",
    "socle",
    "initiatives",
    "axes",
    "execute",
    "nb_fiches_chiffrees",
    "prevu_des_chiffrees",
    "execute_etat",
    "execute_collectivite",
    "taux_execution",
    "parite",
    "convention_concorde",
    "nb_alertes",
    "credit_non_consomme",
    "nb_fiches_non_justifiees",
    "calcule_le",
]
PAR_LOT = 200  # exercices read at once by `reconstruire`


def calculer(lu, derniere_version=None) -> ResumeExercice:
    """The summary of one exercice of the read model (`ExerciceLu`); `derniere_version`: its last transmitted
    version (VersionTransmise) or None."""
    exercice = lu.exercice
    rapport = lu.rapport_enregistre
    credits = [credit_non_consomme(f.chiffres) for f in lu.fiches]
    socle = [g for g in lu.groupes if g.groupe.type == TypeGroupe.SOCLE]
    axes = {}
    for fiche in lu.fiches:
        cle = axe(fiche.fiche.theme)
        axes[cle] = axes.get(cle, Decimal(0)) + fiche.prevu
    executes = [f.chiffres.montants_executes for f in lu.fiches if f.chiffres.montants_executes is not None]
    return ResumeExercice(
        exercice=exercice,
        statut=rapport.statut if rapport else "",
        date_limite=exercice.date_limite_rapport,
        transmis_le=timezone.localdate(derniere_version.transmise_le) if derniere_version else None,
        transmis_en_retard=bool(derniere_version and not derniere_version.avant_date_limite),
        nb_fiches=len(lu.fiches),
        part_etat=lu.montants.etat,
        part_collectivite=lu.montants.collectivite,
        part_autres=lu.montants.autres,
        sans_montant=sorted(lu.montants.sans_montant),
        prevu=lu.prevu,
        socle=somme(g.montants.total for g in socle),
        initiatives=somme(g.montants.total for g in lu.groupes if g not in socle),
        axes=[[cle, str(montant)] for cle, montant in axes.items()],
        execute=lu.execute,
        nb_fiches_chiffrees=lu.execution.nb_chiffrees,
        prevu_des_chiffrees=lu.execution.prevu_des_chiffrees,
        execute_etat=somme(m.etat for m in executes) if executes else None,
        execute_collectivite=somme(m.collectivite for m in executes) if executes else None,
        taux_execution=lu.taux_execution,
        parite=lu.parite,
        convention_concorde=not any(a.regle == MONTANT_CONVENTION for a in lu.alertes),
        nb_alertes=sum(1 for a in lu.alertes if a.regle != DATE_LIMITE),
        credit_non_consomme=somme(c.montant for c in credits),
        nb_fiches_non_justifiees=sum(1 for c in credits if c.base not in (CHIFFRE, CONFORME)),
        calcule_le=timezone.now(),
    )


def calculer_exercices(exercices) -> list[ResumeExercice]:
    """The summaries of the given exercices, from the read model, in a fixed number of queries."""
    exercices = list(exercices)
    lus = charger_exercices(exercices, indicateurs=False, textes=False, sections=False, convention=True)
    versions = {}
    for version in VersionTransmise.objects.filter(rapport__exercice__in=exercices).order_by("numero"):
        versions[version.rapport_id] = version
    return [calculer(lu, versions.get(lu.rapport_enregistre.pk) if lu.rapport_enregistre else None) for lu in lus]


def mettre_a_jour(exercice_ids):
    """Rewrite the summaries of these exercices (those that still exist)."""
    ids = {i for i in exercice_ids if i is not None and i not in _etat().supprimes}
    if not ids:
        return
    exercices = Exercice.objects.filter(pk__in=ids).select_related("convention", "rapport")
    resumes = calculer_exercices(exercices)
    ResumeExercice.objects.bulk_create(resumes, update_conflicts=True, unique_fields=["exercice"], update_fields=CHAMPS)


def reconstruire(exercices=None) -> int:
    """Rewrite the summary of every exercice (or of the given queryset), by batches; returns how many."""
    ids = list(
        (exercices if exercices is not None else Exercice.objects.all()).order_by("pk").values_list("pk", flat=True)
    )
    for debut in range(0, len(ids), PAR_LOT):
        mettre_a_jour(ids[debut : debut + PAR_LOT])
    ResumeExercice.objects.exclude(exercice_id__in=Exercice.objects.all()).delete()
    return len(ids)


# Gathering the exercices a write changed --------------------------------------------------------------------------


class _Etat(threading.local):
    def __init__(self):
        self.differes = None  # set of exercice ids while inside `differes()`
        self.supprimes = set()  # exercices being deleted (their children's post_delete must not recreate them)


_etat_local = _Etat()


def _etat():
    return _etat_local


def a_mettre_a_jour(exercice_ids):
    """A write changed these exercices: rewrite their summaries now (or at the end of `differes()`)."""
    ids = {i for i in exercice_ids if i is not None}
    if _etat().differes is not None:
        _etat().differes |= ids
    else:
        mettre_a_jour(ids)


@contextmanager
def differes():
    """Rewrite each summary once, when the block ends (a loading or a service that saves many objects). Use inside
    the block's transaction so that the summaries are written in it."""
    if _etat().differes is not None:  # nested: the outer block rewrites
        yield
        return
    _etat().differes = set()
    try:
        yield
        ids = _etat().differes
    finally:
        _etat().differes = None
    mettre_a_jour(ids)


def exercice_en_suppression(exercice_id, fin=False):
    if fin:
        _etat().supprimes.discard(exercice_id)
    else:
        _etat().supprimes.add(exercice_id)


# Reading: late, in SQL --------------------------------------------------------------------------------------------


def en_retard_q(aujourd_hui=None):
    """A summary whose deadline passed and whose report is not handed in: `ExerciceLu.en_retard`, in SQL."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    return Q(date_limite__lt=aujourd_hui) & ~Q(statut__in=STATUTS_REMIS)


def annoter(resumes, aujourd_hui=None):
    """Summaries annotated with `en_retard` (see `en_retard_q`)."""
    return resumes.annotate(
        en_retard=Case(
            When(en_retard_q(aujourd_hui), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
