"""The rapport d'exécution of an exercice: its own texts; figures and fiche texts come from the fiches."""

import uuid
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from actions.models import Fiche
from conventions.models import Collectivite, Exercice
from core.db import TEXTE_LONG, MoneyField, PublicIdModel
from core.versions import Versioned

from .enums import STATUTS_REMIS, StatutRapport


class RapportQuerySet(models.QuerySet):
    def for_collectivites(self, collectivites):
        return self.filter(exercice__in=Exercice.objects.for_collectivites(collectivites))


class Rapport(Versioned, PublicIdModel):
    exercice = models.OneToOneField(Exercice, on_delete=models.CASCADE, related_name="rapport")
    collectivite = models.ForeignKey(
        Collectivite, verbose_name="collectivité signataire", on_delete=models.PROTECT, related_name="rapports"
    )
    nom_collectivite = models.CharField(
        "nom de la collectivité sur le rapport",
        max_length=200,
        help_text="Figé : un rapport passé garde le nom de la collectivité qui l'a signé.",
    )
    titre = models.CharField("titre", max_length=300)
    date_edition = models.DateField("mois d'édition", null=True, blank=True, help_text="Mars 2020 : le 1er du mois.")
    # The délibération and signature block of the PDF (what the Département writes; blank until it knows).
    deliberation_date = models.DateField(
        "date de la délibération",
        null=True,
        blank=True,
        help_text="Date à laquelle l'assemblée délibère sur le rapport (au plus tard le 31 mars). Format : 31/03/2020.",
    )
    deliberation_instance = models.CharField(
        "instance qui délibère",
        max_length=200,
        blank=True,
        help_text="Assemblée départementale, commission permanente…",
    )
    signataire_nom = models.CharField(
        "nom du signataire", max_length=200, blank=True, help_text="Prénom et nom de la personne qui signe le rapport."
    )
    signataire_qualite = models.CharField(
        "qualité du signataire", max_length=200, blank=True, help_text="Président du Conseil départemental…"
    )
    avant_propos = models.TextField("avant-propos", blank=True, max_length=TEXTE_LONG)
    bilan_global = models.TextField("bilan global", blank=True, max_length=TEXTE_LONG)
    statut = FSMField(
        "statut", max_length=20, choices=StatutRapport.choices, default=StatutRapport.BROUILLON, protected=False
    )

    history = HistoricalRecords()
    objects = RapportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport d'exécution"
        verbose_name_plural = "rapports d'exécution"
        ordering = ["exercice"]

    def __str__(self):
        return self.titre

    def is_handed_in(self):
        """Transmitted or accepted (rapports.enums.STATUTS_REMIS): not late any more."""
        return self.statut in STATUTS_REMIS

    def is_editable(self):
        """The agents may change it while they may still transmit it (a draft, or sent back): a transmitted report
        is frozen until sent back, an accepted one for good. The workflow's transitions decide (django-fsm-2)."""
        return can_proceed(self.transmettre)

    def awaits_decision(self):
        """Transmitted: the référent may send it back or accept it."""
        return can_proceed(self.accepter)

    # Transitions: rapports.services records who, when and why, and what was sent.
    @transition(field=statut, source=[StatutRapport.BROUILLON, StatutRapport.RENVOYE], target=StatutRapport.TRANSMIS)
    def transmettre(self):
        pass

    @transition(field=statut, source=StatutRapport.TRANSMIS, target=StatutRapport.RENVOYE)
    def renvoyer(self):
        pass

    @transition(field=statut, source=StatutRapport.TRANSMIS, target=StatutRapport.ACCEPTE)
    def accepter(self):
        pass


