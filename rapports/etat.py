"""Where a report stands now, in words: the one home of its status line (« Transmis le 12/03/2020 », « Accepté le … »,
« Renvoyé le … : motif », « À transmettre au plus tard le 31/03/2020 »), of the « transmis en retard » mark and of
the review threads that wait for an answer. Loaded for any number of exercices in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from .enums import STATUTS_REMIS, StatutRapport
from .models import Commentaire, DecisionRefaction, Evenement

TRANSITIONS = (Evenement.Type.TRANSMISSION, Evenement.Type.RENVOI, Evenement.Type.ACCEPTATION)


def _date(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}" if isinstance(moment, datetime.datetime) else f"{moment:%d/%m/%Y}"


@dataclass
class FilOuvert:
    """An unresolved review thread: its first message, who wrote last and when."""

    commentaire: object  # rapports.Commentaire (the thread's first message)
    dernier_auteur_referent: bool
    derniere_date: datetime.datetime


@dataclass
class EtatRapport:
    """What is true now of an exercice's report: its state, the last transition (who decided, when, why)."""

    exercice: object
    statut: str  # StatutRapport, "" before anyone started the report
    transition: object = None  # the last Evenement that changed the state, or None
    transmission: object = None  # the last transmission's Evenement, with its version (`avant_date_limite`)
    fils_ouverts: list = field(default_factory=list)  # FilOuvert, oldest first

    @property
    def date(self):
        """When the state was last changed (None for a draft)."""
        return self.transition.date if self.transition else None

    @property
    def motif(self) -> str:
        return self.transition.motif if self.transition else ""

    @property
    def transmis_le(self):
        return self.transmission.date if self.transmission else None

    @property
    def transmis_en_retard(self) -> bool:
        """The last transmission came after the deadline."""
        version = self.transmission.version_transmise if self.transmission else None
        return version is not None and not version.avant_date_limite

    @property
    def a_examiner(self) -> bool:
        """Transmitted: the référent's decision is awaited."""
        return self.statut == StatutRapport.TRANSMIS

    @property
    def renvoye(self) -> bool:
        return self.statut == StatutRapport.RENVOYE

    @property
    def libelle(self) -> str:
        return StatutRapport(self.statut).label if self.statut else "Non commencé"

    @property
    def ligne(self) -> str:
        """The status line, what is true now."""
        limite = self.exercice.date_limite_rapport
        if self.statut == StatutRapport.TRANSMIS and self.date:
            retard = f" (après la date limite du {_date(limite)})" if self.transmis_en_retard else ""
            return f"Transmis le {_date(self.date)}{retard}"
        if self.statut == StatutRapport.ACCEPTE and self.date:
            return f"Accepté le {_date(self.date)}"
        if self.statut == StatutRapport.RENVOYE and self.date:
            motif = f" : {self.motif}" if self.motif else ""
            return f"Renvoyé le {_date(self.date)}{motif}"
        return f"À transmettre au plus tard le {_date(limite)}"

    def en_retard(self, aujourd_hui) -> bool:
        """The deadline passed and the report is not handed in (rapports.selectors.ExerciceLu.en_retard)."""
        return self.exercice.date_limite_rapport < aujourd_hui and self.statut not in STATUTS_REMIS

    @property
    def ligne_breve(self) -> str:
        """The status line without a send-back's reason, for a page that shows the reason on its own."""
        if self.renvoye and self.date:
            return f"Renvoyé pour compléments le {_date(self.date)}"
        return self.ligne

    def fils_en_attente(self, *, referent: bool) -> list:
        """The open threads waiting for this side's answer: the other side wrote last."""
        return [f for f in self.fils_ouverts if f.dernier_auteur_referent != referent]


def etats_rapports(exercices) -> dict:
    """{exercice pk: EtatRapport} for the exercices (loaded with `select_related("rapport")`, else one more query):
    two queries whatever their number, the transitions and the open threads."""
    exercices = list(exercices)
    ids = [e.pk for e in exercices]
    transitions, transmissions = {}, {}
    evenements = (
        Evenement.objects.filter(rapport__exercice_id__in=ids, type__in=TRANSITIONS)
        .select_related("version_transmise")
        .annotate(exercice_pk=F("rapport__exercice_id"))
        .defer(*(f"version_transmise__{champ}" for champ in ("html", "contenu", "pdf", "classeur")))
        .order_by("date", "pk")
    )
    for evenement in evenements:
        exercice_id = evenement.exercice_pk
        transitions[exercice_id] = evenement
        if evenement.type == Evenement.Type.TRANSMISSION:
            transmissions[exercice_id] = evenement
    fils = {}
    commentaires = (
        Commentaire.objects.filter(rapport__exercice_id__in=ids, resolu_le__isnull=True)
        .select_related("auteur", "fiche")
        .annotate(exercice_pk=F("rapport__exercice_id"))
        .order_by("date", "pk")
    )
    par_fil = {}
    for commentaire in commentaires:
        if commentaire.parent_id is None:
            par_fil[commentaire.pk] = FilOuvert(commentaire, commentaire.auteur.is_referent, commentaire.date)
            fils.setdefault(commentaire.exercice_pk, []).append(par_fil[commentaire.pk])
        elif commentaire.parent_id in par_fil:  # an answer in an open thread
            fil = par_fil[commentaire.parent_id]
            fil.dernier_auteur_referent, fil.derniere_date = commentaire.auteur.is_referent, commentaire.date
    return {
        e.pk: EtatRapport(
            exercice=e,
            statut=e.rapport_existant.statut if e.rapport_existant else "",
            transition=transitions.get(e.pk),
            transmission=transmissions.get(e.pk),
            fils_ouverts=fils.get(e.pk, []),
        )
        for e in exercices
    }


def etat_rapport(exercice) -> EtatRapport:
    return etats_rapports([exercice])[exercice.pk]


@dataclass
class Journee:
    """A référent's work, in the order they do it."""

    a_examiner: list  # EtatRapport of transmitted reports, oldest transmission first
    commentaires: list  # (EtatRapport, FilOuvert) of threads the agents answered or opened last, oldest first
    en_retard: list  # EtatRapport of late reports (deadline passed, not handed in), most late first

    def __bool__(self):
        return bool(self.a_examiner or self.commentaires or self.en_retard)


def _ordre_transmission(etat):
    return (etat.transmis_le is None, etat.transmis_le.timestamp() if etat.transmis_le else 0, etat.exercice.pk)


def journee_du_referent(etats, aujourd_hui=None) -> Journee:
    aujourd_hui = aujourd_hui or timezone.localdate()
    etats = list(etats)
    return Journee(
        a_examiner=sorted((e for e in etats if e.a_examiner), key=_ordre_transmission),
        commentaires=sorted(
            ((e, fil) for e in etats for fil in e.fils_en_attente(referent=True)),
            key=lambda paire: paire[1].derniere_date,
        ),
        en_retard=sorted((e for e in etats if e.en_retard(aujourd_hui)), key=lambda e: e.exercice.date_limite_rapport),
    )


def decision_refaction(exercice):
    """The réfaction decided for the exercice (with who decided), or None."""
    return DecisionRefaction.objects.filter(exercice=exercice).select_related("decide_par").first()


def decisions_refaction(exercices) -> dict:
    """{exercice pk: DecisionRefaction} of the exercices that have one, in one query."""
    return {d.exercice_id: d for d in DecisionRefaction.objects.filter(exercice__in=[e.pk for e in exercices])}