class SectionRapport(Versioned):
    """A fiche's part of the report: what only the report says (FAPI, bilan, perspectives)."""

    rapport = models.ForeignKey(Rapport, on_delete=models.CASCADE, related_name="sections")
    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="sections_rapport")
    fapi = models.CharField(
        "action déjà financée au titre du FAPI",
        max_length=300,
        blank=True,
        help_text="Tel qu'écrit : non, Pas de financement FAPI",
    )
    indicateurs = models.CharField("indicateurs de suivi (renvoi)", max_length=300, blank=True, help_text="voir infra")
    bilan = models.TextField("bilan d'exécution", blank=True, max_length=TEXTE_LONG)
    perspectives = models.TextField("perspectives futures de mise en œuvre", blank=True, max_length=TEXTE_LONG)
    explication = models.TextField(
        "explication des écarts",
        blank=True,
        help_text="Ce qui explique une parité non respectée ou un budget qui ne tombe pas juste.",
        max_length=TEXTE_LONG,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "section du rapport"
        verbose_name_plural = "sections du rapport"
        ordering = ["rapport", "fiche__ordre"]
        constraints = [models.UniqueConstraint(fields=["rapport", "fiche"], name="section_une_par_fiche")]

    def __str__(self):
        return f"{self.rapport} – {self.fiche.numero}"


class EntreeSommaire(models.Model):
    """The table of contents of an imported report, as printed (kept to compare the generated one with)."""

    rapport = models.ForeignKey(Rapport, on_delete=models.CASCADE, related_name="sommaire_source")
    ordre = models.PositiveSmallIntegerField("ordre")
    titre = models.CharField("titre", max_length=500)
    page = models.PositiveSmallIntegerField("page", null=True, blank=True)

    class Meta:
        verbose_name = "entrée du sommaire d'origine"
        verbose_name_plural = "sommaire d'origine"
        ordering = ["rapport", "ordre"]

    def __str__(self):
        return self.titre


def chemin_fichier(instance, nom):
    """Where a report's file is stored: `rapports/<kind>/<a new uuid>.<ext>`, never guessable nor reused."""
    extension = nom.rsplit(".", 1)[-1] if "." in nom else "bin"
    return f"rapports/{type(instance).__name__.lower()}/{uuid.uuid4().hex}.{extension}"


class VersionTransmise(models.Model):
    """What was sent, frozen: the PDF and the workbook generated at that moment. Never overwritten."""

    rapport = models.ForeignKey(Rapport, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveSmallIntegerField("numéro")
    transmise_le = models.DateTimeField("transmise le", auto_now_add=True)
    transmise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="transmise par", on_delete=models.PROTECT, related_name="+"
    )
    avant_date_limite = models.BooleanField("avant la date limite")
    justification = models.TextField(
        "points restants expliqués",
        blank=True,
        help_text="Ce qui manquait encore à la transmission, et pourquoi.",
        max_length=TEXTE_LONG,
    )
    html = models.TextField(
        "HTML du PDF",
        blank=True,
        help_text="Le rapport mis en page au moment de la transmission, dont le PDF est tiré.",
    )
    # Files in the file storage (STORAGES["default"]: a disk, or an S3 bucket by settings), served only through the
    # views that check rights (never from MEDIA_URL). Their names are unique: a file is never overwritten.
    pdf = models.FileField(
        "PDF",
        upload_to=chemin_fichier,
        blank=True,
        max_length=200,
        help_text="Vide tant que la tâche de fond ne l'a pas produit.",
    )
    pdf_genere_le = models.DateTimeField("PDF produit le", null=True, blank=True)
    classeur = models.FileField("classeur Excel", upload_to=chemin_fichier, max_length=200)
    contenu = models.JSONField("contenu", default=dict, help_text="Ce que dit la version, pour la comparer.")

    class Meta:
        verbose_name = "version transmise"
        verbose_name_plural = "versions transmises"
        ordering = ["rapport", "numero"]
        constraints = [models.UniqueConstraint(fields=["rapport", "numero"], name="version_transmise_unique")]

    def __str__(self):
        return f"Version transmise n°{self.numero}"

    @property
    def pdf_pret(self):
        return self.pdf_genere_le is not None


class Evenement(models.Model):
    """The review's audit log, visible to both sides: each transition and each comment, with who, when and why."""

    class Type(models.TextChoices):
        TRANSMISSION = "transmission", "Transmission"
        RENVOI = "renvoi", "Renvoi pour compléments"
        ACCEPTATION = "acceptation", "Acceptation"
        COMMENTAIRE = "commentaire", "Commentaire"
        RESOLUTION = "resolution", "Commentaire résolu"
        REFACTION = "refaction", "Décision de réfaction"

    rapport = models.ForeignKey(Rapport, on_delete=models.CASCADE, related_name="evenements")
    type = models.CharField("type", max_length=20, choices=Type.choices)
    statut_avant = models.CharField("statut avant", max_length=20, choices=StatutRapport.choices)
    statut_apres = models.CharField("statut après", max_length=20, choices=StatutRapport.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateTimeField("date", auto_now_add=True)
    motif = models.TextField("motif", blank=True, max_length=TEXTE_LONG)
    version_transmise = models.ForeignKey(
        VersionTransmise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "événement de la revue"
        verbose_name_plural = "journal de la revue"
        ordering = ["rapport", "date", "pk"]

    def __str__(self):
        return f"{self.get_type_display()} – {self.date:%d/%m/%Y %H:%M}"


class Commentaire(PublicIdModel):
    """A review thread on the report as a whole or on one fiche section: the référent opens it, the agent answers,
    the référent resolves it."""

    rapport = models.ForeignKey(Rapport, on_delete=models.CASCADE, related_name="commentaires")
    fiche = models.ForeignKey(
        Fiche,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commentaires",
        help_text="Vide : le rapport.",
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="reponses")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    texte = models.TextField("commentaire", max_length=TEXTE_LONG)
    date = models.DateTimeField("date", auto_now_add=True)
    resolu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolu_le = models.DateTimeField("résolu le", null=True, blank=True)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["rapport", "date", "pk"]

    def __str__(self):
        return self.texte[:60]

    @property
    def resolu(self):
        return self.resolu_le is not None


class DecisionRefaction(Versioned):
    """The réfaction the référent decided for an exercice: the State credit withheld, why, and on which date. One per
    exercice, changed in place (its history keeps every earlier decision); the figure it rests on is the read
    model's `credit_non_consomme`."""

    exercice = models.OneToOneField(Exercice, on_delete=models.CASCADE, related_name="decision_refaction")
    montant = MoneyField("montant de la réfaction")
    motif = models.TextField("motif de la décision", max_length=TEXTE_LONG)
    date_decision = models.DateField("date de la décision")
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="décidée par", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision de réfaction"
        verbose_name_plural = "décisions de réfaction"

    def __str__(self):
        return f"Réfaction {self.exercice} : {self.montant} €"


class PdfPrepare(models.Model):
    """The PDF of the report as it stands, kept under the fingerprint of its HTML: laid out once (by a background job
    once the report stops changing, or when asked for) and served again while the report does not change."""

    exercice = models.ForeignKey(Exercice, on_delete=models.CASCADE, related_name="pdf_prepares")
    empreinte = models.CharField("empreinte du HTML", max_length=64)
    # The exercice's content revision read before the HTML was drawn (rapports.pdf_prepares).
    revision = models.PositiveIntegerField("révision du contenu", default=0)
    html = models.TextField("HTML du PDF")
    pdf = models.FileField("PDF", upload_to=chemin_fichier, blank=True, max_length=200)
    demande_le = models.DateTimeField("demandé le", auto_now_add=True)
    pdf_genere_le = models.DateTimeField("PDF produit le", null=True, blank=True)

    class Meta:
        verbose_name = "PDF préparé"
        verbose_name_plural = "PDF préparés"
        constraints = [models.UniqueConstraint(fields=["exercice", "empreinte"], name="pdf_prepare_unique")]
        indexes = [models.Index(fields=["exercice", "revision"], name="pdf_prepare_revision")]

    def __str__(self):
        return f"PDF du rapport {self.exercice} ({self.empreinte[:12]})"


@receiver(post_delete, sender=PdfPrepare)
@receiver(post_delete, sender=VersionTransmise)
def effacer_les_fichiers(sender, instance, **kwargs):
    """A row deleted (an old prepared PDF replaced): its files go too, once the deletion is committed."""
    for champ in ("pdf", "classeur"):
        fichier = getattr(instance, champ, None)
        if fichier:
            transaction.on_commit(partial(fichier.storage.delete, fichier.name))


# A summary adds up every part of an exercice, each up to 10¹² € (core.db.MoneyField): its sums and rates get room.
SOMME_MAX_CHIFFRES = 20


class ResumeExercice(models.Model):
    """One row per exercice: what the dashboard, the comparison and /pilotage/ show of it, computed from the read
    model (rapports.resumes.calculer) and rewritten in the same transaction as every write that changes it, so that
    those pages filter, sort and total in SQL whatever the number of exercices. Being late depends on the day: it is
    not stored but read from `date_limite` and `statut` (rapports.resumes.annoter)."""

    exercice = models.OneToOneField(Exercice, on_delete=models.CASCADE, primary_key=True, related_name="resume")
    statut = models.CharField("état du rapport", max_length=20, blank=True, help_text="Vide : non commencé.")
    date_limite = models.DateField("date limite du rapport")
    transmis_le = models.DateField("dernière transmission", null=True, blank=True)
    transmis_en_retard = models.BooleanField("transmis après la date limite", default=False)
    nb_fiches = models.PositiveIntegerField("fiches", default=0)
    part_etat = MoneyField("part État prévue", max_digits=SOMME_MAX_CHIFFRES, default=0)
    part_collectivite = MoneyField("part collectivité prévue", max_digits=SOMME_MAX_CHIFFRES, default=0)
    part_autres = MoneyField("autres financeurs prévus", max_digits=SOMME_MAX_CHIFFRES, default=0)
    sans_montant = models.JSONField("parties nommées sans montant", default=list, blank=True)
    prevu = MoneyField("total prévu", max_digits=SOMME_MAX_CHIFFRES, default=0)
    socle = MoneyField("total prévu du socle", max_digits=SOMME_MAX_CHIFFRES, default=0)
    initiatives = MoneyField("total prévu des initiatives", max_digits=SOMME_MAX_CHIFFRES, default=0)
    # [[axe, total prévu]…] in the fiches' order (a list: PostgreSQL's jsonb does not keep a dict's order)
    axes = models.JSONField("total prévu par axe", default=list, blank=True)
    execute = MoneyField("exécuté", max_digits=SOMME_MAX_CHIFFRES, null=True, blank=True)
    nb_fiches_chiffrees = models.PositiveIntegerField("fiches à l'exécuté chiffré", default=0)
    prevu_des_chiffrees = MoneyField("prévu des fiches à l'exécuté chiffré", max_digits=SOMME_MAX_CHIFFRES, default=0)
    execute_etat = MoneyField("part État exécutée", max_digits=SOMME_MAX_CHIFFRES, null=True, blank=True)
    execute_collectivite = MoneyField(
        "part collectivité exécutée", max_digits=SOMME_MAX_CHIFFRES, null=True, blank=True
    )
    taux_execution = models.DecimalField(
        "taux d'exécution", max_digits=SOMME_MAX_CHIFFRES, decimal_places=1, null=True, blank=True
    )
    parite = models.BooleanField("parité respectée", default=True)
    convention_concorde = models.BooleanField("montant État de la convention concordant", default=True)
    nb_alertes = models.PositiveIntegerField("alertes de cohérence", default=0)
    credit_non_consomme = MoneyField("crédit État non consommé", max_digits=SOMME_MAX_CHIFFRES, default=0)
    nb_fiches_non_justifiees = models.PositiveIntegerField("fiches sans exécution justifiée", default=0)
    calcule_le = models.DateTimeField("calculé le", auto_now=True)

    class Meta:
        verbose_name = "résumé d'exercice"
        verbose_name_plural = "résumés d'exercices"

    def __str__(self):
        return f"Résumé de {self.exercice_id}"
